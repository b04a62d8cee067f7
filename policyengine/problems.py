"""Problems found in a workspace, and the errors the library raises.

Library code raises; only the CLI prints and exits. Each error carries its exit code:
2 for bad input or usage, 1 for a check that found what it was asked to fail on.
"""

from __future__ import annotations

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


def relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
