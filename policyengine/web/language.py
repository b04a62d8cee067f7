"""The language of a page: from its address, else from the browser's Accept-Language header.

A page's address may start with a language (``/fr/j/NG/enaira``): that page is then always in
French, whoever opens it, so a link can be shared and a cache may keep it by its address alone.
Without one (``/j/NG/enaira``) the language is negotiated from the ``Accept-Language`` header
with Babel (:func:`babel.core.negotiate_locale`) among the six UN languages, English when none
matches; such an answer carries ``Vary: Accept-Language`` and ``Content-Language``, so a cache
keeps one copy per language. Links of a page keep the form of its address: a page with a
language links to pages with the same language; a negotiated page links to negotiated pages.

:class:`LanguageMiddleware` removes the language from the path before routing (the routes are
the same in every language), sets the catalogues for the whole request (handlers, templates,
error pages) and records the language in ``scope["state"]``. The JSON API (``/api/``) and the
stylesheet are outside it: the API speaks English, a machine interface.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping
from urllib.parse import quote

from babel.core import negotiate_locale

from ..i18n.catalogues import HTML_LANG, PSEUDO, RTL, UN_LANGUAGES
from ..i18n.localise import rendering
from .security import ASGIApp, Message, Receive, Scope, Send

#: Each UN language named in itself, as a language picker shows it (not translated).
NATIVE_NAMES: dict[str, str] = {"ar": "العربية", "zh": "中文", "en": "English", "fr": "Français",
                                "ru": "Русский", "es": "Español"}
#: Languages a page address may start with: the six UN languages, and the pseudo-locale
#: (every interface string bracketed; not in the picker) that proves no English is left.
PAGE_LANGUAGES = (*UN_LANGUAGES, PSEUDO)
DEFAULT = "en"
#: Paths that are not pages: no language, no negotiation.
NOT_PAGES = ("/api/", "/static/")
#: An Accept-Language header longer than this, or with more entries, is read only in part.
MAX_HEADER = 1024
MAX_ENTRIES = 32
#: The longest language tag taken (BCP 47 tags in use are far shorter).
MAX_TAG = 35


@dataclass(frozen=True)
class PageLanguage:
    """The language a request is answered in, and how it was chosen."""

    lang: str
    explicit: bool  # from the address (True) or negotiated from Accept-Language (False)

    @property
    def root(self) -> str:
        """What every link of the page starts with: ``/fr``, or nothing on a negotiated page."""
        return f"/{self.lang}" if self.explicit else ""


def preferred(header: str | None) -> list[str]:
    """The language tags of an ``Accept-Language`` header, most wanted first (``q`` weights;
    equal weights keep their order; ``q=0`` and ``*`` are left out)."""
    weighted: list[tuple[float, int, str]] = []
    for i, part in enumerate((header or "")[:MAX_HEADER].split(",")[:MAX_ENTRIES]):
        tag, _sep, params = part.strip().partition(";")
        tag = tag.strip()
        if not tag or tag == "*" or len(tag) > MAX_TAG or not all(c.isascii() and (c.isalnum() or c == "-") for c in tag):
            continue
        q = 1.0
        for param in params.split(";"):
            name, _eq, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0:
            weighted.append((-q, i, tag))
    return [tag for _q, _i, tag in sorted(weighted)]


def negotiate(header: str | None) -> str:
    """The UN language the browser prefers (``fr-CA`` -> ``fr``, ``zh-Hant-TW`` -> ``zh``), else English."""
    found = negotiate_locale(preferred(header), list(UN_LANGUAGES), sep="-")
    return found.split("-")[0].lower() if found else DEFAULT


def split_path(path: str) -> tuple[str | None, str]:
    """``/fr/j/NG`` -> ``("fr", "/j/NG")``; ``/fr`` -> ``("fr", "/")``; no language -> ``(None, path)``."""
    head, _sep, rest = path[1:].partition("/")
    if head in PAGE_LANGUAGES:
        return head, "/" + rest
    return None, path


def html_lang(lang: str) -> str:
    """The BCP 47 tag of a language in ``lang``/``hreflang`` attributes (``zh-Hans``)."""
    return HTML_LANG.get(lang, lang)


def _tail(path: str, query: str) -> str:
    return quote(path, safe="/:@!$&'()*+,;=-._~") + (f"?{query}" if query else "")


def negotiated_href(path: str, query: str) -> str:
    """This page without a language in its address: the browser's language decides (x-default)."""
    return _tail(path, query)


def picker(current: str, path: str, query: str) -> list[dict[str, Any]]:
    """The six languages, each a link to this same page (same path and query) in that language."""
    tail = _tail(path, query)
    return [{"lang": code, "tag": html_lang(code), "name": NATIVE_NAMES[code], "href": f"/{code}{tail}",
             "dir": "rtl" if code in RTL else "ltr", "current": code == current} for code in UN_LANGUAGES]


def _header(scope: Scope, name: bytes) -> str | None:
    for k, v in scope.get("headers", []):
        if k.lower() == name:
            return str(v.decode("latin-1"))
    return None


def of(scope: Mapping[str, Any]) -> PageLanguage:
    """The language recorded for a request (English for a request the middleware did not see)."""
    found = scope.get("state", {}).get("page_language")
    return found if isinstance(found, PageLanguage) else PageLanguage(DEFAULT, explicit=False)


class LanguageMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or path.startswith(NOT_PAGES):
            await self.app(scope, receive, send)
            return
        lang, rest = split_path(path)
        if lang is not None:
            chosen = PageLanguage(lang, explicit=True)
            raw = scope.get("raw_path") or path.encode("utf-8")
            scope = {**scope, "path": rest, "raw_path": raw[len(lang) + 1:] or b"/"}
        else:
            chosen = PageLanguage(negotiate(_header(scope, b"accept-language")), explicit=False)
        scope.setdefault("state", {})
        scope["state"]["page_language"] = chosen

        async def with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _v in headers}
                if b"content-language" not in names:
                    headers.append((b"content-language", html_lang(chosen.lang).encode()))
                if not chosen.explicit:
                    headers.append((b"vary", b"Accept-Language"))
                message["headers"] = headers
            await send(message)

        with rendering(chosen.lang):
            await self.app(scope, receive, with_language)
