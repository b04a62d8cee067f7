"""The questionnaire in the browser: the same questions as `policyengine questionnaire`, the
same validation as `policyengine answers`, and a workspace written only with --writable."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from policyengine import api
from policyengine.web import Server, create_app

testclient = pytest.importorskip("starlette.testclient", reason="httpx is in the test extra")

BASE = "http://127.0.0.1:8000"
ORIGIN = {"origin": BASE}
JID, DID = "NG", "enaira"
URL = f"/j/{JID}/{DID}/questionnaire"


def _first_choice(server: Server) -> tuple[str, str]:
    """The first question asking for one of several values, and a value it allows."""
    q = api.questionnaire(JID, DID, server.ws)
    for n, x in enumerate(q.questions()):
        if x.kind.value == "choice":
            return f"a-{n}", x.allowed[0]
    raise AssertionError("the NG questionnaire has no choice question")


def test_the_page_asks_what_the_questionnaire_command_asks(client: Any, server: Server) -> None:
    q = api.questionnaire(JID, DID, server.ws)
    r = client.get(URL)
    assert r.status_code == 200
    assert r.text.count('class="question"') == len(q.questions()) > 0
    for x in q.questions():
        assert x.label.replace("'", "&#39;") in r.text or x.label in r.text
    assert q.score.label in " ".join(re.sub(r"<[^>]+>", " ", r.text).split())


@pytest.mark.parametrize(("fields", "message"), [
    ({"answer": "sideways"}, "is not allowed; allowed:"),
    ({"answer": "@", "source": "declared", "as_of": "2026-01-01"}, "is not allowed"),
    ({"answer": "", "source": "declared"}, "no question was answered"),
    ({"source": "", "as_of": "2026-01-01"}, "give a source: a bibliography id, or 'declared'"),
    ({"source": "declared", "as_of": ""}, "give the date the answer is true"),
    ({"source": "no-such-document", "as_of": "2026-01-01"}, "'no-such-document' is not in the bibliography"),
])
def test_invalid_answers_are_refused_as_the_file_import_refuses_them(client: Any, server: Server,
                                                                    fields: dict[str, str], message: str) -> None:
    prefix, value = _first_choice(server)
    data = {"country_team": "CBN eNaira team", f"{prefix}-answer": value,
            **{f"{prefix}-{k}": v for k, v in fields.items()}}
    r = client.post(URL, data=data, headers=ORIGIN)
    assert r.status_code == 422
    alert = " ".join(re.sub(r"<[^>]+>", " ", r.text.split('role="alert"')[1].split("</div>")[0]).split())
    assert message in alert.replace("&#39;", "'"), alert


def test_declared_answers_need_the_country_team(client: Any, server: Server) -> None:
    prefix, value = _first_choice(server)
    r = client.post(URL, data={f"{prefix}-answer": value, f"{prefix}-source": "declared", f"{prefix}-as_of": "2026-11-01"},
                    headers=ORIGIN)
    assert r.status_code == 422 and "needs the name of the country team" in r.text


def test_read_only_gives_back_the_file_that_policyengine_answers_imports(client: Any, server: Server,
                                                                         tmp_path: Path) -> None:
    prefix, value = _first_choice(server)
    question = api.questionnaire(JID, DID, server.ws).questions()[int(prefix.split("-")[1])]
    r = client.post(URL, data={"country_team": "CBN eNaira team", f"{prefix}-answer": value,
                               f"{prefix}-source": "declared", f"{prefix}-as_of": "2026-11-01"}, headers=ORIGIN)
    assert r.status_code == 200
    assert r.headers["content-disposition"] == f'attachment; filename="{JID}-{DID}-answers.yaml"'
    assert list(tmp_path.iterdir()) == []
    answers = tmp_path / "answers.yaml"
    answers.write_bytes(r.content)
    assert yaml.safe_load(r.content)["questions"][0]["id"] == question.id
    result = api.import_answers(answers, tmp_path)  # what `policyengine answers` does with it
    assert [(f.path, f.value) for f in result.facts] == [(question.id, value)]


def test_writable_writes_the_answers_and_the_findings_follow(tmp_path: Path) -> None:
    server = Server(tmp_path, writable=True)
    client = testclient.TestClient(create_app(server), base_url=BASE)
    prefix, value = _first_choice(server)
    question = api.questionnaire(JID, DID, server.ws).questions()[int(prefix.split("-")[1])]
    before = client.get(f"/j/{JID}/{DID}").text
    r = client.post(URL, data={"country_team": "CBN eNaira team", f"{prefix}-answer": value,
                               f"{prefix}-source": "declared", f"{prefix}-as_of": "2026-11-01"}, headers=ORIGIN)
    assert r.status_code == 200 and "Answers written into the workspace" in r.text
    design_file = tmp_path / "jurisdictions" / JID / "designs" / f"{DID}.yaml"
    assert value in design_file.read_text(encoding="utf-8")
    fresh = api.assess(JID, DID, api.workspace(tmp_path))
    after = client.get(f"/j/{JID}/{DID}").text
    assert fresh.overall is not None and fresh.overall.label.replace("–", "–") in after.replace("&#39;", "'")
    assert after != before
    assert question.id not in [x.id for x in api.questionnaire(JID, DID, server.ws).questions()]
