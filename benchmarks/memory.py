"""Benchmark: a long-lived process assessing the shipped designs over and over.

Prints the resident memory (RSS) every ``--step`` assessments, so a leak shows as a rising
curve. Issue 8's budget: 10,000 assessments of the shipped designs keep flat memory. Nothing
here asserts: it measures and prints. Run ``.venv/bin/python benchmarks/memory.py``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from policyengine import api


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--step", type=int, default=1_000)
    args = parser.parse_args()
    ws = api.workspace()
    compiled = api.compile_ruleset(ws)
    tables = [api.fact_table(ws, p.jurisdiction_id, p.design_id)[2] for p in api.shipped_pairs(ws)]
    print(f"{len(tables)} shipped designs; RSS after load and compile: {rss_mb():.0f} MB")
    start = time.perf_counter()
    curve = []
    for n in range(1, args.count + 1):
        compiled.run_engine(tables[n % len(tables)])
        if n % args.step == 0:
            curve.append(rss_mb())
            print(f"{n:>6} assessments  RSS {curve[-1]:7.1f} MB  {time.perf_counter() - start:6.1f} s")
    if curve:
        print(f"growth from the first to the last reading: {curve[-1] - curve[0]:+.1f} MB")


if __name__ == "__main__":
    main()
