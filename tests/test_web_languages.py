"""`policyengine serve` in the six UN languages: the language in the address or negotiated from
Accept-Language, a picker on every page that keeps the page, ruleset texts from the content
catalogue, Arabic right to left, the machine-translation notice, translated form errors while the
JSON API stays English; and a PDF that prints outside the engine lock."""

from __future__ import annotations

import html
import re
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from policyengine.i18n.catalogues import UN_LANGUAGES, load
from policyengine.i18n.content import context as content_context
from policyengine.i18n.localise import rendering
from policyengine.i18n.tools import _read
from policyengine.web import Server, create_app, downloads
from policyengine.web.language import NATIVE_NAMES, negotiate, picker, preferred, split_path

sys.path.insert(0, str(Path(__file__).parent))
from test_i18n_pseudo import data_strings, leftovers  # noqa: E402

testclient = pytest.importorskip("starlette.testclient", reason="httpx is in the test extra")

BASE = "http://127.0.0.1:8000"
ORIGIN = {"origin": BASE}
JID, DID = "NG", "enaira"
RULE = "AML-ANONYMOUS-TIER-RISK-ASSESSED"
PAGES = {"index": "/", "jurisdiction": f"/j/{JID}", "design": f"/j/{JID}/{DID}",
         "finding": f"/j/{JID}/{DID}/rule/{RULE}", "editor": f"/j/{JID}/{DID}/whatif",
         "compare": f"/j/{JID}/compare?d={DID}&d=two-tier-token-retail", "region": "/region/africa",
         "questionnaire": f"/j/{JID}/{DID}/questionnaire", "error": "/j/XX"}
#: Format codes and the brand are names, not English words.
CODES = {"html", "HTML", "md", "json", "pdf", "xlsx", "yaml", "zip", "policyengine"}


@pytest.fixture(scope="module")
def data(server: Server) -> list[str]:
    return data_strings(server.ws, [(JID, DID), (JID, "two-tier-token-retail")]) + sorted(NATIVE_NAMES.values())


def visible(page: str) -> str:
    """The page's text as a reader sees it, without the language picker (each language named in
    itself), code (ids, conditions, paths) and the heat-map's drawing."""
    text = re.sub(r"(?s)<head>.*?</head>", " ", page)
    text = re.sub(r'(?s)<nav class="languages".*?</nav>', " ", text)
    text = re.sub(r"(?s)<code[^>]*>.*?</code>", " ", text)
    text = re.sub(r"(?s)<svg.*?</svg>", " ", text)
    text = re.sub(r"(?s)<option[^>]*>", " ", text)
    text = re.sub(r"<[^>]*>", " ", text)
    return html.unescape(text)


def _html_tag(page: str) -> tuple[str, str]:
    found = re.search(r'<html lang="([^"]+)" dir="([^"]+)">', page)
    assert found, "no <html lang dir>"
    return found.group(1), found.group(2)


def _whatif_pages(c: Any, root: str) -> dict[str, str]:
    """The editor with a what-if's changes, and a refused what-if (422), in the language of ``root``."""
    r = c.post(f"{root}/j/{JID}/{DID}/whatif", data={"privacy_model": "transparent", "holding_limit": "100000"},
               headers=ORIGIN, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"{root}/j/{JID}/{DID}/whatif#changes"
    changes = c.get(f"{root}/j/{JID}/{DID}/whatif")
    assert 'class="changed-findings"' in changes.text
    refused = c.post(f"{root}/j/{JID}/{DID}/whatif", data={"holding_limit": "lots", "offline_limit": "-1"},
                     headers=ORIGIN)
    assert refused.status_code == 422
    return {"changes": changes.text, "refused": refused.text}


# -- the language of a request -------------------------------------------------------------

@pytest.mark.parametrize(("header", "lang"), [
    ("fr-CA,fr;q=0.9,en;q=0.5", "fr"), ("ar-EG", "ar"), ("zh-Hans-CN,zh;q=0.8", "zh"), ("zh-TW", "zh"),
    ("de-DE,de;q=0.9", "en"), ("de,ru;q=0.5,es;q=0.4", "ru"), ("en;q=0.1,es;q=0.9", "es"), ("", "en"), (None, "en"),
    ("*", "en"), ("fr;q=0,es", "es"), ("es;q=abc,ru", "ru"), ("<script>,fr", "fr"),
])
def test_accept_language_is_negotiated_with_babel(header: str | None, lang: str) -> None:
    assert negotiate(header) == lang


def test_accept_language_weights_order_the_preferences() -> None:
    assert preferred("en;q=0.2, fr, ru;q=0.5, es;q=0.5") == ["fr", "ru", "es", "en"]
    assert preferred("x" * 5000) == []  # a tag of letters and hyphens only, from a bounded header


def test_the_address_names_the_language() -> None:
    assert split_path("/fr/j/NG") == ("fr", "/j/NG")
    assert split_path("/ar") == ("ar", "/")
    assert split_path("/zh/") == ("zh", "/")
    assert split_path("/j/NG") == (None, "/j/NG")
    assert split_path("/api/assess/NG/enaira") == (None, "/api/assess/NG/enaira")
    assert split_path("/de/j/NG") == (None, "/de/j/NG")


@pytest.mark.parametrize("lang", UN_LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_every_page_answers_in_every_language(client: Any, lang: str, name: str) -> None:
    r = client.get(f"/{lang}{PAGES[name]}")
    assert r.status_code == (404 if name == "error" else 200)
    tag = "zh-Hans" if lang == "zh" else lang
    assert _html_tag(r.text) == (tag, "rtl" if lang == "ar" else "ltr")
    assert r.headers["content-language"] == tag
    assert "accept-language" not in r.headers.get("vary", "").lower()  # the address alone decides
    # every link of the page keeps its language; the picker names each language in itself
    links = re.findall(r'<a [^>]*href="(/[^"]*)"', r.text)
    own = [h for h in links if not h.startswith(("/api/", "/download/", "/static/"))]
    picker_links = {f"/{code}" for code in UN_LANGUAGES}
    assert own and all(h.startswith(f"/{lang}/") or h.split("/")[1] in {p[1:] for p in picker_links} for h in own)
    assert all(f'hreflang="{"zh-Hans" if c == "zh" else c}" lang="{"zh-Hans" if c == "zh" else c}"' in r.text
               and f">{NATIVE_NAMES[c]}</a>" in r.text for c in UN_LANGUAGES)
    assert f'aria-current="true">{NATIVE_NAMES[lang]}</a>' in r.text


def test_a_page_without_a_language_is_negotiated_and_varies(client: Any) -> None:
    r = client.get(f"/j/{JID}/{DID}", headers={"accept-language": "ru-RU,ru;q=0.9,en;q=0.8"})
    assert r.status_code == 200 and _html_tag(r.text) == ("ru", "ltr")
    assert "Accept-Language" in r.headers["vary"] and r.headers["content-language"] == "ru"
    assert f'href="/j/{JID}/{DID}/whatif"' in r.text  # a negotiated page links to negotiated pages
    english = client.get(f"/j/{JID}/{DID}")
    assert _html_tag(english.text) == ("en", "ltr") and "Accept-Language" in english.headers["vary"]
    # the JSON API is not negotiated: English, whatever the browser prefers
    api = client.get(f"/api/assess/{JID}/{DID}", headers={"accept-language": "fr"})
    assert "vary" not in api.headers or "accept-language" not in api.headers["vary"].lower()
    english_titles = {f["rule_id"]: f["rule_title"] for f in client.get(f"/api/assess/{JID}/{DID}").json()["findings"]}
    assert {f["rule_id"]: f["rule_title"] for f in api.json()["findings"]} == english_titles
    assert "English" in client.get("/api/openapi.json").json()["info"]["description"]


def test_the_picker_keeps_the_page_and_its_query() -> None:
    links = picker("fr", "/j/NG/compare", "d=enaira&d=two-tier-token-retail")
    assert [x["href"] for x in links] == [f"/{c}/j/NG/compare?d=enaira&d=two-tier-token-retail" for c in UN_LANGUAGES]
    assert [x["name"] for x in links] == ["العربية", "中文", "English", "Français", "Русский", "Español"]
    assert [x["current"] for x in links] == [c == "fr" for c in UN_LANGUAGES]


def test_the_picker_on_a_page_links_to_the_same_page(client: Any) -> None:
    r = client.get(f"/fr/j/{JID}/compare?d={DID}&d=two-tier-token-retail")
    for code in UN_LANGUAGES:
        tag = "zh-Hans" if code == "zh" else code
        href = f"/{code}/j/{JID}/compare?d={DID}&amp;d=two-tier-token-retail"
        assert f'<a href="{href}" hreflang="{tag}" lang="{tag}"' in r.text
        assert f'<link rel="alternate" hreflang="{tag}" href="{href}">' in r.text
        followed = client.get(html.unescape(href))
        assert followed.status_code == 200 and _html_tag(followed.text)[0] == tag
        assert 'name="d" value="two-tier-token-retail" checked' in followed.text  # the same page, same choice
    assert f'<link rel="alternate" hreflang="x-default" href="/j/{JID}/compare?d={DID}&amp;d=two-tier-token-retail">' in r.text


# -- what a page says in its language ------------------------------------------------------

def test_no_english_is_left_outside_the_catalogues_on_any_page(fresh: Any, data: list[str]) -> None:
    """The pseudo-locale brackets every catalogued string: what is left is data, ids, format codes."""
    pages = {name: fresh.get(f"/en-XA{path}").text for name, path in PAGES.items()}
    pages.update(_whatif_pages(fresh, "/en-XA"))
    for name, text in pages.items():
        assert _html_tag(text)[0] == "en-XA"
        left = [w for w in leftovers(visible(text), data, markdown=False) if w not in CODES]
        assert not left, f"{name}: English outside the catalogues: {left}"


def _english_sentences(lang: str) -> list[str]:
    """Fragments (between placeholders, 16 characters or more) of every interface text the
    language's catalogue translates differently: none may be shown on a page in that language."""
    out = set()
    for m in _read(Path(__file__).parents[1] / "policyengine/locale" / lang / "LC_MESSAGES/messages.po", lang):
        if not m.id or isinstance(m.id, (list, tuple)) or not m.string or m.string == m.id:
            continue
        for fragment in re.split(r"%\(\w+\)[sd]", m.id):
            fragment = fragment.strip(" .,:;()")
            if len(fragment) >= 16 and " " in fragment:
                out.add(fragment)
    return sorted(out)


def test_a_french_page_shows_no_english_interface_text(fresh: Any, data: list[str], server: Server) -> None:
    english = _english_sentences("fr")
    assert len(english) > 100
    pages = {name: fresh.get(f"/fr{path}").text for name, path in PAGES.items()}
    pages.update(_whatif_pages(fresh, "/fr"))
    for name, text in pages.items():
        shown = visible(text)
        for s in data:
            shown = shown.replace(s, " ")
        shown = " ".join(shown.split())
        found = [e for e in english if e in shown]
        assert not found, f"{name}: English left in the French page: {found[:5]}"
    # the ruleset's texts come from the content catalogue, as in the documents
    rule = server.ws.rules[RULE]
    with rendering("fr"):
        french_title = load("fr").content.pgettext(content_context("rule", RULE, "title"), rule.title)
    assert french_title != rule.title
    assert html.escape(french_title, quote=False) in pages["design"] and rule.title not in pages["design"]
    assert html.escape(french_title, quote=False) in pages["finding"]


def test_unreviewed_languages_carry_the_machine_translation_notice(client: Any) -> None:
    for lang in ("ar", "zh", "fr", "ru", "es"):
        assert load(lang).unreviewed > 0
        r = client.get(f"/{lang}/")
        notice = re.search(r'<p class="translation-note" role="note">([^<]+)</p>', r.text)
        assert notice, lang
        with rendering(lang):
            expected = load(lang).gettext("Machine translation, not reviewed by a qualified translator.")
        assert html.unescape(notice.group(1)) == expected != "Machine translation, not reviewed by a qualified translator."
    assert 'class="translation-note"' not in client.get("/en/").text


def test_the_what_if_form_is_translated_and_refuses_in_the_page_language(fresh: Any) -> None:
    page = fresh.get(f"/fr/j/{JID}/{DID}/whatif").text
    with rendering("fr"):
        fr = load("fr")
        assert fr.gettext("Holding limit") in page and fr.gettext("Re-assess") in page
        # a limit may also be answered "none": the refusal says so (docs/adr/0002-engine.md)
        either = fr.gettext("%(problem)s (or none: there is no such limit)")
        must = either % {"problem": fr.gettext("must be %(ge)s or more") % {"ge": "0"}}
        number = either % {"problem": fr.gettext("enter a number, such as 120000 or 0.5")}
    refused = fresh.post(f"/fr/j/{JID}/{DID}/whatif", data={"holding_limit": "lots", "offline_limit": "-1"},
                         headers=ORIGIN)
    assert refused.status_code == 422
    problems = [html.unescape(p) for p in re.findall(r"<li>([^<]*)</li>", refused.text.split('class="problems"')[1])]
    assert f"holding_limit: {number}" in problems and f"offline_limit: {must}" in problems
    # the same refusal from the JSON API: English, a machine interface
    api = fresh.post(f"/api/whatif/{JID}/{DID}", json={"choices": {"holding_limit": -1}},
                     headers={"accept-language": "fr"})
    assert api.status_code == 422
    assert api.json()["problems"] == ["holding_limit: Input should be greater than or equal to 0 (or none: there is no such limit)"]


def test_arabic_pages_are_right_to_left_with_a_mirrored_heat_map(client: Any) -> None:
    r = client.get("/ar/region/africa")
    assert _html_tag(r.text) == ("ar", "rtl")
    assert 'direction="rtl"' in r.text.split('class="scroll heat"')[1].split("</svg>")[0]
    assert 'direction="rtl"' not in client.get("/fr/region/africa").text
    css = client.get("/static/style.css").text
    web = css[css.index("policyengine serve"):]
    assert not re.search(r"(?<![-\w])(margin|padding|border)-(left|right)\b|(?<![-\w])(left|right):", web), \
        "the web stylesheet names a physical side: use a logical property"


def test_downloads_default_to_the_page_language(client: Any, server: Server) -> None:
    page = client.get(f"/fr/j/{JID}/{DID}").text
    assert f"/download/brief?j={JID}&amp;d={DID}&amp;format=html&amp;lang=fr" in page
    assert f"/download/brief?j={JID}&amp;d={DID}&amp;format=html&amp;lang=ar\" lang=\"ar\" hreflang=\"ar\">العربية" in page
    r = client.get(f"/fr/download/brief?j={JID}&d={DID}&format=html")
    assert r.status_code == 200 and r.headers["content-language"] == "fr"
    assert f'filename="{JID}-{DID}-brief.fr.html"' in r.headers["content-disposition"]
    assert '<html lang="fr"' in r.text
    assert 'filename="NG-enaira-brief.html"' in client.get(f"/download/brief?j={JID}&d={DID}&format=html").headers[
        "content-disposition"]


# -- a PDF prints outside the engine lock ----------------------------------------------------

def test_a_what_if_answers_while_a_pdf_prints(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    printing, release = threading.Event(), threading.Event()
    printed: list[str] = []

    def slow_print(html_text: str) -> bytes:
        printed.append(html_text)
        printing.set()
        assert release.wait(60), "the test never released the printer"
        return b"%PDF-1.7 fake"

    monkeypatch.setattr(downloads, "print_pdf", slow_print)
    app = create_app(server)
    answers: dict[str, Any] = {}

    def download() -> None:
        with testclient.TestClient(app, base_url=BASE) as c:
            answers["pdf"] = c.get(f"/fr/download/brief?j={JID}&d={DID}&format=pdf")

    thread = threading.Thread(target=download)
    thread.start()
    try:
        assert printing.wait(60), "the PDF never started printing"
        # Chromium is "printing" now (blocked on the event): the engine must be free
        acquired = server.lock.acquire(timeout=30)
        assert acquired, "the engine lock is held while the PDF prints"
        server.lock.release()
        with testclient.TestClient(app, base_url=BASE) as c:
            r = c.post(f"/api/whatif/{JID}/{DID}", json={"choices": {"privacy_model": "transparent"}})
        assert r.status_code == 200 and r.json()["comparison"]["changed_facts"]
        assert not release.is_set() and thread.is_alive()  # answered while the PDF was still printing
    finally:
        release.set()
        thread.join(60)
    pdf = answers["pdf"]
    assert pdf.status_code == 200 and pdf.content == b"%PDF-1.7 fake"
    assert f'filename="{JID}-{DID}-brief.fr.pdf"' in pdf.headers["content-disposition"]
    assert printed and '<html lang="fr"' in printed[0]


def test_country_names_are_the_language_s_own_on_every_page(client: Any, server: Server) -> None:
    from policyengine.i18n.localise import country_name

    arabic = country_name(JID, server.ws.profiles[JID].name, "ar")
    assert arabic != server.ws.profiles[JID].name
    for path in ("/", f"/j/{JID}", f"/j/{JID}/{DID}", "/region/africa"):
        text = client.get(f"/ar{path}").text
        assert arabic in text, path
    index = client.get("/ar/").text
    assert f'<a href="/ar/j/{JID}">{arabic}</a>' in index
    assert client.get("/api/jurisdictions").json()[0]["jurisdictions"][0]["name"] in {
        p.name for p in server.ws.profiles.values()}  # the API keeps the workspace's English names
