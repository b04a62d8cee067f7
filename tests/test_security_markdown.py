"""Markdown outputs (toolkits, gap analyses, handouts and the `policyengine docs` pages) are as
inert as the HTML ones: rendered by a permissive Markdown viewer (raw HTML on, every link
scheme allowed), they hold no script, no event handler, no image to fetch and no link that is
not http(s), mailto or relative (issue 9)."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from policyengine import api
from policyengine.authoring.docs import build_docs
from policyengine.load import shipped_root
from policyengine.problems import BadOption
from policyengine.render import pipeline
from policyengine.render.markdown import check_rules_base, md_text, safe_href

EVIL = ("<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(2)) "
        "[d](data:text/html;base64,PHNjcmlwdD4=) ![t](http://tracker.example/p.png) [e](jav&#97;script:alert(5)) "
        "[f](java\\script:alert(6)) <javascript:alert(7)> [g](<javascript:alert(8)>)")

VIEWER = MarkdownIt("commonmark", {"html": True}).enable("table")
VIEWER.validateLink = lambda url: True  # type: ignore[method-assign]  # the most permissive viewer


class _Live(HTMLParser):
    """Collects what would be live in a browser: scripts, handlers, images, unsafe links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "img", "iframe", "object", "embed"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{name}=")
            if name in ("href", "src") and not safe_href(value or ""):
                self.found.append(f"{name}={value}")


def live_parts(markdown: str) -> list[str]:
    parser = _Live()
    parser.feed(VIEWER.render(markdown))
    return parser.found


@pytest.fixture(scope="module")
def hostile_ws(tmp_path_factory: pytest.TempPathFactory) -> api.Workspace:
    root = tmp_path_factory.mktemp("hostile") / "ws"
    shutil.copytree(shipped_root() / "rulesets", root / "rulesets")
    shutil.copytree(shipped_root() / "jurisdictions" / "NG", root / "jurisdictions" / "NG")
    shutil.copytree(shipped_root() / "jurisdictions" / "GH", root / "jurisdictions" / "GH")
    for rule in (root / "rulesets" / "rules").rglob("*.yaml"):
        text = rule.read_text(encoding="utf-8")
        for key in ("finding", "recommendation", "rationale"):
            text = text.replace(f"\n{key}: >-\n", f"\n{key}: >-\n  {EVIL}\n", 1)
        rule.write_text(text, encoding="utf-8")
    for bib in (root / "rulesets" / "bibliography").glob("*.yaml"):
        text = bib.read_text(encoding="utf-8")
        bib.write_text(text.replace("url: https://", "url: javascript:alert(3)//"), encoding="utf-8")
    ws = api.workspace(root)
    assert sum(EVIL.split()[0] in " ".join((r.finding or "").split()) for r in ws.rules.values()) > 50
    return ws


def test_the_viewer_used_by_these_tests_does_show_live_markup() -> None:
    assert {"<script>", "<img>", "onerror=", "href=javascript:alert(2)"} <= set(live_parts("Text " + EVIL))
    assert {"<script>", "<img>", "onerror="} <= set(live_parts(EVIL))  # as an HTML block


def test_md_documents_are_inert(hostile_ws: api.Workspace, tmp_path: Path) -> None:
    out = tmp_path / "out"
    written = pipeline.toolkit("NG", "enaira", out, ws=hostile_ws, fmt="md")
    written += pipeline.gap("NG", ["enaira"], out, ws=hostile_ws, fmt="md")
    written += pipeline.handouts("africa", out / "handouts", ws=hostile_ws, fmt="md")
    assert len(written) >= 5
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert live_parts(text) == [], path.name
        assert "javascript:alert" not in text or "](javascript:" not in text, path.name


def test_the_rule_reference_pages_are_inert(hostile_ws: api.Workspace) -> None:
    pages = build_docs(hostile_ws)
    assert len(pages) > 100
    hostile = [name for name, text in pages.items() if "alert(1)" in text]
    assert len(hostile) > 50  # the hostile text is there, shown as text
    for name, text in pages.items():
        assert live_parts(text) == [], name


@pytest.mark.parametrize("text, shown", [
    ("see [FATF](https://www.fatf-gafi.org) and [the page](../rules/AML.md)",
     "see [FATF](https://www.fatf-gafi.org) and [the page](../rules/AML.md)"),
    ("[x](javascript:alert(2)) | *", "&#91;x&#93;(javascript:alert(2)) \\| *"),
    ("[r]: javascript:alert(4)", "&#91;r&#93;: javascript:alert(4)"),
    ("![t](https://tracker.example/p.png)", "!&#91;t&#93;(https://tracker.example/p.png)"),
    ("<b onclick=x>", "&lt;b onclick=x&gt;"),
])
def test_authored_markdown_keeps_safe_links_only(text: str, shown: str) -> None:
    assert md_text(text, cell=True) == shown


@pytest.mark.parametrize("base", ["../rules/", "rules/", "https://example.org/rules/", "http://h/r/", ""])
def test_rules_base_accepts_web_addresses_and_relative_paths(base: str) -> None:
    assert check_rules_base(base) == base


@pytest.mark.parametrize("base", ["javascript:alert(1)//", "data:text/html,x", "file:///etc/", "//evil.example/",
                                  "/abs/path/", "../rules/) [x](javascript:y", "a b", " "])
def test_rules_base_refuses_anything_else(base: str, tmp_path: Path) -> None:
    with pytest.raises(BadOption) as err:
        pipeline.toolkit("NG", "enaira", tmp_path / "out", fmt="md", rules_base=base)
    assert str(err.value) == (f"--rules-base: {base!r} must be an http(s) address or a relative path "
                              "(such as ../rules/), without spaces, quotes, brackets or parentheses")
    assert not (tmp_path / "out").exists()
