"""pytest plugin: every example of every rule and derivation is its own test item.

Test ids are ``RULE-ID::example-name`` (and ``derived.name::example-name``); a failure prints
the file and line, expected against actual status, and the explanation. Collected from the
workspace named by ``--policyengine-workspace`` (default: the shipped content) when pytest
is asked to run ``rulesets/`` or when a test module requests it via ``policyengine_examples``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


def pytest_addoption(parser: Any) -> None:
    group = parser.getgroup("policyengine")
    group.addoption("--policyengine-workspace", default=None,
                    help="workspace whose rule examples are collected (default: the shipped content)")


class ExampleItem(pytest.Item):
    """One example; it runs when pytest runs it (not at collection), so ``-k`` selects what
    runs and an example that cannot run fails alone."""

    def __init__(self, *, case: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.result: Any = None

    def runtest(self) -> None:
        from .examples import run_example

        ws, compiled = self.parent.prepared()  # type: ignore[union-attr]
        self.result = run_example(ws, compiled, self.case)
        if not self.result.passed:
            raise ExampleFailure(self.result)

    def repr_failure(self, excinfo: Any, style: Any = None) -> Any:
        if isinstance(excinfo.value, ExampleFailure):
            return excinfo.value.result.report()
        return f"{self.case.file}:{self.case.line}: {self.case.test_id}: could not run: {excinfo.value}"

    def reportinfo(self) -> tuple[Path, int, str]:
        return Path(self.case.file), self.case.line - 1, self.case.test_id


class ExampleFailure(Exception):
    def __init__(self, result: Any) -> None:
        super().__init__(result.test_id)
        self.result = result


class ExamplesFile(pytest.File):
    """The examples of a workspace: listed from the files, compiled once when the first runs."""

    _prepared: Any = None

    def _workspace(self) -> Any:
        from ..api import workspace

        return workspace(self.config.getoption("--policyengine-workspace"))

    def prepared(self) -> Any:
        if self._prepared is None:
            from ..api import compile_ruleset

            ws = self._workspace()
            self._prepared = (ws, compile_ruleset(ws, include_drafts=True))
        return self._prepared

    def collect(self):  # type: ignore[no-untyped-def]
        from ..problems import InvalidWorkspace
        from .examples import example_cases

        try:
            ws = self._workspace()
        except InvalidWorkspace as exc:
            raise self.CollectError("\n".join(str(p) for p in exc.problems)) from None
        for case in example_cases(ws):
            yield ExampleItem.from_parent(self, name=case.test_id, case=case)


def pytest_collect_file(parent: Any, file_path: Path) -> Any:
    # One collector for the whole ruleset, attached to rulesets/ruleset.yaml.
    if file_path.name == "ruleset.yaml" and file_path.parent.name == "rulesets":
        return ExamplesFile.from_parent(parent, path=file_path)
    return None
