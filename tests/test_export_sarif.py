"""`validate --format sarif`: the problems as a SARIF 2.1.0 log that validates against the
OASIS schema (tests/data/, see its README), one result per problem on its file and line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
from click.testing import CliRunner

from policyengine import api
from policyengine.cli import main
from policyengine.export.sarif import problems_sarif
from policyengine.problems import Problem

from .test_validate_errors import BAD, EXPECTED

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def _problems(log: Any) -> list[str]:
    jsonschema.Draft4Validator.check_schema(SCHEMA)
    validator = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in validator.iter_errors(log)][:10]


def _as_lines(log: dict[str, Any]) -> list[str]:
    out = []
    for r in log["runs"][0]["results"]:
        loc = r["locations"][0]["physicalLocation"]
        out.append(f"{loc['artifactLocation']['uri']}:{loc['region']['startLine']}: {r['message']['text']}")
    return out


def test_every_problem_of_a_broken_workspace_is_a_result_on_its_line(make_ws) -> None:
    root = make_ws(BAD)
    result = CliRunner().invoke(main, ["validate", "--workspace", str(root), "--format", "sarif"])
    assert result.exit_code == 2  # the exit code does not depend on the format
    log = json.loads(result.stdout)
    assert _problems(log) == []
    assert log["version"] == "2.1.0"
    lines = _as_lines(log)
    for expected in EXPECTED:
        assert expected in lines, f"missing: {expected}"
    errors = [r for r in log["runs"][0]["results"] if r["level"] == "error"]
    assert len(errors) == len(EXPECTED)
    assert {r["ruleId"] for r in errors} == {"policyengine/invalid"}


def test_the_shipped_workspace_gives_a_valid_log_of_its_warnings() -> None:
    problems = api.validate(None)
    log = problems_sarif(problems, tool_version="0.1.0")
    assert _problems(log) == []
    assert len(log["runs"][0]["results"]) == len(problems)
    assert all(r["level"] == "warning" and r["ruleId"] == "policyengine/lint"
               for r in log["runs"][0]["results"])


def test_the_schema_check_can_fail() -> None:
    log = problems_sarif([Problem("a b/c.yaml", 3, "id", "bad")], tool_version="0.1.0", workspace=Path("/tmp"))
    assert _problems(log) == []
    assert log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "a%20b/c.yaml"
    assert log["runs"][0]["originalUriBaseIds"]["WORKSPACE"]["uri"] == "file:///tmp/"
    log["runs"][0]["results"][0]["level"] = "fatal"
    del log["version"]
    assert len(_problems(log)) == 2
