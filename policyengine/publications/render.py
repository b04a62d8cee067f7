"""Render the publications: build the document model, render every format in memory, then
write atomically (the stages of :mod:`policyengine.render.pipeline`)."""

from __future__ import annotations

from pathlib import Path

from .. import api
from ..i18n.catalogues import LANGUAGES
from ..i18n.localise import localise, rendering
from ..render.environment import make_environment
from ..render.files import safe_join
from ..render.pipeline import Output, UnknownLanguage, _render_formats, formats_of, lang_suffix
from .guidance import build_guidance
from .principles import build_principles


def check_lang(lang: str) -> None:
    """A language with catalogues (the six UN languages and the pseudo-locale)."""
    if lang not in LANGUAGES:
        raise UnknownLanguage(f"no {lang!r} edition of the publications: use one of {', '.join(LANGUAGES)}")


def principles(out_dir: Path, *, ws: api.WorkspaceLike = None, fmt: str = "all", date: str | None = None,
               since: str | None = None, lang: str = "en") -> list[Path]:
    """Write ``principles.<fmt>``: the high-level principles publication."""
    check_lang(lang)
    safe_join(out_dir, "principles.md")
    out = Output()
    with rendering(lang):
        loaded = localise(api.workspace(ws))
        doc = build_principles(loaded, date=date, since=since, lang=lang)
        _render_formats(out, make_environment(loaded, lang), out_dir, "principles" + lang_suffix(lang),
                        "principles/principles", formats_of(fmt), {"doc": doc}, doc)
    return out.write()


def guidance(guidance_id: str, out_dir: Path, *, ws: api.WorkspaceLike = None, fmt: str = "all",
             date: str | None = None, lang: str = "en") -> list[Path]:
    """Write ``guidance-<id>.<fmt>``: the policy guidance ``rulesets/guidance/<id>.yaml``."""
    check_lang(lang)
    safe_join(out_dir, f"guidance-{guidance_id}")
    out = Output()
    with rendering(lang):
        loaded = localise(api.workspace(ws))
        doc = build_guidance(loaded, guidance_id, date=date, lang=lang)
        _render_formats(out, make_environment(loaded, lang), out_dir, f"guidance-{doc.id}" + lang_suffix(lang),
                        "guidance/guidance", formats_of(fmt), {"doc": doc}, doc)
    return out.write()
