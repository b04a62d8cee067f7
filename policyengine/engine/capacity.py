"""What one durable-rules ruleset can hold, computed before the engine ever sees it.

durable-rules 2.0.28 builds, for each ruleset, an alpha network: a trie of the tests of every
rule's pattern, in the order they are written, sharing common prefixes. Its C core has fixed
limits that it reports badly or not at all (read from ``src/rules/*.c`` of the 2.0.28 sources):

- ``handleAlpha`` (events.c) walks the trie for each asserted fact with an explicit stack of
  ``MAX_STACK_SIZE = 64`` nodes, pushing every matching child of each node it visits. When a
  node has more matching children than the stack has room for, it returns error 303 *after*
  having stored part of the fact in the session state. Cleaning up that session
  (``delete_state``) then reads freed memory: the segmentation fault of issue 8 (65 derivations
  whose guard ``$nex derived__X`` hung from the same node).
- A node can link at most ``NEXT_LIST_LENGTH = 128`` absence tests (error 107),
  ``BETA_LIST_LENGTH = 256`` rule ends (error 108) and ``NEXT_BUCKET_LENGTH = 512`` other tests
  (error 106).

:func:`measure` rebuilds the same trie from our compiled definitions and computes a safe upper
bound of the stack a fact can need, and the widest fan-outs. The stage packer in
:mod:`policyengine.engine` splits stages so that every bound holds with a margin, and refuses
(:class:`~policyengine.engine.compile.CapacityError`, reported by ``validate``) the one rule or
derivation that alone cannot fit. The engine therefore never meets a state it cannot hold.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import orjson

#: events.c MAX_STACK_SIZE
STACK_SIZE = 64
#: rete.c NEXT_LIST_LENGTH, BETA_LIST_LENGTH, NEXT_BUCKET_LENGTH
NEX_CHILDREN = 128
RULE_ENDS = 256
HASH_CHILDREN = 512

#: What we allow ourselves: a margin below each limit, for anything this model misses.
STACK_BUDGET = 48
NEX_BUDGET = 100
RULE_ENDS_BUDGET = 200
HASH_BUDGET = 400


def tests_of(pattern: dict[str, Any]) -> list[dict[str, Any]]:
    """The tests of one compiled alternative (a conjunction), in order."""
    if set(pattern) == {"$and"}:
        return list(pattern["$and"])
    return [pattern]


def _classify(test: dict[str, Any]) -> tuple[str, str]:
    """(operator, property) of one test: ``eq``, ``neq``, ``ord`` (<, <=, >, >=), ``ex``, ``nex``."""
    (k, v), = test.items()
    if not k.startswith("$"):
        return "eq", k
    (prop, _), = v.items()
    if k == "$nex":
        return "nex", prop
    if k == "$ex":
        return "ex", prop
    if k == "$neq":
        return "neq", prop
    return "ord", prop


@dataclass
class _Node:
    test: dict[str, Any] | None
    children: dict[bytes, "_Node"] = field(default_factory=dict)
    ends: int = 0


@dataclass(frozen=True)
class Capacity:
    """Upper bounds of what the engine needs for one ruleset."""

    stack: int  # alpha-walk stack a fact can need, at most
    nex_children: int  # widest list of absence tests under one node
    hash_children: int  # widest set of other tests under one node
    rule_ends: int  # most rules ending at one node

    def fits(self) -> bool:
        return (self.stack <= STACK_BUDGET and self.nex_children <= NEX_BUDGET
                and self.rule_ends <= RULE_ENDS_BUDGET and self.hash_children <= HASH_BUDGET)

    def why_not(self) -> str:
        """Every bound exceeded, as one message per bound (translated where it is shown)."""
        from ..i18n.deferred import L_, Items

        parts = []
        if self.stack > STACK_BUDGET:
            parts.append(L_("up to %(count)s tests would be pending at once (the engine holds %(budget)s safely)",
                            count=self.stack, budget=STACK_BUDGET))
        if self.nex_children > NEX_BUDGET:
            parts.append(L_("%(count)s absence tests hang from one point (at most %(budget)s)",
                            count=self.nex_children, budget=NEX_BUDGET))
        if self.hash_children > HASH_BUDGET:
            parts.append(L_("%(count)s tests hang from one point (at most %(budget)s)",
                            count=self.hash_children, budget=HASH_BUDGET))
        if self.rule_ends > RULE_ENDS_BUDGET:
            parts.append(L_("%(count)s alternatives end at the same test (at most %(budget)s)",
                            count=self.rule_ends, budget=RULE_ENDS_BUDGET))
        return Items(parts, clauses=True)


def _key(test: dict[str, Any]) -> bytes:
    return orjson.dumps(test, option=orjson.OPT_SORT_KEYS)


def _is_guard(test: dict[str, Any]) -> bool:
    """The "not yet concluded" test of a derivation or auxiliary property: unique to its rule,
    so put last, where it splits nothing."""
    nex = test.get("$nex")
    return isinstance(nex, dict) and any(k.startswith(("aux__", "derived__")) for k in nex)


def order_tests(definitions: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The same rules with each conjunction's tests ordered most-shared first.

    A conjunction means the same in any order; ordering every alternative by how many
    alternatives of the ruleset share a test builds a trie whose nodes have few children (the
    anchor first, then the tests most rules share, the "not yet concluded" guards last), which
    keeps the alpha walk shallow and the network small.
    """
    freq: Counter[bytes] = Counter()
    for rule in definitions.values():
        for t in tests_of(rule["all"][0]["m"]):
            freq[_key(t)] += 1
    out: dict[str, dict[str, Any]] = {}
    for name, rule in definitions.items():
        tests = tests_of(rule["all"][0]["m"])
        anchor, rest = tests[0], tests[1:]
        rest = sorted(rest, key=lambda t: (_is_guard(t), -freq[_key(t)], _key(t)))
        ordered = [anchor, *rest]
        m = ordered[0] if len(ordered) == 1 else {"$and": ordered}
        out[name] = {**rule, "all": [{**rule["all"][0], "m": m}]}
    return out


def measure(definitions: dict[str, dict[str, Any]]) -> Capacity:
    """Rebuild the alpha trie of ``definitions`` and bound what a fact can need."""
    root = _Node(None)
    for rule in definitions.values():
        node = root
        for test in tests_of(rule["all"][0]["m"]):
            k = _key(test)
            child = node.children.get(k)
            if child is None:
                child = node.children[k] = _Node(test)
            node = child
        node.ends += 1

    widest_nex = widest_hash = most_ends = 0

    def bound(node: _Node) -> int:
        """Stack needed to walk the subtree of ``node``, counting the node's own slot."""
        nonlocal widest_nex, widest_hash, most_ends
        most_ends = max(most_ends, node.ends)
        if not node.children:
            return 1
        kinds: Counter[tuple[str, str]] = Counter()
        for child in node.children.values():
            assert child.test is not None
            kinds[_classify(child.test)] += 1
        nex = sum(n for (op, _), n in kinds.items() if op == "nex")
        widest_nex = max(widest_nex, nex)
        widest_hash = max(widest_hash, len(node.children) - nex)
        # At most one equality test per property can match a fact; every other test may.
        matching = sum(min(n, 1) if op == "eq" else n for (op, _), n in kinds.items())
        deepest = max(bound(c) for c in node.children.values())
        # durable-rules pops the node, pushes its matching children, then walks the last one
        # pushed while the others wait below it.
        return max(matching, matching - 1 + deepest)

    # The walk starts with the message's root on the stack; its children are the first tests.
    stack = bound(root)
    return Capacity(stack=stack, nex_children=widest_nex, hash_children=widest_hash, rule_ends=most_ends)
