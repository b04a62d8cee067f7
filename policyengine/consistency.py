"""Consistency between rules: duplicates, folders that disagree with areas, contradictions.

``validate`` calls :func:`check_rules`; every finding is a :class:`Problem` with the rule's file
and line. Deprecated rules are left out: retiring a rule is how a duplicate is resolved.

- **Duplicates** (error): two rules with the same scope (``applies_if``), requirement
  (``requires``) and severity count one missing fact twice and one gap twice. Retire one
  (``status: deprecated``) and list its id under the other's ``aliases``. The same scope and
  requirement with another severity is a warning: the two disagree on how much it matters.
- **Overlapping duplicates** (warning): two rules that serve a common principle (``principle`` or
  ``also_serves``) with the same requirement and scopes that can hold together (neither scope
  excludes the other), such as one rule for every stablecoin and another for privately issued
  ones. A design in both scopes is judged twice on one fact under one principle: one gap counts
  twice in the principle's score. Retire one and let the other serve both principles. The same
  requirement under different principles is allowed: the one fact answers two questions (an
  offline mode serves inclusion where connectivity is low, and privacy).
- **Folder and area** (error): a rule file lives under ``rules/<area>/`` of its principle's area,
  so a reader browsing a folder sees every rule of the area and no other.
- **Contradictions** (warning): two rules whose scopes can hold together but whose requirements
  cannot: each requires outright (at the top level or under ``all``) a comparison on the same
  fact, and no value satisfies both (``== a`` against ``== b``, ``== a`` against ``!= a``,
  ``exists`` against ``missing``, ``contains x`` against ``not contains x``, ``>= 10`` against
  ``< 5``). Scopes that exclude each other (``design.kind == e_money`` against ``== stablecoin``)
  or a scope that excludes the other rule's requirement leave the pair alone. Comparisons under
  ``any``, ``not`` or a quantifier are not judged: this is a syntactic check, sound for what it
  reports, not complete.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any, Iterator, Mapping

from .engine.logic import resolve_param
from .i18n.deferred import L_, Items
from .load import Workspace
from .models.condition import ORDERING_OPS, AllOf, Compare, Op
from .models.rule import Derivation, Lifecycle, Rule
from .problems import Problem, relative


def _live(ws: Workspace) -> list[Rule]:
    return [ws.rules[r] for r in sorted(ws.rules) if ws.rules[r].status != Lifecycle.deprecated]


def _canon(cond: Any) -> str:
    return "" if cond is None else json.dumps(cond.model_dump(mode="json", by_alias=True), sort_keys=True)


def _problem(ws: Workspace, rule: Rule, field: str, message: str, level: str = "error") -> Problem | None:
    origin = ws.origin("rule", rule.id)
    if origin is None:
        return None
    loc = (field,) if field in origin.doc.data else ("id",)
    return Problem(relative(origin.doc.file, ws.root), origin.line(*loc), field, message, level)


def duplicates(ws: Workspace) -> Iterator[Problem | None]:
    seen: dict[tuple[str, str], Rule] = {}
    for rule in _live(ws):
        key = (_canon(rule.applies_if), _canon(rule.requires))
        other = seen.get(key)
        if other is None:
            seen[key] = rule
        elif other.severity == rule.severity:
            yield _problem(ws, rule, "requires",
                           L_("same scope, requirement and severity as %(other)s: one missing fact would count twice; "
                              "retire one (status: deprecated) and list its id under the other's aliases", other=other.id))
        else:
            yield _problem(ws, rule, "severity",
                           L_("same scope and requirement as %(other)s but severity %(severity)s against "
                              "%(other_severity)s: merge them or make them differ", other=other.id,
                              severity=rule.severity.value, other_severity=other.severity.value), "warning")


def overlaps(ws: Workspace, params: dict[str, float]) -> Iterator[Problem | None]:
    """Rules of a common principle with the same requirement and scopes that can hold together
    (not the exact duplicates :func:`duplicates` reports)."""
    rules = _live(ws)
    canon = {r.id: (_canon(r.applies_if), _canon(r.requires)) for r in rules}  # once per rule, not per pair
    for a, b in itertools.combinations(rules, 2):
        (scope_a, need_a), (scope_b, need_b) = canon[a.id], canon[b.id]
        if need_a != need_b or scope_a == scope_b:
            continue
        shared = sorted(({a.principle, *a.also_serves} & {b.principle, *b.also_serves}))
        if not shared:
            continue
        if _disjoint(_by_path(conjuncts(a.applies_if, ws.derivations)), _by_path(conjuncts(b.applies_if, ws.derivations)),
                     params):
            continue
        yield _problem(ws, b, "requires",
                       L_("same requirement as %(other)s under principle %(principles)s, and scopes that overlap: a "
                          "design in both is judged twice on one fact; retire one (status: deprecated, its id under the "
                          "other's aliases, its principle under the other's also_serves) or narrow a scope",
                          other=a.id, principles=Items(shared)), "warning")


def folders(ws: Workspace) -> Iterator[Problem | None]:
    for rule in _live(ws):
        origin = ws.origin("rule", rule.id)
        principle = ws.principles.get(rule.principle)
        if origin is None or principle is None:
            continue
        folder = Path(origin.doc.file).parent.name
        area = principle.area.value
        if Path(origin.doc.file).parent.parent.name == "rules" and folder != area:
            here, there = "rules/" + folder + "/", "rules/" + area + "/"
            yield _problem(ws, rule, "principle",
                           L_("the file is under %(folder)s but its principle %(principle)s is in area %(area)s: "
                              "move it to %(target)s", folder=here, principle=rule.principle, area=area, target=there))


# -- contradictions -----------------------------------------------------------------------

def conjuncts(cond: Any, derivations: Mapping[str, Derivation] | None = None,
              _seen: frozenset[str] = frozenset()) -> list[Compare]:
    """The comparisons a condition requires outright (its top level and nested ``all``); with
    ``derivations``, ``derived.X == true`` also stands for what X's ``when`` requires outright,
    so a rule scoped on a private stablecoin is seen to exclude ``design.kind not in [stablecoin]``."""
    if isinstance(cond, Compare):
        name = cond.path.removeprefix("derived.")
        if (derivations is not None and name != cond.path and cond.op == Op.eq and cond.value is True
                and name in derivations and name not in _seen):
            return [cond, *conjuncts(derivations[name].when, derivations, _seen | {name})]
        return [cond]
    if isinstance(cond, AllOf):
        return [c for sub in cond.all for c in conjuncts(sub, derivations, _seen)]
    return []


def _values(c: Compare, params: dict[str, float]) -> list[Any]:
    values = c.value if isinstance(c.value, list) else [c.value]
    return [resolve_param(v, params) for v in values]


def clash(a: Compare, b: Compare, params: dict[str, float]) -> bool:
    """True when no value of the shared path satisfies both comparisons."""
    if a.path != b.path:
        return False
    if {a.op, b.op} == {Op.exists, Op.missing}:
        return True
    allowed: list[set[Any] | None] = []
    for c in (a, b):
        values = _values(c, params)
        allowed.append(set(values) if c.op in (Op.eq, Op.in_) else None)
    sa, sb = allowed
    if sa is not None and sb is not None:
        return not sa & sb
    for fixed, other in ((sa, b), (sb, a)):
        if fixed is not None and other.op in (Op.ne, Op.not_in):
            return fixed <= set(_values(other, params))
    if {a.op, b.op} == {Op.contains, Op.not_contains}:
        return _values(a, params) == _values(b, params)
    bounds = [(c.op, _values(c, params)[0]) for c in (a, b) if c.op in ORDERING_OPS]
    if len(bounds) == 2 and all(isinstance(v, (int, float)) for _, v in bounds):
        low = [(op, v) for op, v in bounds if op in (Op.gt, Op.ge)]
        high = [(op, v) for op, v in bounds if op in (Op.lt, Op.le)]
        if low and high:
            (lop, lv), (hop, hv) = low[0], high[0]
            return lv > hv or (lv == hv and (lop == Op.gt or hop == Op.lt))
    return False


def _by_path(comparisons: list[Compare]) -> dict[str, list[Compare]]:
    """Comparisons grouped by the fact they read: only two on the same path can clash."""
    grouped: dict[str, list[Compare]] = {}
    for c in comparisons:
        grouped.setdefault(c.path, []).append(c)
    return grouped


def _disjoint(a: dict[str, list[Compare]], b: dict[str, list[Compare]], params: dict[str, float]) -> bool:
    """True when some comparison of ``a`` and some of ``b`` on the same fact cannot both hold."""
    return any(clash(x, y, params) for path, xs in a.items() if path in b for x in xs for y in b[path])


def contradictions(ws: Workspace, params: dict[str, float]) -> Iterator[Problem | None]:
    """Pairs of rules whose scopes can hold together but whose requirements cannot."""
    rules = _live(ws)
    scope = {r.id: _by_path(conjuncts(r.applies_if, ws.derivations)) for r in rules}
    needs = {r.id: conjuncts(r.requires) for r in rules}
    need = {rid: _by_path(cs) for rid, cs in needs.items()}
    for a, b in itertools.combinations(rules, 2):
        if _disjoint(scope[a.id], scope[b.id], params):
            continue  # never in force together
        if _disjoint(scope[a.id], need[b.id], params) or _disjoint(scope[b.id], need[a.id], params):
            continue  # one rule's scope excludes the other's requirement: a design is judged by one of them
        pairs = [(x, y) for x in needs[a.id] for y in needs[b.id] if clash(x, y, params)]
        if pairs:
            x, y = pairs[0]
            yield _problem(ws, b, "requires",
                           L_("%(first)s and %(second)s cannot both be met: one requires %(one)s, the other %(other)s, "
                              "and their scopes overlap; narrow a scope or reconcile the requirements",
                              first=a.id, second=b.id, one=str(x), other=str(y)), "warning")


def check_rules(ws: Workspace, params: dict[str, float]) -> list[Problem]:
    out = [*duplicates(ws), *overlaps(ws, params), *folders(ws), *contradictions(ws, params)]
    return [p for p in out if p is not None]
