"""`policyengine serve` in a real browser: headless Chromium (the system one, driven by
Playwright, as in test_a11y_pages.py) opens the pages of a real uvicorn on 127.0.0.1, makes a
what-if change through the form, sees the findings that moved, downloads a toolkit, and
axe-core finds no violation on any page. Skips (with the reason) where Playwright or a
Chromium binary is missing; never `playwright install`."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

from policyengine import api
from policyengine.web import Server
from policyengine.web.whatif import apply_choices, choices_of, parse_choices
from tests.browser_support import CHROMIUM, NO_CHROMIUM

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra: pip install -e '.[test]'")
axe_mod = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python is in the test extra")

JID, DID = "NG", "enaira"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    p = context.new_page()
    yield p
    context.close()


def _axe(page: Any) -> None:
    result = axe_mod.Axe().run(page)
    violations = result.response["violations"]
    summary = {v["id"]: [n["target"] for n in v["nodes"]][:3] for v in violations}
    assert not violations, f"{page.url}: axe-core violations {summary}"


def test_workshop_flow_in_a_browser(page: Any, url: str, server: Server, tmp_path: Path) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url + "/")
    assert page.title() == "Jurisdictions by region · policyengine"
    _axe(page)
    page.click(f'a[href="/j/{JID}"]')
    assert page.locator("h1").inner_text() == server.ws.profiles[JID].name
    _axe(page)
    page.click(f'a[href="/j/{JID}/{DID}"]')
    assert "Where the design stands" in page.content()
    _axe(page)
    page.click(f'a[href="/j/{JID}/{DID}/whatif"]')
    _axe(page)
    # the change a workshop would try: a pseudonymous privacy model instead of the recorded transparent one
    page.select_option("#f-privacy_model", "pseudonymous")
    page.click("button:has-text('Re-assess')")
    page.wait_for_url(f"{url}/j/{JID}/{DID}/whatif#changes")
    design = server.design(JID, DID)
    edited = apply_choices(design, parse_choices({**choices_of(design).model_dump(), "privacy_model": "pseudonymous"}),
                           "NGN")
    before = {f.rule_id: f.status.value for f in api.assess(JID, DID, server.ws).findings}
    moved = {f.rule_id: f.status.value for f in api.assess_design(JID, edited, server.ws).findings
             if f.status.value != before[f.rule_id]}
    rows = page.locator("table.changed-findings tbody tr")
    assert rows.count() == len(moved) > 0
    shown = {rows.nth(i).locator("th a").inner_text(): rows.nth(i).locator("td").nth(1).inner_text()
             for i in range(rows.count())}
    assert set(shown) == set(moved)
    assert page.locator("table.changed-facts").inner_text().count("pseudonymous") == 1
    _axe(page)
    # the explanation of a moved finding, for the what-if
    first = next(iter(moved))
    page.click(f'table.changed-findings a[href$="/rule/{first}?whatif=1"]')
    assert "for the what-if of this design" in page.content()
    _axe(page)
    # leave with the documents
    page.goto(f"{url}/j/{JID}/{DID}")
    with page.expect_download() as info:
        page.click(f'a[href="/download/toolkit?j={JID}&d={DID}&format=html&lang=en"]')
    download = info.value
    assert download.suggested_filename == f"{JID}-{DID}-toolkit.html"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert server.ws.profiles[JID].name in saved.read_text(encoding="utf-8")
    assert not errors, errors


@pytest.mark.parametrize("path", ["/region/africa", f"/j/{JID}/compare?d={DID}&d=two-tier-token-retail",
                                  f"/j/{JID}/{DID}/rule/AML-ANONYMOUS-TIER-RISK-ASSESSED", "/j/XX",
                                  f"/j/{JID}/{DID}/questionnaire"])
def test_other_pages_have_no_axe_violation(page: Any, url: str, path: str) -> None:
    response = page.goto(url + path)
    assert response is not None and response.status == (404 if path == "/j/XX" else 200), path
    assert page.locator("h1").count() == 1  # the page (or the not-found page) rendered its own content
    _axe(page)


def test_the_what_if_editor_is_usable_at_phone_width(browser: Any, url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    try:
        page.goto(f"{url}/j/{JID}/{DID}/whatif")
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= 391, f"the editor scrolls sideways at 390 px ({width} px wide)"
    finally:
        context.close()
