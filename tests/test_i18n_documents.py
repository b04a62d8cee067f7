"""Documents in a right-to-left (Arabic) and a Chinese edition: golden files, and the Arabic
page in a real browser (headless Chromium through Playwright) reading right to left.

The goldens hold whatever the shipped catalogues translate when they were made (regenerate with
POLICYENGINE_UPDATE_GOLDEN=1 when a translation lands): the markup that makes the language work
(``<html lang dir>``, the fonts, the mirrored heat-map, Babel's number and date formats) is what
they pin down; the words follow the catalogues.
"""

from __future__ import annotations

import difflib
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from policyengine import api
from policyengine.render import pipeline
from tests.browser_support import CHROMIUM, NO_CHROMIUM

sys.path.insert(0, str(Path(__file__).parent))
from render_support import GOLDEN, UPDATE  # noqa: E402

FOLDER = GOLDEN / "i18n"
EDITIONS = (("ar", "NG-enaira-brief.ar"), ("zh", "NG-enaira-brief.zh"))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = api.workspace(None)
    out = tmp_path_factory.mktemp("editions")
    for lang, _stem in EDITIONS:
        pipeline.brief("NG", "enaira", out, ws=ws, fmt="all", lang=lang)
    pipeline.handouts("arab_states", out / "handouts", ws=ws, fmt="html", lang="ar")
    return out


@pytest.mark.parametrize("name", [f"{stem}.{ext}" for _lang, stem in EDITIONS for ext in ("md", "html", "json")])
def test_golden(rendered: Path, name: str) -> None:
    got = (rendered / name).read_bytes()
    golden = FOLDER / name
    if UPDATE:
        FOLDER.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(got)
        return
    assert golden.is_file(), f"no golden file {golden}; create it with POLICYENGINE_UPDATE_GOLDEN=1"
    want = golden.read_bytes()
    if got != want:
        diff = "".join(list(difflib.unified_diff(want.decode().splitlines(keepends=True),
                                                 got.decode().splitlines(keepends=True), name, "rendered"))[:60])
        pytest.fail(f"{name} differs from its golden file (POLICYENGINE_UPDATE_GOLDEN=1 if intended):\n{diff}")


sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra: pip install -e '.[test]'")
needs_browser = pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)


@needs_browser
def test_the_arabic_brief_reads_right_to_left(rendered: Path, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto((rendered / "NG-enaira-brief.ar.html").as_uri())
        assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
        assert page.evaluate("getComputedStyle(document.querySelector('table th')).textAlign") in ("start", "right")
        # the first column of a table is on the right: reading order is kept, the layout mirrors
        first, last = page.evaluate("""() => { const r = document.querySelector('table tr');
            const c = r.children; return [c[0].getBoundingClientRect().left, c[c.length - 1].getBoundingClientRect().left]; }""")
        assert first > last
        # a numbered list's markers sit on the right
        ol = page.evaluate("""() => { const o = document.querySelector('ol'); if (!o) return null;
            const s = getComputedStyle(o); return [s.paddingRight, s.paddingLeft]; }""")
        assert ol is None or float(ol[0].rstrip("px")) > float(ol[1].rstrip("px"))
        page.screenshot(path=str(rendered / "NG-enaira-brief.ar.png"), full_page=True)
        assert (rendered / "NG-enaira-brief.ar.png").stat().st_size > 10_000
    finally:
        page.close()


@needs_browser
def test_the_english_brief_reads_left_to_right(tmp_path: Path, browser: Any) -> None:
    (html,) = pipeline.brief("NG", "enaira", tmp_path, fmt="html")
    page = browser.new_page()
    try:
        page.goto(html.as_uri())
        assert page.evaluate("getComputedStyle(document.documentElement).direction") == "ltr"
        first, last = page.evaluate("""() => { const r = document.querySelector('table tr');
            const c = r.children; return [c[0].getBoundingClientRect().left, c[c.length - 1].getBoundingClientRect().left]; }""")
        assert first < last
    finally:
        page.close()


@needs_browser
def test_the_arabic_heat_map_has_the_countries_on_the_right(rendered: Path, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1800, "height": 900})
    try:
        page.goto((rendered / "handouts" / "handouts-arab_states.ar.html").as_uri())
        label, cell = page.evaluate("""() => { const s = document.querySelector('svg.heatmap');
            const texts = [...s.querySelectorAll(':scope > text')]; const label = texts.find(t => t.textContent.includes('\u00b7'));
            const rect = s.querySelector('g rect'); return [label.getBoundingClientRect().left, rect.getBoundingClientRect().left]; }""")
        assert label > cell
    finally:
        page.close()


PDFFONTS = shutil.which("pdffonts")


def _catalogue(root: Path, lang: str, translations: dict[str, str]) -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    cat = Catalog(locale=lang)
    for english, text in translations.items():
        cat.add(english, text, flags=["unreviewed"])
    path = root / lang / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    with path.open("wb") as f:
        write_po(f, cat)


@needs_browser
@pytest.mark.skipif(PDFFONTS is None, reason="no pdffonts (poppler-utils; make test installs it)")
@pytest.mark.skipif(shutil.which("fc-list") is None, reason="no fontconfig")
def test_arabic_prints_with_the_noto_font_and_chinese_prints_its_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    fonts = subprocess.run(["fc-list"], capture_output=True, text=True).stdout
    if "Noto Naskh Arabic" not in fonts or "Noto Sans CJK SC" not in fonts:
        pytest.skip("Noto fonts missing (make test installs fonts-noto-core and fonts-noto-cjk)")
    from policyengine.i18n import catalogues

    root = tmp_path / "locale"
    _catalogue(root, "ar", {"Where the design stands": "أين يقف التصميم"})
    _catalogue(root, "zh", {"Where the design stands": "设计的现状"})
    monkeypatch.setattr(catalogues, "LOCALE_DIR", root)
    catalogues.load.cache_clear()
    try:
        (pdf,) = pipeline.brief("NG", "enaira", tmp_path / "ar", fmt="pdf", lang="ar")
        listed = subprocess.run([PDFFONTS, str(pdf)], capture_output=True, text=True, check=True).stdout
        assert "NotoNaskhArabic" in listed, listed
        # Chromium embeds the CJK face as an unnamed Type 3 font: check that the text is there
        (pdf,) = pipeline.brief("NG", "enaira", tmp_path / "zh", fmt="pdf", lang="zh")
        if shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
            assert "设计的现状" in text
    finally:
        catalogues.load.cache_clear()
