"""Shared helpers of the publication tests (not collected: no test_ prefix)."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from policyengine.load import shipped_root

GOLDEN = Path(__file__).parent / "golden" / "publications"


def compare_golden(name: str, got: bytes, update: bool) -> None:
    golden = GOLDEN / name
    if update:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(got)
        return
    assert golden.is_file(), f"no golden file {golden}; create it with POLICYENGINE_UPDATE_GOLDEN=1"
    want = golden.read_bytes()
    if got != want:
        diff = "".join(list(difflib.unified_diff(
            want.decode("utf-8").splitlines(keepends=True), got.decode("utf-8").splitlines(keepends=True),
            fromfile=f"golden/publications/{name}", tofile="rendered"))[:80])
        pytest.fail(f"{name} differs from its golden file (regenerate with POLICYENGINE_UPDATE_GOLDEN=1 "
                    f"if the change is intended):\n{diff}")


def copy_rulesets(dest: Path) -> Path:
    """A workspace holding a full copy of the shipped rulesets (jurisdictions come from the
    shipped content)."""
    shutil.copytree(shipped_root() / "rulesets", dest / "rulesets")
    return dest
