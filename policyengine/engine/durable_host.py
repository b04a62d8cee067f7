"""The one module that imports durable-rules.

It takes compiled ruleset definitions (plain JSON) and engine facts (flat dicts), and returns
which rule patterns fired and what the derivations concluded. Each stage of a compiled ruleset
is one durable-rules ruleset (a Rete network in its C core) under a unique name; each
assessment gets its own session id per stage, and its facts and state are removed when it
ends, so assessments never see each other.

We drive the C core through its extension module (``durable_rules_engine``: assert, start
action, complete action, retract, delete state), not through ``durable.engine.Host``: the Host
layer wraps every action in closures, re-serialises the session state to JSON and parses the
whole matched fact for each of the ~300 actions of an assessment, which made the engine three
times slower than plain Python for no gain to us. What we skip is only that Python layer; the
matching, the agenda, the priorities and the forward chaining are durable-rules' own.
"""

from __future__ import annotations

import itertools
import weakref
from dataclasses import dataclass, field
from typing import Any

import durable_rules_engine as core
import orjson

from ..problems import PolicyEngineError
from .compile import ANCHOR_KEY, ANCHOR_VALUE

_names = itertools.count(1)
_sessions = itertools.count(1)

#: The action of the catch-all rule every stage gets (see DurableRuleset).
SETTLED = "settled"
SETTLED_RULE: dict[str, Any] = {"all": [{"m": {ANCHOR_KEY: ANCHOR_VALUE}}], "pri": 1000, "run": SETTLED}
#: durable-rules' result codes (src/rules/rules.h)
_OK, _NOT_HANDLED = 0, 1


class EngineError(PolicyEngineError):
    """durable-rules failed; the message says how. Never turned into an 'unknown'."""


@dataclass
class Run:
    """What one assessment's session concluded."""

    fired: dict[str, str] = field(default_factory=dict)  # rule id -> status
    derived: dict[str, bool] = field(default_factory=dict)
    aux: dict[str, bool] = field(default_factory=dict)
    chained: int = 0  # how many times an action re-asserted the fact
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Action:
    """What a durable rule's action does, decoded once from its ``run`` name."""

    kind: str  # "rule", "derive", "aux" or "settled"
    name: str  # rule id, derivation name or auxiliary property
    value: str  # the status ("met", "gap", "not_applicable") or "true"/"false"


def _decode(run: str) -> _Action:
    if run == SETTLED:
        return _Action("settled", "", "")
    for kind in ("aux", "derive"):
        if run.startswith(kind + ":"):
            name, _, value = run[len(kind) + 1:].partition("#")
            return _Action(kind, name, value)
    rule_id, _, status = run.partition("#")
    return _Action("rule", rule_id, status)


def _free(handles: list[int], health: dict[str, bool]) -> None:
    if health["broken"]:
        return  # a ruleset whose C state failed part-way is leaked, not freed: freeing it could crash
    for handle in handles:
        try:
            core.delete_ruleset(handle)
        except Exception:
            pass


class DurableRuleset:
    """Compiled stages loaded into durable-rules, one engine ruleset per stage.

    The first stages conclude the derivations (forward-chained inside the engine, in
    topological order across stages); their conclusions are added to the fact that every later
    stage receives.
    """

    def __init__(self, stages: list[dict[str, dict[str, Any]]]) -> None:
        base = f"policyengine_{next(_names)}"
        self.names: list[str] = []
        self._handles: list[int] = []
        self._actions: list[dict[str, _Action]] = []
        self._health = {"broken": False}
        weakref.finalize(self, _free, self._handles, self._health)
        for i, definitions in enumerate(stages):
            name = f"{base}_{i}"
            rules = dict(definitions)
            # Every stage handles every fact: a session whose fact matched no rule is left with
            # uninitialised C state (its action context is never set), and deleting it frees a
            # garbage pointer - a segmentation fault - while not deleting it leaks the state
            # (about 4 MB per assessment) and, after 1,024 sessions, fills the ruleset's state
            # index. A lowest-priority rule that matches the anchor settles both.
            rules["__settled"] = SETTLED_RULE
            actions = {rule_name: _decode(rule["run"]) for rule_name, rule in rules.items()}
            spec = {rule_name: {k: v for k, v in rule.items() if k != "run"} for rule_name, rule in rules.items()}
            try:
                handle = core.create_ruleset(name, orjson.dumps(spec).decode("utf-8"))
            except Exception as exc:
                raise EngineError(f"durable-rules refused the compiled ruleset (stage {i}): {exc}") from exc
            self.names.append(name)
            self._handles.append(handle)
            self._actions.append(actions)

    def run(self, fact: dict[str, Any], stage_keys: list[frozenset[str]]) -> Run:
        if self._health["broken"]:
            raise EngineError("the rule engine failed on an earlier assessment with this ruleset; compile it again")
        run = Run()
        for i, handle in enumerate(self._handles):
            # Conclusions of earlier stages (derivations, and the auxiliary sub-conditions of a
            # rule split across stages) are part of the fact every later stage receives.
            fact = dict(fact, **{f"derived__{k}": v for k, v in run.derived.items()}, **run.aux)
            sid = f"s{next(_sessions)}"
            keys = stage_keys[i]
            staged = {k: v for k, v in fact.items() if k in keys}
            staged[ANCHOR_KEY] = ANCHOR_VALUE
            staged["sid"] = sid
            try:
                current = self._session(handle, self._actions[i], staged, run)
            except Exception as exc:
                # The C core may have stored part of the fact before failing: touching this
                # session again (retract, delete_state) reads freed memory. Never reuse it.
                self._health["broken"] = True
                raise EngineError(f"durable-rules could not assess the facts: {exc}") from exc
            self._cleanup(handle, sid, current)
        if run.errors:
            raise EngineError("; ".join(run.errors))
        return run

    def _session(self, handle: int, actions: dict[str, _Action], staged: dict[str, Any], run: Run) -> dict[str, Any]:
        """Assert the fact and run the agenda to its end; returns the fact as it stands then."""
        current = staged
        code, state = core.assert_fact(handle, orjson.dumps(staged).decode("utf-8"))
        if code != _OK:
            raise EngineError(f"the fact was not handled (code {code})")
        started = core.start_action_for_state(handle, state)
        message = started[1] if started else None
        while message is not None:
            # The message is {"<rule name>": {"m": <the matched fact>}}: the rule name is all a
            # status needs; only a derivation reads the fact it re-asserts.
            rule_name = message[2:message.index('"', 2)]
            action = actions[rule_name]
            if action.kind == "rule":
                previous = run.fired.get(action.name)
                if previous is not None and previous != action.value:
                    run.errors.append(f"{action.name}: both {previous} and {action.value} matched")
                run.fired[action.name] = action.value
            elif action.kind in ("derive", "aux"):
                done = run.derived if action.kind == "derive" else run.aux
                if action.name not in done:  # a second alternative of the same pattern may match too
                    value = action.value == "true"
                    done[action.name] = value
                    matched = orjson.loads(message)[rule_name]["m"]
                    prop = f"derived__{action.name}" if action.kind == "derive" else action.name
                    new = dict(matched, **{prop: value})
                    core.retract_fact(handle, orjson.dumps(matched).decode("utf-8"))
                    code, _ = core.assert_fact(handle, orjson.dumps(new).decode("utf-8"))
                    if code not in (_OK, _NOT_HANDLED):
                        raise EngineError(f"re-asserting the conclusion of {action.name} failed (code {code})")
                    run.chained += 1
                    current = new
            message = core.complete_and_start_action(handle, state)
        return current

    def _cleanup(self, handle: int, sid: str, current: dict[str, Any]) -> None:
        """Remove the session's fact and state, so nothing accumulates across assessments."""
        try:
            core.retract_fact(handle, orjson.dumps(current).decode("utf-8"))
        except Exception:
            pass
        try:
            core.delete_state(handle, sid)
        except Exception:
            pass
