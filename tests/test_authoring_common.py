"""Shared helpers of the authoring tests: a temporary copy of the shipped content, trimmed.

The shipped rulesets grow while rules are written, so tests never rely on their counts. Each
test copies the shipped ``rulesets/`` and ``jurisdictions/`` and keeps only the two sample
rules (and the derivation one of them reads), so a half-finished rule elsewhere cannot break
the tests of the tools themselves.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from policyengine.load import shipped_root

SAMPLE_RULES = {"AML-SIMPLIFIED-ENTRY-TIER", "INCL-BASIC-PHONE-CHANNEL"}
SAMPLE_DERIVATIONS = {"low_account_ownership"}
SAMPLE_BIBLIOGRAPHY = {"standards.yaml", "archetypes.yaml"}


def copy_shipped(dest: Path, *, keep_rules: set[str] | None = SAMPLE_RULES) -> Path:
    """Copy rulesets/ and jurisdictions/ into ``dest``; keep only ``keep_rules`` (None: all)."""
    src = shipped_root()
    shutil.copytree(src / "rulesets", dest / "rulesets")
    shutil.copytree(src / "jurisdictions", dest / "jurisdictions")
    if keep_rules is not None:
        for path in (dest / "rulesets" / "rules").rglob("*.yaml"):
            if path.stem not in keep_rules:
                path.unlink()
        for path in (dest / "rulesets" / "derivations").rglob("*.yaml"):
            if path.stem not in SAMPLE_DERIVATIONS:
                path.unlink()
        for path in (dest / "rulesets" / "bibliography").glob("*.yaml"):
            if path.name not in SAMPLE_BIBLIOGRAPHY:
                path.unlink()
        shutil.rmtree(dest / "rulesets" / "guidance", ignore_errors=True)  # it names rules trimmed above
    return dest


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def errors(problems) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(p) for p in problems if p.level == "error"]


# A rule on offline payments, used by several tests: gap for designs with full offline use.
OFFLINE_RULE = """\
id: AML-OFFLINE-FULL
title: Offline payments are limited
principle: AML-3
status: active
severity: high
applies_if: "design.kind in [retail_cbdc, e_money]"
requires: "design.offline != full"
finding: Full offline use without limits.
met: Offline use is limited or absent.
recommendation: Limit offline use.
rationale: Offline payments escape monitoring.
citations:
  - {ref: fatf-recs-2025, section: "R.15"}
examples:
  - {name: full, facts: {design.kind: retail_cbdc, design.offline: full}, expect: gap}
  - {name: limited, facts: {design.kind: retail_cbdc, design.offline: limited}, expect: met}
  - {name: wholesale, facts: {design.kind: wholesale_cbdc}, expect: not_applicable}
  - {name: not-described, facts: {design.kind: retail_cbdc}, expect: unknown, missing: [design.offline]}
"""
