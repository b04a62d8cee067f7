"""The one module that imports durable-rules.

It takes compiled ruleset definitions (plain JSON) and engine facts (flat dicts), and returns
which rule patterns fired and what the derivations concluded. Each compiled ruleset gets its
own :class:`durable.engine.Host` under a unique name; each assessment gets its own session id,
and its facts and state are removed when it ends, so assessments never see each other.
"""

from __future__ import annotations

import itertools
import weakref
from dataclasses import dataclass, field
from typing import Any, Callable

import durable.engine as durable_engine
import durable_rules_engine
import orjson

from ..problems import PolicyEngineError
from .compile import ANCHOR_KEY, ANCHOR_VALUE


class _FastJson:
    """durable-rules passes every fact and every action message through ``json``; with ~300
    actions per assessment, decoding dominated the run time. orjson gives the same data
    several times faster (measured in benchmarks/assess.py)."""

    JSONDecodeError = ValueError

    @staticmethod
    def loads(text: str | bytes) -> Any:
        return orjson.loads(text)

    @staticmethod
    def dumps(obj: Any, ensure_ascii: bool = True, **_: Any) -> str:
        return orjson.dumps(obj).decode("utf-8")


durable_engine.json = _FastJson  # type: ignore[assignment]

_names = itertools.count(1)
_sessions = itertools.count(1)


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


#: The action of the catch-all rule every stage gets (see DurableRuleset).
SETTLED = "settled"
SETTLED_RULE = {"all": [{"m": {ANCHOR_KEY: ANCHOR_VALUE}}], "pri": 1000, "run": SETTLED}


def _settled(c: Any) -> None:
    """Nothing to do: the rule exists so that every fact is handled (see DurableRuleset)."""


class _Host(durable_engine.Host):
    def __init__(self) -> None:
        self.runs: dict[str, Run] = {}
        super().__init__()

    def _run(self) -> None:
        """Start no background dispatcher.

        durable-rules' Host starts two perpetual timer threads that call into every ruleset
        of the host (for timers and queued actions, which we never use). They race with our
        synchronous calls into the same C handles (seen as intermittent segmentation faults
        and double frees), and they keep every host alive, so its C memory is never freed.
        """

    def get_action(self, action_name: str) -> Callable[[Any], None]:
        # One-argument actions only: a two-argument action is treated as asynchronous by
        # durable-rules and stalls the ruleset.
        if action_name == SETTLED:
            return _settled
        if action_name.startswith("aux:"):
            name, _, value = action_name[len("aux:"):].partition("#")
            return self._derive_action(name, value == "true", prop=name, record=False)
        if action_name.startswith("derive:"):
            name, _, value = action_name[len("derive:"):].partition("#")
            return self._derive_action(name, value == "true")
        rule_id, _, status = action_name.partition("#")
        return self._rule_action(rule_id, status)

    def _run_of(self, c: Any) -> Run:
        return self.runs[str(c.m._d["sid"])]

    def _rule_action(self, rule_id: str, status: str) -> Callable[[Any], None]:
        def action(c: Any) -> None:
            try:
                run = self._run_of(c)
                previous = run.fired.get(rule_id)
                if previous is not None and previous != status:
                    run.errors.append(f"{rule_id}: both {previous} and {status} matched")
                run.fired[rule_id] = status
            except Exception as exc:  # durable-rules would swallow it: keep it
                self.runs.setdefault("errors", Run()).errors.append(f"{rule_id}: {exc!r}")

        return action

    def _derive_action(self, name: str, value: bool, prop: str | None = None,
                       record: bool = True) -> Callable[[Any], None]:
        prop = prop or f"derived__{name}"

        def action(c: Any) -> None:
            try:
                run = self._run_of(c)
                done = run.derived if record else run.aux
                if name in done:  # a second alternative of the same pattern matched
                    return
                done[name] = value
                old = orjson.loads(orjson.dumps(c.m._d))
                new = dict(old)
                new[prop] = value
                run.chained += 1
                c.retract_fact(old)
                try:
                    c.assert_fact(new)
                except durable_engine.MessageNotHandledException:
                    pass  # the conclusion matches no further rule of this stage
            except Exception as exc:
                self.runs.setdefault("errors", Run()).errors.append(f"derive {name}: {exc!r}")

        return action


def _free(handles: list[Any], health: dict[str, bool]) -> None:
    if health["broken"]:
        return  # a ruleset whose C state failed part-way is leaked, not freed: freeing it could crash
    for handle in handles:
        try:
            durable_rules_engine.delete_ruleset(handle)
        except Exception:
            pass


class DurableRuleset:
    """Compiled stages loaded into one durable-rules host, one engine ruleset per stage.

    The first stages conclude the derivations (forward-chained inside the engine, in
    topological order across stages); their conclusions are added to the fact that every later
    stage receives.
    """

    def __init__(self, stages: list[dict[str, dict[str, Any]]]) -> None:
        base = f"policyengine_{next(_names)}"
        self._host = _Host()
        self.names: list[str] = []
        for i, definitions in enumerate(stages):
            name = f"{base}_{i}"
            rules = orjson.loads(orjson.dumps(definitions))  # durable-rules mutates what it is given
            # Every stage handles every fact: a session whose fact matched no rule is left with
            # uninitialised C state (its action context is never set), and deleting it frees a
            # garbage pointer - a segmentation fault - while not deleting it leaks the state
            # (about 4 MB per assessment) and, after 1,024 sessions, exhausts the ruleset's
            # state index. A lowest-priority rule that matches the anchor settles both.
            rules["__settled"] = orjson.loads(orjson.dumps(SETTLED_RULE))
            try:
                self._host.set_rulesets({name: rules})
            except Exception as exc:
                raise EngineError(f"durable-rules refused the compiled ruleset (stage {i}): {exc}") from exc
            self.names.append(name)
        # durable-rules never frees a ruleset's C memory on its own (several MB per stage):
        # free it when this object goes away, so long-lived processes and test suites do not grow.
        handles = [self._host.get_ruleset(n)._handle for n in self.names]
        self._health = {"broken": False}
        weakref.finalize(self, _free, handles, self._health)

    def run(self, fact: dict[str, Any], stage_keys: list[frozenset[str]]) -> Run:
        if self._health["broken"]:
            raise EngineError("the rule engine failed on an earlier assessment with this ruleset; compile it again")
        run = Run()
        for i, name in enumerate(self.names):
            fact = dict(fact, **{f"derived__{k}": v for k, v in run.derived.items()})
            sid = f"s{next(_sessions)}"
            self._host.runs[sid] = run
            keys = stage_keys[i]
            staged = {k: v for k, v in fact.items() if k in keys}
            staged[ANCHOR_KEY] = ANCHOR_VALUE
            staged["sid"] = sid
            chained_before = run.chained
            try:
                self._host.assert_fact(name, staged)
            except Exception as exc:
                # The C core may have stored part of the fact before failing: touching this
                # session again (retract, delete_state) reads freed memory. Never reuse it.
                self._health["broken"] = True
                raise EngineError(f"durable-rules could not assess the facts: {exc}") from exc
            finally:
                self._host.runs.pop(sid, None)
            stray = self._host.runs.pop("errors", None)
            if stray:
                run.errors.extend(stray.errors)
            # A stage whose actions re-asserted the fact holds another version of it.
            self._cleanup(name, sid, None if run.chained != chained_before else staged)
            run.aux.clear()
        if run.errors:
            raise EngineError("; ".join(run.errors))
        return run

    def _cleanup(self, name: str, sid: str, asserted: dict[str, Any] | None) -> None:
        """Remove the session's facts and state, so nothing accumulates across assessments."""
        try:
            for leftover in [asserted] if asserted is not None else self._host.get_facts(name, sid):
                self._host.retract_fact(name, leftover)
        except Exception:
            pass
        try:
            self._host.delete_state(name, sid)
        except Exception:
            pass
