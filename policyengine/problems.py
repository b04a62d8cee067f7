"""Problems found in a workspace, and the errors the library raises.

Library code raises; only the CLI prints and exits. Each error carries its exit code:
2 for bad input or usage, 1 for a check that found what it was asked to fail on.

Messages are made with :func:`~policyengine.i18n.deferred.L_` and translated when they are shown
(``str(problem)``, ``str(error)``), in the language active then, so a problem found in one
language and shown in another (a kept workspace, the validation cache) reads in the second.
The file, line and field are data: never translated.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .i18n import N_, _
from .i18n.deferred import L_, Text, shown

#: The field of a problem about the whole file (no key of it): a word, shown in the reader's language.
WHOLE_FILE = N_("(file)")


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file, printed as ``file:line: field: message``."""

    file: str
    line: int
    field: str
    message: str
    level: str = "error"  # or "warning" (lint), or "note" (information, e.g. a workspace file overriding a shipped one)

    @property
    def text(self) -> str:
        """The message in the language active now, with its level (``warning: ...``)."""
        message = shown(self.message)
        if self.level == "warning":
            return _("warning: %(text)s", text=message)
        if self.level == "note":
            return _("note: %(text)s", text=message)
        return message

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        field = _(WHOLE_FILE) if self.field == WHOLE_FILE else self.field
        return f"{where}: {field}: {self.text}" if field else f"{where}: {self.text}"


class PolicyEngineError(Exception):
    """Base of the errors a user can cause; ``exit_code`` is what the CLI returns."""

    exit_code = 2

    def __str__(self) -> str:
        """The message in the language active now (made with ``L_``; any other text as it is)."""
        if len(self.args) == 1 and isinstance(self.args[0], Text):
            return self.args[0].shown()
        return super().__str__()


def message_of(exc: BaseException) -> str:
    """The message an error was raised with, still to be translated where it is shown (a
    :class:`~policyengine.i18n.deferred.Text`), for a problem that reports it."""
    if len(exc.args) == 1 and isinstance(exc.args[0], Text):
        return exc.args[0]
    return str(exc)


class InvalidWorkspace(PolicyEngineError):
    """The workspace has errors; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        errors = [p for p in self.problems if p.level == "error"]
        super().__init__(L_("%(count)s error(s) in the workspace", count=len(errors)))


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
            raise BadOption(L_("--date: %(date)s is not a date: use YYYY, YYYY-MM or YYYY-MM-DD",
                               date=repr(date))) from None
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
