"""The one module that imports durable-rules.

It takes compiled ruleset definitions (plain JSON) and engine facts (flat dicts), and returns
which rule patterns fired and what the derivations concluded. Each compiled ruleset gets its
own :class:`durable.engine.Host` under a unique name; each assessment gets its own session id,
and its facts and state are removed when it ends, so assessments never see each other.
"""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass, field
from typing import Any, Callable

import durable.engine as durable_engine

from ..problems import PolicyEngineError
from .compile import anchor_rule

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
    errors: list[str] = field(default_factory=list)


class _Host(durable_engine.Host):
    def __init__(self) -> None:
        self.runs: dict[str, Run] = {}
        super().__init__()

    def get_action(self, action_name: str) -> Callable[[Any], None]:
        # One-argument actions only: a two-argument action is treated as asynchronous by
        # durable-rules and stalls the ruleset.
        if action_name == "noop":
            return _noop
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
                old = copy.deepcopy(c.m._d)
                new = dict(old)
                new[prop] = value
                c.retract_fact(old)
                c.assert_fact(new)
            except Exception as exc:
                self.runs.setdefault("errors", Run()).errors.append(f"derive {name}: {exc!r}")

        return action


def _noop(c: Any) -> None:
    return None


class DurableRuleset:
    """A compiled ruleset loaded into its own durable-rules host."""

    def __init__(self, definitions: dict[str, dict[str, Any]]) -> None:
        self.name = f"policyengine_{next(_names)}"
        rules = copy.deepcopy(definitions)
        rules["anchor"] = anchor_rule()
        self._host = _Host()
        try:
            self._host.set_rulesets({self.name: rules})
        except Exception as exc:
            raise EngineError(f"durable-rules refused the compiled ruleset: {exc}") from exc

    def run(self, fact: dict[str, Any]) -> Run:
        sid = f"s{next(_sessions)}"
        run = Run()
        self._host.runs[sid] = run
        fact = dict(fact, sid=sid)
        try:
            self._host.assert_fact(self.name, fact)
            stray = self._host.runs.pop("errors", None)
            if stray:
                run.errors.extend(stray.errors)
        except Exception as exc:
            raise EngineError(f"durable-rules could not assess the facts: {exc}") from exc
        finally:
            self._cleanup(sid)
        if run.errors:
            raise EngineError("; ".join(run.errors))
        return run

    def _cleanup(self, sid: str) -> None:
        self._host.runs.pop(sid, None)
        try:
            for leftover in self._host.get_facts(self.name, sid):
                self._host.retract_fact(self.name, leftover)
        except Exception:
            pass
        try:
            self._host.delete_state(self.name, sid)
        except Exception:
            pass
