"""The pages of `policyengine serve` pass the W3C Nu HTML checker (as the documents do:
test_render_html_valid.py), including the what-if editor with its changes and its errors."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from policyengine.web import Server, create_app
from tests.browser_support import HTML_VALIDATOR, NO_HTML_VALIDATOR

testclient = pytest.importorskip("starlette.testclient", reason="httpx is in the test extra")

BASE = "http://127.0.0.1:8000"



@pytest.mark.skipif(HTML_VALIDATOR is None, reason=NO_HTML_VALIDATOR)
def test_pages_have_zero_validator_errors(server: Server, tmp_path: Path) -> None:
    client = testclient.TestClient(create_app(server), base_url=BASE)
    origin = {"origin": BASE}
    pages = {"index": "/", "jurisdiction": "/j/NG", "design": "/j/NG/enaira", "archetype": "/j/KE/two-tier-token-retail",
             "finding": "/j/NG/enaira/rule/AML-ANONYMOUS-TIER-RISK-ASSESSED", "editor": "/j/NG/enaira/whatif",
             "compare": "/j/NG/compare?d=enaira&d=mobile-money", "region": "/region/africa", "error": "/j/XX",
             "questionnaire": "/j/NG/enaira/questionnaire"}
    for name, path in pages.items():
        (tmp_path / f"{name}.html").write_text(client.get(path).text, encoding="utf-8")
    client.post("/j/NG/enaira/whatif", data={"privacy_model": "transparent", "holding_limit": "100000"}, headers=origin)
    (tmp_path / "changes.html").write_text(client.get("/j/NG/enaira/whatif").text, encoding="utf-8")
    refused = client.post("/j/NG/enaira/whatif", data={"holding_limit": "-1"}, headers=origin)
    assert refused.status_code == 422
    (tmp_path / "refused.html").write_text(refused.text, encoding="utf-8")
    files = sorted(str(p) for p in tmp_path.glob("*.html"))
    result = subprocess.run([str(HTML_VALIDATOR), "--log", "INFO", *files], capture_output=True, text=True, timeout=300)
    report = result.stdout + result.stderr
    assert result.returncode == 0, f"the Nu validator found errors:\n{report}"
    assert "All good" in report
