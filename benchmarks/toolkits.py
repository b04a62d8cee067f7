"""Benchmark: the batch command renders the toolkits of 193 jurisdictions (issue 8 budget:
under 10 s on this 2-core machine, byte-identical to one-by-one rendering).

The 193 are the shipped profiles and designs copied under new codes (X001...) into a
temporary workspace, so the work per toolkit is that of real content. Prints; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import tempfile
import time
from pathlib import Path

from policyengine import api
from policyengine.load import shipped_root
from policyengine.render.batch import toolkits


def synthetic_workspace(count: int) -> Path:
    root = Path(tempfile.mkdtemp())
    shipped = shipped_root() / "jurisdictions"
    real = sorted(p.name for p in shipped.iterdir() if (p / "profile.yaml").exists() and (p / "designs").is_dir())
    (root / "jurisdictions").mkdir()
    (root / "workspace.yaml").write_text("shipped_jurisdictions: false\n")  # exactly the copies
    shutil.copytree(shipped / "archetypes", root / "jurisdictions" / "archetypes")
    for n in range(count):
        src, code = real[n % len(real)], f"X{n:03d}"
        dest = root / "jurisdictions" / code
        shutil.copytree(shipped / src, dest)
        for f in dest.rglob("*.yaml"):
            text = f.read_text()
            text = re.sub(rf"^id: {src}$", f"id: {code}", text, flags=re.M)
            text = re.sub(rf"^jurisdiction: {src}$", f"jurisdiction: {code}", text, flags=re.M)
            f.write_text(text)
    return root


def cpu() -> float:
    """CPU time (user + system) of this process and of its finished children (the workers)."""
    own, workers = split_cpu()
    return own + workers


def split_cpu() -> tuple[float, float]:
    """CPU time (user + system) of this process, and of its finished children (the workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=193)
    parser.add_argument("--processes", type=int, default=None, help="worker processes (default: every core)")
    args = parser.parse_args()
    root = synthetic_workspace(args.count)
    start, cpu0 = time.perf_counter(), cpu()
    ws = api.workspace(root)
    loaded, loaded_cpu = time.perf_counter() - start, cpu() - cpu0
    out = Path(tempfile.mkdtemp())
    start, (own0, workers0) = time.perf_counter(), split_cpu()
    paths = toolkits(out, ws=ws, processes=args.processes)
    took = time.perf_counter() - start
    own1, workers1 = split_cpu()
    own, workers = own1 - own0, workers1 - workers0
    count = len(paths) // 3
    cores = min(os.cpu_count() or 1, 8) if args.processes is None else args.processes
    # On an idle machine the parent's work (compiling, the first toolkit, receiving the texts,
    # writing the files) and the loading run one after the other; the workers' share in
    # parallel on the cores. The parent mostly waits while the workers run, so this slightly
    # overstates the wall time.
    idle = loaded_cpu + own + workers / cores
    print(f"load + validate {len(ws.profiles)} jurisdictions {'':<26} {loaded:7.2f} s wall {loaded_cpu:7.2f} s cpu")
    print(f"render {count} toolkits (md, html, json) on {cores} workers {'':<9} {took:7.2f} s wall "
          f"{own + workers:7.2f} s cpu: parent {own:.2f}, workers {workers:.2f}"
          f" ({workers / max(1, count) * 1000:.0f} ms cpu per toolkit)")
    print(f"{'toolkits of every jurisdiction (load + render)':<55} {loaded + took:7.2f} s wall "
          f"{loaded_cpu + own + workers:7.2f} s cpu")
    print(f"{'  idle-machine estimate: load + parent + workers / ' + str(cores):<55} {idle:7.2f} s"
          f"  budget 10 s {'met' if idle < 10 else 'NOT met'} (wall as measured: "
          f"{'met' if loaded + took < 10 else 'NOT met'})")


if __name__ == "__main__":
    main()
