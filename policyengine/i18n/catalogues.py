"""The catalogues on disk: where they are, which languages exist, and loading one for rendering.

Standard gettext layout inside the package, so translators use the tools they know (Poedit,
Weblate, Lokalize, ``msgfmt``)::

    policyengine/locale/messages.pot                 interface text (templates and Python code)
    policyengine/locale/content.pot                  rule, principle, derivation, guidance texts
    policyengine/locale/<lang>/LC_MESSAGES/messages.po / .mo
    policyengine/locale/<lang>/LC_MESSAGES/content.po  / .mo
    policyengine/locale/languages.yaml               which languages are declared complete

The ``.mo`` files are built (``policyengine i18n compile``, and by the wheel build); a ``.po``
newer than its ``.mo`` (or without one, as in a fresh checkout) is compiled in memory, so an
edited catalogue shows at once. The pseudo-locale :data:`PSEUDO` has no files: it is made from
the templates when asked for (:mod:`policyengine.i18n.pseudo`).
"""

from __future__ import annotations

import gettext as _gettext
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..problems import PolicyEngineError

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
#: The two catalogues (gettext domains).
DOMAINS = ("messages", "content")
#: The six official languages of the United Nations, in the order the UN lists them.
UN_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
#: Pseudo-locale: every translated string wrapped in ⟦…⟧ and accented; proves that no English
#: is left outside the catalogues (tests render every document in it).
PSEUDO = "en-XA"
LANGUAGES = UN_LANGUAGES + (PSEUDO,)
#: Languages written right to left.
RTL = frozenset({"ar"})
#: BCP 47 tag of each language in a document (``<html lang>``): Chinese is Simplified Chinese.
HTML_LANG = {"zh": "zh-Hans", PSEUDO: "en-XA"}


class UnknownLanguage(PolicyEngineError):
    """A language no catalogue exists for."""


def folder_name(lang: str) -> str:
    """The catalogue folder of a language code (``en-XA`` -> ``en_XA``)."""
    return lang.replace("-", "_")


def template_path(domain: str, root: Path | None = None) -> Path:
    return (root or LOCALE_DIR) / f"{domain}.pot"


def po_path(lang: str, domain: str, root: Path | None = None) -> Path:
    return (root or LOCALE_DIR) / folder_name(lang) / "LC_MESSAGES" / f"{domain}.po"


def mo_path(lang: str, domain: str, root: Path | None = None) -> Path:
    return po_path(lang, domain, root).with_suffix(".mo")


def translated_languages() -> tuple[str, ...]:
    """The languages that have catalogues (every UN language but English, the source)."""
    return tuple(lang for lang in UN_LANGUAGES if lang != "en")


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise UnknownLanguage(f"unknown language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    return lang


class Translations(_gettext.GNUTranslations):
    """The interface catalogue of one language, carrying its content catalogue beside it."""

    lang: str = "en"
    content: _gettext.NullTranslations
    unreviewed: int = 0

    def __init__(self, fp: io.BytesIO | None = None) -> None:
        self.content = _gettext.NullTranslations()
        if fp is None:
            _gettext.NullTranslations.__init__(self)
            self._catalog: dict[object, str] = {}
            self.plural = lambda n: int(n != 1)
        else:
            super().__init__(fp)


class English(Translations):
    """The source language: every text as written."""

    def __init__(self) -> None:
        super().__init__(None)
        self.lang = "en"

    def gettext(self, message: str) -> str:
        return message

    def pgettext(self, context: str, message: str) -> str:
        return message


def _mo_bytes(lang: str, domain: str, root: Path | None) -> bytes | None:
    po, mo = po_path(lang, domain, root), mo_path(lang, domain, root)
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        return mo.read_bytes()
    if po.is_file():
        from .mo import compile_bytes  # Babel, only when a catalogue is compiled in memory

        return compile_bytes(po)
    return None


def _gnu(data: bytes | None) -> _gettext.GNUTranslations | None:
    return _gettext.GNUTranslations(io.BytesIO(data)) if data else None


def _unreviewed_count(t: _gettext.GNUTranslations | None) -> int:
    from .mo import UNREVIEWED_HEADER

    if t is None:
        return 0
    try:
        return int(t.info().get(UNREVIEWED_HEADER.lower(), "0"))
    except ValueError:
        return 0


@lru_cache(maxsize=16)
def load(lang: str, root: Path | None = None) -> Translations:
    """The catalogues of ``lang`` (English when ``en``; untranslated strings fall back to English)."""
    check_language(lang)
    if lang == "en":
        return English()
    if lang == PSEUDO:
        from .pseudo import pseudo_translations

        return pseudo_translations(root)
    messages = _mo_bytes(lang, "messages", root)
    t = Translations(io.BytesIO(messages)) if messages else Translations(None)
    t.lang = lang
    content = _gnu(_mo_bytes(lang, "content", root))
    if content is not None:
        t.content = content
    t.unreviewed = _unreviewed_count(t if messages else None) + _unreviewed_count(content)
    return t


@dataclass(frozen=True)
class LanguageInfo:
    """What a document needs to know of its language."""

    lang: str
    html_lang: str
    direction: str  # ltr or rtl
    unreviewed: bool  # some translation it shows has not been reviewed by a qualified translator


def language_info(lang: str) -> LanguageInfo:
    """``lang`` as a document states it. A language without a catalogue (a workspace's own
    translated templates) is taken as written, left to right."""
    unreviewed = lang in LANGUAGES and (lang == PSEUDO or load(lang).unreviewed > 0)
    return LanguageInfo(lang=lang, html_lang=HTML_LANG.get(lang, lang), direction="rtl" if lang in RTL else "ltr",
                        unreviewed=unreviewed)
