"""Evaluate: (jurisdiction, design, ruleset) -> findings.

:class:`CompiledRuleset` compiles the active rules and the derivations once, to durable-rules;
:meth:`CompiledRuleset.assess` runs one isolated session per assessment. The statuses come
from the engine; the evidence and missing facts come from re-tracing the same conditions in
:mod:`.logic`, and the two are checked against each other: a disagreement is an
:class:`EngineError`, never a silent result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

import orjson

from ..evidence import PRESS, accepted_text, state_flag
from ..facts import FactTable, FactValue
from ..i18n.deferred import L_
from ..models.common import Citation
from ..models.finding import AreaSummary, Assessment, Evidence, Finding, ScoreSummary, score_range, score_sentence
from ..models.rule import SEVERITY_ORDER, Area, Derivation, Rule, Status
from ..models.semantics import is_unlimited
from ..paths import base_catalogue
from . import compile as compiler_mod
from .capacity import measure, order_tests
from .durable_host import DurableRuleset, EngineError
from .logic import Trace, evaluate

__all__ = ["CompiledRuleset", "EngineError", "RuleOutcome", "WhatIf", "topological", "status_of"]


Item = tuple[str, Callable[[int], dict[str, dict[str, Any]]]]


def _units(label: str, rules: dict[str, dict[str, Any]]) -> list[tuple[str, dict[str, dict[str, Any]]]]:
    """One item's durable rules as units that may sit in different stages: each auxiliary
    sub-condition (in the order it was created, inner before outer), then the item itself.
    A later stage receives what earlier stages concluded, so the order is all they need."""
    aux: dict[int, dict[str, dict[str, Any]]] = {}
    own: dict[str, dict[str, Any]] = {}
    for name, rule in rules.items():
        if name.startswith("aux:aux__"):
            aux.setdefault(int(name[len("aux:aux__"):].split("#", 1)[0]), {})[name] = rule
        else:
            own[name] = rule
    return [(label, aux[n]) for n in sorted(aux)] + [(label, own)]


def pack(items: list[Item], node_width: int) -> list[dict[str, dict[str, Any]]]:
    """Group compiled items (a rule or a derivation with its auxiliary sub-conditions) into
    stages, in order, each within the engine's limits (see :mod:`.capacity`).

    Units (an item, or one of its auxiliary sub-conditions) are taken in runs of at most
    ``CHUNK`` durable rules; a run whose alpha network would not fit is halved (order kept:
    derivations stay topological, sub-conditions come before what reads them) until every
    part fits. A unit that does not fit alone is compiled again with every and/or node of its
    item concluded first (narrower, more chaining); if it still does not fit, it is a
    :class:`CapacityError` naming the rule or derivation.
    """
    units: list[tuple[str, dict[str, dict[str, Any]], Any]] = []
    for label, build in items:
        built = _units(label, build(node_width))
        if any(not measure(order_tests(u)).fits() for _, u in built):
            built = _units(label, build(1))
        units.extend((lab, u, build) for lab, u in built)
    runs: list[list[tuple[str, dict[str, dict[str, Any]], Any]]] = [[]]
    size = 0
    for unit in units:
        if runs[-1] and size + len(unit[1]) > compiler_mod.CHUNK:
            runs.append([])
            size = 0
        runs[-1].append(unit)
        size += len(unit[1])

    def fit(run: list[tuple[str, dict[str, dict[str, Any]], Any]]) -> list[dict[str, dict[str, Any]]]:
        stage = order_tests({k: v for _, mine, _ in run for k, v in mine.items()})
        capacity = measure(stage)
        if capacity.fits():
            return [stage]
        if len(run) == 1:
            label = run[0][0]
            kind, _, ident = label.partition(" ")
            raise compiler_mod.CapacityError(
                L_("%(item)s: its condition is too wide for the rule engine: %(why)s; split it into derivations that "
                   "each read part of it", item=L_("rule %(id)s", id=ident) if kind == "rule"
                   else L_("derivation %(id)s", id=ident), why=capacity.why_not()), kind, ident)
        half = len(run) // 2
        return fit(run[:half]) + fit(run[half:])

    return [stage for run in runs if run for stage in fit(run)]


def _derived_fact(name: str, value: bool) -> dict[str, FactValue]:
    """The fact a derivation's conclusion adds to a table (as FactTable.with_derived makes it)."""
    return FactTable().with_derived({name: value}).facts


class _Recording(FactTable):
    """A fact table that notes every path read (present or not) into ``seen``."""

    def __init__(self, facts: dict[str, FactValue]) -> None:
        super().__init__(facts)
        self.seen: set[str] = set()

    def get(self, path: str) -> FactValue | None:
        self.seen.add(path)
        return self.facts.get(path)

    def value(self, path: str) -> Any:
        self.seen.add(path)
        fact = self.facts.get(path)
        return None if fact is None else fact.value


@dataclass
class WhatIf:
    """The reference statuses of one fact table and what each derivation and rule read.

    Evaluation is deterministic and reads facts only through the table, so a derivation or
    rule that did not read any changed fact (nor a derivation whose conclusion changed)
    reaches the same value again: only the others are evaluated (tests/test_engine_what_if.py
    checks the result against :meth:`CompiledRuleset.evaluate_python`)."""

    ruleset: "CompiledRuleset"
    derived: dict[str, bool]
    derivation_reads: dict[str, frozenset[str]]
    rule_reads: dict[str, frozenset[str]]
    statuses: dict[str, Status]
    readers: dict[str, tuple[int, ...]] | None = None

    def statuses_with(self, table: FactTable, changed: Iterable[str]) -> dict[str, Status]:
        """The reference statuses of ``table``: the table this was made from, with the facts
        at the paths ``changed`` (and only those) set, changed or removed."""
        rs = self.ruleset
        touched = set(changed)
        growing = table.with_derived({})
        for name in rs.order:
            if self.derivation_reads[name].isdisjoint(touched):
                value = self.derived.get(name)
            else:
                value = evaluate(rs.derivations[name].when, growing, rs.params).value
                if value != self.derived.get(name):
                    touched.add(f"derived.{name}")
            if value is not None:
                growing.facts.update(_derived_fact(name, value))
        statuses = dict(self.statuses)  # in the order of the rules, as evaluate_python gives them
        readers = self._readers()
        for index in sorted({i for path in touched for i in readers.get(path, ())}):
            rule = rs.rules[index]
            statuses[rule.id] = rs.trace_rule(rule, growing).status
        return statuses

    def _readers(self) -> dict[str, tuple[int, ...]]:
        """For each path, the positions of the rules that read it (made on first use: a
        question's trials change one path, so only its readers are looked at)."""
        if self.readers is None:
            found: dict[str, list[int]] = {}
            for index, rule in enumerate(self.ruleset.rules):
                for path in self.rule_reads[rule.id]:
                    found.setdefault(path, []).append(index)
            self.readers = {path: tuple(indexes) for path, indexes in found.items()}
        return self.readers


def _stages_from(entry: Any) -> tuple[list[dict[str, dict[str, Any]]], list[str], list[list[str]]] | None:
    """The stages, the fact properties and those of each stage, from a cache entry; ``None``
    when it is not one."""
    if not isinstance(entry, dict) or set(entry) != {"stages", "keys", "stage_keys"}:
        return None
    stages, keys, stage_keys = entry["stages"], entry["keys"], entry["stage_keys"]
    if not (isinstance(stages, list) and all(isinstance(st, dict) and all(isinstance(r, dict) for r in st.values())
                                              for st in stages)):
        return None
    if not (isinstance(stage_keys, list) and len(stage_keys) == len(stages) and all(isinstance(k, list) for k in stage_keys)):
        return None
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in (*keys, *(k for ks in stage_keys for k in ks))):
        return None
    return stages, keys, stage_keys


def topological(derivations: dict[str, Derivation]) -> list[str]:
    """Derivations ordered so each comes after those it reads (cycles are a load error)."""
    from ..models.condition import Compare
    from ..models.semantics import walk

    deps = {name: {v.node.path[len("derived."):] for v in walk(d.when)
                   if isinstance(v.node, Compare) and v.node.path.startswith("derived.")} for name, d in derivations.items()}
    order: list[str] = []
    done: set[str] = set()

    def visit(name: str, trail: tuple[str, ...] = ()) -> None:
        if name in done or name in trail:
            return
        for dep in sorted(deps.get(name, ())):
            if dep in deps:
                visit(dep, trail + (name,))
        done.add(name)
        order.append(name)

    for name in sorted(deps):
        visit(name)
    return order


def status_of(applies: bool | None, requires: bool | None) -> Status:
    if applies is False:
        return Status.not_applicable
    if applies is None:
        return Status.unknown
    if requires is None:
        return Status.unknown
    return Status.met if requires else Status.gap


@dataclass
class RuleOutcome:
    """The traced evaluation of one rule: what a finding and an explanation are built from."""

    rule: Rule
    status: Status
    applies: Trace | None
    requires: Trace
    missing: list[str]


class CompiledRuleset:
    """A ruleset ready to assess: rules and derivations with the parameters resolved.

    The one assessment path that assess, diff, coverage, the rule examples and explain all
    use. The Kleene evaluator (:mod:`.logic`) is the reference semantics and gives evidence;
    durable-rules, compiled on first use (:meth:`compile_engine`), gives the statuses, and
    the two are checked against each other on every :meth:`assess`.
    """

    def __init__(self, rules: Iterable[Rule], derivations: dict[str, Derivation],
                 params: dict[str, float], ruleset_name: str = "ruleset", ruleset_version: str = "0",
                 principles: dict[str, Any] | None = None, list_slots: int = 6) -> None:
        self.rules = sorted(rules, key=lambda r: r.id)
        self.derivations = derivations
        self.order = topological(derivations)
        self.params = params
        self.ruleset_name = ruleset_name
        self.ruleset_version = ruleset_version
        self.principles = principles or {}
        catalogue = base_catalogue()
        money = {p.rsplit(".", 1)[-1] for p, i in catalogue.items() if i.kind == "money"}
        for info in catalogue.values():
            money |= {p.rsplit(".", 1)[-1] for p, i in info.items.items() if i.kind == "money"}
        #: lists of records (wallet tiers) the quantifiers read, and how many items they cover
        self.item_lists = sorted(p for p, i in catalogue.items() if i.kind == "items")
        self.list_slots = list_slots
        self._money = money
        self._engine: DurableRuleset | None = None
        self._statics: dict[str, tuple[Area, tuple[Citation, ...]]] = {}

    def compile_engine(self) -> "CompiledRuleset":
        """Compile the rules and derivations to durable-rules (once; on first use otherwise).

        Raises :class:`CapacityError` naming the rule or derivation the engine cannot hold,
        which is how ``validate`` refuses it before any assessment."""
        if self._engine is not None:
            return self
        from .. import cache

        name = cache.key("ruleset", self._compile_inputs())
        cached = _stages_from(cache.get("ruleset", name))
        if cached is not None:
            self.stages, keys, per_stage = cached
        else:
            self.stages, fresh = self._compile_stages()
            keys = sorted(fresh)
            # Each stage's fact carries only the properties that stage tests: durable-rules
            # fails on a fact with more than 255 properties.
            per_stage = [sorted(compiler_mod.keys_of(stage)) for stage in self.stages]
            cache.put("ruleset", name, {"stages": self.stages, "keys": keys, "stage_keys": per_stage})
        self.stage_keys = [frozenset(k) for k in per_stage]
        for i, read in enumerate(self.stage_keys):
            if len(read) > compiler_mod.MAX_KEYS:
                first = sorted(self.stages[i])[0].split('#')[0]
                if first.startswith("derive:"):
                    message = L_("the derivations read %(count)s distinct facts; the engine holds at most %(limit)s in "
                                 "one fact", count=len(read), limit=compiler_mod.MAX_KEYS)
                else:
                    message = L_("rules %(first)s... read %(count)s distinct facts; the engine holds at most %(limit)s in "
                                 "one fact", first=first, count=len(read), limit=compiler_mod.MAX_KEYS)
                raise compiler_mod.CapacityError(message)
        self.definitions = {k: v for stage in self.stages for k, v in stage.items()}
        self.keys = frozenset(keys)
        self._engine = DurableRuleset(self.stages)
        return self

    def _compile_inputs(self) -> bytes:
        """Everything the compiled stages depend on besides the code (the cache key's bytes)."""
        return orjson.dumps({
            "rules": [r.model_dump(mode="json") for r in self.rules],
            "derivations": [[name, self.derivations[name].model_dump(mode="json")] for name in self.order],
            "params": sorted(self.params.items()),
            "money": sorted(self._money),
            "list_slots": self.list_slots,
        })

    def _compile_stages(self) -> tuple[list[dict[str, dict[str, Any]]], set[str]]:
        """The durable-rules definitions of every stage, and the fact properties they read."""
        self._compiler = compiler_mod.Compiler(self.params, money_fields=self._money, list_slots=self.list_slots)
        # Derivations (with the auxiliary rules they need) come first, in topological order so
        # a later stage may read an earlier one's conclusions; then the rules, each with its own
        # auxiliary rules. A stage (one durable-rules ruleset) takes items while what the
        # engine needs for it stays within its fixed limits (see .capacity): an item that
        # cannot fit even alone is refused here, so `validate` reports it, never the engine.
        derivation_items: list[Item] = [
            (f"derivation {name}", self._builder(compiler_mod.derivation_patterns, name, self.derivations[name].when))
            for name in self.order]
        rule_items: list[Item] = [
            (f"rule {rule.id}", self._builder(compiler_mod.rule_patterns, rule.id, rule.applies_if, rule.requires))
            for rule in self.rules]
        width = compiler_mod.NODE_WIDTH
        return pack(derivation_items, width) + pack(rule_items, width), set(self._compiler.keys)

    def _builder(self, make: Any, *args: Any) -> Callable[[int], dict[str, dict[str, Any]]]:
        """A function compiling one rule or derivation (with the auxiliary rules it creates)
        with and/or nodes wider than its argument concluded first."""

        def build(node_width: int) -> dict[str, dict[str, Any]]:
            before = set(self._compiler.aux_rules)
            self._compiler.node_width = node_width
            try:
                out = dict(make(self._compiler, *args))
            finally:
                self._compiler.node_width = compiler_mod.NODE_WIDTH
            out.update({k: v for k, v in self._compiler.aux_rules.items() if k not in before})
            return out

        return build

    # -- engine input ------------------------------------------------------------------
    def engine_fact(self, table: FactTable) -> dict[str, Any]:
        """The flat fact durable-rules sees: only the properties this ruleset reads."""
        fact: dict[str, Any] = {compiler_mod.ANCHOR_KEY: compiler_mod.ANCHOR_VALUE}
        for path, fv in table.facts.items():
            if path.startswith("derived."):
                continue
            k = compiler_mod.key(path)
            if not fv.resolved:
                uk = compiler_mod.unresolved_key(path)
                if uk in self.keys:
                    fact[uk] = True
                continue
            value = fv.value
            if isinstance(value, list):
                if k in self.keys:
                    fact[k] = float(len(value))
                for item in value:
                    hk = compiler_mod.has_key(path, item)
                    if hk in self.keys:
                        fact[hk] = True
                continue
            if k not in self.keys:
                continue
            if is_unlimited(value):
                fact[k] = compiler_mod.ENGINE_UNLIMITED
                continue
            fact[k] = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value
        return fact

    # -- evaluation ----------------------------------------------------------------------
    def slots_needed(self, table: FactTable) -> int:
        """The longest list of records (wallet tiers) in ``table``."""
        counts = [table.value(p) for p in self.item_lists]
        return max([c for c in counts if isinstance(c, int) and not isinstance(c, bool)] or [0])

    def run_engine(self, table: FactTable) -> tuple[dict[str, Status], dict[str, bool]]:
        needed = self.slots_needed(table)
        if needed > self.list_slots:
            raise compiler_mod.CapacityError(
                L_("the design lists %(count)s wallet tiers; this ruleset was compiled for at most %(slots)s "
                   "(compile it with list_slots >= the longest list)", count=needed, slots=self.list_slots))
        self.compile_engine()
        assert self._engine is not None
        run = self._engine.run(self.engine_fact(table), self.stage_keys)
        return {rid: Status(s) for rid, s in run.fired.items()}, dict(run.derived)

    def derive_python(self, table: FactTable) -> tuple[dict[str, bool], dict[str, Trace]]:
        derived: dict[str, bool] = {}
        traces: dict[str, Trace] = {}
        # One copy of the table that gains each conclusion in turn: each derivation sees the
        # table and what the derivations before it concluded (table.with_derived(derived)),
        # without a copy of the whole table per derivation.
        growing = table.with_derived({})
        for name in self.order:
            trace = evaluate(self.derivations[name].when, growing, self.params)
            traces[name] = trace
            if trace.value is not None:
                derived[name] = trace.value
                growing.facts.update(_derived_fact(name, trace.value))
        return derived, traces

    def what_if(self, table: FactTable) -> "WhatIf":
        """The reference statuses of ``table``, with what every derivation and rule read to
        reach them, so that :meth:`WhatIf.statuses_with` re-evaluates, for a table changed in
        a few facts, only what those facts can reach (the questionnaire tries each answer)."""
        derived: dict[str, bool] = {}
        derivation_reads: dict[str, frozenset[str]] = {}
        growing = _Recording(table.with_derived({}).facts)
        for name in self.order:
            growing.seen = set()
            value = evaluate(self.derivations[name].when, growing, self.params).value
            derivation_reads[name] = frozenset(growing.seen)
            if value is not None:
                derived[name] = value
                growing.facts.update(_derived_fact(name, value))
        statuses: dict[str, Status] = {}
        rule_reads: dict[str, frozenset[str]] = {}
        for rule in self.rules:
            growing.seen = set()
            statuses[rule.id] = self.trace_rule(rule, growing).status
            rule_reads[rule.id] = frozenset(growing.seen)
        return WhatIf(self, derived, derivation_reads, rule_reads, statuses)

    def trace_rule(self, rule: Rule, table: FactTable) -> RuleOutcome:
        applies = evaluate(rule.applies_if, table, self.params) if rule.applies_if is not None else None
        requires = evaluate(rule.requires, table, self.params)
        status = status_of(applies.value if applies else True, requires.value)
        missing: list[str] = []
        if status == Status.unknown:
            source = applies if applies is not None and applies.value is None else requires
            missing = source.missing()
        return RuleOutcome(rule, status, applies, requires, missing)

    def status_python(self, rule: Rule, table: FactTable) -> Status:
        """One rule's status by the reference evaluator (the derivations it may read included)."""
        derived, _ = self.derive_python(table)
        return self.trace_rule(rule, table.with_derived(derived)).status

    def evaluate_python(self, table: FactTable) -> dict[str, Status]:
        """Statuses by the plain-Python evaluator alone (the benchmark's comparison)."""
        derived, _ = self.derive_python(table)
        full = table.with_derived(derived)
        return {r.id: self.trace_rule(r, full).status for r in self.rules}

    def statuses(self, table: FactTable, *, engine: bool = True) -> dict[str, Status]:
        """Every rule's status: from durable-rules checked against the reference evaluator, or
        (``engine=False``) from the reference evaluator alone, which needs no compilation."""
        if engine:
            return {f.rule_id: f.status for f in self.assess(table, jurisdiction=("", ""), design=("", "")).findings}
        return self.evaluate_python(table)

    def assess(self, table: FactTable, *, jurisdiction: tuple[str, str], design: tuple[str, str],
               check: bool = True) -> Assessment:
        """One isolated assessment: engine statuses, traced evidence, summaries."""
        fired, engine_derived = self.run_engine(table)
        derived, derivation_traces = self.derive_python(table)
        if check and derived != engine_derived:
            raise EngineError(f"derivations disagree: engine {engine_derived} vs trace {derived}")
        full = table.with_derived(derived)
        findings = []
        evidence_cache: dict[int, Evidence] = {}  # the table's facts live as long as this call
        for rule in self.rules:
            outcome = self.trace_rule(rule, full)
            engine_status = fired.get(rule.id, Status.unknown)
            if check and engine_status != outcome.status:
                raise EngineError(f"{rule.id}: engine says {engine_status.value}, trace says {outcome.status.value}")
            findings.append(self._finding(outcome, engine_status, derivation_traces, full, evidence_cache))
        findings.sort(key=lambda f: (AREA_ORDER[f.area], SEVERITY_ORDER[f.severity], f.rule_id))
        return Assessment(
            jurisdiction_id=jurisdiction[0], jurisdiction_name=jurisdiction[1],
            design_id=design[0], design_name=design[1],
            ruleset_name=self.ruleset_name, ruleset_version=self.ruleset_version,
            findings=findings,
            derived={name: derived.get(name) for name in self.order},
            summary=summarise(findings),
            overall=summarise_all(findings),
        )

    @staticmethod
    def _evidence(fv: FactValue, cache: dict[int, Evidence]) -> Evidence:
        """One Evidence per fact of an assessment, however many findings read it."""
        found = cache.get(id(fv))
        if found is None:
            found = cache[id(fv)] = fact_evidence(fv)
        return found

    def _finding(self, outcome: RuleOutcome, status: Status, derivation_traces: dict[str, Trace],
                 table: FactTable, evidence_cache: dict[int, Evidence]) -> Finding:
        rule = outcome.rule
        traces = [t for t in (outcome.applies, outcome.requires) if t is not None]
        seen: dict[str, FactValue] = {}
        derived_used: list[str] = []
        for trace in traces:
            for fv in trace.facts_read():
                if fv.path.startswith("derived."):
                    name = fv.path[len("derived."):]
                    if name not in derived_used:
                        derived_used.append(name)
                    for inner in derivation_traces[name].facts_read():
                        seen.setdefault(inner.path, inner)
                seen.setdefault(fv.path, fv)
            for path in trace.paths_read():
                if path.startswith("derived.") and path[len("derived."):] not in derived_used:
                    derived_used.append(path[len("derived."):])
        missing = expand_missing(outcome.missing, derivation_traces)
        evidence = [with_standard(self._evidence(fv, evidence_cache), fv, rule) for fv in seen.values()]
        pending = [e.path for e in evidence if e.state]
        below = [e.path for e in evidence if any(f.startswith(BELOW) for f in e.flags)]
        if status == Status.met and below:
            # a fact below the kind of source the rule accepts cannot establish it (ADR 0005)
            status = Status.unknown
            missing = [*missing, *(p for p in below if p not in missing)]
        area, citations = self._static(rule)
        # The finding's sentence: what is wrong (gap), what holds (met); a finding that decides
        # nothing states what the rule checks, never the met sentence, which would read as a claim.
        text = {Status.gap: rule.finding, Status.met: rule.met or rule.title}.get(status, rule.title)
        # Built from validated models and the engine's own values: constructed, not re-validated
        # (validation was 40% of a full assessment).
        return Finding.model_construct(
            rule_id=rule.id, rule_title=rule.title, principle_id=rule.principle, area=area,
            severity=rule.severity, status=status, text=text,
            recommendation=rule.recommendation if status in (Status.gap, Status.unknown) else None,
            evidence=evidence, missing=missing, derived_used=derived_used,
            pending=pending if status in (Status.gap, Status.met) else [], below_standard=below,
            citations=list(citations),
        )

    def _static(self, rule: Rule) -> tuple[Area, tuple[Citation, ...]]:
        """What a rule's findings share whatever the facts: its area and citations."""
        cached = self._statics.get(rule.id)
        if cached is None:
            principle = self.principles.get(rule.principle)
            prefix = rule.id.split("-")[0].lower()
            area = principle.area if principle is not None else Area(prefix) if prefix in Area.__members__ else Area.governance
            cached = self._statics[rule.id] = (area, tuple(Citation(ref=c.ref, section=c.section, note=c.note)
                                                           for c in rule.citations))
        return cached


AREA_ORDER = {area: i for i, area in enumerate(Area)}


BELOW = "below the evidence standard"


def below_standard_flag(fv: FactValue, rule: Rule) -> str | None:
    """The flag of a fact whose source is not of a kind the rule accepts for it (ADR 0005)."""
    accepted = [k.value for k in rule.evidence.get(fv.path, [])]
    if fv.state:  # a decided "not yet" records that the instrument does not exist (yet)
        return None
    if accepted and fv.source not in (None, "derived", "example") and fv.kind not in accepted:
        return (f"{BELOW}: this rule needs a source of kind {accepted_text(accepted)}, "
                f"this one is {fv.kind or 'of no stated kind'}")
    return None


def fact_evidence(fv: FactValue) -> Evidence:
    """One evidence row with the flags that hold whatever rule reads it: press, pending, stale."""
    flags: list[str] = []
    if fv.kind == PRESS:
        flags.append("press report")
    if (flag := state_flag(fv.state, fv.note)) is not None:
        flags.append(flag)
    if fv.stale:
        flags.append(fv.stale)
    if fv.held_back:
        flags.append(fv.held_back)
    return Evidence.model_construct(
        path=fv.path, value=fv.value, display=fv.display, source=fv.source, locator=fv.locator, as_of=fv.as_of,
        evidence_kind=fv.kind, state=fv.state, checked=fv.checked, flags=flags)


def with_standard(evidence: Evidence, fv: FactValue, rule: Rule) -> Evidence:
    """The row as this rule sees it: flagged when the rule needs a better kind of source."""
    flag = below_standard_flag(fv, rule)
    return evidence if flag is None else evidence.model_copy(update={"flags": [flag, *evidence.flags]})


def evidence_of(fv: FactValue, rule: Rule) -> Evidence:
    """One evidence row, with every flag a reader needs before relying on it (ADR 0005)."""
    return with_standard(fact_evidence(fv), fv, rule)


def expand_missing(missing: list[str], derivation_traces: dict[str, Trace]) -> list[str]:
    """Replace a missing derived fact by the facts its derivation lacked."""
    out: list[str] = []
    for path in missing:
        if path.startswith("derived.") and path[len("derived."):] in derivation_traces:
            inner = derivation_traces[path[len("derived."):]].missing()
            for p in [path, *expand_missing(inner, derivation_traces)]:
                if p not in out:
                    out.append(p)
        elif path and path not in out:
            out.append(path)
    return out


def _score_fields(findings: list[Finding]) -> dict[str, Any]:
    counts = {s: sum(1 for f in findings if f.status == s) for s in Status}
    met, gap, unknown = counts[Status.met], counts[Status.gap], counts[Status.unknown]
    return dict(gap=gap, met=met, unknown=unknown, not_applicable=counts[Status.not_applicable],
                high_gaps=sum(1 for f in findings if f.status == Status.gap and f.severity.value == "high"),
                pending=sum(1 for f in findings if f.pending),
                **score_range(met, gap, unknown), label=score_sentence(met, gap, unknown))


def summarise(findings: list[Finding]) -> list[AreaSummary]:
    out = []
    for area in Area:
        mine = [f for f in findings if f.area == area]
        if mine:
            out.append(AreaSummary(area=area, **_score_fields(mine)))
    return out


def summarise_all(findings: list[Finding]) -> ScoreSummary:
    return ScoreSummary(**_score_fields(findings))
