"""`policyengine serve`: every page and API route through Starlette's TestClient, compared with
what the Python API says for the same question, and the hostile inputs a web server meets."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from policyengine import api
from policyengine.models import Design
from policyengine.models.design import MAX_TIERS
from policyengine.models.finding import score_sentence
from policyengine.render import pipeline
from policyengine.web import Server, create_app
from policyengine.web.security import CSP, MAX_BODY_BYTES
from policyengine.web.server import is_loopback, start_message
from policyengine.web.sessions import SessionStore, WhatIfTooLarge, new_token
from policyengine.web.whatif import WHATIF_SOURCE, apply_choices, choices_of, parse_choices

testclient = pytest.importorskip("starlette.testclient", reason="httpx is in the test extra")

BASE = "http://127.0.0.1:8000"
ORIGIN = {"origin": BASE}
JID, DID = "NG", "enaira"


def _text(html: str) -> str:
    """The page's text without tags, whitespace collapsed (for asserting what a reader sees)."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# -- pages ------------------------------------------------------------------------------------

def test_index_lists_every_jurisdiction_by_region_with_its_cbdc_status(client: Any, server: Server) -> None:
    r = client.get("/")
    assert r.status_code == 200
    text = _text(r.text)
    for jid, profile in server.ws.profiles.items():
        assert f'href="/j/{jid}"' in r.text
        assert profile.name in r.text or profile.name.replace("'", "&#39;") in r.text
    ng = server.ws.profiles["NG"]
    assert ng.cbdc_status is not None
    row = r.text[r.text.index('href="/j/NG"'):].split("</tr>")[0]
    assert ng.cbdc_status.value.value in _text(row)
    for title in ("Africa", "Americas", "Europe"):
        assert title in text


def test_design_page_states_the_countrys_position_as_the_toolkit_does(client: Any, server: Server) -> None:
    # USDC is a real private stablecoin of a country that prohibits a retail CBDC: the decision is
    # stated, but USDC is not "assessed as a hypothetical"; the archetype for Kenya (decided not to
    # issue) is.
    usdc = _text(client.get("/j/US/usdc").text)
    assert "prohibited" in usdc and "not a CBDC" in usdc and "hypothetical, not as the country" not in usdc
    kenya = _text(client.get("/j/KE/two-tier-token-retail").text)
    assert "decided not to issue" in kenya and "assessed as a hypothetical" in kenya


def test_design_page_says_a_discontinued_design_is_judged_as_it_was(client: Any, server: Server) -> None:
    ecuador = _text(client.get("/j/EC/dinero-electronico").text)
    assert "judged as it was when it ended (2018)" in ecuador
    assert "judged as it was when it ended" not in _text(client.get("/j/NG/enaira").text)
    # the page's findings are the assessment at the end date, as the toolkit's are
    assert server.assess("EC", "dinero-electronico").judged_at == "2018"


def test_design_page_gives_the_documents_honest_summary(client: Any, server: Server) -> None:
    a = api.assess(JID, DID, server.ws)
    counts = {s: sum(1 for f in a.findings if f.status.value == s) for s in ("gap", "met", "unknown", "not_applicable")}
    r = client.get(f"/j/{JID}/{DID}")
    assert r.status_code == 200
    text = _text(r.text)
    assert f"{counts['gap']} gaps" in text and f"{counts['met']} met" in text and f"{counts['unknown']} unknown" in text
    # the score is never alone: the same sentence as the documents, with the share decided and the range
    assert score_sentence(counts["met"], counts["gap"], counts["unknown"]) in text
    assert "decided" in text
    for f in a.findings:
        assert f'/j/{JID}/{DID}/rule/{f.rule_id}"' in r.text
    for name in ("toolkit", "brief", "questionnaire"):
        assert f"/download/{name}?j={JID}&amp;d={DID}&amp;format=html&amp;lang=en" in r.text


def test_finding_page_shows_the_why_tree_and_the_closing_change(client: Any, server: Server) -> None:
    a = api.assess(JID, DID, server.ws)
    gap = next(f for f in a.findings if f.status.value == "gap")
    e = api.explain(gap.rule_id, JID, DID, server.ws)
    r = client.get(f"/j/{JID}/{DID}/rule/{gap.rule_id}")
    assert r.status_code == 200
    text = _text(r.text)
    assert e.requires.label in text
    if e.closing_change:
        assert "What would close the gap" in text
        for c in e.closing_change:
            assert c.proposed in text
    else:
        assert "No single change of recorded facts closes this gap" in text


def test_jurisdiction_compare_and_region_pages(client: Any, server: Server) -> None:
    r = client.get(f"/j/{JID}")
    assert r.status_code == 200 and f"/j/{JID}/{DID}" in r.text
    r = client.get(f"/j/{JID}/compare", params=[("d", DID), ("d", "two-tier-token-retail")])
    assert r.status_code == 200
    text = _text(r.text)
    first = {f.rule_id: f.status for f in api.assess(JID, DID, server.ws).findings}
    second = {f.rule_id: f.status for f in api.assess(JID, "two-tier-token-retail", server.ws).findings}
    differing = sum(1 for rid in set(first) | set(second) if first.get(rid) != second.get(rid))
    assert differing > 0
    assert f"{differing} {'rule reaches' if differing == 1 else 'rules reach'} a different status" in text
    r = client.get("/region/africa")
    assert r.status_code == 200
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="heatmap"' in r.text
    for jid, p in server.ws.profiles.items():
        if p.region.value == "africa":
            assert f"/j/{jid}/" in r.text


def test_stylesheet_is_the_documents_css_plus_the_web_additions(client: Any) -> None:
    r = client.get("/static/style.css")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/css")
    assert "--gap:" in r.text and "header.site" in r.text


# -- what-if ---------------------------------------------------------------------------------

def _form(design: Design, **changes: str) -> dict[str, str]:
    """The editor's form as a browser sends it: every recorded choice, then the changes."""
    c = choices_of(design)
    form: dict[str, Any] = {}
    for i, t in enumerate(c.kyc_tiers or []):
        form[f"tier-{i}-id"] = t.id
        form[f"tier-{i}-identity"] = t.identity.value if t.identity else ""
        form[f"tier-{i}-bank_account_required"] = {True: "yes", False: "no", None: ""}[t.bank_account_required]
        for a in ("balance_limit", "per_transaction_limit", "daily_limit", "monthly_limit"):
            value = getattr(t, a)
            form[f"tier-{i}-{a}"] = "" if value is None else str(value)
    form["channels"] = [ch.value for ch in c.channels or []]
    for name in ("offline", "privacy_model", "cross_border", "remuneration"):
        value = getattr(c, name)
        form[name] = value.value if value is not None else ""
    for name in ("offline_limit", "holding_limit"):
        value = getattr(c, name)
        form[name] = "" if value is None else str(value)
    form.update(changes)
    return form


def test_whatif_form_reassesses_and_lists_the_findings_that_moved(fresh: Any, server: Server) -> None:
    design = server.design(JID, DID)
    r = fresh.post(f"/j/{JID}/{DID}/whatif", data=_form(design, privacy_model="pseudonymous"), headers=ORIGIN,
                   follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("/whatif#changes")
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    page = fresh.get(f"/j/{JID}/{DID}/whatif")
    assert page.status_code == 200
    # what the engine says directly, for the same edit
    edited = apply_choices(design, parse_choices({**choices_of(design).model_dump(), "privacy_model": "pseudonymous"}), "NGN")
    before = {f.rule_id: f.status for f in api.assess(JID, DID, server.ws).findings}
    after = {f.rule_id: f.status for f in api.assess_design(JID, edited, server.ws).findings}
    moved = sorted(rid for rid in before if before[rid] != after[rid])
    assert moved, "making the (recorded, transparent) privacy model pseudonymous must move some finding"
    table = page.text.split('class="changed-findings"')[1].split("</table>")[0]
    assert sorted(re.findall(r'/rule/([A-Z0-9-]+)\?whatif=1"', table)) == moved
    assert "Privacy model" in _text(page.text) and "transparent" in _text(table + page.text)
    # the recorded design's summary stands next to the what-if's
    assert _text(page.text).count("could range") >= 2 or "every applicable rule decided" in page.text


def test_whatif_explanation_and_yaml_download_and_reset(fresh: Any, server: Server) -> None:
    design = server.design(JID, DID)
    fresh.post(f"/j/{JID}/{DID}/whatif", data=_form(design, holding_limit="250000"), headers=ORIGIN)
    r = fresh.get(f"/j/{JID}/{DID}/whatif.yaml")
    assert r.status_code == 200
    assert r.headers["content-disposition"] == f'attachment; filename="{JID}-{DID}-whatif.yaml"'
    data = yaml.safe_load(r.text)
    loaded = Design.model_validate(data)
    assert loaded.id == f"{DID}-whatif"
    assert loaded.holding_limit is not None and loaded.holding_limit.value.amount == 250000
    assert loaded.holding_limit.source == WHATIF_SOURCE
    # unchanged facts keep their recorded source
    assert loaded.kyc_tiers is not None and design.kyc_tiers is not None
    assert loaded.kyc_tiers.source == design.kyc_tiers.source
    rule = api.assess(JID, DID, server.ws).findings[0].rule_id
    assert "for the what-if of this design" in fresh.get(f"/j/{JID}/{DID}/rule/{rule}?whatif=1").text
    r = fresh.post(f"/j/{JID}/{DID}/whatif/reset", headers=ORIGIN, follow_redirects=False)
    assert r.status_code == 303
    assert 'class="changed-findings"' not in fresh.get(f"/j/{JID}/{DID}/whatif").text
    assert fresh.get(f"/j/{JID}/{DID}/whatif.yaml").status_code == 404


@pytest.mark.parametrize(("changes", "message"), [
    ({"holding_limit": "-5"}, "holding_limit: Input should be greater than or equal to 0"),
    ({"holding_limit": "lots"}, "holding_limit: Input should be a valid number"),
    ({"holding_limit": "nan"}, "holding_limit: Input should be a finite number"),
    ({"holding_limit": "1e400"}, "holding_limit: Input should be a finite number"),
    ({"privacy_model": "invisible"}, "privacy_model: Input should be"),
    ({"channels": ["carrier_pigeon"]}, "channels.0: Input should be"),
    ({"tier-0-id": "Bad Id!"}, "kyc_tiers.0.id: Value error, use lower-case letters"),
    ({"tier-1-id": "tier-0"}, "kyc_tiers: two wallet tiers have the same id"),
    ({"tier-0-daily_limit": "-1"}, "kyc_tiers.0.daily_limit: Input should be greater than or equal to 0"),
])
def test_whatif_refuses_invalid_values_with_a_clear_message(fresh: Any, server: Server, changes: dict[str, Any],
                                                            message: str) -> None:
    r = fresh.post(f"/j/{JID}/{DID}/whatif", data=_form(server.design(JID, DID), **changes), headers=ORIGIN)
    assert r.status_code == 422
    alert = _text(r.text.split('role="alert"')[1].split("</div>")[0])
    assert message in alert
    assert "The design was not re-assessed" in alert


def test_whatif_refuses_more_tiers_than_the_budget(fresh: Any, server: Server) -> None:
    form = {f"tier-{i}-id": f"t{i}" for i in range(MAX_TIERS + 1)}
    r = fresh.post(f"/j/{JID}/{DID}/whatif", data=form, headers=ORIGIN)
    assert r.status_code == 422
    assert f"kyc_tiers: List should have at most {MAX_TIERS} items" in _text(r.text)


def test_saving_a_whatif_needs_writable(fresh: Any, server: Server, tmp_path: Path) -> None:
    design = server.design(JID, DID)
    fresh.post(f"/j/{JID}/{DID}/whatif", data=_form(design, remuneration="positive"), headers=ORIGIN)
    r = fresh.post(f"/j/{JID}/{DID}/whatif/save", headers=ORIGIN)
    assert r.status_code == 403 and "read-only" in r.text
    assert "Save into the workspace" not in fresh.get(f"/j/{JID}/{DID}/whatif").text
    writable = Server(tmp_path, writable=True)
    c = testclient.TestClient(create_app(writable), base_url=BASE)
    c.post(f"/j/{JID}/{DID}/whatif", data=_form(design, remuneration="positive"), headers=ORIGIN)
    assert "Save into the workspace" in c.get(f"/j/{JID}/{DID}/whatif").text
    r = c.post(f"/j/{JID}/{DID}/whatif/save", headers=ORIGIN)
    assert r.status_code == 200 and "whatifs/NG/enaira-whatif.yaml" in r.text
    written = tmp_path / "whatifs" / "NG" / "enaira-whatif.yaml"
    saved = Design.model_validate(yaml.safe_load(written.read_text(encoding="utf-8")))
    assert saved.remuneration is not None and saved.remuneration.value.value == "positive"
    assert [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()] == [
        "whatifs/NG/enaira-whatif.yaml"]  # nothing else of the workspace was touched
    assert not [p for p in api.validate(tmp_path, lint=False) if p.level == "error"]  # whatifs/ is not loaded


# -- downloads -------------------------------------------------------------------------------

def test_toolkit_download_is_the_clis_file(client: Any, server: Server, tmp_path: Path) -> None:
    r = client.get("/download/toolkit", params={"j": JID, "d": DID, "format": "html"})
    assert r.status_code == 200
    assert r.headers["content-disposition"] == f'attachment; filename="{JID}-{DID}-toolkit.html"'
    [path] = pipeline.toolkit(JID, DID, tmp_path, ws=server.ws, fmt="html")
    assert r.content == path.read_bytes()


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_documents_download_in_every_un_language_as_the_cli_renders_them(client: Any, server: Server, tmp_path: Path,
                                                                         lang: str) -> None:
    page = client.get(f"/j/{JID}/{DID}")
    assert f"/download/brief?j={JID}&amp;d={DID}&amp;format=html&amp;lang={lang}" in page.text
    r = client.get("/download/brief", params={"j": JID, "d": DID, "format": "html", "lang": lang})
    assert r.status_code == 200
    [path] = pipeline.brief(JID, DID, tmp_path, ws=server.ws, fmt="html", lang=lang)
    assert r.content == path.read_bytes()
    assert f'lang="{lang}"'.encode() in r.content
    assert client.get("/download/brief", params={"j": JID, "d": DID, "format": "html", "lang": "xx"}).status_code == 404


def test_download_all_formats_is_a_zip_and_questionnaire_xlsx(client: Any) -> None:
    r = client.get("/download/brief", params={"j": JID, "d": DID, "format": "all"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    assert sorted(names) == [f"{JID}-{DID}-brief.{ext}" for ext in ("html", "json", "md")]
    r = client.get("/download/questionnaire", params={"j": JID, "d": DID, "format": "xlsx"})
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    r = client.get("/download/gap", params=[("j", JID), ("d", DID), ("d", "two-tier-token-retail"), ("format", "md")])
    assert r.status_code == 200 and r.headers["content-disposition"].endswith('-gap-analysis.md"')
    r = client.get("/download/handout", params={"j": "KE", "format": "json"})
    assert r.status_code == 200 and json.loads(r.content)["page"]["jurisdiction"]["id"] == "KE"


@pytest.mark.parametrize("query", [
    {"j": JID, "d": DID, "format": "exe"},
    {"j": "XX", "d": DID, "format": "html"},
    {"j": JID, "d": "nope", "format": "html"},
    {"j": "../../etc", "d": DID, "format": "html"},
    {"j": JID, "d": "../../../etc/passwd", "format": "html"},
    {"j": JID, "d": DID, "format": "html", "lang": "../../x"},
])
def test_download_refuses_unknown_values(client: Any, query: dict[str, str]) -> None:
    r = client.get("/download/toolkit", params=query)
    assert r.status_code == 404
    assert "content-disposition" not in r.headers


# -- JSON API ------------------------------------------------------------------------------

def test_api_answers_what_the_python_api_answers(client: Any, server: Server) -> None:
    assert client.get(f"/api/assess/{JID}/{DID}").json() == json.loads(api.assess(JID, DID, server.ws).model_dump_json())
    a = api.assess(JID, DID, server.ws)
    rule = next(f.rule_id for f in a.findings if f.status.value == "gap")
    assert client.get(f"/api/explain/{JID}/{DID}/{rule}").json() == json.loads(
        api.explain(rule, JID, DID, server.ws).model_dump_json())
    regions = client.get("/api/jurisdictions").json()
    assert sorted(j["id"] for r in regions for j in r["jurisdictions"]) == sorted(server.ws.profiles)
    j = client.get(f"/api/jurisdictions/{JID}").json()
    assert j["designs"] == sorted(server.ws.designs[JID]) and j["cbdc_status"] == "launched"
    cmp = client.get(f"/api/compare/{JID}", params=[("d", DID), ("d", "mobile-money")]).json()
    statuses = {r["rule_id"]: r["statuses"] for r in cmp["rules"]}
    for i, d in enumerate((DID, "mobile-money")):
        for f in api.assess(JID, d, server.ws).findings:
            assert statuses[f.rule_id][i] == f.status.value
    heat = client.get("/api/regions/africa/heatmap").json()
    assert {row["jurisdiction_id"] for row in heat["rows"]} == {
        j for j, p in server.ws.profiles.items() if p.region.value == "africa"}


def test_api_whatif_matches_assess_design(client: Any, server: Server) -> None:
    design = server.design(JID, DID)
    choices = client.get(f"/api/choices/{JID}/{DID}").json()
    assert choices == json.loads(choices_of(design).model_dump_json())
    choices["offline"] = "full"
    choices["kyc_tiers"][0]["identity"] = "none"
    r = client.post(f"/api/whatif/{JID}/{DID}?assessment=1", json={"choices": choices})
    assert r.status_code == 200
    body = r.json()
    edited = Design.model_validate(yaml.safe_load(body["design_yaml"]))
    direct = api.assess_design(JID, edited, server.ws)
    assert body["assessment"] == json.loads(direct.model_dump_json())
    recorded = {f.rule_id: f.status.value for f in api.assess(JID, DID, server.ws).findings}
    moved = {f.rule_id for f in direct.findings if f.status.value != recorded[f.rule_id]}
    assert {c["rule_id"] for c in body["comparison"]["changed_findings"]} == moved
    assert {c["field"] for c in body["comparison"]["changed_facts"]} == {"offline", "kyc_tiers.tier-0.identity"}
    assert "could decide" in body["whatif_summary"] or "every applicable rule decided" in body["whatif_summary"]
    assert "assessment" not in client.post(f"/api/whatif/{JID}/{DID}", json={"choices": choices}).json()


@pytest.mark.parametrize(("body", "status", "problem"), [
    (b"{not json", 400, "body: not JSON"),
    (b'{"choices": {}, "extra": 1}', 422, "body: expected one key, choices"),
    (b'{"choices": {"holding_limit": -1}}', 422, "holding_limit: Input should be greater than or equal to 0"),
    (b'{"choices": {"remuneration": "huge"}}', 422, "remuneration: Input should be"),
    (b'{"choices": {"kyc_tiers": [{"id": "a", "colour": "red"}]}}', 422, "kyc_tiers.0.colour: Extra inputs are not permitted"),
    (b'[1, 2]', 422, "body: expected one key, choices"),
])
def test_api_whatif_refuses_bad_bodies(client: Any, body: bytes, status: int, problem: str) -> None:
    r = client.post(f"/api/whatif/{JID}/{DID}", content=body, headers={"content-type": "application/json"})
    assert r.status_code == status
    assert any(problem in p for p in r.json()["problems"]), r.json()


def test_openapi_describes_every_api_route_and_its_refs_resolve(client: Any) -> None:
    from policyengine.web.app import routes

    doc = client.get("/api/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    api_paths = {r.path for r in routes() if r.path.startswith("/api/") and r.path != "/api/openapi.json"}
    assert set(doc["paths"]) == api_paths
    refs = set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(doc)))
    assert refs and refs <= set(doc["components"]["schemas"])
    schema = doc["components"]["schemas"]["Choices"]
    assert set(schema["properties"]) == {"kyc_tiers", "channels", "offline", "offline_limit", "privacy_model",
                                         "cross_border", "remuneration", "holding_limit"}


# -- hostile requests ------------------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/j/XX", "/j/NG/nope", "/j/NG/enaira/rule/NO-SUCH-RULE", "/region/atlantis", "/download/secrets",
    "/j/..%2F..%2Fetc%2Fpasswd", "/j/NG/..%2F..%2Fpyproject.toml", "/j/NG/enaira/rule/..%2F..%2F..%2Fetc%2Fpasswd",
    "/region/..%2Frulesets", "/j/%00/x", "/j/" + "A" * 500, "/api/assess/NG/..", "/api/explain/NG/enaira/%2e%2e",
    "/static/..%2F..%2Fpyproject.toml", "/no/such/page",
])
def test_unknown_ids_and_traversal_attempts_are_404(client: Any, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404, (path, r.status_code)
    assert "[tool.setuptools" not in r.text and "root:" not in r.text


def test_oversized_bodies_are_refused(client: Any) -> None:
    big = b"holding_limit=" + b"9" * (MAX_BODY_BYTES + 10)
    r = client.post(f"/j/{JID}/{DID}/whatif", content=big,
                    headers={**ORIGIN, "content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413

    def chunks() -> Any:  # no Content-Length: the limit is counted as the body arrives
        for _ in range(MAX_BODY_BYTES // 1024 + 2):
            yield b"x" * 1024

    r = client.post(f"/api/whatif/{JID}/{DID}", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413 and "bytes" in r.json()["error"]


def test_posts_from_another_origin_are_refused(fresh: Any, server: Server) -> None:
    form = _form(server.design(JID, DID), offline="full")
    url = f"/j/{JID}/{DID}/whatif"
    assert fresh.post(url, data=form, headers={"origin": "http://evil.example"}).status_code == 403
    assert fresh.post(url, data=form, headers={"referer": "http://evil.example/page"}).status_code == 403
    assert fresh.post(url, data=form).status_code == 403  # a form with neither Origin nor Referer
    assert fresh.post(url, data=form, headers={"referer": f"{BASE}/j/NG/enaira/whatif"}, follow_redirects=False).status_code == 303
    r = fresh.post(f"/api/whatif/{JID}/{DID}", json={"choices": {}}, headers={"origin": "http://evil.example"})
    assert r.status_code == 403


def test_a_foreign_host_header_is_refused_on_loopback(client: Any, server: Server) -> None:
    assert client.get("/", headers={"host": "attacker.example"}).status_code == 421
    assert client.get("/", headers={"host": "localhost:8000"}).status_code == 200
    open_app = testclient.TestClient(create_app(server, loopback_only=False), base_url="http://10.0.0.5:8000")
    assert open_app.get("/").status_code == 200


@pytest.mark.parametrize("path", ["/", f"/j/{JID}/{DID}", "/j/XX", "/api/jurisdictions", "/static/style.css",
                                  "/download/toolkit?j=XX"])
def test_every_answer_carries_the_security_headers(client: Any, path: str) -> None:
    r = client.get(path)
    assert r.headers["content-security-policy"] == CSP
    assert "script-src" not in CSP and "default-src 'none'" in CSP and "frame-ancestors 'none'" in CSP
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"
    assert r.headers["x-frame-options"] == "DENY"


def test_no_page_has_a_script_or_inline_style(client: Any) -> None:
    for path in ("/", f"/j/{JID}", f"/j/{JID}/{DID}", f"/j/{JID}/{DID}/whatif", "/region/africa", f"/j/{JID}/compare",
                 f"/j/{JID}/{DID}/questionnaire"):
        html = client.get(path).text
        assert "<script" not in html and "<style" not in html and " style=" not in html, path


def test_method_not_allowed_and_server_errors_say_so_without_a_traceback(client: Any) -> None:
    r = client.delete("/", headers=ORIGIN)
    assert r.status_code == 405 and "Traceback" not in r.text


# -- sessions ------------------------------------------------------------------------------

def test_session_store_is_bounded_in_number_and_size() -> None:
    store = SessionStore(max_sessions=200, max_whatifs=3, max_bytes=1000)
    tokens = [new_token() for _ in range(250)]
    for t in tokens:
        store.put(t, ("NG", "enaira"), "{}")
    assert len(store) == 200
    assert store.get(tokens[0], ("NG", "enaira")) is None  # the least recently used went first
    assert store.get(tokens[-1], ("NG", "enaira")) == "{}"
    for i in range(5):
        store.put(tokens[-1], ("NG", f"d{i}"), "{}")
    assert store.get(tokens[-1], ("NG", "d0")) is None and store.get(tokens[-1], ("NG", "d4")) == "{}"
    with pytest.raises(WhatIfTooLarge):
        store.put(tokens[-1], ("NG", "big"), "x" * 1001)
    assert store.get("forged", ("NG", "d4")) is None and store.get(None, ("NG", "d4")) is None


def test_whatif_sessions_are_kept_apart(server: Server) -> None:
    one = testclient.TestClient(create_app(server), base_url=BASE)
    two = testclient.TestClient(create_app(server), base_url=BASE)
    one.post(f"/j/{JID}/{DID}/whatif", data=_form(server.design(JID, DID), offline="full"), headers=ORIGIN)
    assert 'class="changed-findings"' in one.get(f"/j/{JID}/{DID}/whatif").text or \
        "No finding changed status" in one.get(f"/j/{JID}/{DID}/whatif").text
    assert "What the what-if changes" not in two.get(f"/j/{JID}/{DID}/whatif").text
    two.cookies.set("pe_session", "not-a-token")
    assert "What the what-if changes" not in two.get(f"/j/{JID}/{DID}/whatif").text


# -- the command ------------------------------------------------------------------------------

def test_serve_command_refuses_writable_without_a_workspace() -> None:
    from policyengine.cli import main

    result = CliRunner().invoke(main, ["serve", "--writable"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "error: --writable needs --workspace: what-ifs are saved into a workspace of yours, never into the shipped content"]
    result = CliRunner().invoke(main, ["serve", "--port", "70000"])
    assert result.exit_code == 2 and "70000" in result.output


def test_start_message_says_loopback_and_read_only(tmp_path: Path) -> None:
    lines = start_message("127.0.0.1", 8000, False, tmp_path)
    assert lines[0] == f"policyengine serve: http://127.0.0.1:8000/ (workspace {tmp_path})"
    assert "loopback address only" in lines[1] and "Read-only" in lines[2]
    lines = start_message("0.0.0.0", 8080, True, tmp_path)
    assert "anyone on the network" in lines[1] and "whatifs" in lines[2]
    assert is_loopback("::1") and is_loopback("localhost") and not is_loopback("0.0.0.0")


def test_counts_on_the_design_page_agree_in_number(client, shipped_ws) -> None:  # type: ignore[no-untyped-def]
    """'1 gap', never '1 gaps': the headline and each area's line take the plural form of their count."""
    from policyengine.models.rule import Status

    seen = set()
    for pair in api.shipped_pairs(shipped_ws):
        a = api.assess(pair.jurisdiction_id, pair.design_id, shipped_ws)
        gaps = len(a.by_status(Status.gap))
        if gaps in seen and gaps > 1:
            continue
        seen.add(gaps)
        page = client.get(f"/j/{pair.jurisdiction_id}/{pair.design_id}").text
        word = "gap" if gaps == 1 else "gaps"
        assert re.search(rf"<strong>{gaps} {word} \(\d+ high\)", page), (pair, gaps)
        for n in re.findall(r'class="small muted">(\d+) gaps?, \d+ met', page):
            assert f'class="small muted">{n} {"gap" if n == "1" else "gaps"}, ' in page
            seen.add(int(n))
    assert 1 in seen and any(n > 1 for n in seen)  # both forms were read
