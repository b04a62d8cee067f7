"""What the ruleset does not cover yet, computed from the data (nothing is updated).

Five questions a working group asks before it trusts a ruleset:

1. which principles no rule serves (active or draft; deprecated rules do not count), and which
   ones are served but decided (met or gap) by none of their rules for any shipped design;
2. which rules are never applicable to any shipped jurisdiction and design (their scope is
   false everywhere, so they say nothing about the designs we have);
3. which rules lack a ``gap``, ``met`` or ``unknown`` example;
4. which facts of the profiles (and designs) no rule or derivation reads (data collected for
   nothing, or a rule still to write);
5. which comparisons of ``applies_if`` / ``requires`` the examples never make true *and*
   false, so a wrong operator or threshold there would go unnoticed by ``policyengine test``.

For 5, a comparison in ``requires`` only counts in examples whose scope holds: a requirement
evaluated for a design the rule does not apply to tests nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..engine import CompiledRuleset
from ..engine.logic import Trace, evaluate
from ..facts import from_example
from ..i18n import _
from ..load import Workspace
from ..models.condition import Compare, ForAll, ForAny
from ..models.rule import Lifecycle, Rule, Status
from ..models.semantics import quantified, walk
from ..paths import base_catalogue

#: Catalogue entries that identify a record rather than describe it.
_BOOKKEEPING = {"jurisdiction.id", "design.id", "design.jurisdiction"}

EXAMPLE_STATUSES = (Status.gap, Status.met, Status.unknown)


@dataclass(frozen=True)
class Branch:
    """One comparison of a rule that its examples never made both true and false."""

    rule_id: str
    field: str  # applies_if or requires
    condition: str
    file: str
    line: int
    seen: tuple[str, ...]  # the values the examples gave it: "true", "false", "unknown"

    @property
    def lacks(self) -> list[str]:
        return [v for v in ("true", "false") if v not in self.seen]


@dataclass(frozen=True)
class UnknownShare:
    """How much of one design the ruleset could not decide: unknown / (met + gap + unknown).
    ``pending`` counts decided findings that rest on a pending or decided-against fact."""

    jurisdiction_id: str
    design_id: str
    met: int
    gap: int
    unknown: int
    pending: int = 0

    @property
    def share(self) -> float | None:
        total = self.met + self.gap + self.unknown
        return round(self.unknown / total, 3) if total else None


@dataclass
class CoverageReport:
    principles_without_rules: list[str] = field(default_factory=list)
    principles_only_draft: list[str] = field(default_factory=list)
    #: Served by rules, none of which reaches met or gap for any shipped jurisdiction design.
    principles_never_decided: list[str] = field(default_factory=list)
    rules_never_applicable: list[str] = field(default_factory=list)
    rules_never_decided: list[str] = field(default_factory=list)  # unknown or n/a everywhere
    examples_lacking: dict[str, list[str]] = field(default_factory=dict)  # rule -> statuses lacking
    unread_profile_paths: list[str] = field(default_factory=list)
    unread_design_paths: list[str] = field(default_factory=list)
    unexercised_branches: list[Branch] = field(default_factory=list)
    unknown_share: list[UnknownShare] = field(default_factory=list)  # per shipped real design
    pairs: int = 0
    rules: int = 0

    @property
    def average_unknown_share(self) -> float | None:
        """Mean of the designs' unknown shares (each design counts once), or None without designs."""
        shares = [u.share for u in self.unknown_share if u.share is not None]
        return round(sum(shares) / len(shares), 3) if shares else None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["unknown_share"] = [{**asdict(u), "share": u.share} for u in self.unknown_share]
        out["average_unknown_share"] = self.average_unknown_share
        out["unexercised_branches"] = [
            {**asdict(b), "seen": list(b.seen), "lacks": b.lacks} for b in self.unexercised_branches]
        return out

    @property
    def empty(self) -> bool:
        return not (self.principles_without_rules or self.rules_never_applicable or self.examples_lacking
                    or self.unread_profile_paths or self.unexercised_branches)


def _considered(ws: Workspace) -> list[Rule]:
    """Rules an author is working on: active and draft (deprecated ones are on their way out)."""
    return sorted((r for r in ws.rules.values() if r.status != Lifecycle.deprecated), key=lambda r: r.id)


def paths_read(cond: Any) -> set[str]:
    """Catalogue paths a condition reads (``item.x`` inside a quantifier counts as its list)."""
    out: set[str] = set()
    for visit in walk(cond):
        node = visit.node
        if isinstance(node, Compare) and node.path.split(".", 1)[0] in ("jurisdiction", "design"):
            out.add(node.path)
        elif isinstance(node, (ForAny, ForAll)):
            out.add(quantified(node))
    return out


def _record(trace: Trace, seen: dict[int, set[str]]) -> None:
    word = "unknown" if trace.value is None else ("true" if trace.value else "false")
    if isinstance(trace.node, Compare):
        seen.setdefault(id(trace.node), set()).add(word)
    for child in trace.children:
        _record(child, seen)


def _derive(compiled: CompiledRuleset, table: Any) -> Any:
    derived, _ = compiled.derive_python(table)
    return table.with_derived(derived)


def branch_coverage(ws: Workspace, rule: Rule, compiled: CompiledRuleset) -> list[Branch]:
    """The comparisons of one rule that its examples never made both true and false."""
    from ..problems import relative

    seen: dict[int, set[str]] = {}
    for ex in rule.examples:
        table = _derive(compiled, from_example(ex.facts))
        applies = None
        if rule.applies_if is not None:
            applies = evaluate(rule.applies_if, table, compiled.params)
            _record(applies, seen)
        if applies is None or applies.value is True:
            _record(evaluate(rule.requires, table, compiled.params), seen)
    origin = ws.origin("rule", rule.id)
    file = relative(origin.doc.file, ws.root) if origin else ""
    out = []
    for fname, cond in (("applies_if", rule.applies_if), ("requires", rule.requires)):
        if cond is None:
            continue
        for node, loc in ((v.node, v.loc) for v in walk(cond, (fname,)) if isinstance(v.node, Compare)):
            values = seen.get(id(node), set())
            if not {"true", "false"} <= values:
                out.append(Branch(rule.id, fname, str(node), file, origin.line(*loc) if origin else 1,
                                  tuple(v for v in ("true", "false", "unknown") if v in values)))
    return out


def coverage(ws: Workspace, compiled: CompiledRuleset | None = None) -> CoverageReport:
    """Compute the coverage report of a loaded, valid workspace. Each shipped design is judged
    as :func:`policyengine.api.assess` judges it (a discontinued one at its end date), unless
    ``compiled`` is given: then every design is judged with it."""
    from ..api import compile_ruleset, fact_table, ruleset_for, shipped_pairs

    given = compiled
    compiled = compiled or compile_ruleset(ws, include_drafts=True)

    def judged_with(pair: Any) -> CompiledRuleset:
        return given or ruleset_for(ws, ws.designs[pair.jurisdiction_id][pair.design_id], include_drafts=True)

    rules = _considered(ws)
    report = CoverageReport(rules=len(rules))

    # 1. principles
    served: dict[str, set[Lifecycle]] = {}
    for rule in rules:
        for pid in [rule.principle, *rule.also_serves]:
            served.setdefault(pid, set()).add(rule.status)
    for pid in sorted(ws.principles, key=_principle_key):
        states = served.get(pid, set())
        if not states:
            report.principles_without_rules.append(pid)
        elif Lifecycle.active not in states:
            report.principles_only_draft.append(pid)

    # 2. applicability over every shipped jurisdiction and design
    pairs = shipped_pairs(ws)
    report.pairs = len(pairs)
    statuses: dict[str, set[Status]] = {r.id: set() for r in rules}
    by_id = {r.id: r for r in compiled.rules}
    for pair in pairs:
        _, _, table = fact_table(ws, pair.jurisdiction_id, pair.design_id)
        own = judged_with(pair)
        full = _derive(own, table)
        for rule in rules:
            if rule.id in by_id:
                statuses[rule.id].add(own.trace_rule(rule, full).status)
    if pairs:
        for rule in rules:
            got = statuses[rule.id]
            if got <= {Status.not_applicable}:
                report.rules_never_applicable.append(rule.id)
            elif not got & {Status.gap, Status.met}:
                report.rules_never_decided.append(rule.id)
        deciding = {r.id for r in rules if statuses[r.id] & {Status.gap, Status.met}}
        for pid in sorted(ws.principles, key=_principle_key):
            serving = [r.id for r in rules if pid in (r.principle, *r.also_serves)]
            if serving and not deciding.intersection(serving):
                report.principles_never_decided.append(pid)

    # 2b. the unknown share of each shipped design, as assessed
    for pair in pairs:
        a = judged_with(pair).assess(_table(ws, pair), jurisdiction=(pair.jurisdiction_id, pair.jurisdiction_id),
                            design=(pair.design_id, pair.design_id), check=False)
        count = {s: sum(1 for f in a.findings if f.status == s) for s in Status}
        report.unknown_share.append(UnknownShare(
            pair.jurisdiction_id, pair.design_id, count[Status.met], count[Status.gap], count[Status.unknown],
            sum(1 for f in a.findings if f.pending)))

    # 3. example statuses
    for rule in rules:
        have = {ex.expect for ex in rule.examples}
        lacking = [s.value for s in EXAMPLE_STATUSES if s not in have]
        if lacking:
            report.examples_lacking[rule.id] = lacking

    # 4. facts nobody reads
    read: set[str] = set()
    for rule in rules:
        if rule.applies_if is not None:
            read |= paths_read(rule.applies_if)
        read |= paths_read(rule.requires)
    for derivation in ws.derivations.values():
        read |= paths_read(derivation.when)
    for path in base_catalogue():
        if path in _BOOKKEEPING or path in read:
            continue
        if path.startswith("jurisdiction."):
            report.unread_profile_paths.append(path)
        else:
            report.unread_design_paths.append(path)

    # 5. condition branches
    for rule in rules:
        report.unexercised_branches.extend(branch_coverage(ws, rule, compiled))
    return report


def _table(ws: Workspace, pair: Any) -> Any:
    from ..api import fact_table

    return fact_table(ws, pair.jurisdiction_id, pair.design_id)[2]


def _principle_key(pid: str) -> tuple[str, int]:
    area, _, num = pid.rpartition("-")
    return (area, int(num) if num.isdigit() else 0)


def coverage_table(report: CoverageReport) -> str:
    """The report as plain text for a terminal, in the terminal's language."""
    lines: list[str] = []
    none = _("none")

    def section(title: str, items: list[str]) -> None:
        lines.append(_("%(title)s (%(count)s)", title=title, count=len(items)))
        if items:
            lines.extend(f"  {i}" for i in items)
        else:
            lines.append(f"  {none}")
        lines.append("")

    by_area: dict[str, list[str]] = {}
    for pid in report.principles_without_rules:
        by_area.setdefault(pid.rpartition("-")[0], []).append(pid)
    lines.append(_("%(title)s (%(count)s)", title=_("Principles no rule serves"), count=len(report.principles_without_rules)))
    lines.extend(f"  {', '.join(ids)}" for ids in by_area.values())
    if not by_area:
        lines.append(f"  {none}")
    lines.append("")
    if report.principles_only_draft:
        section(_("Principles served only by draft rules"), report.principles_only_draft)
    if report.pairs:
        section(_("Principles no rule decides (met or gap) for any of the %(pairs)s shipped jurisdiction designs",
                  pairs=report.pairs), report.principles_never_decided)
    section(_("Rules never applicable to any of the %(pairs)s shipped jurisdiction designs", pairs=report.pairs),
            report.rules_never_applicable)
    if report.rules_never_decided:
        section(_("Rules that apply somewhere but decide nothing (unknown everywhere)"), report.rules_never_decided)
    section(_("Rules whose examples lack a status (gap, met, unknown)"),
            [_("%(rule)s: no %(statuses)s example", rule=rid, statuses=", ".join(s))
             for rid, s in sorted(report.examples_lacking.items())])
    section(_("Profile facts no rule reads"), report.unread_profile_paths)
    section(_("Design facts no rule reads"), report.unread_design_paths)
    section(_("Comparisons the examples never make both true and false"),
            [_("%(where)s: %(rule)s %(field)s: %(condition)s: never %(lacks)s (seen: %(seen)s)",
               where=":".join((b.file, str(b.line))), rule=b.rule_id, field=b.field, condition=b.condition,
               lacks=" / ".join(b.lacks), seen=", ".join(b.seen) or _("never evaluated"))
             for b in report.unexercised_branches])
    lines.append(_("Unknown share of each shipped design: unknown / (met + gap + unknown)"))
    for u in report.unknown_share:
        share = _("n/a") if u.share is None else f"{u.share:.0%}"
        counts = (_("%(unknown)s unknown, %(met)s met, %(gap)s gap, %(pending)s decided on a pending fact",
                    unknown=u.unknown, met=u.met, gap=u.gap, pending=u.pending) if u.pending else
                  _("%(unknown)s unknown, %(met)s met, %(gap)s gap", unknown=u.unknown, met=u.met, gap=u.gap))
        lines.append(f"  {u.jurisdiction_id}/{u.design_id}: {share} ({counts})")
    average = report.average_unknown_share
    lines.append("  " + _("average: %(share)s", share=_("n/a") if average is None else f"{average:.0%}"))
    lines.append("")
    lines.append(_("%(rules)s rules (active and draft) checked against %(pairs)s jurisdiction designs",
                   rules=report.rules, pairs=report.pairs))
    return "\n".join(lines)
