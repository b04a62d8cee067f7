"""The language of what the command line prints, and of the documents it writes by default.

The terminal language is chosen once, when ``policyengine`` starts:

1. ``policyengine --lang fr ...`` (one of the six UN languages, or the pseudo-locale ``en-XA``);
2. else the environment, read the way GNU gettext programs read it: ``POLICYENGINE_LANG`` (this
   program's own setting), then ``LANGUAGE`` (a colon-separated list of preferences), ``LC_ALL``,
   ``LC_MESSAGES`` and ``LANG``. As in gettext, ``LANGUAGE`` is ignored when the locale itself is
   ``C`` or ``POSIX``, or not set at all (``LANG=C`` means untranslated output: English). The tags are matched
   against the catalogues with Babel's :func:`babel.core.negotiate_locale` (``fr_FR.UTF-8`` ->
   ``fr``, ``zh_CN`` -> ``zh``); nothing matching gives English.

A document is a deliverable for its readers, not for the person at the keyboard, so its language
is never taken from the environment: a document command writes in its own ``--lang``, else in the
language given by the top-level ``--lang`` (visible in the command line, so the same command gives
the same document on every machine), else in English. See docs/adr on terminal language.
"""

from __future__ import annotations

import os
from typing import Mapping

from .catalogues import LANGUAGES, PSEUDO, UN_LANGUAGES

#: Environment variables read, in this order, when no --lang is given (after POLICYENGINE_LANG).
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")
#: Locales that mean "no translation" (gettext's untranslated C locale).
UNTRANSLATED = frozenset({"C", "POSIX"})
DEFAULT = "en"


def _tag(value: str) -> str:
    """``fr_FR.UTF-8@euro`` -> ``fr_FR``; ``en-XA`` -> ``en_XA``."""
    return value.split(".", 1)[0].split("@", 1)[0].strip().replace("-", "_")


def _match(tags: list[str], pseudo: bool = False) -> str | None:
    tags = [t for t in (_tag(v) for v in tags) if t]
    for tag in tags if pseudo else ():  # the pseudo-locale is for testing: only in POLICYENGINE_LANG
        if tag.lower() == PSEUDO.replace("-", "_").lower():
            return PSEUDO
    if not tags:
        return None
    if tags[0].lower() in UN_LANGUAGES:  # the first preference matches as it is
        return tags[0].lower()
    from babel.core import negotiate_locale  # only when a locale is set: `LANG=C` and `--lang` need no Babel

    found = negotiate_locale(tags, list(UN_LANGUAGES), sep="_")
    return str(found) if found else None


def negotiate(environ: Mapping[str, str] | None = None) -> str:
    """The terminal language the environment asks for (``en`` when it asks for none we have)."""
    env = os.environ if environ is None else environ
    own = env.get("POLICYENGINE_LANG", "").strip()
    if own:
        return _match([own], pseudo=True) or DEFAULT
    locale = next((env[name].strip() for name in LOCALE_VARIABLES if env.get(name, "").strip()), "")
    if not locale or _tag(locale) in UNTRANSLATED:  # no locale is the C locale
        return DEFAULT
    wanted = [part for part in env.get("LANGUAGE", "").split(":") if part.strip()]
    return _match([*wanted, locale]) or DEFAULT


def document_language(own: str | None, explicit: str | None) -> str:
    """The language of a document: its command's ``--lang``, else the top-level ``--lang``
    (``explicit``; never the environment), else English."""
    if own:
        return own
    if explicit and explicit in LANGUAGES:
        return explicit
    return DEFAULT
