"""The HTML documents in a real browser: headless Chromium driven by Playwright, checked with
axe-core (vendored by the axe-playwright-python package), at desktop and phone widths and in
print. `make test` installs Chromium with apt-get when it is missing; these tests skip (with
the reason) only where neither Playwright nor a Chromium binary is present.

Never run `playwright install`: it downloads a browser build, which this project does not do;
the system Chromium is launched through `executable_path`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from policyengine import api
from policyengine.render import pipeline
from tests.browser_support import CHROMIUM, NO_CHROMIUM

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra: pip install -e '.[test]'")
axe_mod = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python is in the test extra")

PHONE = 390
#: 8 pt in CSS pixels (1 pt = 96/72 px).
MIN_PRINT_PX = 8 * 96 / 72

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)

DOCS = ("NG-enaira-toolkit.html", "NG-gap-analysis.html", "NG-enaira-brief.html", "KE-brief.html",
        "handouts/handouts-africa.html", "handouts/handout-NG.html", "handouts/handout-KE.html",
        "handouts/handouts-europe.html")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = api.workspace()
    out = tmp_path_factory.mktemp("a11y")
    pipeline.toolkit("NG", "enaira", out, ws=ws, fmt="html")
    pipeline.gap("NG", ["enaira", "two-tier-token-retail"], out, ws=ws, fmt="html")
    pipeline.brief("NG", "enaira", out, ws=ws, fmt="html")
    pipeline.brief("KE", None, out, ws=ws, fmt="html")
    pipeline.handouts("africa", out / "handouts", ws=ws, fmt="html")
    pipeline.handouts("europe", out / "handouts", ws=ws, fmt="html")
    return out


def _open(browser: Any, path: Path, width: int = 1280) -> Any:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(path.as_uri())
    return page


@pytest.mark.parametrize("name", DOCS)
def test_axe_finds_no_violation(rendered: Path, browser: Any, name: str) -> None:
    page = _open(browser, rendered / name)
    try:
        result = axe_mod.Axe().run(page)
        violations = result.response["violations"]
        assert result.response["passes"] is not None
        summary = {v["id"]: [n["target"] for n in v["nodes"]][:3] for v in violations}
        assert not violations, f"{name}: axe-core violations {summary}"
    finally:
        page.close()


@pytest.mark.parametrize("name", DOCS)
def test_usable_at_phone_width(rendered: Path, browser: Any, name: str) -> None:
    page = _open(browser, rendered / name, PHONE)
    try:
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= PHONE + 1, f"{name}: the page scrolls sideways at {PHONE} px ({width} px wide)"
        # a table wider than the screen scrolls by itself (its own box, not the page)
        stuck = page.evaluate("""() => [...document.querySelectorAll('table')]
            .filter(t => t.scrollWidth > t.clientWidth + 1)
            .filter(t => { const o = getComputedStyle(t).overflowX; const p = getComputedStyle(t.parentElement).overflowX;
                           return !['auto', 'scroll'].includes(o) && !['auto', 'scroll'].includes(p); }).length""")
        assert stuck == 0, f"{name}: {stuck} wide tables that do not scroll"
    finally:
        page.close()


@pytest.mark.parametrize("name", DOCS)
def test_print_text_is_at_least_8pt(rendered: Path, browser: Any, name: str) -> None:
    page = _open(browser, rendered / name)
    try:
        page.emulate_media(media="print")
        smallest = page.evaluate("""() => {
            let min = Infinity, where = '';
            for (const el of document.querySelectorAll('body *')) {
                if (el.closest('svg') || getComputedStyle(el).display === 'none') continue;
                const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
                if (!own) continue;
                const px = parseFloat(getComputedStyle(el).fontSize);
                if (px < min) { min = px; where = el.tagName + '.' + el.className + ': ' + el.textContent.trim().slice(0, 40); }
            }
            return [min, where];
        }""")
        assert smallest[0] >= MIN_PRINT_PX - 0.01, f"{name}: print text of {smallest[0] * 72 / 96:.2f} pt ({smallest[1]})"
    finally:
        page.close()


def test_heatmap_legend_explains_every_colour_and_labels_are_whole(rendered: Path, browser: Any) -> None:
    page = _open(browser, rendered / "handouts/handouts-africa.html")
    try:
        facts = page.evaluate("""() => {
            const svg = document.querySelector('svg.heatmap');
            const cells = [...svg.querySelectorAll('g > rect')].map(r => r.getAttribute('fill'));
            const legend = [...svg.querySelectorAll(':scope > rect')].map(r => r.getAttribute('fill'));
            const firstCell = Math.min(...[...svg.querySelectorAll('g > rect')].map(r => +r.getAttribute('x')));
            const labels = [...svg.querySelectorAll(':scope > text[x="4"]')]
                .map(t => ({text: t.textContent, right: t.getBBox().x + t.getBBox().width}));
            return {cells, legend, firstCell, labels};
        }""")
        assert facts["cells"], "the heat-map has cells"
        assert set(facts["cells"]) <= set(facts["legend"]), "a cell colour the legend does not explain"
        rows = [t for t in facts["labels"] if "\u00b7" in t["text"]]
        assert rows and all("\u2026" not in t["text"] for t in rows), "a row label was cut"
        assert all(t["right"] < facts["firstCell"] for t in rows), "a row label runs under the cells"
    finally:
        page.close()


def test_heatmap_column_titles_do_not_run_into_each_other(rendered: Path, browser: Any) -> None:
    """Thirteen areas: each column title, measured as the browser draws it, stays clear of the
    titles beside it and inside the drawing."""
    page = _open(browser, rendered / "handouts/handouts-africa.html")
    try:
        boxes = page.evaluate("""() => {
            const svg = document.querySelector('svg.heatmap');
            const width = +svg.getAttribute('width');
            const heads = [...svg.querySelectorAll(':scope > text[font-weight="bold"]')]
                .map(t => { const b = t.getBBox(); return {text: t.textContent, y: +t.getAttribute('y'),
                                                           left: b.x, right: b.x + b.width}; });
            return {width, heads};
        }""")
        heads = boxes["heads"]
        assert len({h["text"] for h in heads}) >= 13
        for line in {h["y"] for h in heads}:
            row = sorted((h for h in heads if h["y"] == line), key=lambda h: h["left"])
            for a, b in zip(row, row[1:], strict=False):
                assert a["right"] < b["left"], f"column titles overlap: {a['text']!r} and {b['text']!r}"
            assert row[-1]["right"] <= boxes["width"], f"{row[-1]['text']!r} runs off the heat-map"
    finally:
        page.close()
