"""Run the examples of rules and derivations: they are the rules' own tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from ..engine import CompiledRuleset
from ..facts import from_example
from ..i18n import _
from ..i18n import format as fmt
from ..load import Workspace
from ..models.rule import Lifecycle, Status
from ..problems import relative


@dataclass(frozen=True)
class ExampleResult:
    """The outcome of one example: passed, or what was expected against what happened."""

    subject: str  # rule id, or "derived.<name>"
    example: str
    file: str
    line: int
    expected: str
    actual: str
    expected_missing: tuple[str, ...] = ()
    actual_missing: tuple[str, ...] = ()
    explanation: str = ""
    passed: bool = field(default=False)

    @property
    def test_id(self) -> str:
        return f"{self.subject}::{self.example}"

    def report(self) -> str:
        """The failure as ``file:line: test: message``, in the language active now (the expected
        and actual statuses, facts and ids are the files' own words: data)."""
        outcome = _("expected %(expected)s, got %(actual)s", expected=self.expected, actual=self.actual)
        lines = [f"{self.file}:{self.line}: {self.test_id}: {outcome}"]
        if self.expected_missing or self.actual_missing:
            lines.append("    " + _("missing facts expected: %(expected)s; reported: %(reported)s",
                                    expected=fmt.items(self.expected_missing) or _("(none)"),
                                    reported=fmt.items(self.actual_missing) or _("(none)")))
        if self.explanation:
            lines.extend("    " + line for line in self.explanation.splitlines())
        return "\n".join(lines)


def _word(value: bool | None) -> str:
    return "unknown" if value is None else ("true" if value else "false")


@dataclass(frozen=True)
class ExampleCase:
    """One example to run: known from the files alone, so a test runner can list it without
    running anything (and one that fails to run fails alone)."""

    kind: str  # "rule" or "derivation"
    subject: str  # rule id, or derivation name
    index: int
    name: str
    file: str
    line: int

    @property
    def test_id(self) -> str:
        return f"{self.subject if self.kind == 'rule' else 'derived.' + self.subject}::{self.name}"


def example_cases(ws: Workspace, rule_ids: Iterable[str] | None = None,
                  derivation_names: Iterable[str] | None = None,
                  kinds: tuple[str, ...] = ("derivation", "rule")) -> list[ExampleCase]:
    """Every example of the workspace's derivations, then of its rules (deprecated rules are
    no longer assessed: their examples document history only)."""
    cases: list[ExampleCase] = []
    wanted_d = set(derivation_names) if derivation_names else None
    for name in sorted(ws.derivations) if "derivation" in kinds else []:
        if wanted_d is not None and name not in wanted_d:
            continue
        origin = ws.origin("derivation", name)
        assert origin is not None
        for i, dex in enumerate(ws.derivations[name].examples):
            cases.append(ExampleCase("derivation", name, i, dex.name, relative(origin.doc.file, ws.root),
                                     origin.line("examples", i)))
    wanted_r = set(rule_ids) if rule_ids else None
    for rule in sorted(ws.rules.values(), key=lambda r: r.id) if "rule" in kinds else []:
        if (wanted_r is not None and rule.id not in wanted_r) or rule.status == Lifecycle.deprecated:
            continue
        origin = ws.origin("rule", rule.id)
        assert origin is not None
        for i, rex in enumerate(rule.examples):
            cases.append(ExampleCase("rule", rule.id, i, rex.name, relative(origin.doc.file, ws.root),
                                     origin.line("examples", i)))
    return cases


def run_example(ws: Workspace, compiled: CompiledRuleset, case: ExampleCase) -> ExampleResult:
    """Run one example through the one assessment path (engine, checked by the reference)."""
    from ..engine import expand_missing
    from ..explain import explain

    if case.kind == "derivation":
        dex = ws.derivations[case.subject].examples[case.index]
        table = from_example(dex.facts)
        compiled = _fitting(ws, compiled, table)
        _, engine_derived = compiled.run_engine(table)
        value = engine_derived.get(case.subject)
        _, traces = compiled.derive_python(table)
        missing = tuple(traces[case.subject].missing()) if value is None else ()
        passed = value == dex.expect and (dex.expect is not None or set(dex.missing) == set(missing))
        return ExampleResult(f"derived.{case.subject}", case.name, case.file, case.line, _word(dex.expect),
                             _word(value), tuple(dex.missing), missing, "", passed)
    rule = ws.rules[case.subject]
    ex = rule.examples[case.index]
    table = from_example(ex.facts)
    compiled = _fitting(ws, compiled, table)
    statuses, _ = compiled.run_engine(table)
    actual = statuses.get(rule.id, Status.unknown)
    derived, traces = compiled.derive_python(table)
    outcome = compiled.trace_rule(rule, table.with_derived(derived))
    missing = tuple(expand_missing(outcome.missing, traces)) if actual == Status.unknown else ()
    passed = actual == ex.expect and (ex.expect != Status.unknown or set(ex.missing) == set(missing))
    why = "" if passed else _render_why(explain(compiled, rule.id, table, "example", ex.name))
    return ExampleResult(rule.id, ex.name, case.file, case.line, ex.expect.value, actual.value,
                         tuple(ex.missing), missing, why, passed)


def _fitting(ws: Workspace, compiled: CompiledRuleset, table: object) -> CompiledRuleset:
    """The ruleset compiled for at least as many tiers as the example lists."""
    from ..api import compile_ruleset

    needed = compiled.slots_needed(table)  # type: ignore[arg-type]
    return compiled if needed <= compiled.list_slots else compile_ruleset(ws, include_drafts=True, list_slots=needed)


def run_rule_examples(ws: Workspace, compiled: CompiledRuleset, rule_ids: Iterable[str] | None = None) -> list[ExampleResult]:
    return [run_example(ws, compiled, c) for c in example_cases(ws, rule_ids=rule_ids or (), derivation_names=["\0"])
            if c.kind == "rule"]


def run_derivation_examples(ws: Workspace, compiled: CompiledRuleset, names: Iterable[str] | None = None) -> list[ExampleResult]:
    return [run_example(ws, compiled, c) for c in example_cases(ws, derivation_names=names or (), rule_ids=["\0"])
            if c.kind == "derivation"]


def _render_why(exp) -> str:  # type: ignore[no-untyped-def]
    from ..render.text import why_lines

    return "\n".join(why_lines(exp))
