"""Documents in a language: the catalogue to render with, and the workspace's texts in it.

:func:`rendering` sets the catalogue of a language for a block (interface text); :func:`localise`
gives a copy of a workspace whose ruleset texts (principles, rules, derivations, parameters,
guidance, the ruleset's title) are looked up in the content catalogue, so that every builder,
the engine's findings included, reads them in that language without knowing about languages.
Data (facts, sources, design names) is never translated; a country's name is shown as the
language's own locale data (Babel, CLDR) spells it, for the jurisdictions that are countries.
"""

from __future__ import annotations

import contextlib
import dataclasses
from typing import Any, Iterator

from . import content, language, using
from .catalogues import Translations, check_language, load


@contextlib.contextmanager
def rendering(lang: str) -> Iterator[Translations]:
    """Produce text in ``lang`` inside the block (``en`` is the source language)."""
    translations = load(check_language(lang))
    with using(translations):
        yield translations


def _translated(kind: str, ident: str, model: Any) -> Any:
    update = {}
    for name in content.FIELDS[kind]:
        value = getattr(model, name, None)
        if isinstance(value, str) and value:
            text = content.text(kind, ident, name, value)
            if text != value:
                update[name] = text
    return model.model_copy(update=update) if update else model


def _guidance(gid: str, g: Any) -> Any:
    g = _translated("guidance", gid, g)
    levers = [_translated("lever", f"{gid}/{lv.id}", lv) for lv in g.levers]
    barriers = [_translated("barrier", f"{gid}/{b.id}", b) for b in g.barriers]
    return g.model_copy(update={"levers": levers, "barriers": barriers})


#: Two-letter ids that are not countries in the sense of ISO 3166-1 (CLDR's EA is Ceuta and
#: Melilla; the profile EA is the euro area): their names stay as the profile has them.
_NOT_COUNTRIES = frozenset({"EA", "EU", "EZ", "UN", "XK", "QO"})


def country_name(code: str, english: str, lang: str) -> str:
    """The name of the country ``code`` in ``lang`` from CLDR, or ``english`` when the id is not
    an ISO 3166-1 country or the locale data has no name for it."""
    if len(code) != 2 or not code.isalpha() or code.upper() in _NOT_COUNTRIES or lang in ("en", "en-XA"):
        return english
    from babel import Locale, UnknownLocaleError

    try:
        names = Locale.parse(lang.replace("-", "_")).territories
    except (ValueError, UnknownLocaleError):
        return english
    return str(names.get(code.upper()) or english)


def _profile(code: str, profile: Any, lang: str) -> Any:
    name = country_name(code, profile.name, lang)
    return profile if name == profile.name else profile.model_copy(update={"name": name})


def localise(ws: Any) -> Any:
    """``ws`` with its ruleset texts in the current language (``ws`` itself in English). The copy
    is kept on the workspace, one per language, with its own compiled-ruleset cache."""
    lang = language()
    if lang == "en":
        return ws
    key = ("localised", lang)
    cached = ws.compiled.get(key)
    if cached is not None:
        return cached
    info = ws.info and _translated("ruleset", ws.info.name, ws.info)
    copy = dataclasses.replace(
        ws, info=info, compiled={},
        principles={k: _translated("principle", k, v) for k, v in ws.principles.items()},
        rules={k: _translated("rule", k, v) for k, v in ws.rules.items()},
        derivations={k: _translated("derivation", k, v) for k, v in ws.derivations.items()},
        parameters={k: _translated("parameter", k, v) for k, v in ws.parameters.items()},
        guidance={k: _guidance(k, v) for k, v in ws.guidance.items()},
        profiles={k: _profile(k, v, lang) for k, v in ws.profiles.items()})
    ws.compiled[key] = copy
    return copy
