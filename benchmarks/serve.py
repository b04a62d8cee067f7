"""Benchmark: how long a what-if re-assessment takes in ``policyengine serve`` (issue 16).

Measures, for the eNaira design of Nigeria with edited choices (a different holding limit,
privacy model and offline mode each time, so nothing is cached):

1. the server-side work alone: validate the edited choices through the Design model,
   re-assess, compare with the recorded design;
2. the whole round trip over HTTP to a real uvicorn on 127.0.0.1: ``POST /api/whatif`` (JSON)
   and the browser's form ``POST`` followed by the ``GET`` of the page that shows the changes.

Target: under 150 ms per what-if on the project's 2-core machine. Nothing here asserts: it
measures and prints (``.venv/bin/python benchmarks/serve.py``).
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any, Callable

import httpx

from policyengine.web import Server
from policyengine.web.server import background
from policyengine.web.whatif import apply_choices, choices_of, compare

JID, DID = "NG", "enaira"
PRIVACY = ["transparent", "pseudonymous", "tiered_anonymity", "payer_anonymity", "cash_like_offline"]
OFFLINE = ["none", "limited", "full"]


def _choices(i: int, base: dict[str, Any]) -> dict[str, Any]:
    edited = dict(base)
    edited["holding_limit"] = 100_000 + 1_000 * i
    edited["privacy_model"] = PRIVACY[i % len(PRIVACY)]
    edited["offline"] = OFFLINE[i % len(OFFLINE)]
    return edited


def _timed(count: int, step: Callable[[int], None]) -> list[float]:
    out = []
    for i in range(count):
        start = time.perf_counter()
        step(i)
        out.append((time.perf_counter() - start) * 1000)
    return out


def _line(label: str, ms: list[float]) -> str:
    ordered = sorted(ms)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return (f"{label:<44} median {statistics.median(ms):6.1f} ms   p95 {p95:6.1f} ms   max {max(ms):6.1f} ms"
            f"   ({len(ms)} what-ifs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=60)
    args = parser.parse_args()
    start = time.perf_counter()
    server = Server()
    print(f"server ready (workspace loaded, ruleset compiled) in {time.perf_counter() - start:.2f} s")
    design = server.design(JID, DID)
    recorded = choices_of(design)
    base = recorded.model_dump(mode="json")
    currency = server.currency(JID, design)
    before = server.assess(JID, DID)

    def in_process(i: int) -> None:
        from policyengine.web.whatif import parse_choices

        chosen = parse_choices(_choices(i, base))
        edited = apply_choices(design, chosen, currency)
        after = server.assess_design(JID, edited)
        compare(before, after, recorded, choices_of(edited), server.fact_tables(JID, design, edited))  # type: ignore[arg-type]

    in_process(0)  # warm
    print(_line("re-assessment in the server (no HTTP)", _timed(args.count, in_process)))
    with background(server) as url, httpx.Client(base_url=url, timeout=30, follow_redirects=True) as client:
        def api_whatif(i: int) -> None:
            r = client.post(f"/api/whatif/{JID}/{DID}", json={"choices": _choices(i, base)})
            r.raise_for_status()

        def form_whatif(i: int) -> None:
            form = {"holding_limit": str(100_000 + 1_000 * i), "privacy_model": PRIVACY[i % len(PRIVACY)],
                    "offline": OFFLINE[i % len(OFFLINE)]}
            r = client.post(f"/j/{JID}/{DID}/whatif", data=form, headers={"origin": url})
            r.raise_for_status()  # follows the 303 to the page that lists the changed findings

        api_whatif(0)
        print(_line("POST /api/whatif over HTTP (JSON)", _timed(args.count, api_whatif)))
        form_whatif(0)
        print(_line("form POST + page with the changes over HTTP", _timed(args.count, form_whatif)))
    print("target: under 150 ms per what-if")


if __name__ == "__main__":
    main()
