"""What a condition means: defined once, used by every pass over conditions.

Two tables and one traversal:

- :data:`OPERATORS`: for each comparison operator, how it is decided on a value, its negation,
  the kinds of fact it may compare, and how it reads in a sentence;
- :data:`CONNECTIVES`: for ``all``, ``any``, ``not``, ``for_any`` and ``for_all``, when the
  combination is *certainly true* and when it is *certainly false*, as a quantifier ("every" /
  "some") over the parts' values. The three-valued (Kleene) evaluator, the compiler to
  durable-rules (which builds a "certainly true" and a "certainly false" pattern per node) and
  the explanation of a closing change all read these two sides, so they cannot disagree;
- :class:`Visitor` and :func:`walk`: the one traversal of a condition tree. Evaluation,
  compilation, explanation, rendering, validation and coverage are passes over it.

Kleene semantics, the reference: a comparison on an absent fact (or an amount that could not
be converted) is unknown; a combination is true when its "true" side holds, false when its
"false" side holds, unknown otherwise. Over a list of records recorded only in part
(``<list>_complete`` false), the "every" side of a quantifier cannot hold: a partial list shows
that some tier has a feature, never that none has.

Presence (``exists``/``missing``) is three-valued too: a fact left out of a file was not
recorded, which says nothing about the world. ``exists`` is *true* when a value is recorded
(an amount not yet converted to USD included), *false* when a limit is recorded as ``none``
(:data:`UNLIMITED`: a source states there is no such limit), and *unknown* when nothing is
recorded; ``missing`` is its negation. A limit recorded as none compares as an amount above
every amount: ``<``, ``<=``, ``==`` and ``in`` are false on it, ``>``, ``>=``, ``!=`` and
``not in`` true (see :func:`amount`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Generic, Iterator, Literal, TypeVar

from ..i18n import N_
from .condition import AllOf, AnyOf, Compare, ForAll, ForAny, NotOf, Op

Truth = bool | None
R = TypeVar("R")
C = TypeVar("C")


# -- operators -----------------------------------------------------------------------------

def same(a: Any, b: Any) -> bool:
    """Equality as rules mean it: booleans only equal booleans; 3 equals 3.0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or (a == b and type(a) is type(b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    return bool(a == b)


class Unlimited(str):
    """The value of a limit recorded as ``none``: there is no such limit (an amount above every
    amount). A ``str`` (``"none"``) so that evidence and JSON show it as written."""

    __slots__ = ()

    def __new__(cls) -> "Unlimited":
        return super().__new__(cls, "none")


#: The one value of a limit recorded as none (written ``none``, ``common.NO_LIMIT``).
UNLIMITED = Unlimited()


def is_unlimited(value: Any) -> bool:
    return isinstance(value, Unlimited)


def amount(v: Any) -> float:
    """A value as a number to compare: a limit recorded as none is above every amount."""
    return math.inf if is_unlimited(v) else float(v)


def recorded(value: Any) -> bool:
    """``exists`` on a fact that is present: true unless it records that there is no such limit."""
    return not is_unlimited(value)


@dataclass(frozen=True)
class Operator:
    """One comparison operator."""

    op: Op
    negation: Op
    #: "unary" (no value), "scalar" (one value) or "list" (a list of values)
    arity: Literal["unary", "scalar", "list"]
    #: the kinds of fact (see paths.PathInfo.kind) it may compare
    accepts: frozenset[str]
    #: how it reads after the fact's name: "{path} is below {value}"
    phrase: str
    holds: Callable[[Any, Any], bool]
    #: what validate says when the fact is of a kind it does not accept
    refuses: str = N_("%(path)s is a list: use contains / not contains")

    @property
    def presence(self) -> bool:
        """``exists``/``missing``: decided by what is recorded, not by the value, so an amount
        that could not be converted to USD still decides it (as true)."""
        return self.arity == "unary"


_ANY_SCALAR = frozenset({"bool", "number", "money", "text", "enum"})
_NUMERIC = frozenset({"number", "money"})
_NUMBERS_ONLY = N_("'%(op)s' compares numbers; %(path)s is %(kind)s")
_LISTS_ONLY = N_("'%(op)s' needs a list; %(path)s is %(kind)s")

OPERATORS: dict[Op, Operator] = {o.op: o for o in (
    Operator(Op.eq, Op.ne, "scalar", _ANY_SCALAR, "is {value}", lambda a, e: same(a, e)),
    Operator(Op.ne, Op.eq, "scalar", _ANY_SCALAR, "is not {value}", lambda a, e: not same(a, e)),
    Operator(Op.lt, Op.ge, "scalar", _NUMERIC, "is below {value}", lambda a, e: amount(a) < amount(e), _NUMBERS_ONLY),
    Operator(Op.le, Op.gt, "scalar", _NUMERIC, "is at most {value}", lambda a, e: amount(a) <= amount(e), _NUMBERS_ONLY),
    Operator(Op.gt, Op.le, "scalar", _NUMERIC, "is above {value}", lambda a, e: amount(a) > amount(e), _NUMBERS_ONLY),
    Operator(Op.ge, Op.lt, "scalar", _NUMERIC, "is at least {value}", lambda a, e: amount(a) >= amount(e), _NUMBERS_ONLY),
    Operator(Op.in_, Op.not_in, "list", _ANY_SCALAR, "is one of {value}",
             lambda a, e: any(same(a, x) for x in e)),
    Operator(Op.not_in, Op.in_, "list", _ANY_SCALAR, "is none of {value}",
             lambda a, e: not any(same(a, x) for x in e)),
    Operator(Op.contains, Op.not_contains, "scalar", frozenset({"list"}), "includes {value}",
             lambda a, e: any(same(x, e) for x in a), _LISTS_ONLY),
    Operator(Op.not_contains, Op.contains, "scalar", frozenset({"list"}), "does not include {value}",
             lambda a, e: not any(same(x, e) for x in a), _LISTS_ONLY),
    Operator(Op.exists, Op.missing, "unary", frozenset({"bool", "number", "money", "text", "enum", "list", "items"}),
             "is recorded with a value", lambda a, e: recorded(a)),
    Operator(Op.missing, Op.exists, "unary", frozenset({"bool", "number", "money", "text", "enum", "list", "items"}),
             "is recorded as none (no such limit)", lambda a, e: not recorded(a)),
)}


def quantified(cond: Any) -> str:
    """The list a ``for_any``/``for_all`` quantifies over."""
    return list_path(cond)


def decide(op: Op, actual: Any, expected: Any) -> bool:
    """A comparison on a recorded value (``exists``/``missing``: on a recorded fact)."""
    return OPERATORS[op].holds(actual, expected)


def truth(op: Op, present: bool, resolved: bool, actual: Any, expected: Any) -> Truth:
    """The Kleene value of one comparison: unknown on a fact not recorded, and (except for
    ``exists``/``missing``) on an amount that could not be converted."""
    if not present:
        return None
    if OPERATORS[op].presence:
        return decide(op, actual, expected)
    if not resolved:
        return None
    return decide(op, actual, expected)


# -- connectives ---------------------------------------------------------------------------

Side = tuple[Literal["every", "some"], bool]  # ("every", True): every part is true


@dataclass(frozen=True)
class Connective:
    """When a combination is certainly true, and when certainly false."""

    name: str
    true_when: Side
    false_when: Side
    #: over list items: the "every" side needs the list to be recorded in full
    over_items: bool = False


CONNECTIVES: dict[str, Connective] = {c.name: c for c in (
    Connective("all", ("every", True), ("some", False)),
    Connective("any", ("some", True), ("every", False)),
    Connective("not", ("every", False), ("every", True)),
    Connective("for_any", ("some", True), ("every", False), over_items=True),
    Connective("for_all", ("every", True), ("some", False), over_items=True),
)}


def connective_of(cond: Any) -> Connective:
    return CONNECTIVES[tag_of(cond)]


def side_holds(side: Side, values: list[Truth], complete: bool = True) -> bool:
    """Whether one side of a connective holds over the parts' values (``complete`` false: an
    "every" side cannot hold)."""
    quantifier, wanted = side
    if quantifier == "some":
        return any(v is wanted for v in values)
    return complete and all(v is wanted for v in values)


def combine(connective: Connective, values: list[Truth], complete: bool = True) -> Truth:
    """The Kleene value of a combination, from its parts' values."""
    full = complete or not connective.over_items
    if side_holds(connective.true_when, values, full):
        return True
    if side_holds(connective.false_when, values, full):
        return False
    return None


# -- the one traversal ---------------------------------------------------------------------

def tag_of(cond: Any) -> str:
    if isinstance(cond, Compare):
        return "compare"
    if isinstance(cond, AllOf):
        return "all"
    if isinstance(cond, AnyOf):
        return "any"
    if isinstance(cond, NotOf):
        return "not"
    if isinstance(cond, ForAny):
        return "for_any"
    if isinstance(cond, ForAll):
        return "for_all"
    raise TypeError(f"not a condition: {cond!r}")


def parts(cond: Any) -> list[tuple[tuple[Any, ...], Any]]:
    """The sub-conditions of a node, each with its location relative to the node."""
    if isinstance(cond, AllOf):
        return [(("all", i), c) for i, c in enumerate(cond.all)]
    if isinstance(cond, AnyOf):
        return [(("any", i), c) for i, c in enumerate(cond.any)]
    if isinstance(cond, NotOf):
        return [(("not",), cond.not_)]
    if isinstance(cond, (ForAny, ForAll)):
        return [(("where",), cond.where)]
    return []


def list_path(cond: ForAny | ForAll) -> str:
    return cond.for_any if isinstance(cond, ForAny) else cond.for_all


class Visitor(Generic[R, C]):
    """A pass over a condition tree: one method per kind of node, each given a context.

    :meth:`visit` dispatches; methods call it on the parts they need (an evaluator visits a
    quantifier's ``where`` once per item, a validator once with the item fields in scope).
    """

    def visit(self, cond: Any, ctx: C) -> R:
        tag = tag_of(cond)
        if tag == "compare":
            return self.compare(cond, ctx)
        if tag in ("for_any", "for_all"):
            return self.quantifier(cond, CONNECTIVES[tag], ctx)
        return self.combination(cond, CONNECTIVES[tag], ctx)

    def compare(self, cond: Compare, ctx: C) -> R:  # pragma: no cover - abstract
        raise NotImplementedError

    def combination(self, cond: Any, connective: Connective, ctx: C) -> R:  # pragma: no cover - abstract
        raise NotImplementedError

    def quantifier(self, cond: ForAny | ForAll, connective: Connective, ctx: C) -> R:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass(frozen=True)
class Visit:
    """A node met by :func:`walk`: where it is in the file, and the list quantified over
    (``None`` outside any ``for_any``/``for_all``)."""

    node: Any
    loc: tuple[Any, ...]
    scope: str | None


def walk(cond: Any, loc: tuple[Any, ...] = (), scope: str | None = None) -> Iterator[Visit]:
    """Every node of a condition tree, depth first, with its location and quantifier scope."""
    yield Visit(cond, loc, scope)
    inner = list_path(cond) if isinstance(cond, (ForAny, ForAll)) else scope
    for sub, part in parts(cond):
        yield from walk(part, loc + sub, inner)


def render(cond: Any, indent: int = 0) -> str:
    """A readable one-line-per-node rendering, for explanations and docs."""
    pad = "  " * indent
    if isinstance(cond, Compare):
        return pad + str(cond)
    head = {"all": "all of:", "any": "any of:", "not": "not:"}.get(tag_of(cond))
    if head is None:
        word = "any item" if isinstance(cond, ForAny) else "every item"
        head = f"for {word} of {list_path(cond)}:"
    return pad + head + "\n" + "\n".join(render(p, indent + 1) for _, p in parts(cond))
