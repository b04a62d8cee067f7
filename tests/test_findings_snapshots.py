"""What the shipped content concludes, snapshotted per jurisdiction and design.

Any change to a rule, a derivation, a parameter, a profile or a design shows its impact here as
a readable diff of statuses and missing facts. Rewrite the snapshots on purpose with
``POLICYENGINE_UPDATE_GOLDEN=1 make test`` (or pytest) and review the diff before committing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from policyengine import api
from policyengine.load import shipped_root

SNAPSHOTS = Path(__file__).parent / "snapshots" / "findings"
UPDATE = os.environ.get("POLICYENGINE_UPDATE_GOLDEN") == "1"


def _pairs() -> list[tuple[str, str]]:
    ws = api.workspace(shipped_root())
    return [(p.jurisdiction_id, p.design_id) for p in api.shipped_pairs(ws)]


def snapshot(jurisdiction: str, design: str) -> str:
    a = api.assess(jurisdiction, design, api.workspace(shipped_root()))
    data = {
        "jurisdiction": a.jurisdiction_id,
        "design": a.design_id,
        "ruleset_version": a.ruleset_version,
        "summary": {s.area.value: {"gap": s.gap, "met": s.met, "unknown": s.unknown,
                                   "not_applicable": s.not_applicable} for s in a.summary},
        "derived": a.derived,
        "findings": {f.rule_id: ({"status": f.status.value, "missing": f.missing} if f.missing
                                 else f.status.value) for f in a.findings},
    }
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


@pytest.mark.parametrize("jurisdiction, design", _pairs())
def test_findings_match_the_snapshot(jurisdiction: str, design: str) -> None:
    path = SNAPSHOTS / f"{jurisdiction}__{design}.json"
    current = snapshot(jurisdiction, design)
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(current, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"new snapshot written to {path}: review and commit it")
    expected = path.read_text(encoding="utf-8")
    if current != expected:
        old, new = json.loads(expected)["findings"], json.loads(current)["findings"]
        changes = [f"  {rid}: {old.get(rid, '(absent)')} -> {new.get(rid, '(removed)')}"
                   for rid in sorted(set(old) | set(new)) if old.get(rid) != new.get(rid)]
        pytest.fail(f"findings of {jurisdiction}/{design} changed:\n" + "\n".join(changes or ["  (summary or derived facts)"])
                    + "\nIf intended: POLICYENGINE_UPDATE_GOLDEN=1 pytest tests/test_findings_snapshots.py")


def test_every_shipped_design_has_a_snapshot_and_no_stale_ones() -> None:
    expected = {f"{j}__{d}.json" for j, d in _pairs()}
    present = {p.name for p in SNAPSHOTS.glob("*.json")}
    assert present == expected, f"stale: {sorted(present - expected)}; missing: {sorted(expected - present)}"
