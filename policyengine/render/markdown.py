"""Markdown -> HTML with markdown-it-py, raw HTML off: text from a profile or a rule can never
inject markup or script into an HTML document. Also the escaping of text placed into Markdown
output, so that the Markdown files are as inert as the HTML ones."""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup

_MD = MarkdownIt("commonmark", {"html": False}).enable("table")


def to_html(text: str) -> Markup:
    """A Markdown document or block as HTML (raw HTML in the source is shown as text)."""
    return Markup(_MD.render(text or ""))


def inline(text: str | None) -> Markup:
    """One line of Markdown (emphasis, code, links) as inline HTML, raw HTML shown as text."""
    return _inline(" ".join((text or "").split()))


#: Texts converted and escaped, remembered by their text alone: each function below depends on
#: nothing else (no language, no workspace), and the same rule and principle texts recur in
#: every document of a batch. Bounded, so a long-lived process keeps flat memory.
_TEXTS_KEPT = 16384


@lru_cache(maxsize=_TEXTS_KEPT)
def _inline(line: str) -> Markup:
    return Markup(_MD.renderInline(line))


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
    if type(text) is str:  # exactly str (a subclass of str may print otherwise)
        return _escape_md(text)
    return _escape_md(str(text if text is not None else ""))


@lru_cache(maxsize=_TEXTS_KEPT)
def _escape_md(text: str) -> str:
    s = " ".join(text.split())
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


# --- Authored Markdown placed into Markdown output -------------------------------------------

#: Link schemes a Markdown document may carry; anything else (javascript:, data:, file:, vbscript:)
#: is shown as text. A destination without a scheme is a relative link.
SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_PROBE = MarkdownIt("commonmark", {"html": False}).enable("table")
_PROBE.validateLink = lambda url: True  # type: ignore[method-assign]  # see every link, to judge it ourselves


def safe_href(url: str) -> bool:
    """Whether a link destination is http(s), mailto or relative (after the clean-up a browser
    does: control characters and whitespace removed)."""
    cleaned = "".join(c for c in url if c > " " and c != "\x7f")
    match = _SCHEME.match(cleaned)
    return match is None or match.group(1).lower() in SAFE_SCHEMES


def _links(text: str) -> tuple[list[str], bool, bool]:
    """The link destinations of ``text`` as a Markdown renderer sees them, whether it holds an
    image, and whether it defines a link reference."""
    env: dict[str, object] = {}
    tokens = _PROBE.parse(text, env)
    hrefs: list[str] = []
    image = False
    stack = list(tokens)
    while stack:
        token = stack.pop()
        if token.type == "link_open":
            hrefs.append(str(token.attrs.get("href", "")))
        elif token.type == "image":
            image = True
        stack.extend(token.children or [])
    return hrefs, image, bool(env.get("references"))


def md_text(text: str | None, *, cell: bool = False, amp: bool = True) -> str:
    """Authored Markdown (a rule's finding, a principle's statement) kept as Markdown on one
    line, and made as inert as the HTML: raw HTML is shown as text, and if the text holds a
    link that is not http(s), mailto or relative, an image (which a viewer would fetch) or a
    link reference definition, its brackets become entities so that no link or image forms.
    ``cell`` escapes table pipes; ``amp`` false leaves ``&`` as written (entities are decoded
    before links are judged, so they cannot smuggle one in)."""
    return _md_text(str(text or ""), cell, amp)


@lru_cache(maxsize=_TEXTS_KEPT)
def _md_text(text: str, cell: bool, amp: bool) -> str:
    s = " ".join(text.split())
    if amp:
        s = escape_amp(s)  # only an & that would start an entity: "Terrorism & Proliferation" stays readable
    s = s.replace("<", "&lt;").replace(">", "&gt;")
    if cell:
        s = s.replace("|", "\\|")
    if "[" in s or "]" in s:
        hrefs, image, references = _links(s)
        if image or references or not all(safe_href(h) for h in hrefs):
            s = s.replace("[", "&#91;").replace("]", "&#93;")
    return s


def link_md(label: str, url: str | None) -> str:
    """``[label](url)`` when ``url`` is an http(s) address, else the label as text."""
    if url and url.startswith(("https://", "http://")) and safe_href(url) and not any(c in url for c in " ()<>\"'\\`"):
        return f"[{md_text(label, amp=False).replace('[', '&#91;').replace(']', '&#93;')}]({url})"
    return md_text(label, amp=False)


def check_rules_base(value: str) -> str:
    """``--rules-base``: an http(s) address or a relative path, usable inside a Markdown link."""
    from ..problems import BadOption

    if not value:
        return value  # no links to rule pages
    bad = (any(c.isspace() or c in "()<>\"'\\`[]" or ord(c) < 32 or c == "\x7f" for c in value)
           or value.startswith("//"))
    scheme = _SCHEME.match(value)
    if bad or (scheme and not value.startswith(("https://", "http://"))) or (value.startswith("/") and not scheme):
        raise BadOption(f"--rules-base: {value!r} must be an http(s) address or a relative path "
                        "(such as ../rules/), without spaces, quotes, brackets or parentheses")
    return value
