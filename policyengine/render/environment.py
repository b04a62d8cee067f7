"""The Jinja environment every document is rendered with.

Sandboxed (templates may come from a workspace, so they get no access to Python internals),
StrictUndefined (a misspelt variable is an error, never a blank in a printed toolkit) and
autoescaping for ``.html`` templates. Templates are looked up in the workspace's ``templates/``
first, then in the shipped ``templates/``, so an organisation can override one file (a logo, a
translated handout) without copying the rest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateNotFound, select_autoescape
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..load import Workspace, shipped_root
from ..problems import PolicyEngineError
from . import markdown as md
from .documents import AREA_TITLES, SECTION_TITLES, STATUS_LABELS, label_of
from .format import filters_for


class TemplateError(PolicyEngineError):
    """A template is missing or failed to render."""


def shipped_templates() -> Path:
    return shipped_root() / "templates"


def template_dirs(ws: Workspace | None) -> list[Path]:
    dirs = []
    if ws is not None and ws.templates_dir.is_dir():
        dirs.append(ws.templates_dir.resolve())
    shipped = shipped_templates().resolve()
    if shipped not in dirs:
        dirs.append(shipped)
    return dirs


class _CheckedOnceSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with its verdict on an attribute remembered per (type, name).

    Jinja's check (private names, internal attributes of functions, frames and generators,
    mutating methods of lists, dicts and sets) depends only on the object's type and the
    attribute's name, so remembering it changes no verdict; it was more than half the time
    of rendering a toolkit.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._verdicts: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return verdict


def make_environment(ws: Workspace | None, lang: str = "en") -> ImmutableSandboxedEnvironment:
    """The environment of one document language: ``num``, ``year``, ``pct``, ``amount`` and
    ``date`` format through Babel for ``lang`` (:mod:`policyengine.render.format`)."""
    env = _CheckedOnceSandbox(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in template_dirs(ws)]),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html", "svg"), default_for_string=False, default=False),
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False)
    env.filters.update({
        "md": md.escape_md,  # plain text into Markdown
        "mdline": md.escape_md_line,  # plain text that starts a Markdown line
        "mdcode": md.code_md,  # a path or id as a Markdown code span
        "mdtext": _md_text,  # Markdown text (rule and principle texts) into Markdown
        "inline": md.inline,  # Markdown text into HTML, raw HTML off
        "status_label": lambda s: STATUS_LABELS.get(s, s),
        "area_title": lambda a: AREA_TITLES.get(a, a),
        "fact_label": label_of,
        "section_title": lambda s: SECTION_TITLES.get(s, AREA_TITLES.get(s, s)),
    })
    env.filters.update(filters_for(lang))
    env.tests["weburl"] = _is_web_url
    return env


def _is_web_url(value: object) -> bool:
    """Only http(s) addresses become links; anything else (``javascript:``) stays text."""
    return isinstance(value, str) and value.startswith(("https://", "http://")) and not any(c.isspace() for c in value)


def _md_text(text: str | None) -> str:
    """Authored Markdown (a rule's finding text) kept as Markdown, with raw HTML neutralised."""
    s = " ".join((text or "").split())
    return md.escape_amp(s).replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def render(env: ImmutableSandboxedEnvironment, name: str, **context: Any) -> str:
    try:
        template = env.get_template(name)
    except TemplateNotFound as exc:
        raise TemplateError(f"template not found: {exc.name} (looked in {', '.join(str(p) for p in _searched(env))})") from exc
    try:
        text = template.render(**context)
    except jinja2.TemplateError as exc:
        filename, lineno = getattr(exc, "filename", None), getattr(exc, "lineno", None)
        where = f"{filename}:{lineno}: " if filename else f"{name}: "
        raise TemplateError(f"template {where}{exc.__class__.__name__}: {exc}") from exc
    return text if text.endswith("\n") else text + "\n"


def _searched(env: ImmutableSandboxedEnvironment) -> list[str]:
    loader = env.loader
    out: list[str] = []
    if isinstance(loader, ChoiceLoader):
        for sub in loader.loaders:
            if isinstance(sub, FileSystemLoader):
                out.extend(str(p) for p in sub.searchpath)
    return out
