"""Build, render, then write: the three stages of every document command (STYLE 14).

1. Every output name is checked (``safe_join``) before any work, so ``../../x`` is refused
   before anything is assessed or written.
2. Every document model is built, and every requested format rendered, in memory.
3. Only then are the files written, each atomically (temporary file + ``os.replace``).
"""

from __future__ import annotations

import enum
import json
import os
import re
import types
import typing
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable

import orjson
from pydantic import BaseModel

from .. import api
from ..i18n.catalogues import LANGUAGES
from ..i18n.localise import localise, rendering
from ..load import Workspace
from ..problems import NotFound, PolicyEngineError
from . import documents as docs
from .environment import make_environment, render, template_dirs
from .files import safe_join, write_set
from .markdown import check_rules_base
from .svg import heatmap_svg

FORMATS = ("md", "html", "json")
ALL = "all"


class UnknownLanguage(PolicyEngineError):
    """No template folder exists for the language asked for."""


@dataclass
class Output:
    """Files rendered in memory, waiting to be written."""

    files: dict[Path, str] = field(default_factory=dict)
    html: dict[Path, str] = field(default_factory=dict)  # HTML to print to PDF, by PDF path

    def write(self) -> list[Path]:
        """Write every file as one set (see :func:`~policyengine.render.files.write_set`);
        PDFs are printed first, so a failed print writes nothing."""
        data = {path: text.encode("utf-8") for path, text in self.files.items()}
        if self.html:
            from .pdf import pdf_bytes

            data.update({path: pdf_bytes(html) for path, html in self.html.items()})
        if not data:
            return []
        return write_set(data, Path(os.path.commonpath([str(p.parent) for p in data])))


def formats_of(fmt: str) -> list[str]:
    """``all`` -> md, html, json; ``pdf`` also needs the HTML."""
    return list(FORMATS) if fmt == ALL else [fmt]


def to_json(doc: BaseModel) -> str:
    """The document as JSON; ``<``, ``>`` and ``&`` are escaped so the file is inert even if
    pasted into an HTML page (the parsed values are unchanged).

    The text is ``json.dumps(doc.model_dump(mode="json", by_alias=True), indent=2,
    ensure_ascii=False)``. Where pydantic's own JSON writer is known to write exactly that
    (:func:`_writes_as_json`: plain fields, and floats only in models that write infinity
    and NaN as json does), it writes it in one step, in Rust; it spells a float below 1e-4
    otherwise (``0.00001``, ``2.5e-7`` for ``1e-05``, ``2.5e-07``), so a text where such a
    spelling may occur is written the long way."""
    text = doc.model_dump_json(by_alias=True, indent=2) if _writes_as_json(type(doc)) else None
    if text is None or _SMALL_FLOAT.search(text):
        text = dumps_indented(doc.model_dump(mode="json", by_alias=True))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


#: A field's value that pydantic may spell otherwise than json (a float below 1e-4). Floats are
#: only field values (:func:`_writes_as_json`), so each follows ``": "``; the same text inside a
#: string only costs the long way. Starting with a literal, it is searched for quickly.
_SMALL_FLOAT = re.compile(r'": -?(?:0\.0000|\d+(?:\.\d+)?e-)')
_PLAIN_TYPES = (str, int, bool, type(None))


@lru_cache(maxsize=None)
def _writes_as_json(cls: type[BaseModel]) -> bool:
    """Whether pydantic writes ``cls`` as json writes its ``model_dump(mode="json")``: every
    field (of it and of the models it holds) a string, integer, boolean, None, literal, string
    enum, list or string-keyed dict of those, or a float (itself the field's value, not in a
    list) in a model configured to write infinity and NaN as json does; no custom serializer
    and no computed field."""
    return _model_as_json(cls, set())


def _model_as_json(cls: type[BaseModel], seen: set[type]) -> bool:
    if cls in seen:
        return True
    seen.add(cls)
    decorators = cls.__pydantic_decorators__
    if decorators.field_serializers or decorators.model_serializers or decorators.computed_fields:
        return False
    constants = cls.model_config.get("ser_json_inf_nan") == "constants"
    return all(_type_as_json(f.annotation, constants, seen) for f in cls.model_fields.values())


def _type_as_json(tp: Any, floats: bool, seen: set[type]) -> bool:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is typing.Annotated:
        return _type_as_json(args[0], floats, seen)
    if origin is typing.Literal:
        return all(isinstance(a, _PLAIN_TYPES) for a in args)
    if origin in (typing.Union, types.UnionType):
        return all(_type_as_json(a, floats, seen) for a in args)
    if origin in (list, tuple):
        return all(a is Ellipsis or _type_as_json(a, False, seen) for a in args)
    if origin is dict:
        return args[0] is str and _type_as_json(args[1], False, seen)
    if tp is float:
        return floats
    if tp in _PLAIN_TYPES:
        return True
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return all(isinstance(m.value, str) for m in tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return _model_as_json(tp, seen)
    return False


def dumps_indented(data: Any) -> str:
    """``json.dumps(data, indent=2, ensure_ascii=False)``, the same text, written by orjson
    (the standard encoder is pure Python when it indents: a sixth of a batch of toolkits).

    orjson writes the same layout and strings; only floats with an exponent (``1e-05``,
    ``1e+16``) and non-finite ones are written differently, so those are handed over as
    the standard encoder writes them. Data orjson cannot write as json would (keys that are
    not strings, integers beyond 64 bits) goes to the standard encoder."""
    try:
        plain = data if _all_plain(data) else _floats_as_json(data)
        return orjson.dumps(plain, option=orjson.OPT_INDENT_2).decode("utf-8")
    except (TypeError, _NotPlain):
        return json.dumps(data, indent=2, ensure_ascii=False)


class _NotPlain(Exception):
    pass


def _all_plain(obj: Any) -> bool:
    """Whether orjson may take ``obj`` as it is: only dicts with string keys, lists and tuples
    around values, and no float json would spell otherwise. A document has none; looking is
    much cheaper than the copy :func:`_floats_as_json` makes (anything else: that copy)."""
    stack = [obj]
    pop, push, extend = stack.pop, stack.append, stack.extend
    while stack:
        o = pop()
        t = type(o)
        if t is dict:
            for k, v in o.items():
                if type(k) is not str:
                    raise _NotPlain
                push(v)
        elif t is list or t is tuple:
            extend(o)
        elif t is float:
            text = repr(o)
            if "e" in text or "n" in text:
                return False
        elif isinstance(o, (dict, list, tuple, float)):
            return False  # a subclass: the copy decides
    return True


def _floats_as_json(obj: Any) -> Any:
    if isinstance(obj, float):
        text = repr(obj)
        if "e" in text or "n" in text:  # 1e-05, 1e+16, inf, nan: json's own spelling
            return orjson.Fragment(json.dumps(obj))
        return obj
    if isinstance(obj, dict):
        if not all(type(k) is str for k in obj):
            raise _NotPlain
        return {k: _floats_as_json(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_floats_as_json(v) for v in obj]
    return obj


def _names(*parts: str) -> str:
    return "-".join(parts)


def _check_names(out: Path, *names: str) -> None:
    for name in names:
        safe_join(out, name)


def _render_formats(out: Output, env: Any, base: Path, stem: str, template: str, fmts: list[str],
                    context: dict[str, Any], doc: BaseModel) -> None:
    for fmt in fmts:
        if fmt == "json":
            out.files[safe_join(base, f"{stem}.json")] = to_json(doc)
        elif fmt == "md":
            out.files[safe_join(base, f"{stem}.md")] = render(env, f"{template}.md", **context)
        elif fmt == "html":
            out.files[safe_join(base, f"{stem}.html")] = render(env, f"{template}.html", **context)
        elif fmt == "pdf":
            out.html[safe_join(base, f"{stem}.pdf")] = render(env, f"{template}.html", **context)
        else:
            raise PolicyEngineError(f"unknown format {fmt!r}; use md, html, json, pdf or all")


def lang_suffix(lang: str) -> str:
    """What a document's file name carries after its stem: nothing in English, ``.fr`` otherwise."""
    return "" if lang == "en" else f".{lang}"


def toolkit(jurisdiction: str, design: str | None, out_dir: Path, *, ws: api.WorkspaceLike = None,
            fmt: str = ALL, date: str | None = None, rules_base: str = "", lang: str = "en") -> list[Path]:
    """Render the national policy toolkit of one jurisdiction and design into ``out_dir``."""
    check_rules_base(rules_base)
    _check_names(out_dir, jurisdiction, *( [design] if design else []))
    out = Output()
    with rendering(lang):
        loaded = localise(api.workspace(ws))
        doc = docs.build_toolkit(loaded, jurisdiction, design, date=date, rules_base=rules_base)
        env = make_environment(loaded, lang)
        stem = _names(doc.jurisdiction.id, doc.design.id, "toolkit") + lang_suffix(lang)
        _render_formats(out, env, out_dir, stem, "toolkit/toolkit", formats_of(fmt), {"doc": doc}, doc)
    return out.write()


def gap(jurisdiction: str, designs: list[str], out_dir: Path, *, ws: api.WorkspaceLike = None,
        fmt: str = ALL, date: str | None = None, rules_base: str = "", lang: str = "en") -> list[Path]:
    """Render the gap analysis (principles x design options) of one jurisdiction."""
    check_rules_base(rules_base)
    _check_names(out_dir, jurisdiction, *designs)
    out = Output()
    with rendering(lang):
        loaded = localise(api.workspace(ws))
        doc = docs.build_gap(loaded, jurisdiction, designs, date=date, rules_base=rules_base)
        env = make_environment(loaded, lang)
        _render_formats(out, env, out_dir, _names(doc.jurisdiction.id, "gap-analysis") + lang_suffix(lang), "gap/gap",
                        formats_of(fmt), {"doc": doc}, doc)
    return out.write()


def brief(jurisdiction: str, design: str | None, out_dir: Path, *, ws: api.WorkspaceLike = None,
          fmt: str = ALL, date: str | None = None, lang: str = "en") -> list[Path]:
    """Render the two-page brief for a governor or minister into ``out_dir``
    (``<ID>-<design>-brief.*``; ``<ID>-brief.*`` when the jurisdiction has no design of its own)."""
    from .brief import build_brief

    _check_names(out_dir, jurisdiction, *([design] if design else []))
    out = Output()
    with rendering(lang):
        loaded = localise(api.workspace(ws))
        doc = build_brief(loaded, jurisdiction, design, date=date)
        env = make_environment(loaded, lang)
        stem = _names(doc.jurisdiction.id, doc.design.id, "brief") if doc.own_design else _names(doc.jurisdiction.id, "brief")
        _render_formats(out, env, out_dir, stem + lang_suffix(lang), "brief/brief", formats_of(fmt), {"doc": doc}, doc)
    return out.write()


def handout_template_root(ws: Workspace, lang: str) -> str:
    """``handout/<lang>`` when a workspace brings its own templates for the language, else
    ``handout`` (translated through the catalogues, for the languages that have them); refuse
    a language with neither."""
    if lang == "en":
        return "handout"
    if not lang.replace("-", "").replace("_", "").isalnum() or not lang.isascii():
        raise UnknownLanguage(f"refusing the language code {lang!r}")
    if any((d / "handout" / lang).is_dir() for d in template_dirs(ws)):
        return f"handout/{lang}"
    if lang in LANGUAGES:
        return "handout"
    raise UnknownLanguage(
        f"no catalogue and no handout templates for language {lang!r}: use one of {', '.join(LANGUAGES)}, or copy "
        f"templates/handout/*.md and *.html (with _page.*) into templates/handout/{lang}/ of your workspace "
        f"and translate them")


def handouts(region: str, out_dir: Path, *, ws: api.WorkspaceLike = None, fmt: str = ALL, date: str | None = None,
             lang: str = "en", rules_base: str = "", progress: Callable[[str], None] | None = None,
             jurisdictions: Iterable[str] | None = None) -> list[Path]:
    """The handouts of a region: ``handouts-<region>.*`` (summary, heat-map and every page) and
    ``handout-<ID>.*`` for each jurisdiction."""
    check_rules_base(rules_base)
    _check_names(out_dir, region, lang)
    with rendering(lang if lang in LANGUAGES else "en"):
        return _handouts(region, out_dir, api.workspace(ws), fmt, date, lang, rules_base, progress)


def _handouts(region: str, out_dir: Path, loaded: Workspace, fmt: str, date: str | None, lang: str, rules_base: str,
              progress: Callable[[str], None] | None) -> list[Path]:
    loaded = localise(loaded)
    region = api.find_region(region)
    root = handout_template_root(loaded, lang)
    members = docs.region_members(loaded, region)
    if not members:
        raise NotFound(f"no jurisdiction of the workspace is in the region {region!r}")
    for jid in members:
        _check_names(out_dir, jid)
    doc, singles = docs.build_handout_set(loaded, region, date=date, lang=lang, rules_base=rules_base,
                                          progress=progress)
    suffix = lang_suffix(lang)
    out = Output()
    env = make_environment(loaded, lang)
    fmts = formats_of(fmt)
    _render_formats(out, env, out_dir, _names("handouts", region) + suffix, f"{root}/region", fmts,
                    {"doc": doc, "heatmap": heatmap_svg(doc), "tpl_root": root}, doc)
    for single in singles:
        _render_formats(out, env, out_dir, _names("handout", single.page.jurisdiction.id) + suffix, f"{root}/page",
                        fmts, {"doc": single, "tpl_root": root}, single)
    return out.write()


def handout(jurisdiction: str, out_dir: Path, *, ws: api.WorkspaceLike = None, fmt: str = ALL,
            date: str | None = None, lang: str = "en", rules_base: str = "") -> list[Path]:
    """The handout of one jurisdiction (its own designs, or the default archetype)."""
    check_rules_base(rules_base)
    _check_names(out_dir, jurisdiction, lang)
    out = Output()
    with rendering(lang if lang in LANGUAGES else "en"):
        loaded = localise(api.workspace(ws))
        root = handout_template_root(loaded, lang)
        single = docs.build_handout(loaded, jurisdiction, date=date, lang=lang, rules_base=rules_base)
        _render_formats(out, make_environment(loaded, lang), out_dir,
                        _names("handout", single.page.jurisdiction.id) + lang_suffix(lang),
                        f"{root}/page", formats_of(fmt), {"doc": single, "tpl_root": root}, single)
    return out.write()

