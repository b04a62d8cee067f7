"""The high-level principles as a publication: by area, each principle with its statement, why
it matters (its rules' rationales), the standards it rests on (its citations, resolved to the
bibliography), how it can be checked (its active rules), the good practice found among the
shipped designs and the most common gaps; versioned with the ruleset, and with what changed
since an earlier version (through the machinery of ``policyengine diff``)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from .. import api
from ..authoring import diff as diff_mod
from ..i18n import _
from ..load import Workspace
from ..models import Area, Assessment, Principle, Rule
from ..models.rule import SEVERITY_ORDER, Status
from ..problems import PolicyEngineError
from ..render.documents import AREA_TITLES, Meta
from .common import Sources, cite_as, design_ref, evidence_rows, shipped_assessments
from .models import (
    AreaSection,
    ChangesSince,
    Check,
    GapCount,
    ItemChange,
    Practice,
    PrincipleEntry,
    PrinciplesPublication,
    Reason,
    Totals,
)

#: How many rules the "most common gaps" overview lists.
COMMON_GAPS = 10

#: The fields of a principle and of a rule whose change a reader of the principles cares about
#: (a rule's examples and ``since`` are for authors, not for adopters).
PRINCIPLE_FIELDS = ("area", "title", "statement", "citations", "coverage", "coverage_note")
RULE_FIELDS = ("title", "principle", "also_serves", "status", "severity", "applies_if", "requires", "finding",
               "met", "recommendation", "rationale", "citations")


def principle_key(pid: str) -> tuple[str, int]:
    head, _, num = pid.rpartition("-")
    return (head, int(num)) if num.isdigit() else (pid, 0)


def checks_of(ws: Workspace, pid: str) -> list[Rule]:
    """The active rules of a principle, most severe first."""
    rules = [r for r in ws.active_rules() if r.principle == pid]
    return sorted(rules, key=lambda r: (SEVERITY_ORDER[r.severity], r.id))


def gap_count(rule: Rule, assessments: list[Assessment]) -> GapCount:
    gaps, decided, unknown = [], 0, 0
    for a in assessments:
        for f in a.findings:
            if f.rule_id != rule.id:
                continue
            if f.status == Status.gap:
                gaps.append(design_ref(a))
            if f.status in (Status.gap, Status.met):
                decided += 1
            elif f.status == Status.unknown:
                unknown += 1
    return GapCount(rule_id=rule.id, title=rule.title, principle_id=rule.principle, severity=rule.severity.value,
                    gaps=len(gaps), decided=decided, unknown=unknown, assessed=len(assessments), designs=gaps)


def _gap_order(g: GapCount) -> tuple[int, int, str]:
    return (-g.gaps, SEVERITY_ORDER[next(s for s in SEVERITY_ORDER if s.value == g.severity)], g.rule_id)


def _entry(ws: Workspace, p: Principle, assessments: list[Assessment], sources: Sources) -> PrincipleEntry:
    rules = checks_of(ws, p.id)
    why: list[Reason] = []
    seen: set[str] = set()
    for r in rules:
        text = " ".join(r.rationale.split())
        if text not in seen:
            seen.add(text)
            why.append(Reason(rule_id=r.id, text=text))
    practice = [Practice(rule_id=r.id, rule_title=r.title, design=design_ref(a), how=f.text,
                         evidence=evidence_rows(f, a.jurisdiction_id, sources, r,
                                                api.find_design(ws, a.jurisdiction_id, a.design_id)))
                for r in rules for a in assessments for f in a.findings
                if f.rule_id == r.id and f.status == Status.met]
    gaps = sorted((g for g in (gap_count(r, assessments) for r in rules) if g.gaps), key=_gap_order)
    also = sorted(r.id for r in ws.active_rules() if p.id in r.also_serves)
    return PrincipleEntry(
        id=p.id, title=p.title, area=p.area.value, statement=" ".join(p.statement.split()),
        coverage=p.coverage.value, coverage_note=p.coverage_note, why=why,
        standards=[sources.standard(c) for c in p.citations],
        checks=[Check(rule_id=r.id, title=r.title, severity=r.severity.value,
                      met=" ".join(r.met.split()) if r.met else None) for r in rules],
        also_checked_by=also, good_practice=practice, gaps=gaps)


def build_principles(ws: Workspace, *, date: str | None = None, since: str | None = None,
                     lang: str = "en") -> PrinciplesPublication:
    """The principles publication of the workspace's ruleset."""
    changes = changes_since(ws, since) if since else None
    assessments = shipped_assessments(ws)
    sources = Sources(ws)
    ordered = sorted(ws.principles.values(), key=lambda p: principle_key(p.id))
    areas = []
    for area in Area:
        entries = [_entry(ws, p, assessments, sources) for p in ordered if p.area == area]
        if entries:
            title = _(AREA_TITLES[area.value]) if area.value in AREA_TITLES else area.value
            areas.append(AreaSection(area=area.value, title=title, principles=entries))
    active = ws.active_rules()
    common = sorted((g for g in (gap_count(r, assessments) for r in active) if g.gaps), key=_gap_order)[:COMMON_GAPS]
    statuses = [f.status for a in assessments for f in a.findings]
    info = ws.info
    title = info.title if info else "Principles"
    totals = Totals(principles=len(ws.principles), principles_checked=len({r.principle for r in active}),
                    rules=len(active), designs=len(assessments), findings_met=statuses.count(Status.met),
                    findings_gap=statuses.count(Status.gap), findings_unknown=statuses.count(Status.unknown))
    return PrinciplesPublication(
        meta=Meta(ruleset_name=ws.ruleset_name, ruleset_version=ws.ruleset_version, date=date, lang=lang),
        title=title, description=" ".join(info.description.split()) if info and info.description else None,
        cite_as=cite_as(title, ws, date), totals=totals, designs=[design_ref(a) for a in assessments],
        areas=areas, common_gaps=common, changes=changes, sources=sources.entries())


# -- changes since an earlier version -------------------------------------------------------

class UnknownBase(PolicyEngineError):
    """The earlier version to compare with cannot be found."""


def _dump(model: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    data = model.model_dump(mode="json")
    return {f: data.get(f) for f in fields}


def _changed(old: Any, new: Any, fields: tuple[str, ...]) -> list[str]:
    a, b = _dump(old, fields), _dump(new, fields)
    return [f for f in fields if a[f] != b[f]]


def compare_rulesets(base: Workspace, head: Workspace, base_label: str) -> ChangesSince:
    """Principles and rules added, removed and changed between two rulesets, and the findings
    of the shipped designs that moved (:func:`policyengine.authoring.diff.compare`)."""
    report = diff_mod.compare(base, head, base_label=base_label)
    counts = report.counts()

    def items(store: dict[str, Any], ids: list[str]) -> list[ItemChange]:
        return [ItemChange(id=i, title=store[i].title) for i in sorted(ids, key=principle_key)]

    p_old, p_new = base.principles, head.principles
    p_changed = [ItemChange(id=i, title=p_new[i].title, fields=fs) for i in sorted(set(p_old) & set(p_new), key=principle_key)
                 if (fs := _changed(p_old[i], p_new[i], PRINCIPLE_FIELDS))]
    r_old = {r.id: r for r in base.active_rules()}
    r_new = {r.id: r for r in head.active_rules()}
    pairs = [(i, i) for i in sorted(set(r_old) & set(r_new))] + sorted(
        (old, new) for old, new in report.rules_renamed.items() if old in r_old and new in r_new)
    r_changed = [ItemChange(id=new, title=r_new[new].title, fields=fs) for old, new in pairs
                 if (fs := _changed(r_old[old], r_new[new], RULE_FIELDS))]
    return ChangesSince(
        base=base_label, base_version=base.ruleset_version, head_version=head.ruleset_version,
        principles_added=items(p_new, list(set(p_new) - set(p_old))),
        principles_removed=items(p_old, list(set(p_old) - set(p_new))),
        principles_changed=p_changed,
        rules_added=[ItemChange(id=i, title=r_new[i].title) for i in report.rules_added],
        rules_removed=[ItemChange(id=i, title=r_old[i].title) for i in report.rules_removed],
        rules_renamed=report.rules_renamed, rules_changed=r_changed,
        findings_added=counts[diff_mod.ADDED], findings_removed=counts[diff_mod.REMOVED],
        findings_changed=counts[diff_mod.CHANGED], designs_affected=len(report.by_jurisdiction()),
        designs_assessed=len(report.pairs))


def changes_since(ws: Workspace, since: str) -> ChangesSince:
    """Compare the workspace's ruleset with ``since``: a folder (a workspace or a rulesets
    folder), a git revision, or a version whose tag is ``v<version>``."""
    with tempfile.TemporaryDirectory(prefix="policyengine-principles-") as tmp:
        folder = Path(since)
        if folder.is_dir():
            rulesets = folder / "rulesets" if (folder / "rulesets").is_dir() else folder
            if not (rulesets / "ruleset.yaml").is_file() and not (rulesets / "rules").is_dir():
                raise UnknownBase(f"{since} holds no rulesets (no ruleset.yaml or rules/)")
        else:
            exported: Path | None = None
            tried = []
            for i, rev in enumerate((since, f"v{since}")):
                try:
                    exported = diff_mod.export_rulesets(ws.rulesets_dir, rev, Path(tmp) / f"rev{i}")
                    break
                except diff_mod.GitError as exc:
                    tried.append(str(exc))
            if exported is None:
                raise UnknownBase(f"--since {since!r} is neither a folder nor a git revision or version tag "
                                  f"({tried[0]})")
            rulesets = exported
        base = diff_mod.base_workspace(rulesets, Path(tmp) / "base")
        return compare_rulesets(base, ws, since)
