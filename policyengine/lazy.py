"""Imports deferred to first use, so the command line starts fast.

``policyengine --help`` and shell completion should not pay for pydantic models, the engine
and the templates (most of a second); each command imports what it uses when it runs.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable

import click


class LazyModule:
    """A module imported on first attribute access."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)


class LazyChoice(click.Choice):
    """A click.Choice whose values are computed on first use (click 8.2+ turns its choices
    into a tuple at construction, which would import the models at start-up)."""

    def __init__(self, compute: Callable[[], list[str]], case_sensitive: bool = True) -> None:
        self._compute = compute
        self._values: tuple[str, ...] | None = None
        self.case_sensitive = case_sensitive

    @property  # type: ignore[override]
    def choices(self) -> tuple[str, ...]:
        if self._values is None:
            self._values = tuple(self._compute())
        return self._values

    @choices.setter
    def choices(self, values: Any) -> None:
        self._values = tuple(values)
