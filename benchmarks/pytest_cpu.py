"""pytest plugin for benchmarks/test_suite.py: the CPU time (user + system, of the process and
of the children it reaped) of each test, including its fixtures' set-up and tear-down, and of
collection, written per xdist worker as JSON into ``$POLICYENGINE_SUITE_CPU_DIR``.

CPU time rather than wall time: on a shared machine the wall time of a test says more about
the other users than about the test. A child's CPU is counted when it is reaped, so a
session-scoped browser is counted at the end, in the last test of its worker.
"""

from __future__ import annotations

import json
import os
import resource
import time
from pathlib import Path
from typing import Any

import pytest

_rows: list[tuple[str, float, float, float]] = []


def _cpu() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: Any) -> Any:
    before, start = _cpu(), time.perf_counter()
    yield
    after = _cpu()
    _rows.append((item.nodeid, after[0] - before[0], after[1] - before[1], time.perf_counter() - start))


@pytest.hookimpl(hookwrapper=True)
def pytest_collection(session: pytest.Session) -> Any:
    before, start = _cpu(), time.perf_counter()
    yield
    after = _cpu()
    _rows.append(("<collection>", after[0] - before[0], after[1] - before[1], time.perf_counter() - start))


def pytest_sessionfinish(session: pytest.Session) -> None:
    folder = os.environ.get("POLICYENGINE_SUITE_CPU_DIR")
    if not folder:
        return
    own, children = _cpu()
    _rows.append(("<process>", own, children, 0.0))
    worker = os.environ.get("PYTEST_XDIST_WORKER", "controller")
    Path(folder, f"{worker}.json").write_text(json.dumps(_rows), encoding="utf-8")
