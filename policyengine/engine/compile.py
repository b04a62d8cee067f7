"""Compile rule and derivation models into durable-rules ruleset definitions (plain JSON).

Three-valued logic on a two-valued Rete engine: every condition C compiles to two patterns,
``T(C)`` (C is certainly true) and ``F(C)`` (C is certainly false); when neither matches, C is
unknown. For a rule with scope A and requirement R the engine gets

- ``<rule>#met``: T(A) and T(R)
- ``<rule>#gap``: T(A) and F(R)
- ``<rule>#na``:  F(A)

and no pattern for unknown. A derivation D with condition C gets ``T(C)`` and ``F(C)``, each
guarded by "derived.D not yet concluded", and its action re-asserts the fact with the
conclusion, which is how durable-rules forward-chains derivations into the rules that read
them. Derivations run at a higher priority than rules.

Traps of durable-rules 2.0.28 handled here (see docs/adr/0002-engine.md):
- a pattern made only of absence tests (``$nex``) hangs the engine: every pattern is anchored
  by a positive test on the ``kind`` property;
- a fact that matches no rule raises MessageNotHandledException: the adapter treats it as
  "nothing concluded" (an always-matching rule would cost one action per stage);
- a fact with more than about 250 properties fails inside the C core: only the properties a
  ruleset reads are sent, and compilation refuses a ruleset that reads more than
  :data:`MAX_KEYS`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..i18n.deferred import L_
from ..models.condition import Compare, ForAll, ForAny, Op
from ..models.semantics import OPERATORS, Connective, Side, Visitor, list_path, parts
from ..problems import PolicyEngineError, message_of
from .logic import bind_path, resolve_param

ANCHOR_KEY = "kind"
ANCHOR_VALUE = "policyengine.facts"
ANCHOR = {ANCHOR_KEY: ANCHOR_VALUE}
MAX_KEYS = 240
#: durable rules per engine ruleset (see CompiledRuleset: wider networks overflow the C core)
CHUNK = 150
MAX_ALTERNATIVES = 256
MAX_TESTS = 200
AUX_PRIORITY = 0
DERIVATION_PRIORITY = 1
AUX_THRESHOLD = 8
#: a quantifier with more alternatives than this is concluded into an auxiliary property
QUANTIFIER_WIDTH = 8
#: an and/or/not node whose patterns have more alternatives than this is concluded first too
NODE_WIDTH = 16
#: all/any with more parts than this are combined in groups, each concluded first
GROUP = 8
RULE_PRIORITY = 10

_SAFE = re.compile(r"[^A-Za-z0-9_]")


class CapacityError(PolicyEngineError):
    """A rule or derivation needs more of the engine than it can hold; ``kind`` and ``ident``
    name it (``rule``/``derivation`` and its id) when one item is to blame."""

    def __init__(self, message: str, kind: str | None = None, ident: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.ident = ident


def key(path: str) -> str:
    """Engine property name of a fact path (dots are nested lookups in durable-rules)."""
    return path.replace(".", "__")


def has_key(path: str, value: Any) -> str:
    return f"{key(path)}__has__{_SAFE.sub('_', str(value))}"


def unresolved_key(path: str) -> str:
    return f"{key(path)}__unresolved"


def none_key(path: str) -> str:
    """A property no fact carries: the "recorded as none" side of a path that cannot be none."""
    return f"{key(path)}__none"


#: How the engine holds a limit recorded as none (models.semantics.UNLIMITED, an amount above
#: every amount): a number above every amount a file can state (amounts are at most 1e15 in
#: their currency, so at most 1e19 in USD), so the engine's own comparisons decide every
#: operator on it as ``semantics.amount`` does (tests/test_presence.py checks each one).
ENGINE_UNLIMITED = 1e300


def _and(*parts: dict[str, Any]) -> dict[str, Any]:
    flat: list[dict[str, Any]] = []
    for p in parts:
        flat.extend(p["$and"] if set(p) == {"$and"} else [p])
    return flat[0] if len(flat) == 1 else {"$and": flat}


def _or(*parts: dict[str, Any]) -> dict[str, Any]:
    flat: list[dict[str, Any]] = []
    for p in parts:
        flat.extend(p["$or"] if set(p) == {"$or"} else [p])
    return flat[0] if len(flat) == 1 else {"$or": flat}


def _ex(k: str) -> dict[str, Any]:
    return {"$ex": {k: 1}}


def _nex(k: str) -> dict[str, Any]:
    return {"$nex": {k: 1}}


def _norm(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    return float(value)


@dataclass
class Compiler:
    params: dict[str, float]
    list_paths: set[str] = field(default_factory=set)  # paths holding lists of scalars
    money_fields: set[str] = field(default_factory=set)  # last path segments holding money
    keys: set[str] = field(default_factory=set)
    #: how many items of a list (wallet tiers) the quantifier patterns cover; the compiled
    #: ruleset refuses a design with more (api compiles with the workspace's longest list)
    list_slots: int = 6

    aux_rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    aux_count: int = 0
    #: and/or/not nodes wider than this are concluded first into an auxiliary property
    node_width: int = NODE_WIDTH

    def _aux(self, t: dict[str, Any], f: dict[str, Any], *where: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """An auxiliary property ``aux__N`` that the engine concludes first, true on ``t`` and
        false on ``f`` (when ``where`` holds): a sub-condition chained in the engine like a
        derivation, so the patterns that read it stay one test wide."""
        name = f"aux__{self.aux_count}"
        self.aux_count += 1
        self.keys.add(name)
        guard = _nex(name)
        self.aux_rules.update(_rules(_and(ANCHOR, guard, *where, t), f"aux:{name}#true", AUX_PRIORITY))
        self.aux_rules.update(_rules(_and(ANCHOR, guard, *where, f), f"aux:{name}#false", AUX_PRIORITY))
        return {name: True}, {name: False}

    def _k(self, path: str) -> str:
        k = key(path)
        self.keys.add(k)
        return k

    def tf(self, cond: Any, bindings: dict[str, str] | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
        """The (certainly true, certainly false) patterns of a condition."""
        return _Patterns(self).visit(cond, bindings or {})

    def _compare(self, cond: Compare, path: str) -> tuple[dict[str, Any], dict[str, Any]]:
        op = cond.op
        k = self._k(path)
        if OPERATORS[op].presence:
            # models.semantics: recorded with a value (an amount not yet converted included) is
            # true, recorded as none is false, not recorded is neither (unknown).
            if path.rsplit(".", 1)[-1] in self.money_fields:
                uk = unresolved_key(path)
                self.keys.add(uk)
                amount: dict[str, Any] = _or(_and(_ex(k), {"$lt": {k: ENGINE_UNLIMITED}}), _ex(uk))
                t, f = amount, {k: ENGINE_UNLIMITED}
            else:
                nk = none_key(path)  # never carried: such a fact cannot be recorded as none
                self.keys.add(nk)
                t, f = _ex(k), {nk: True}
            return (t, f) if OPERATORS[op].holds(0.0, None) else (f, t)  # exists holds on a value
        value = resolve_param(cond.value, self.params)
        if op in (Op.contains, Op.not_contains):
            hk = has_key(path, value)
            self.keys.add(hk)
            t, f = {hk: True}, _and(_ex(k), _nex(hk))
            return (t, f) if op == Op.contains else (f, t)
        if op in (Op.in_, Op.not_in):
            inside = _and(_ex(k), _or(*({k: _norm(v)} for v in value)))
            outside = _and(_ex(k), *({"$neq": {k: _norm(v)}} for v in value))
            return (inside, outside) if op == Op.in_ else (outside, inside)
        value = _norm(value)
        negation = OPERATORS[op].negation
        return _and(_ex(k), self._test(op, k, value)), _and(_ex(k), self._test(negation, k, value))

    @staticmethod
    def _test(op: Op, k: str, value: Any) -> dict[str, Any]:
        if op == Op.eq:
            return {k: value}
        name = {Op.ne: "$neq", Op.lt: "$lt", Op.le: "$lte", Op.gt: "$gt", Op.ge: "$gte"}[op]
        return {name: {k: value}}


class _Patterns(Visitor[tuple[dict[str, Any], dict[str, Any]], dict[str, str]]):
    """The compilation pass: each node's "certainly true" and "certainly false" patterns, built
    from the two sides of its connective (models.semantics), so the engine decides exactly what
    the Kleene evaluator decides."""

    def __init__(self, compiler: "Compiler") -> None:
        self.c = compiler

    def compare(self, cond: Compare, bindings: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
        return self.c._compare(cond, bind_path(cond.path, bindings))

    def combination(self, cond: Any, connective: Connective, bindings: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
        pairs = [self.visit(part, bindings) for _, part in parts(cond)]
        # all/any are associative: many parts are combined in groups, each concluded first
        while len(pairs) > GROUP:
            pairs = [self._combined(connective, pairs[i:i + GROUP], conclude=True) for i in range(0, len(pairs), GROUP)]
        return self._combined(connective, pairs, conclude=False)

    def _combined(self, connective: Connective, pairs: list[tuple[dict[str, Any], dict[str, Any]]],
                  conclude: bool) -> tuple[dict[str, Any], dict[str, Any]]:
        def sides() -> tuple[dict[str, Any], dict[str, Any]]:
            def side(s: Side) -> dict[str, Any]:
                quantifier, wanted = s
                chosen = [t if wanted else f for t, f in pairs]
                return _and(*chosen) if quantifier == "every" else _or(*chosen)
            return side(connective.true_when), side(connective.false_when)

        t, f = sides()
        if max(width(t), width(f)) > self.c.node_width:
            # Alternatives multiply through and/or: the engine concludes the wide parts first
            # (auxiliary properties chained like derivations), so this node stays narrow and no
            # rule ever needs more alternatives than durable-rules takes.
            pairs = [p if max(width(p[0]), width(p[1])) == 1 else self.c._aux(*p) for p in pairs]
            t, f = sides()
        if conclude or max(width(t), width(f)) > self.c.node_width:
            return self.c._aux(t, f)
        return t, f

    def quantifier(self, cond: ForAny | ForAll, connective: Connective,
                   bindings: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
        # Both patterns come out as disjunctions of small conjunctions, the shape durable-rules
        # accepts (an and-of-ors of more than ~14 parts is refused):
        #   "some item is W":  OR_i (count > i and W_i)
        #   "every item is W": OR_n (count == n and the list is complete and W_0 .. W_n-1)
        items = bind_path(list_path(cond), bindings)
        count = self.c._k(items)
        slots = [self.visit(cond.where, {**bindings, "item": f"{items}.{i}"}) for i in range(self.c.list_slots)]
        item_width = max(width(slots[0][0]), width(slots[0][1]))
        if item_width ** self.c.list_slots > AUX_THRESHOLD:
            # An item condition with alternatives multiplies them across the slots (and with
            # the rest of the rule): let the engine conclude each item first, into an
            # auxiliary property (a derivation per item, chained like the others).
            slots = [self.c._aux(t, f, {"$gt": {count: float(i)}}) for i, (t, f) in enumerate(slots)]
        complete = self.c._k(f"{items}_complete")

        def side(s: Side) -> dict[str, Any]:
            quantifier, wanted = s
            pick = 0 if wanted else 1
            if quantifier == "some":
                return _or(*(_and({"$gt": {count: float(i)}}, slots[i][pick]) for i in range(self.c.list_slots)))
            return _or(*(_and({count: float(n)}, {complete: True}, *(slots[i][pick] for i in range(n)))
                         for n in range(self.c.list_slots + 1)))

        t, f = side(connective.true_when), side(connective.false_when)
        if max(width(t), width(f)) > min(QUANTIFIER_WIDTH, self.c.node_width):
            # Many items: conclude the quantifier itself first, so a rule that combines it with
            # other parts does not multiply its alternatives.
            return self.c._aux(t, f)
        return t, f


def rule_patterns(compiler: Compiler, rule_id: str, applies_if: Any, requires: Any) -> dict[str, dict[str, Any]]:
    """The durable-rules definitions of one rule, keyed by ``<rule>#<status>#<n>``."""
    r_t, r_f = compiler.tf(requires)
    out: dict[str, dict[str, Any]] = {}
    if applies_if is None:
        out.update(_rules(_and(ANCHOR, r_t), f"{rule_id}#met", RULE_PRIORITY))
        out.update(_rules(_and(ANCHOR, r_f), f"{rule_id}#gap", RULE_PRIORITY))
        return out
    a_t, a_f = compiler.tf(applies_if)
    if width(a_t) * max(width(r_t), width(r_f)) > compiler.node_width * compiler.node_width:
        # scope and requirement would multiply: conclude the requirement first
        r_t, r_f = compiler._aux(r_t, r_f)
    out.update(_rules(_and(ANCHOR, a_t, r_t), f"{rule_id}#met", RULE_PRIORITY))
    out.update(_rules(_and(ANCHOR, a_t, r_f), f"{rule_id}#gap", RULE_PRIORITY))
    out.update(_rules(_and(ANCHOR, a_f), f"{rule_id}#not_applicable", RULE_PRIORITY))
    return out


def derivation_patterns(compiler: Compiler, name: str, when: Any) -> dict[str, dict[str, Any]]:
    t, f = compiler.tf(when)
    dk = compiler._k(f"derived.{name}")
    out = _rules(_and(ANCHOR, _nex(dk), t), f"derive:{name}#true", DERIVATION_PRIORITY)
    out.update(_rules(_and(ANCHOR, _nex(dk), f), f"derive:{name}#false", DERIVATION_PRIORITY))
    return out


def width(pattern: dict[str, Any]) -> int:
    """How many alternatives the pattern's disjunctive form has, without building it."""
    if set(pattern) == {"$and"}:
        out = 1
        for part in pattern["$and"]:
            out *= width(part)
        return out
    if set(pattern) == {"$or"}:
        return sum(width(part) for part in pattern["$or"])
    return 1


def dnf(pattern: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """The pattern as a disjunction of conjunctions of tests."""
    if set(pattern) == {"$and"}:
        out: list[list[dict[str, Any]]] = [[]]
        for part in pattern["$and"]:
            out = [a + b for a in out for b in dnf(part)]
            if len(out) > MAX_ALTERNATIVES:
                raise CapacityError(L_("more than %(count)s alternatives", count=MAX_ALTERNATIVES))
        return out
    if set(pattern) == {"$or"}:
        out = [conj for part in pattern["$or"] for conj in dnf(part)]
        if len(out) > MAX_ALTERNATIVES:
            raise CapacityError(L_("more than %(count)s alternatives", count=MAX_ALTERNATIVES))
        return out
    return [[pattern]]


def _rules(pattern: dict[str, Any], action: str, priority: int) -> dict[str, dict[str, Any]]:
    """The pattern in disjunctive form, one durable-rules rule per alternative (all running the
    same action): durable-rules refuses a single pattern with more than ~20 alternatives. Each
    alternative is anchored by the positive test on ``kind`` (absence tests alone hang it)."""
    try:
        alternatives = dnf(pattern)
    except CapacityError as exc:
        raise CapacityError(L_("%(item)s: the condition is too complex for the engine (%(why)s); split it into a "
                               "derivation and a rule", item=action.split("#")[0], why=message_of(exc))) from None
    out: dict[str, dict[str, Any]] = {}
    for n, conj in enumerate(alternatives):
        unique: list[dict[str, Any]] = []
        for test in conj:
            if test not in unique:
                unique.append(test)
        if len(unique) > MAX_TESTS:
            raise CapacityError(L_("%(item)s: one alternative of the condition has %(count)s tests; the engine takes at "
                                   "most %(limit)s", item=action.split("#")[0], count=len(unique), limit=MAX_TESTS))
        out[f"{action}#{n}"] = {"all": [{"m": _and(*unique)}], "pri": priority, "run": action}
    return out


def keys_of(definitions: dict[str, dict[str, Any]]) -> set[str]:
    """Every fact property the durable rules of a stage test."""
    found: set[str] = set()

    def walk(test: Any) -> None:
        if isinstance(test, list):
            for t in test:
                walk(t)
            return
        for k, v in test.items():
            if k in ("$and", "$or"):
                walk(v)
            elif k.startswith("$"):
                found.update(v)
            else:
                found.add(k)

    for rule in definitions.values():
        for pattern in rule["all"]:
            walk(pattern["m"])
    found.discard(ANCHOR_KEY)
    return found
