"""Documents in a language: the catalogue to render with, and the workspace's texts in it.

:func:`rendering` sets the catalogue of a language for a block (interface text); :func:`localise`
gives a copy of a workspace whose ruleset texts (principles, rules, derivations, parameters,
guidance, the ruleset's title) are looked up in the content catalogue, so that every builder,
the engine's findings included, reads them in that language without knowing about languages.
Data (names, facts, sources) is never translated.
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
        guidance={k: _guidance(k, v) for k, v in ws.guidance.items()})
    ws.compiled[key] = copy
    return copy
