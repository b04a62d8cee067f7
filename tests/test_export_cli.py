"""Output JSON names its schema; `policyengine rule` and `catalogue` show the ruleset in the
terminal; shell completion offers the domain's names; `pytest rulesets --junitxml` works."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from policyengine import api
from policyengine.cli import main
from policyengine.load import shipped_root
from policyengine.models.jurisdiction import Region
from policyengine.schemas import schema_id

ROOT = shipped_root()
GOLDEN = Path(__file__).parent / "golden"


def _validator(name: str) -> jsonschema.protocols.Validator:
    schema = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def test_assess_json_names_its_schema_and_validates_against_it() -> None:
    result = CliRunner().invoke(main, ["assess", "NG", "-d", "enaira", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert next(iter(doc)) == "$schema" and doc["$schema"] == schema_id("assessment")
    assert [e.message for e in _validator("assessment").iter_errors(doc)][:5] == []
    doc["$schema"] = "something else"
    assert list(_validator("assessment").iter_errors(doc))


def test_rendered_json_documents_name_their_schema_and_validate_against_it() -> None:
    found = sorted(GOLDEN.glob("*.json"))
    assert len(found) >= 6
    validator = _validator("findings-report")
    assert validator.schema["$id"] == "urn:policyengine:schema:findings-report:1"
    for path in found:
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert doc["$schema"] == validator.schema["$id"], path.name
        assert [e.message[:200] for e in validator.iter_errors(doc)][:3] == [], path.name


def test_rule_shows_the_reference_page_as_plain_text() -> None:
    ws = api.workspace()
    rule = ws.rules["AML-SANCTIONS-SCREENING"]
    result = CliRunner().invoke(main, ["rule", "aml-sanctions-screening"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith(f"{rule.id}: {rule.title}\n====")
    assert "Severity   high" in text  # the table, aligned
    assert "    " + "design.aml.sanctions_screening == true" in text  # the condition, indented
    assert "**" not in text and "](" not in text and "<!--" not in text  # no markup left
    assert " ".join(rule.recommendation.split()) in " ".join(text.split())
    bad = CliRunner().invoke(main, ["rule", "AML-SANCTION"])
    assert bad.exit_code == 2 and "did you mean AML-SANCTIONS-SCREENING" in bad.output


def test_catalogue_lists_every_principle_with_its_rules() -> None:
    ws = api.workspace()
    result = CliRunner().invoke(main, ["catalogue"])
    assert result.exit_code == 0, result.output
    for p in ws.principles.values():
        assert f"{p.id:<10} {p.title}" in result.stdout
    assert "            AML-SANCTIONS-SCREENING" in result.stdout


def _complete(*words: str) -> list[str]:
    env = dict(os.environ, _POLICYENGINE_COMPLETE="bash_complete", COMP_WORDS=" ".join(("policyengine",) + words),
               COMP_CWORD=str(len(words)))
    result = CliRunner().invoke(main, [], env=env, prog_name="policyengine")
    assert result.exit_code == 0, result.output
    return [line.split(",", 1)[1] for line in result.stdout.splitlines() if "," in line]


def test_completion_offers_jurisdictions_designs_rules_and_regions() -> None:
    ws = api.workspace()
    assert _complete("assess", "") == sorted(ws.profiles)
    assert _complete("toolkit", "N") == sorted(j for j in ws.profiles if j.startswith("N"))
    assert set(_complete("assess", "NG", "--design", "")) == set(ws.designs["NG"]) | set(ws.archetypes)
    assert _complete("explain", "AML-SANC") == ["AML-SANCTIONS-SCREENING"]
    assert "AML-SANCTIONS-SCREENING" in _complete("rule", "aml-s")
    assert _complete("handouts", "--region", "a") == sorted(r.value for r in Region if r.value.startswith("a"))
    principles = _complete("new", "rule", "--principle", "AML-1")
    assert "AML-1" in principles and all(p.startswith("AML-1") and p in ws.principles for p in principles)
    assert _complete("new", "rule", "--id", "") == []  # a new rule id is a new name


def test_completion_reads_a_workspace_given_on_the_command_line(tmp_path) -> None:
    (tmp_path / "jurisdictions" / "QQ" / "designs").mkdir(parents=True)
    (tmp_path / "jurisdictions" / "QQ" / "profile.yaml").write_text("id: QQ\nname: Quland\n", encoding="utf-8")
    (tmp_path / "jurisdictions" / "QQ" / "designs" / "qcoin.yaml").write_text("id: qcoin\n", encoding="utf-8")
    assert "QQ" in _complete("assess", "--workspace", str(tmp_path), "Q")
    assert "qcoin" in _complete("assess", "--workspace", str(tmp_path), "QQ", "-d", "")


@pytest.mark.skipif(not (ROOT / "rulesets").is_dir(), reason="needs the rulesets folder of a checkout")
def test_pytest_writes_junit_xml_of_the_rule_examples(tmp_path) -> None:
    rule = api.workspace().rules["AML-SANCTIONS-SCREENING"]
    out = tmp_path / "examples.xml"
    run = subprocess.run([sys.executable, "-m", "pytest", "rulesets", "-q", "-p", "no:cacheprovider",
                          "-k", rule.id, f"--junitxml={out}"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    cases = ET.parse(out).getroot().iter("testcase")
    names = sorted(c.get("name", "") for c in cases)
    assert names == sorted(e.name for e in rule.examples) and len(names) >= 2
