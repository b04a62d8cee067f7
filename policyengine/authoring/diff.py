"""The impact of a ruleset change on every shipped jurisdiction and design.

Two workspaces share the same jurisdictions and designs (the current ones) and differ only in
their ``rulesets/``: the *base* (a git revision, or a folder) and the *head* (the workspace as
it is now). Each shipped design is assessed with both, and the findings are compared rule by
rule: a finding is *added* (the rule is new, or newly active), *removed* (the rule was deleted,
deprecated or put back to draft) or *changed* (its status moved, e.g. from unknown to gap). A
rule renamed with an ``alias`` is matched to its former id, so a rename is not an add plus a
remove.

This is what a working group reads before agreeing a change. It uses the reference evaluator
(no engine compilation), so it runs in about a second on the whole shipped content, most of
it spent loading and validating the two rulesets: fast enough to run on every commit.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..engine import CompiledRuleset
from ..facts import FactTable
from ..i18n import N_, _
from ..load import Workspace, load_workspace
from ..models.rule import SEVERITY_ORDER, Severity, Status
from ..problems import InvalidWorkspace, PolicyEngineError
from ..render.text import ljust, width

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
#: The kinds of change as the terminal table names them (translated where printed).
KIND_WORDS = {ADDED: N_("added"), REMOVED: N_("removed"), CHANGED: N_("changed")}


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


def base_workspace(rulesets: Path, root: Path) -> Workspace:
    """A workspace of ``rulesets`` alone, validated (its jurisdictions folder is empty: the
    comparison assesses the head's jurisdictions and designs with both rulesets)."""
    root.mkdir(parents=True, exist_ok=True)
    if (root / "rulesets").resolve() != rulesets.resolve():
        # copied, links kept as links: the loader refuses files that resolve outside the workspace
        shutil.copytree(rulesets.resolve(), root / "rulesets", symlinks=True)
    (root / "jurisdictions").mkdir(exist_ok=True)
    from ..validate import validate_workspace

    ws = load_workspace(root)
    validate_workspace(ws)
    errors = [p for p in ws.problems if p.level == "error"]
    if errors:
        raise InvalidWorkspace(errors)
    return ws


def _severity_key(c: Change) -> tuple[int, str]:
    return (SEVERITY_ORDER[Severity(c.severity)], c.rule_id)


class _Evaluator:
    """Statuses of a set of rules for one fact table, through the one assessment path
    (:class:`CompiledRuleset`). By default the reference evaluator alone: it needs no
    compilation, so a diff of the whole ruleset over every shipped design takes well under a
    second beyond loading. ``engine=True`` runs the full durable-rules assessment instead
    (slower; a disagreement with the reference raises ``EngineError``).
    """

    def __init__(self, ws: Workspace, include_drafts: bool, engine: bool) -> None:
        self.ws = ws
        self.include_drafts = include_drafts
        self.engine = engine
        self.compiled: dict[str | None, CompiledRuleset] = {None: self._compile(None)}
        self.rules = {r.id: r for r in self.compiled[None].rules}

    def _compile(self, date: str | None) -> CompiledRuleset:
        from ..api import longest_tier_list, params_at

        ws = self.ws
        return CompiledRuleset(
            ws.active_rules(self.include_drafts), ws.derivations, params_at(ws, date), ruleset_name=ws.ruleset_name,
            ruleset_version=ws.ruleset_version, principles=ws.principles, list_slots=max(6, longest_tier_list(ws)))

    def statuses(self, table: FactTable, date: str | None = None) -> dict[str, Status]:
        """Statuses with the thresholds in force on ``date`` (a discontinued design's end:
        :func:`policyengine.api.judged_at`), today's without one."""
        if date not in self.compiled:
            self.compiled[date] = self._compile(date)
        return self.compiled[date].statuses(table, engine=self.engine)


def compare(base: Workspace, head: Workspace, *, base_label: str = "base", head_label: str = "working tree",
            include_drafts: bool = False, engine: bool = False) -> ImpactReport:
    """Assess every shipped design of ``head`` with both rulesets and list what moved."""
    from ..api import fact_table, judged_at, shipped_pairs

    report = ImpactReport(base_label, head_label, base.ruleset_version, head.ruleset_version)
    pairs = shipped_pairs(head)
    report.pairs = [f"{p.jurisdiction_id}/{p.design_id}" for p in pairs]
    old, new = _Evaluator(base, include_drafts, engine), _Evaluator(head, include_drafts, engine)
    base_ids = set(old.rules)
    renamed = {alias: r.id for r in new.rules.values() for alias in r.aliases
               if alias in base_ids and r.id not in base_ids}
    report.rules_renamed = dict(sorted(renamed.items()))
    report.rules_added = sorted(set(new.rules) - base_ids - set(renamed.values()))
    report.rules_removed = sorted(base_ids - set(new.rules) - set(renamed))
    if not include_drafts:
        report.drafts_left_out = sorted(r.id for r in head.rules.values() if r.status.value == "draft")
    for pair in pairs:
        _, design, table = fact_table(head, pair.jurisdiction_id, pair.design_id)
        when = judged_at(design)
        before = old.statuses(table, when)
        after = new.statuses(table, when)
        for former, current in renamed.items():
            if former in before:
                before[current] = before.pop(former)
        found: list[Change] = []
        for rid in sorted(set(before) | set(after)):
            b, a = before.get(rid), after.get(rid)
            if b is not None and a is not None and b == a:
                continue
            kind = ADDED if b is None else REMOVED if a is None else CHANGED
            rule = new.rules.get(rid) or old.rules[rid]
            renamed_from = next((o for o, n in renamed.items() if n == rid), None)
            found.append(Change(pair.jurisdiction_id, pair.design_id, rid, kind,
                                b.value if b else None, a.value if a else None,
                                rule.severity.value, rule.title, renamed_from))
        report.changes.extend(sorted(found, key=_severity_key))
    return report


def diff(head: Workspace, *, base_rev: str | None = None, base_dir: Path | None = None,
         include_drafts: bool = False, engine: bool = False) -> ImpactReport:
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
        base = base_workspace(rulesets, root)
        return compare(base, head, base_label=label, include_drafts=include_drafts, engine=engine)


# -- rendering -------------------------------------------------------------------------------

def _summary(report: ImpactReport) -> str:
    c = report.counts()
    return _("%(added)s added, %(removed)s removed, %(changed)s changed finding(s) across %(touched)s of %(pairs)s "
             "jurisdiction designs", added=c[ADDED], removed=c[REMOVED], changed=c[CHANGED],
             touched=len(report.by_jurisdiction()), pairs=len(report.pairs))


def _rule_lines(report: ImpactReport) -> list[str]:
    out = []
    if report.rules_added:
        out.append(_("rules added: %(ids)s", ids=", ".join(report.rules_added)))
    if report.rules_removed:
        out.append(_("rules removed: %(ids)s", ids=", ".join(report.rules_removed)))
    for old, new in report.rules_renamed.items():
        out.append(_("rule renamed: %(old)s -> %(new)s", old=old, new=new))
    if report.drafts_left_out:
        out.append(_("draft rules not assessed (add --drafts to include them): %(ids)s",
                     ids=", ".join(report.drafts_left_out)))
    return out


def _transition(c: Change) -> str:
    """``gap -> met`` with the status words and severity in the terminal's language."""
    from ..i18n import language
    from ..render.documents import STATUS_LABELS

    if language() == "en":
        return c.transition
    before, after = ((_(STATUS_LABELS[s]) if s in STATUS_LABELS else s or "-") for s in (c.before, c.after))
    return f"{before} -> {after}"


def _severity(value: str) -> str:
    from ..i18n import language
    from ..render.documents import term

    return value if language() == "en" else term(value)


def diff_table(report: ImpactReport) -> str:
    lines = [_("ruleset %(old)s (%(base)s) -> %(new)s (%(head)s)", old=report.base_version, base=report.base,
               new=report.head_version, head=report.head)]
    lines += _rule_lines(report)
    lines.append("")
    if not report.changes:
        lines.append(_("no finding changes for any shipped jurisdiction design"))
    else:
        kinds = {k: _(KIND_WORDS[k]) for k in KIND_WORDS}
        kind_cells = max(8, *(width(k) for k in kinds.values()))
        lines.append(_("By jurisdiction:"))
        for key, changes in report.by_jurisdiction().items():
            lines.append(f"  {key}")
            for c in changes:
                lines.append(f"    {ljust(kinds.get(c.kind, c.kind), kind_cells)} {ljust(_severity(c.severity), 6)} "
                             f"{c.rule_id:<32} {_transition(c)}")
        lines.append("")
        lines.append(_("By rule:"))
        for rid, changes in report.by_rule().items():
            lines.append(f"  {rid} ({_severity(changes[0].severity)}): {changes[0].title}")
            for c in changes:
                lines.append(f"    {c.jurisdiction_id + '/' + c.design_id:<32} {ljust(kinds.get(c.kind, c.kind), kind_cells)} "
                             f"{_transition(c)}")
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
