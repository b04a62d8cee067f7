"""Explain: why a rule reached its status, and what change of facts would close a gap.

Explanations are data (pydantic models); printing them is the CLI's job. The closing change is
computed from the rule's own condition (the fewest facts to change) and then confirmed by
evaluating the changed facts again with the engine.
"""

from __future__ import annotations

import itertools
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .engine import BELOW, CompiledRuleset, evidence_of, expand_missing, fact_evidence
from .engine.logic import Trace, bind_path, evaluate, resolve_param
from .facts import FactTable, FactValue, display_value
from .models.condition import Compare, ForAll, ForAny, Op
from .models.finding import Evidence
from .models.rule import Status
from .models.semantics import OPERATORS, Connective, Visitor, list_path, parts
from .paths import base_catalogue


class WhyNode(BaseModel):
    model_config = ConfigDict(frozen=True)

    label: str
    value: str = Field(description="true, false or unknown")
    fact: Evidence | None = None
    children: list["WhyNode"] = Field(default_factory=list)


class Change(BaseModel):
    model_config = ConfigDict(frozen=True)

    path: str
    current: str
    proposed: str
    value: Any = None


class DerivationWhy(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    title: str
    value: str
    why: WhyNode


class Explanation(BaseModel):
    model_config = ConfigDict(frozen=True)

    rule_id: str
    rule_title: str
    principle_id: str
    jurisdiction_id: str
    design_id: str
    status: Status
    applies_if: WhyNode | None
    requires: WhyNode
    derivations: list[DerivationWhy] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    closing_change: list[Change] = Field(default_factory=list)
    closing_change_confirmed: bool | None = Field(
        default=None, description="True when re-evaluating with the change gives 'met'")


def _word(value: bool | None) -> str:
    return "unknown" if value is None else ("true" if value else "false")


def why_tree(trace: Trace) -> WhyNode:
    fact = None
    if trace.fact is not None and not trace.children:
        fact = fact_evidence(trace.fact)  # with its flags: press, pending, stale, not used
    elif trace.path and trace.fact is None and not trace.children:
        fact = Evidence(path=trace.path, value=None, display="(missing)")
    return WhyNode(label=trace.label, value=_word(trace.value), fact=fact,
                   children=[why_tree(c) for c in trace.children])


# -- closing changes ----------------------------------------------------------------------

Changes = dict[str, Any]


def _enum_values(path: str) -> tuple[str, ...]:
    parts = path.split(".")
    catalogue = base_catalogue()
    if path in catalogue:
        return catalogue[path].values
    if len(parts) > 3 and parts[-2].isdigit():
        base = ".".join(parts[:-2])
        info = catalogue.get(base)
        if info is not None:
            item = info.items.get(f"item.{parts[-1]}")
            if item is not None:
                return item.values
    return ()


def _leaf_options(cond: Compare, path: str, want: bool, table: FactTable, params: dict[str, float]) -> list[Changes]:
    op = cond.op
    if not want:
        negated = OPERATORS[op].negation
        return _leaf_options(Compare(path=cond.path, op=negated, value=cond.value), path, True, table, params)
    value = resolve_param(cond.value, params)
    current = table.value(path)
    if op == Op.eq:
        return [{path: value}]
    if op == Op.ne:
        if isinstance(value, bool):
            return [{path: not value}]
        return [{path: v} for v in _enum_values(path) if v != value][:1]
    if op == Op.in_:
        return [{path: value[0]}] if value else []
    if op == Op.not_in:
        return [{path: v} for v in _enum_values(path) if v not in value][:1]
    if op in (Op.lt, Op.le, Op.gt, Op.ge):
        step = 1 if float(value).is_integer() else 0.01
        target = {Op.le: value, Op.ge: value, Op.lt: value - step, Op.gt: value + step}[op]
        return [{path: target}]
    if op == Op.contains:
        items = list(current) if isinstance(current, list) else []
        return [{path: items + [value]}]
    if op == Op.not_contains:
        items = list(current) if isinstance(current, list) else []
        return [{path: [i for i in items if i != value]}]
    if op == Op.missing:
        return [{path: None}]
    return []  # 'exists' needs a real value: no change can be proposed


class _Options(Visitor[list[Changes], tuple[bool, dict[str, str], int]]):
    """The closing-change pass: for a wanted value, the side of each node's connective that
    gives it says whether every part must reach a value (merge their changes) or some part
    (take the smallest)."""

    def __init__(self, table: FactTable, ruleset: CompiledRuleset) -> None:
        self.table = table
        self.ruleset = ruleset

    def visit(self, cond: Any, ctx: tuple[bool, dict[str, str], int]) -> list[Changes]:
        want, bindings, depth = ctx
        if evaluate(cond, self.table, self.ruleset.params, bindings).value is want:
            return [{}]
        if depth > 8:
            return []
        return super().visit(cond, ctx)

    def compare(self, cond: Compare, ctx: tuple[bool, dict[str, str], int]) -> list[Changes]:
        want, bindings, depth = ctx
        path = bind_path(cond.path, bindings)
        if path.startswith("derived."):
            derivation = self.ruleset.derivations[path[len("derived."):]]
            target = resolve_param(cond.value, self.ruleset.params)
            target = target if cond.op == Op.eq else not target
            return self.visit(derivation.when, (bool(target) == want, {}, depth + 1))
        return _leaf_options(cond, path, want, self.table, self.ruleset.params)

    def _side(self, side: tuple[str, bool], per_part: list[list[Changes]]) -> list[Changes]:
        if side[0] == "every":
            if any(not opts for opts in per_part):
                return []
            merged: Changes = {}
            for opts in per_part:
                merged.update(opts[0])
            return [merged]
        return _smallest_last_first([opts[:1] for opts in per_part])

    def combination(self, cond: Any, connective: Connective, ctx: tuple[bool, dict[str, str], int]) -> list[Changes]:
        want, bindings, depth = ctx
        side = connective.true_when if want else connective.false_when
        return self._side(side, [self.visit(part, (side[1], bindings, depth + 1)) for _, part in parts(cond)])

    def quantifier(self, cond: ForAny | ForAll, connective: Connective,
                   ctx: tuple[bool, dict[str, str], int]) -> list[Changes]:
        want, bindings, depth = ctx
        items = bind_path(list_path(cond), bindings)
        count = self.table.value(items)
        if not isinstance(count, int):
            return []
        side = connective.true_when if want else connective.false_when
        return self._side(side, [self.visit(cond.where, (side[1], {**bindings, "item": f"{items}.{i}"}, depth + 1))
                                 for i in range(count)])


def options(cond: Any, want: bool, table: FactTable, ruleset: CompiledRuleset,
            bindings: dict[str, str] | None = None, depth: int = 0) -> list[Changes]:
    """Candidate sets of fact changes that make ``cond`` evaluate to ``want``, smallest first."""
    return _Options(table, ruleset).visit(cond, (want, bindings or {}, depth))


def _smallest_last_first(per_branch: list[list[Changes]]) -> list[Changes]:
    """Candidates by size; among equally small ones, later branches first.

    Rules put the scope-narrowing alternative first ("the tier is not a light tier, or it holds
    USD 200") and the requirement last, and tiers run from the lightest to the strongest: on a
    tie, meeting the requirement or changing a higher tier is the sensible advice, not removing
    the light tier that the requirement is about.
    """
    ranked = [(len(c), -i, c) for i, branch in enumerate(per_branch) for c in branch]
    return [c for _, _, c in sorted(ranked, key=lambda t: (t[0], t[1]))]


def apply_changes(table: FactTable, changes: Changes) -> FactTable:
    out = FactTable(dict(table.facts))
    for path, value in changes.items():
        if value is None:
            out.facts.pop(path, None)
            continue
        out.facts[path] = FactValue(path, value, display_value(value), "proposed change")
    return out


def _display_change(path: str, value: Any, table: FactTable) -> str:
    if value is None:
        return "(remove)"
    info = base_catalogue().get(path)
    money = (info is not None and info.kind == "money") or path.rsplit(".", 1)[-1].endswith("_limit")
    if money and isinstance(value, (int, float)):
        return f"USD {value:,.0f}"
    return display_value(value, bool(info and info.percent))


def _current(table: FactTable, path: str) -> str:
    fact = table.get(path)
    return fact.display if fact is not None else "(missing)"


def explain(ruleset: CompiledRuleset, rule_id: str, table: FactTable, jurisdiction_id: str, design_id: str) -> Explanation:
    rule = next(r for r in ruleset.rules if r.id == rule_id)
    derived, derivation_traces = ruleset.derive_python(table)
    full = table.with_derived(derived)
    outcome = ruleset.trace_rule(rule, full)
    used = [p[len("derived."):] for t in (outcome.applies, outcome.requires) if t is not None
            for p in t.paths_read() if p.startswith("derived.")]
    derivation_whys = []
    for name in dict.fromkeys(used):
        trace = derivation_traces[name]
        derivation_whys.append(DerivationWhy(name=name, title=ruleset.derivations[name].title,
                                             value=_word(trace.value), why=why_tree(trace)))
    status = outcome.status
    missing = expand_missing(outcome.missing, derivation_traces)
    below = [fv.path for t in (outcome.applies, outcome.requires) if t is not None for fv in t.facts_read()
             if any(flag.startswith(BELOW) for flag in evidence_of(fv, rule).flags)]
    if status == Status.met and below:  # as in the assessment: see docs/adr/0005-evidence-standard.md
        status = Status.unknown
        missing = [*missing, *(p for p in below if p not in missing)]
    closing: list[Change] = []
    confirmed: bool | None = None
    if outcome.status == Status.gap:
        candidates = options(rule.requires, True, table, ruleset)
        for changes in sorted(candidates, key=len):
            if not changes:
                continue
            changed = apply_changes(table, changes)
            # Re-evaluated by the reference evaluator, for this one rule and the derivations
            # (not a whole engine run per candidate: the engine agrees with the reference on
            # every assessment, and tests/test_explain_cli.py compares both on every shipped gap).
            confirmed = ruleset.status_python(rule, changed) == Status.met
            closing = [Change(path=p, current=_current(table, p), proposed=_display_change(p, v, table), value=v)
                       for p, v in changes.items()]
            if confirmed:
                break
    return Explanation(
        rule_id=rule.id, rule_title=rule.title, principle_id=rule.principle,
        jurisdiction_id=jurisdiction_id, design_id=design_id, status=status,
        applies_if=why_tree(outcome.applies) if outcome.applies is not None else None,
        requires=why_tree(outcome.requires), derivations=derivation_whys,
        missing=missing,
        closing_change=closing, closing_change_confirmed=confirmed,
    )


_ = itertools  # keep import list stable for type checkers
