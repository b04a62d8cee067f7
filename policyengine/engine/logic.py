"""Three-valued (Kleene) evaluation of conditions in plain Python, with a trace.

The durable-rules engine decides statuses and chains derivations; this module re-traces the
same conditions to produce the evidence (each fact read), the missing facts, and the why-tree
of an explanation, and it is the reference the engine is checked against. ``None`` is
*unknown*.

- a comparison on a fact that is absent (or an amount that could not be converted) is unknown;
- ``all``: false if any part is false, else unknown if any is unknown, else true;
- ``any``: true if any part is true, else unknown if any is unknown, else false;
- ``not`` swaps true and false and keeps unknown;
- ``exists`` / ``missing`` are never unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..facts import FactTable, FactValue
from ..models.condition import AllOf, AnyOf, Compare, ForAll, ForAny, NotOf, Op

Truth = bool | None


@dataclass
class Trace:
    """How one node of a condition evaluated."""

    node: Any
    value: Truth
    label: str
    fact: FactValue | None = None
    path: str | None = None
    children: list["Trace"] = field(default_factory=list)

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
    head, _, rest = path.partition(".")
    if head in bindings:
        return f"{bindings[head]}.{rest}"
    return path


def _compare(op: Op, actual: Any, expected: Any) -> bool:
    if op == Op.eq:
        return _eq(actual, expected)
    if op == Op.ne:
        return not _eq(actual, expected)
    if op == Op.in_:
        return any(_eq(actual, e) for e in expected)
    if op == Op.not_in:
        return not any(_eq(actual, e) for e in expected)
    if op == Op.contains:
        return any(_eq(a, expected) for a in actual)
    if op == Op.not_contains:
        return not any(_eq(a, expected) for a in actual)
    a, e = float(actual), float(expected)
    return {Op.lt: a < e, Op.le: a <= e, Op.gt: a > e, Op.ge: a >= e}[op]


def _eq(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or a == b and type(a) is type(b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    return a == b


def evaluate(cond: Any, table: FactTable, params: dict[str, float],
             bindings: dict[str, str] | None = None) -> Trace:
    bindings = bindings or {}
    if isinstance(cond, Compare):
        path = bind_path(cond.path, bindings)
        fact = table.get(path)
        label = str(cond)
        if cond.op in (Op.exists, Op.missing):
            present = fact is not None
            return Trace(cond, present if cond.op == Op.exists else not present, label, fact, path)
        if fact is None or not fact.resolved:
            return Trace(cond, None, label, fact, path)
        expected = resolve_param(cond.value, params)
        return Trace(cond, _compare(cond.op, fact.value, expected), label, fact, path)
    if isinstance(cond, AllOf):
        kids = [evaluate(c, table, params, bindings) for c in cond.all]
        return Trace(cond, _all([k.value for k in kids]), "all of", children=kids)
    if isinstance(cond, AnyOf):
        kids = [evaluate(c, table, params, bindings) for c in cond.any]
        return Trace(cond, _any([k.value for k in kids]), "any of", children=kids)
    if isinstance(cond, NotOf):
        kid = evaluate(cond.not_, table, params, bindings)
        return Trace(cond, None if kid.value is None else not kid.value, "not", children=[kid])
    if isinstance(cond, (ForAny, ForAll)):
        list_path = bind_path(cond.for_any if isinstance(cond, ForAny) else cond.for_all, bindings)
        word = "any" if isinstance(cond, ForAny) else "every"
        fact = table.get(list_path)
        if fact is None or not isinstance(fact.value, int):
            return Trace(cond, None, f"for {word} item of {list_path}", fact, list_path)
        kids = []
        for i in range(fact.value):
            kid = evaluate(cond.where, table, params, {**bindings, "item": f"{list_path}.{i}"})
            kid.label = f"item {i + 1}: {kid.label}"
            kids.append(kid)
        values = [k.value for k in kids]
        value = _any(values) if isinstance(cond, ForAny) else _all(values)
        if table.value(f"{list_path}_complete") is False and value is (isinstance(cond, ForAll)):
            # A partial list can show that some item matches (any) or fails (all), never that
            # no item does: that side stays unknown.
            value = None
            return Trace(cond, value, f"for {word} item of {list_path} (list recorded in part)", fact,
                         f"{list_path}_complete", kids)
        return Trace(cond, value, f"for {word} item of {list_path}", fact, list_path, kids)
    raise TypeError(f"not a condition: {cond!r}")


def _all(values: list[Truth]) -> Truth:
    if any(v is False for v in values):
        return False
    if any(v is None for v in values):
        return None
    return True


def _any(values: list[Truth]) -> Truth:
    if any(v is True for v in values):
        return True
    if any(v is None for v in values):
        return None
    return False
