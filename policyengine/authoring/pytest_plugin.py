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
    def __init__(self, *, result: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.result = result

    def runtest(self) -> None:
        if not self.result.passed:
            raise ExampleFailure(self.result)

    def repr_failure(self, excinfo: Any, style: Any = None) -> Any:
        if isinstance(excinfo.value, ExampleFailure):
            return excinfo.value.result.report()
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        return Path(self.result.file), self.result.line - 1, self.result.test_id


class ExampleFailure(Exception):
    def __init__(self, result: Any) -> None:
        super().__init__(result.test_id)
        self.result = result


class ExamplesFile(pytest.File):
    def collect(self):  # type: ignore[no-untyped-def]
        from ..api import compile_ruleset, workspace
        from .examples import run_derivation_examples, run_rule_examples

        ws = workspace(self.config.getoption("--policyengine-workspace"))
        compiled = compile_ruleset(ws, include_drafts=True)
        for result in run_derivation_examples(ws, compiled) + run_rule_examples(ws, compiled):
            yield ExampleItem.from_parent(self, name=result.test_id, result=result)


def pytest_collect_file(parent: Any, file_path: Path) -> Any:
    # One collector for the whole ruleset, attached to rulesets/ruleset.yaml.
    if file_path.name == "ruleset.yaml" and file_path.parent.name == "rulesets":
        return ExamplesFile.from_parent(parent, path=file_path)
    return None
