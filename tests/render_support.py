"""Shared helpers of the render tests (not collected: no test_ prefix)."""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("POLICYENGINE_UPDATE_GOLDEN") == "1"

#: The two shipped jurisdictions whose documents are snapshotted, with their design.
GOLDEN_PAIRS = (("NG", "enaira"), ("BS", "sand-dollar"))
ARCHETYPE = "two-tier-token-retail"


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
