"""Benchmark: the wall time of everyday commands, as a user meets them, and the peak memory of
``policyengine test``. Prints each figure beside its budget (issue 8); asserts nothing.

Run ``.venv/bin/python benchmarks/cli.py`` (``make bench`` runs it). Medians of ``--runs``
runs; the machine should be otherwise idle for the figures to mean anything.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXE = [sys.executable, "-m", "policyengine.cli"]


def timed(args: list[str], runs: int) -> tuple[float, float]:
    """Medians of the wall time and of the CPU time (user + system) of ``runs`` runs. The first
    run fills the parse and compile cache (~/.cache/policyengine) if it is empty; the median is
    that of a user's everyday, cached, run. On a shared machine the CPU time is the steadier
    figure."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def peak_mb(args: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(args, check=False, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(after, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp())
    rows = [
        ("policyengine --help", [*EXE, "--help"], 0.2),
        ("policyengine validate (shipped content)", [*EXE, "validate"], 1.5),
        ("policyengine assess NG -d enaira", [*EXE, "assess", "NG", "-d", "enaira"], 0.6),
        ("policyengine toolkit NG -d enaira (md, html, json)", [*EXE, "toolkit", "NG", "-d", "enaira", "--out", str(out)], 1.5),
    ]
    print(f"{'command':<52} {'wall':>8} {'cpu':>8}  budget (wall, median of {args.runs})")
    for label, cmd, budget in rows:
        t, c = timed(cmd, args.runs)
        print(f"{label:<52} {t:7.2f}s {c:7.2f}s  {budget:.1f}s {'met' if t <= budget else 'NOT met'}")
    mb = peak_mb([*EXE, "test"])
    print(f"{'policyengine test: peak resident memory':<52} {mb:6.0f}MB  500MB {'met' if mb <= 500 else 'NOT met'}")


if __name__ == "__main__":
    main()
