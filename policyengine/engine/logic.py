"""Three-valued (Kleene) evaluation of conditions in plain Python, with a trace.

The durable-rules engine decides statuses and chains derivations; this module re-traces the
same conditions to produce the evidence (each fact read), the missing facts, and the why-tree
of an explanation, and it is the reference the engine is checked against. ``None`` is
*unknown*.

The semantics itself (operators, connectives, the partial-list rule) is defined once in
:mod:`policyengine.models.semantics`; this module is the pass that applies it to facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..facts import FactTable, FactValue
from ..models.condition import Compare, ForAll, ForAny
from ..models.semantics import Connective, Visitor, combine, list_path, parts, truth

Truth = bool | None


@dataclass
class Trace:
    """How one node of a condition evaluated."""

    node: Any
    value: Truth
    label_text: str | None  # None: the node's own text, computed only when shown
    fact: FactValue | None = None
    path: str | None = None
    children: list["Trace"] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.label_text if self.label_text is not None else str(self.node)

    @label.setter
    def label(self, text: str) -> None:
        self.label_text = text

    def missing(self) -> list[str]:
        """Facts whose absence made this node unknown (empty unless it is unknown)."""
        if self.value is not None:
            return []
        if not self.children:
            if self.fact is not None and not self.fact.resolved:
                return [self.path or "", *self.fact.needs]
            return [self.path] if self.path else []
        out: list[str] = []
        for child in self.children:
            for m in child.missing():
                if m not in out:
                    out.append(m)
        if not out and self.path:  # unknown although every part is decided: the node's own fact
            out.append(self.path)
        return out

    def facts_read(self) -> list[FactValue]:
        out: list[FactValue] = []
        if self.fact is not None:
            out.append(self.fact)
        for child in self.children:
            out.extend(child.facts_read())
        return out

    def paths_read(self) -> list[str]:
        out = [self.path] if self.path else []
        for child in self.children:
            out.extend(child.paths_read())
        return out


def resolve_param(value: Any, params: dict[str, float]) -> Any:
    if isinstance(value, str) and value.startswith("$"):
        return params[value[1:]]
    if isinstance(value, list):
        return [resolve_param(v, params) for v in value]
    return value


def bind_path(path: str, bindings: dict[str, str]) -> str:
    if not bindings:
        return path
    head, _, rest = path.partition(".")
    if head in bindings:
        return f"{bindings[head]}.{rest}"
    return path


class _Evaluator(Visitor[Trace, dict[str, str]]):
    """The Kleene evaluation pass: a trace per node, its value from the connective table."""

    def __init__(self, table: FactTable, params: dict[str, float]) -> None:
        self.table = table
        self.params = params

    def compare(self, cond: Compare, bindings: dict[str, str]) -> Trace:
        path = bind_path(cond.path, bindings)
        fact = self.table.get(path)
        if fact is None:
            return Trace(cond, None, None, None, path)
        expected = resolve_param(cond.value, self.params)
        return Trace(cond, truth(cond.op, True, fact.resolved, fact.value, expected), None, fact, path)

    def combination(self, cond: Any, connective: Connective, bindings: dict[str, str]) -> Trace:
        kids = [self.visit(part, bindings) for _, part in parts(cond)]
        label = {"all": "all of", "any": "any of", "not": "not"}[connective.name]
        return Trace(cond, combine(connective, [k.value for k in kids]), label, children=kids)

    def quantifier(self, cond: ForAny | ForAll, connective: Connective, bindings: dict[str, str]) -> Trace:
        items = bind_path(list_path(cond), bindings)
        word = "any" if isinstance(cond, ForAny) else "every"
        fact = self.table.get(items)
        if fact is None or not isinstance(fact.value, int):
            return Trace(cond, None, f"for {word} item of {items}", fact, items)
        kids = []
        for i in range(fact.value):
            kid = self.visit(cond.where, {**bindings, "item": f"{items}.{i}"})
            kid.label = f"item {i + 1}: {kid.label}"
            kids.append(kid)
        values = [k.value for k in kids]
        complete = self.table.value(f"{items}_complete") is not False
        value = combine(connective, values, complete)
        if value is None and combine(connective, values) is not None:
            # Decided only if the list were complete: a partial list can show that some item
            # matches (any) or fails (all), never that no item does.
            return Trace(cond, None, f"for {word} item of {items} (list recorded in part)", fact,
                         f"{items}_complete", kids)
        return Trace(cond, value, f"for {word} item of {items}", fact, items, kids)


def evaluate(cond: Any, table: FactTable, params: dict[str, float],
             bindings: dict[str, str] | None = None) -> Trace:
    """The three-valued value of ``cond`` over ``table``, with the trace of every node."""
    return _Evaluator(table, params).visit(cond, bindings or {})
