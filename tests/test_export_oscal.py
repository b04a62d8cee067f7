"""OSCAL export: the principles catalog and an assessment's results validate against NIST's
official OSCAL 1.0.6 JSON Schemas (tests/data/, see its README), and they hang together."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from policyengine import api
from policyengine.cli import main
from policyengine.export.oscal import assessment_results, catalog, objective_id
from policyengine.models.rule import Lifecycle, Status

DATA = Path(__file__).parent / "data"
NOW = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)


def _official(name: str) -> jsonschema.protocols.Validator:
    text = (DATA / f"oscal_{name}_schema.json").read_text(encoding="utf-8")
    # Python's re has no \p{..}: letters -> [^\W\d_], numbers -> \d (no wider than the original)
    text = text.replace(r"\\p{L}", r"[^\\W\\d_]").replace(r"\\p{N}", r"\\d")
    assert r"\\p{" not in text
    schema = json.loads(text)
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def _problems(validator: jsonschema.protocols.Validator, doc: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}" for e in validator.iter_errors(doc)][:10]


@pytest.fixture(scope="module")
def ws():
    return api.workspace()


@pytest.fixture(scope="module")
def cat(ws) -> dict[str, Any]:
    return catalog(ws, now=NOW)


def test_the_catalog_validates_against_the_official_schema(cat) -> None:
    assert _problems(_official("catalog"), cat) == []


def test_the_official_schema_refuses_a_broken_catalog(cat) -> None:
    """The check above can fail: a control without a title, or a bad UUID, is refused."""
    broken = json.loads(json.dumps(cat))
    del broken["catalog"]["groups"][0]["controls"][0]["title"]
    broken["catalog"]["uuid"] = "not-a-uuid"
    assert len(_problems(_official("catalog"), broken)) >= 2


def test_the_catalog_holds_every_principle_and_one_objective_per_active_rule(ws, cat) -> None:
    controls = [c for g in cat["catalog"]["groups"] for c in g["controls"]]
    assert sorted(c["id"] for c in controls) == sorted(ws.principles)
    objectives = {p["id"] for c in controls for p in c["parts"] if p["name"] == "assessment-objective"}
    active = [r for r in ws.rules.values() if r.status == Lifecycle.active]
    assert objectives == {objective_id(r.principle, r.id) for r in active} and len(objectives) >= 100
    statement = next(c for c in controls if c["id"] == "AML-1")["parts"][0]
    assert statement["name"] == "statement" and statement["prose"] == ws.principles["AML-1"].statement
    # every link points at a resource of the back matter
    resources = {r["uuid"] for r in cat["catalog"]["back-matter"]["resources"]}
    hrefs = {link["href"][1:] for c in controls for link in c.get("links", [])}
    hrefs |= {link["href"][1:] for c in controls for p in c["parts"] for link in p.get("links", [])}
    assert hrefs and hrefs <= resources


@pytest.mark.parametrize("jurisdiction,design", [("NG", "enaira"), ("BS", "sand-dollar"), ("KE", "mobile-money")])
def test_assessment_results_validate_and_match_the_assessment(ws, cat, jurisdiction, design) -> None:
    assessment = api.assess(jurisdiction, design, ws)
    doc = assessment_results(assessment, ws, now=NOW)
    assert _problems(_official("assessment-results"), doc) == []
    result = doc["assessment-results"]["results"][0]
    # one observation per finding; an OSCAL finding for each decided rule, with the right state
    assert len(result["observations"]) == len(assessment.findings)
    decided = {f.rule_id: f.status for f in assessment.findings if f.status in (Status.gap, Status.met)}
    states = {f["target"]["target-id"].split("_obj.")[1]: f["target"]["status"]["state"] for f in result["findings"]}
    assert states == {r: ("satisfied" if s == Status.met else "not-satisfied") for r, s in decided.items()}
    assert decided
    props = {p["name"]: p["value"] for p in result["props"]}
    assert props["rules-decided"] == str(len(decided))
    # every target is an objective of the catalog; every observation a finding cites exists
    catalog_parts = {p["id"] for g in cat["catalog"]["groups"] for c in g["controls"] for p in c["parts"]}
    assert {f["target"]["target-id"] for f in result["findings"]} <= catalog_parts
    observations = {o["uuid"] for o in result["observations"]}
    assert {r["observation-uuid"] for f in result["findings"] for r in f["related-observations"]} <= observations
    resources = {r["uuid"] for r in doc["assessment-results"]["back-matter"]["resources"]}
    assert doc["assessment-results"]["import-ap"]["href"][1:] in resources


def test_a_gap_is_not_satisfied_and_an_unknown_is_only_observed(ws) -> None:
    assessment = api.assess("NG", "enaira", ws)
    f0, f1 = assessment.findings[0], assessment.findings[1]
    changed = assessment.model_copy(update={"findings": [f0.model_copy(update={"status": Status.gap}),
                                                         f1.model_copy(update={"status": Status.unknown,
                                                                               "missing": ["design.offline"]})]})
    doc = assessment_results(changed, ws, now=NOW)
    assert _problems(_official("assessment-results"), doc) == []
    result = doc["assessment-results"]["results"][0]
    assert [(f["target"]["target-id"], f["target"]["status"]["state"]) for f in result["findings"]] == [
        (objective_id(f0.principle_id, f0.rule_id), "not-satisfied")]
    unknown = result["observations"][1]
    assert "design.offline" in unknown["remarks"] and {"name": "status", "ns": "urn:policyengine:oscal",
                                                        "value": "unknown"} in unknown["props"]


def test_identifiers_are_stable_across_runs(ws) -> None:
    assessment = api.assess("NG", "enaira", ws)
    first = assessment_results(assessment, ws, now=NOW)
    later = assessment_results(assessment, ws, now=NOW + datetime.timedelta(days=3))
    assert first["assessment-results"]["uuid"] == later["assessment-results"]["uuid"]
    assert first != later  # only the timestamps moved
    assert json.dumps(first).replace("2026-01-02T03:04:05Z", "X") == json.dumps(later).replace("2026-01-05T03:04:05Z", "X")


def test_cli_writes_both_documents(tmp_path) -> None:
    runner = CliRunner()
    out = runner.invoke(main, ["assess", "NG", "-d", "enaira", "--format", "oscal"])
    assert out.exit_code == 0, out.output
    assert _problems(_official("assessment-results"), json.loads(out.output)) == []
    target = tmp_path / "catalog.json"
    out = runner.invoke(main, ["catalogue", "--format", "oscal", "--out", str(target)])
    assert out.exit_code == 0, out.output
    assert _problems(_official("catalog"), json.loads(target.read_text(encoding="utf-8"))) == []
