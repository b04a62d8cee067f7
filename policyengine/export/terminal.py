"""Markdown pages (the generated rule reference) as plain text for a terminal.

The page is parsed with markdown-it (the parser the documents use), then written back without
markup: headings underlined, tables aligned, code indented, links as ``text (address)`` when the
address is a web one. No escape codes, so the text is the same on a terminal, in a pipe or in a
file.
"""

from __future__ import annotations

import textwrap

from markdown_it import MarkdownIt
from markdown_it.token import Token

WIDTH = 100


def _inline(token: Token) -> str:
    out: list[str] = []
    href: list[str | None] = []
    for child in token.children or []:
        if child.type in ("text", "html_inline"):
            out.append(child.content if child.type == "text" else "")
        elif child.type == "code_inline":
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" " if child.type == "softbreak" else "\n")
        elif child.type == "link_open":
            target = str(child.attrs.get("href", ""))
            href.append(target if target.startswith(("http://", "https://")) else None)
        elif child.type == "link_close":
            address = href.pop() if href else None
            if address:
                out.append(f" ({address})")
    return "".join(out)


def _table(rows: list[list[str]]) -> list[str]:
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        return []
    widths = [max(len(r[i]) if i < len(r) else 0 for r in rows) for i in range(max(len(r) for r in rows))]
    return ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(r)).rstrip() for r in rows]


def markdown_to_text(markdown: str, width: int = WIDTH) -> str:
    """Plain text of a Markdown page."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    lines: list[str] = []
    prefix: list[str] = []  # list bullets and quote marks of the blocks we are in
    table: list[list[str]] | None = None
    row: list[str] = []
    heading = 0

    def add(text: str) -> None:
        lead = "".join(prefix)
        wrapped = textwrap.wrap(text, width=max(20, width - len(lead)), break_long_words=False,
                                break_on_hyphens=False) or [""]
        indent = " " * len(lead)
        lines.extend([lead + wrapped[0]] + [indent + w for w in wrapped[1:]])
        if prefix and prefix[-1] == "- ":
            prefix[-1] = "  "  # the bullet only on the item's first line

    for tok in tokens:
        kind = tok.type
        if kind == "heading_open":
            heading = int(tok.tag[1])
        elif kind == "heading_close":
            heading = 0
        elif kind == "inline":
            text = _inline(tok)
            if table is not None:
                row.append(text)
            elif heading:
                if lines and lines[-1] != "":
                    lines.append("")
                lines.append(text)
                lines.append(("=" if heading == 1 else "-") * min(len(text), width))
            else:
                for part in text.split("\n"):
                    add(part)
        elif kind == "paragraph_close" and table is None and not tok.hidden:  # hidden: in a tight list
            lines.append("")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lines.append("")
        elif kind == "list_item_open":
            prefix.append("- ")
        elif kind == "list_item_close":
            prefix.pop()
        elif kind == "blockquote_open":
            prefix.append("| ")
        elif kind == "blockquote_close":
            prefix.pop()
        elif kind in ("fence", "code_block"):
            lines.extend("    " + line for line in tok.content.rstrip("\n").split("\n"))
            lines.append("")
        elif kind == "table_open":
            table = []
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and table is not None:
            table.append(row)
        elif kind == "table_close" and table is not None:
            lines.extend(_table(table))
            lines.append("")
            table = None
        elif kind == "hr":
            lines.extend(["-" * 20, ""])
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip("\n") + "\n"
