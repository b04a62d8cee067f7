"""Markdown -> HTML with markdown-it-py, raw HTML off: text from a profile or a rule can never
inject markup or script into an HTML document. Also the escaping of text placed into Markdown
output, so that the Markdown files are as inert as the HTML ones."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markupsafe import Markup

_MD = MarkdownIt("commonmark", {"html": False}).enable("table")


def to_html(text: str) -> Markup:
    """A Markdown document or block as HTML (raw HTML in the source is shown as text)."""
    return Markup(_MD.render(text or ""))


def inline(text: str | None) -> Markup:
    """One line of Markdown (emphasis, code, links) as inline HTML, raw HTML shown as text."""
    return Markup(_MD.renderInline(" ".join((text or "").split())))


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")
#: An ``&`` that a Markdown renderer would read as the start of an entity (``&amp;``, ``&#60;``);
#: any other ``&`` is shown as itself, so the Markdown file reads "Terrorism & Proliferation".
_ENTITY_START = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def escape_amp(text: str) -> str:
    """Escape ``&`` only where it would start an entity reference."""
    return _ENTITY_START.sub("&amp;", text)


def escape_md(text: object) -> str:
    """Plain text made safe for a Markdown line or table cell.

    HTML-significant characters become entities (so a Markdown renderer with raw HTML on still
    shows ``<script>`` as text), Markdown punctuation is backslash-escaped (no links, emphasis or
    table breaks can be smuggled in), and line breaks become spaces.
    """
    s = " ".join(str(text if text is not None else "").split())
    s = escape_amp(s).replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", s)


def escape_md_line(text: object) -> str:
    """Like :func:`escape_md`, for text that starts a line: a leading ``-``, ``+``, ``=``, ``>``
    or ``1.`` would otherwise turn it into a list, heading or quote."""
    s = escape_md(text)
    m = re.match(r"^(\d+)([.)])", s)
    if m:
        return f"{m.group(1)}\\{m.group(2)}{s[m.end():]}"
    if s[:1] in "+-=":
        return "\\" + s
    return s


def code_md(text: object) -> str:
    """An inline code span that holds any text (a path, an id)."""
    s = " ".join(str(text or "").split())
    fence = "`"
    while fence in s:
        fence += "`"
    pad = " " if s.startswith("`") or s.endswith("`") else ""
    return f"{fence}{pad}{s}{pad}{fence}"
