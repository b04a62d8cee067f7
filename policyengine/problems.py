"""Problems found in a workspace, and the errors the library raises.

Library code raises; only the CLI prints and exits. Each error carries its exit code:
2 for bad input or usage, 1 for a check that found what it was asked to fail on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file, printed as ``file:line: field: message``."""

    file: str
    line: int
    field: str
    message: str
    level: str = "error"  # or "warning" (lint), or "note" (information, e.g. a workspace file overriding a shipped one)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        prefix = f"{self.level}: " if self.level in ("warning", "note") else ""
        return f"{where}: {self.field}: {prefix}{self.message}" if self.field else f"{where}: {prefix}{self.message}"


class PolicyEngineError(Exception):
    """Base of the errors a user can cause; ``exit_code`` is what the CLI returns."""

    exit_code = 2


class InvalidWorkspace(PolicyEngineError):
    """The workspace has errors; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        errors = [p for p in self.problems if p.level == "error"]
        super().__init__(f"{len(errors)} error(s) in the workspace")


class NotFound(PolicyEngineError):
    """A jurisdiction, design or rule named on the command line does not exist."""


class UnsafePath(PolicyEngineError):
    """An output path would leave the output folder."""


class BadOption(PolicyEngineError):
    """A command-line option (or the API argument behind it) has a value that cannot be used."""


def check_date_option(date: str | None) -> str | None:
    """``date`` if it is a real YYYY, YYYY-MM or YYYY-MM-DD date; :class:`BadOption` otherwise."""
    from .models.common import real_date

    if date is not None:
        try:
            real_date(date)
        except (ValueError, TypeError):
            raise BadOption(f"--date: {date!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD") from None
    return date


def relative(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` where it lies under it (as named, before following any
    link: a link to elsewhere is still shown where it sits in the workspace)."""
    base = root.resolve()
    for candidate in (Path(os.path.abspath(path)), path.resolve()):
        try:
            return str(candidate.relative_to(base))
        except ValueError:
            continue
    return str(path)
