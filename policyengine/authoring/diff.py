"""The impact of a ruleset change on every shipped jurisdiction and design.

Two workspaces share the same jurisdictions and designs (the current ones) and differ only in
their ``rulesets/``: the *base* (a git revision, or a folder) and the *head* (the workspace as
it is now). Each shipped design is assessed with both, and the findings are compared rule by
rule: a finding is *added* (the rule is new, or newly active), *removed* (the rule was deleted,
deprecated or put back to draft) or *changed* (its status moved, e.g. from unknown to gap). A
rule renamed with an ``alias`` is matched to its former id, so a rename is not an add plus a
remove.

This is what a working group reads before agreeing a change; it runs in well under a second
on the shipped content, so it can run on every commit.
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..engine import CompiledRuleset
from ..load import Workspace, load_workspace
from ..models.finding import Assessment, Finding
from ..models.rule import SEVERITY_ORDER, Severity
from ..problems import InvalidWorkspace, PolicyEngineError

ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass(frozen=True)
class Change:
    jurisdiction_id: str
    design_id: str
    rule_id: str
    kind: str  # added, removed, changed
    before: str | None  # status under the base ruleset
    after: str | None  # status under the head ruleset
    severity: str
    title: str
    former_id: str | None = None  # set when the rule was renamed (matched through an alias)

    @property
    def transition(self) -> str:
        return f"{self.before or '-'} -> {self.after or '-'}"


@dataclass
class ImpactReport:
    base: str
    head: str
    base_version: str
    head_version: str
    pairs: list[str] = field(default_factory=list)  # "NG/enaira"
    changes: list[Change] = field(default_factory=list)
    rules_added: list[str] = field(default_factory=list)
    rules_removed: list[str] = field(default_factory=list)
    rules_renamed: dict[str, str] = field(default_factory=dict)  # former id -> new id
    drafts_left_out: list[str] = field(default_factory=list)  # head drafts not assessed

    def by_jurisdiction(self) -> dict[str, list[Change]]:
        out: dict[str, list[Change]] = {}
        for c in self.changes:
            out.setdefault(f"{c.jurisdiction_id}/{c.design_id}", []).append(c)
        return out

    def by_rule(self) -> dict[str, list[Change]]:
        out: dict[str, list[Change]] = {}
        for c in sorted(self.changes, key=lambda c: (c.rule_id, c.jurisdiction_id, c.design_id)):
            out.setdefault(c.rule_id, []).append(c)
        return out

    def counts(self) -> dict[str, int]:
        return {k: sum(1 for c in self.changes if c.kind == k) for k in (ADDED, REMOVED, CHANGED)}

    def to_dict(self) -> dict[str, Any]:
        return {
            "base": self.base, "head": self.head, "base_version": self.base_version,
            "head_version": self.head_version, "pairs": self.pairs, "counts": self.counts(),
            "rules_added": self.rules_added, "rules_removed": self.rules_removed,
            "rules_renamed": self.rules_renamed, "drafts_left_out": self.drafts_left_out,
            "by_jurisdiction": {k: [asdict(c) for c in v] for k, v in self.by_jurisdiction().items()},
            "by_rule": {k: [asdict(c) for c in v] for k, v in self.by_rule().items()},
        }


class GitError(PolicyEngineError):
    """The base revision cannot be read from git."""


def _git(args: list[str], cwd: Path) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError as exc:  # pragma: no cover - git missing
        raise GitError("git is not installed; use --base-dir with a copy of the old rulesets") from exc
    if done.returncode != 0:
        raise GitError(f"git {' '.join(args)}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def export_rulesets(rulesets_dir: Path, rev: str, dest: Path) -> Path:
    """Write the ``rulesets/`` folder as it was at git revision ``rev`` into ``dest/rulesets``."""
    rulesets_dir = rulesets_dir.resolve()
    try:
        top = Path(_git(["rev-parse", "--show-toplevel"], rulesets_dir).decode().strip())
    except GitError:
        raise GitError(f"{rulesets_dir} is not in a git repository: compare with a copy of the old rulesets "
                       "using --base-dir DIR") from None
    rel = rulesets_dir.relative_to(top.resolve()).as_posix()
    try:
        data = _git(["archive", "--format=tar", f"{rev}:{rel}"], top)
    except GitError as exc:
        raise GitError(f"cannot read {rel}/ at revision {rev!r}: {exc}") from None
    out = dest / "rulesets"
    out.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(out, filter="data")
    return out


def base_workspace(head: Workspace, rulesets: Path, root: Path) -> Workspace:
    """A workspace made of ``rulesets`` and the head's jurisdictions and templates."""
    root.mkdir(parents=True, exist_ok=True)
    if (root / "rulesets").resolve() != rulesets.resolve():
        os.symlink(rulesets.resolve(), root / "rulesets")
    for name, target in (("jurisdictions", head.jurisdictions_dir), ("templates", head.templates_dir)):
        if target.is_dir() and not (root / name).exists():
            os.symlink(target.resolve(), root / name)
    from ..validate import validate_workspace

    ws = load_workspace(root)
    validate_workspace(ws)
    errors = [p for p in ws.problems if p.level == "error"]
    if errors:
        raise InvalidWorkspace(errors)
    return ws


def _severity_key(c: Change) -> tuple[int, str]:
    return (SEVERITY_ORDER[Severity(c.severity)], c.rule_id)


def _compile(ws: Workspace, include_drafts: bool) -> CompiledRuleset:
    # Compiled here rather than through api.compile_ruleset, whose cache is keyed by id(ws):
    # the base workspace is short-lived, and a later one could reuse its id.
    from ..api import params_at

    return CompiledRuleset(ws.active_rules(include_drafts), ws.derivations, params_at(ws),
                           ruleset_name=ws.ruleset_name, ruleset_version=ws.ruleset_version,
                           principles=ws.principles)


def _assess(ws: Workspace, compiled: CompiledRuleset, jid: str, did: str) -> Assessment:
    from ..api import fact_table

    profile, design, table = fact_table(ws, jid, did)
    return compiled.assess(table, jurisdiction=(profile.id, profile.name), design=(design.id, design.name))


def compare(base: Workspace, head: Workspace, *, base_label: str = "base", head_label: str = "working tree",
            include_drafts: bool = False) -> ImpactReport:
    """Assess every shipped design of ``head`` with both rulesets and list what moved."""
    from ..api import shipped_pairs

    report = ImpactReport(base_label, head_label, base.ruleset_version, head.ruleset_version)
    pairs = shipped_pairs(head)
    report.pairs = [f"{p.jurisdiction_id}/{p.design_id}" for p in pairs]
    base_ids = {r.id for r in base.active_rules(include_drafts)}
    head_rules = {r.id: r for r in head.active_rules(include_drafts)}
    renamed = {alias: r.id for r in head_rules.values() for alias in r.aliases
               if alias in base_ids and r.id not in base_ids}
    report.rules_renamed = dict(sorted(renamed.items()))
    report.rules_added = sorted(set(head_rules) - base_ids - set(renamed.values()))
    report.rules_removed = sorted(base_ids - set(head_rules) - set(renamed))
    if not include_drafts:
        report.drafts_left_out = sorted(r.id for r in head.rules.values() if r.status.value == "draft")
    base_rs, head_rs = _compile(base, include_drafts), _compile(head, include_drafts)
    for pair in pairs:
        before = {f.rule_id: f for f in _assess(base, base_rs, pair.jurisdiction_id, pair.design_id).findings}
        after = {f.rule_id: f for f in _assess(head, head_rs, pair.jurisdiction_id, pair.design_id).findings}
        for old, new in renamed.items():
            if old in before:
                before[new] = before.pop(old)
        found: list[Change] = []
        for rid in sorted(set(before) | set(after)):
            b, a = before.get(rid), after.get(rid)
            if b is not None and a is not None and b.status == a.status:
                continue
            kind = ADDED if b is None else REMOVED if a is None else CHANGED
            ref: Finding = a if a is not None else b  # type: ignore[assignment]
            former = next((o for o, n in renamed.items() if n == rid), None)
            found.append(Change(pair.jurisdiction_id, pair.design_id, rid, kind,
                                b.status.value if b else None, a.status.value if a else None,
                                ref.severity.value, ref.rule_title, former))
        report.changes.extend(sorted(found, key=_severity_key))
    return report


def diff(head: Workspace, *, base_rev: str | None = None, base_dir: Path | None = None,
         include_drafts: bool = False) -> ImpactReport:
    """Compare ``head`` with its rulesets at a git revision, or with a rulesets folder.

    ``base_dir`` may be a workspace (a folder holding ``rulesets/``) or a rulesets folder.
    """
    if (base_rev is None) == (base_dir is None):
        raise PolicyEngineError("give either a git revision (--base) or a folder (--base-dir)")
    with tempfile.TemporaryDirectory(prefix="policyengine-diff-") as tmp:
        root = Path(tmp) / "base"
        if base_rev is not None:
            rulesets = export_rulesets(head.rulesets_dir, base_rev, Path(tmp))
            label = base_rev
        else:
            assert base_dir is not None
            if not base_dir.is_dir():
                raise PolicyEngineError(f"{base_dir}: no such folder")
            rulesets = base_dir / "rulesets" if (base_dir / "rulesets").is_dir() else base_dir
            if not (rulesets / "ruleset.yaml").is_file() and not (rulesets / "rules").is_dir():
                raise PolicyEngineError(f"{base_dir} holds no rulesets (no ruleset.yaml or rules/)")
            label = str(base_dir)
        base = base_workspace(head, rulesets, root)
        return compare(base, head, base_label=label, include_drafts=include_drafts)


# -- rendering -------------------------------------------------------------------------------

def _summary(report: ImpactReport) -> str:
    c = report.counts()
    return (f"{c[ADDED]} added, {c[REMOVED]} removed, {c[CHANGED]} changed finding(s) across "
            f"{len(report.by_jurisdiction())} of {len(report.pairs)} jurisdiction designs")


def _rule_lines(report: ImpactReport) -> list[str]:
    out = []
    if report.rules_added:
        out.append("rules added: " + ", ".join(report.rules_added))
    if report.rules_removed:
        out.append("rules removed: " + ", ".join(report.rules_removed))
    for old, new in report.rules_renamed.items():
        out.append(f"rule renamed: {old} -> {new}")
    if report.drafts_left_out:
        out.append("draft rules not assessed (add --drafts to include them): " + ", ".join(report.drafts_left_out))
    return out


def diff_table(report: ImpactReport) -> str:
    lines = [f"ruleset {report.base_version} ({report.base}) -> {report.head_version} ({report.head})"]
    lines += _rule_lines(report)
    lines.append("")
    if not report.changes:
        lines.append("no finding changes for any shipped jurisdiction design")
    else:
        lines.append("By jurisdiction:")
        for key, changes in report.by_jurisdiction().items():
            lines.append(f"  {key}")
            for c in changes:
                lines.append(f"    {c.kind:<8} {c.severity:<6} {c.rule_id:<32} {c.transition}")
        lines.append("")
        lines.append("By rule:")
        for rid, changes in report.by_rule().items():
            lines.append(f"  {rid} ({changes[0].severity}): {changes[0].title}")
            for c in changes:
                lines.append(f"    {c.jurisdiction_id + '/' + c.design_id:<32} {c.kind:<8} {c.transition}")
    lines.append("")
    lines.append(_summary(report))
    return "\n".join(lines)


def diff_markdown(report: ImpactReport) -> str:
    lines = [f"# Ruleset impact: {report.base_version} ({report.base}) -> {report.head_version} ({report.head})", ""]
    extra = _rule_lines(report)
    if extra:
        lines += [f"- {x}" for x in extra] + [""]
    lines += [_summary(report), ""]
    if report.changes:
        lines += ["## By jurisdiction", ""]
        for key, changes in report.by_jurisdiction().items():
            lines += [f"### {key}", "", "| Change | Severity | Rule | Before | After |", "|---|---|---|---|---|"]
            lines += [f"| {c.kind} | {c.severity} | {c.rule_id} | {c.before or '-'} | {c.after or '-'} |" for c in changes]
            lines.append("")
        lines += ["## By rule", ""]
        for rid, changes in report.by_rule().items():
            lines += [f"### {rid} ({changes[0].severity})", "", changes[0].title, "",
                      "| Jurisdiction / design | Change | Before | After |", "|---|---|---|---|"]
            lines += [f"| {c.jurisdiction_id}/{c.design_id} | {c.kind} | {c.before or '-'} | {c.after or '-'} |"
                      for c in changes]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"
