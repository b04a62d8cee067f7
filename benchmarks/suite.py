"""Benchmark: what `make test` costs, phase by phase, in CPU seconds, and the wall time it would
take on an idle machine with two cores (issue 8: under 2 minutes). Asserts nothing.

Runs the commands of the Makefile's ``test`` recipe one by one (read from the Makefile, so the
two cannot drift), each under ``getrusage`` of its children: user + system CPU of the whole
process tree (pytest's workers, the browsers, Java, the installed wheel's commands). The pytest
phase is run with :mod:`benchmarks.pytest_cpu`, which records every test's CPU per worker.

The idle-machine wall estimate: the phases before pytest run one after the other on one core
(their CPU time); pytest's workers run side by side, so its wall is its busier worker's CPU
(the controller's own CPU is small and runs beside them). Shared-machine wall times are printed
too, but mean little when other users load the cores.

    .venv/bin/python benchmarks/suite.py [--top 10] [--clean]

``--clean`` removes the caches a fresh clone does not have (.mypy_cache, .ruff_cache, pytest's
rewritten test modules) first, to measure what a first run costs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_S = 120.0


def recipe() -> list[str]:
    """The shell lines of the Makefile's ``test`` target, with make's variables filled in."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    found = re.search(r"^test:[^\n]*\n((?:\t[^\n]*\n)+)", text, re.M)
    if found is None:
        raise SystemExit("no test target in the Makefile")
    variables = {"BIN": ".venv/bin", "TEST_WORKERS": os.environ.get("TEST_WORKERS", "2")}
    lines = []
    for line in found.group(1).splitlines():
        line = line.strip()
        for name, value in variables.items():
            line = line.replace(f"$({name})", value)
        lines.append(line)
    return lines


def run(line: str, env: dict[str, str]) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(line, shell=True, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        print(done.stdout[-3000:])
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, wall, done.returncode


def clean() -> None:
    for folder in (".mypy_cache", ".ruff_cache", ".pytest_cache"):
        shutil.rmtree(ROOT / folder, ignore_errors=True)
    for folder in ("tests", "policyengine", ".venv/lib"):
        for cached in (ROOT / folder).glob("**/__pycache__/*-pytest-*.pyc"):
            cached.unlink()


def report(folder: Path, top: int) -> float:
    """Print the pytest phase per worker, per file and its costliest tests; return the CPU of
    the busier worker."""
    workers: dict[str, list[list]] = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")}
    busiest = 0.0
    files: dict[str, float] = defaultdict(float)
    tests: list[tuple[float, str]] = []
    for name, rows in sorted(workers.items()):
        total = next((own + children for nodeid, own, children, _ in rows if nodeid == "<process>"), 0.0)
        collection = sum(own + children for nodeid, own, children, _ in rows if nodeid == "<collection>")
        if name != "controller":
            busiest = max(busiest, total)
        print(f"  {name:10s} {total:6.1f} CPU-s (collection {collection:4.1f})")
        for nodeid, own, children, _ in rows:
            if not nodeid.startswith("<"):
                files[nodeid.split("::")[0]] += own + children
                tests.append((own + children, nodeid))
    print(f"  costliest {top} files (CPU-s):")
    for path, cpu in sorted(files.items(), key=lambda kv: -kv[1])[:top]:
        print(f"    {cpu:6.1f}  {path}")
    print(f"  costliest {top} tests (CPU-s, with their fixtures):")
    for cpu, nodeid in sorted(tests, reverse=True)[:top]:
        print(f"    {cpu:6.1f}  {nodeid}")
    return busiest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--clean", action="store_true", help="remove the caches a fresh clone does not have")
    args = parser.parse_args()
    if args.clean:
        clean()
    print(f"load average at start: {os.getloadavg()[0]:.1f} (wall times below are on a machine that loaded)")
    serial_cpu = total_cpu = 0.0
    pytest_wall_idle = 0.0
    failed = False
    with tempfile.TemporaryDirectory(prefix="policyengine-suite-") as tmp:
        for line in recipe():
            env = dict(os.environ)
            is_pytest = "-m pytest" in line
            if is_pytest:
                env["POLICYENGINE_SUITE_CPU_DIR"] = tmp
                env["PYTEST_PLUGINS"] = "pytest_cpu"
                env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "benchmarks"), env.get("PYTHONPATH")]))
            cpu, wall, code = run(line, env)
            failed |= code != 0
            total_cpu += cpu
            print(f"{cpu:7.1f} CPU-s {wall:7.1f} s wall  {'FAILED ' if code else ''}{line}")
            if is_pytest:
                pytest_wall_idle = report(Path(tmp), args.top)
            else:
                serial_cpu += cpu
    idle = serial_cpu + pytest_wall_idle
    print(f"make test: {total_cpu:.1f} CPU-s in all; on two idle cores about {idle:.0f} s "
          f"(phases before pytest {serial_cpu:.1f} s + pytest's busier worker {pytest_wall_idle:.1f} s); "
          f"budget {BUDGET_S:.0f} s: {'met' if idle < BUDGET_S else 'NOT met'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
