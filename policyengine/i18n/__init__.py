"""Translation of every text that reaches a reader: the one place the code asks for it.

Python code marks a reader-facing string with :func:`_` (translated where it is used) or, for
module-level tables read later, with :func:`N_` (marked for extraction only; translate it with
:func:`_` at the point of use). Templates use ``{{ _("...") }}`` / ``{% trans %}`` through the
Jinja i18n extension, which calls the same functions.

The language of the text being produced is held in a context variable, so a document rendered
in French while another thread renders Arabic gets its own catalogue; :func:`using` sets it
for a block. Until a catalogue is installed every function returns the English source text.
"""

from __future__ import annotations

import contextlib
import contextvars
import gettext as _gettext
from typing import Iterator

_ENGLISH = _gettext.NullTranslations()
_current: contextvars.ContextVar[_gettext.NullTranslations | None] = contextvars.ContextVar(
    "policyengine_translations", default=None)


def current() -> _gettext.NullTranslations:
    """The catalogue text is being produced with (English when none is set)."""
    return _current.get() or _ENGLISH


def _format(text: str, variables: dict[str, object]) -> str:
    return text % variables if variables else text


def language() -> str:
    """The code of the language text is being produced in (``en``, ``fr``, ``ar``, ``en-XA``)."""
    return str(getattr(current(), "lang", "en"))


def gettext(message: str, **variables: object) -> str:
    """``message`` in the current language (the English source when there is no translation),
    its ``%(name)s`` placeholders filled from ``variables`` (as the templates' newstyle ``_()``)."""
    return _format(current().gettext(message), variables)


def ngettext(singular: str, plural: str, n: int, **variables: object) -> str:
    """The plural form for ``n``; with placeholders given, ``%(num)s`` is ``n`` unless named
    (without them the text is returned unformatted, for ``ngettext(...) % {...}``)."""
    return _format(current().ngettext(singular, plural, n), {"num": n, **variables} if variables else {})


def pgettext(context: str, message: str, **variables: object) -> str:
    return _format(current().pgettext(context, message), variables)


def npgettext(context: str, singular: str, plural: str, n: int, **variables: object) -> str:
    return _format(current().npgettext(context, singular, plural, n), {"num": n, **variables} if variables else {})


_ = gettext


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it (module-level tables)."""
    return message


@contextlib.contextmanager
def using(translations: _gettext.NullTranslations) -> Iterator[None]:
    """Produce text with ``translations`` inside the block."""
    token = _current.set(translations)
    try:
        yield
    finally:
        _current.reset(token)


# The Jinja i18n extension (newstyle) fills the placeholders itself, escaping them in HTML:
# it gets these, which only look the text up.
def raw_gettext(message: str) -> str:
    return current().gettext(message)


def raw_ngettext(singular: str, plural: str, n: int) -> str:
    return current().ngettext(singular, plural, n)


def raw_pgettext(context: str, message: str) -> str:
    return current().pgettext(context, message)


def raw_npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return current().npgettext(context, singular, plural, n)
