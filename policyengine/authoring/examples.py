"""Run the examples of rules and derivations: they are the rules' own tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from ..engine import CompiledRuleset
from ..facts import from_example
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
        lines = [f"{self.file}:{self.line}: {self.test_id}: expected {self.expected}, got {self.actual}"]
        if self.expected_missing or self.actual_missing:
            lines.append(f"    missing facts expected: {', '.join(self.expected_missing) or '(none)'}; "
                         f"reported: {', '.join(self.actual_missing) or '(none)'}")
        if self.explanation:
            lines.extend("    " + line for line in self.explanation.splitlines())
        return "\n".join(lines)


def _word(value: bool | None) -> str:
    return "unknown" if value is None else ("true" if value else "false")


def run_rule_examples(ws: Workspace, compiled: CompiledRuleset, rule_ids: Iterable[str] | None = None) -> list[ExampleResult]:
    from ..explain import explain

    wanted = set(rule_ids) if rule_ids else None
    results: list[ExampleResult] = []
    for rule in sorted(ws.rules.values(), key=lambda r: r.id):
        if wanted is not None and rule.id not in wanted:
            continue
        if rule.status == Lifecycle.deprecated:
            continue  # no longer assessed: its examples document history only
        origin = ws.origin("rule", rule.id)
        assert origin is not None
        for i, ex in enumerate(rule.examples):
            table = from_example(ex.facts)
            statuses, _ = compiled.run_engine(table)
            actual = statuses.get(rule.id, Status.unknown)
            derived, traces = compiled.derive_python(table)
            outcome = compiled.trace_rule(rule, table.with_derived(derived))
            from ..engine import expand_missing

            missing = tuple(expand_missing(outcome.missing, traces)) if actual == Status.unknown else ()
            passed = actual == ex.expect and (ex.expect != Status.unknown or set(ex.missing) == set(missing))
            why = ""
            if not passed:
                exp = explain(compiled, rule.id, table, "example", ex.name)
                why = _render_why(exp)
            results.append(ExampleResult(
                rule.id, ex.name, relative(origin.doc.file, ws.root), origin.line("examples", i),
                ex.expect.value, actual.value, tuple(ex.missing), missing, why, passed))
    return results


def run_derivation_examples(ws: Workspace, compiled: CompiledRuleset, names: Iterable[str] | None = None) -> list[ExampleResult]:
    wanted = set(names) if names else None
    results: list[ExampleResult] = []
    for name in sorted(ws.derivations):
        if wanted is not None and name not in wanted:
            continue
        derivation = ws.derivations[name]
        origin = ws.origin("derivation", name)
        assert origin is not None
        for i, ex in enumerate(derivation.examples):
            table = from_example(ex.facts)
            _, engine_derived = compiled.run_engine(table)
            actual = engine_derived.get(name)
            _, traces = compiled.derive_python(table)
            missing = tuple(traces[name].missing()) if actual is None else ()
            passed = actual == ex.expect and (ex.expect is not None or set(ex.missing) == set(missing))
            results.append(ExampleResult(
                f"derived.{name}", ex.name, relative(origin.doc.file, ws.root), origin.line("examples", i),
                _word(ex.expect), _word(actual), tuple(ex.missing), missing, "", passed))
    return results


def _render_why(exp) -> str:  # type: ignore[no-untyped-def]
    from ..render.text import why_lines

    return "\n".join(why_lines(exp))
