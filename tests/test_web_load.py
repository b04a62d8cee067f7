"""A bounded load test: 50 concurrent clients doing what-ifs against a real uvicorn on
127.0.0.1 (a free port), through both the JSON API and the browser's form; no error, and every
answer is the one the engine gives for that client's own edit (no session sees another's)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from policyengine import api
from policyengine.web import Server
from policyengine.web.server import background
from policyengine.web.whatif import apply_choices, choices_of, parse_choices

httpx = pytest.importorskip("httpx", reason="httpx is in the test extra")

CLIENTS = 50
ROUNDS = 2
JID, DID = "NG", "enaira"
PRIVACY = ["transparent", "pseudonymous", "tiered_anonymity", "payer_anonymity", "cash_like_offline"]


def _field(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def test_fifty_concurrent_clients_doing_whatifs() -> None:
    server = Server()
    design = server.design(JID, DID)
    base = choices_of(design).model_dump(mode="json")
    recorded = {f.rule_id: f.status.value for f in api.assess(JID, DID, server.ws).findings}
    expected: dict[str, set[str]] = {}
    for privacy in PRIVACY:
        edited = apply_choices(design, parse_choices({**base, "privacy_model": privacy}), "NGN")
        expected[privacy] = {f.rule_id for f in api.assess_design(JID, edited, server.ws).findings
                             if f.status.value != recorded[f.rule_id]}
    errors: list[str] = []
    done: list[int] = []
    barrier = threading.Barrier(CLIENTS)

    def client(n: int, url: str) -> None:
        privacy = PRIVACY[n % len(PRIVACY)]
        try:
            with httpx.Client(base_url=url, timeout=120, follow_redirects=True) as http:
                barrier.wait(timeout=60)
                for _ in range(ROUNDS):
                    if n % 2:
                        r = http.post(f"/api/whatif/{JID}/{DID}", json={"choices": {**base, "privacy_model": privacy}})
                        if r.status_code != 200:
                            errors.append(f"client {n}: {r.status_code} {r.text[:200]}")
                            return
                        moved = {c["rule_id"] for c in r.json()["comparison"]["changed_findings"]}
                    else:
                        form: dict[str, Any] = {"privacy_model": privacy}
                        for i, t in enumerate(base["kyc_tiers"]):
                            form.update({f"tier-{i}-{k}": _field(v) for k, v in t.items()})
                        form["channels"] = base["channels"]
                        for k in ("offline", "cross_border", "remuneration", "offline_limit", "holding_limit"):
                            form[k] = "" if base[k] is None else str(base[k])
                        r = http.post(f"/j/{JID}/{DID}/whatif", data=form, headers={"origin": url})
                        if r.status_code != 200 or "What the what-if changes" not in r.text:
                            errors.append(f"client {n}: {r.status_code} {r.text[:200]}")
                            return
                        table = r.text.split('class="changed-findings"')[1].split("</table>")[0] \
                            if 'class="changed-findings"' in r.text else ""
                        moved = {rid for rid in expected[privacy] if f"/rule/{rid}?whatif=1" in table}
                        if table.count("?whatif=1") != len(expected[privacy]):
                            errors.append(f"client {n}: the page lists other findings than its own what-if moves")
                            return
                    if moved != expected[privacy]:
                        errors.append(f"client {n}: moved {sorted(moved)}, expected {sorted(expected[privacy])}")
                        return
            done.append(n)
        except Exception as exc:  # any failure of a client is the test's failure
            errors.append(f"client {n}: {exc.__class__.__name__}: {exc}")

    with background(server) as url:
        threads = [threading.Thread(target=client, args=(n, url)) for n in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
    assert not errors, errors[:5]
    assert sorted(done) == list(range(CLIENTS))
    assert len(server.sessions) == CLIENTS // 2  # one session per form client, none for the API


def test_the_serve_command_says_where_it_listens_and_serves() -> None:
    """The installed command as a workshop organiser runs it: a real process on a free port."""
    import subprocess
    import sys
    import time

    from policyengine.web.server import free_port

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", "from policyengine.entry import run; run()", "serve", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (not lines or not lines[-1].startswith("Stop with")):
            line = proc.stderr.readline() if proc.stderr else ""
            if not line:
                break
            lines.append(line.strip())
        assert lines[0].startswith(f"policyengine serve: http://127.0.0.1:{port}/ (workspace ")
        assert lines[1].startswith("Listening on the loopback address only")
        assert lines[2].startswith("Read-only")
        for _ in range(100):  # the socket opens just after the message
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/", timeout=10)
                break
            except httpx.ConnectError:
                time.sleep(0.1)
        assert r.status_code == 200 and "Jurisdictions by region" in r.text
        assert r.headers["content-security-policy"].startswith("default-src 'none'")
    finally:
        proc.terminate()
        proc.wait(timeout=20)
