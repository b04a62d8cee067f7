"""Rule lifecycle: drafts out of published toolkits, deprecated rules skipped, aliases resolved,
findings that cite the ruleset version."""

from __future__ import annotations

from click.testing import CliRunner

from policyengine import api
from policyengine.authoring.docs import build_docs
from policyengine.cli import main
from tests.test_authoring_common import OFFLINE_RULE, copy_shipped, write

RENAMED = OFFLINE_RULE.replace("id: AML-OFFLINE-FULL", "id: AML-OFFLINE-USE") + "aliases: [AML-OFFLINE-FULL]\n"


def _ids(assessment) -> set[str]:
    return {f.rule_id for f in assessment.findings}


def test_drafts_are_excluded_from_assessments_by_default(tmp_path):
    ws = copy_shipped(tmp_path / "ws")
    write(ws, "rulesets/rules/aml/AML-OFFLINE-FULL.yaml", OFFLINE_RULE.replace("status: active", "status: draft"))
    loaded = api.workspace(ws)
    assert "AML-OFFLINE-FULL" not in _ids(api.assess("NG", "enaira", loaded))
    assert "AML-OFFLINE-FULL" in _ids(api.assess("NG", "enaira", loaded, include_drafts=True))
    for assessment in api.assess_all(loaded):
        assert "AML-OFFLINE-FULL" not in _ids(assessment)
    # the CLI too: drafts only with --drafts
    out = CliRunner().invoke(main, ["assess", "NG", "--design", "enaira", "--format", "json", "-w", str(ws)]).output
    assert "AML-OFFLINE-FULL" not in out
    # but a draft is tested, explained and documented, so its author can work on it
    assert CliRunner().invoke(main, ["test", "AML-OFFLINE-FULL", "-w", str(ws)]).exit_code == 0
    assert api.explain("AML-OFFLINE-FULL", "NG", "enaira", loaded).rule_id == "AML-OFFLINE-FULL"
    page = build_docs(loaded)["aml/AML-OFFLINE-FULL.md"]
    assert "**Draft.** Not used in assessments or published toolkits" in page


def test_deprecated_rules_are_skipped_and_say_so_in_the_docs(tmp_path):
    ws = copy_shipped(tmp_path / "ws")
    write(ws, "rulesets/rules/aml/AML-OFFLINE-FULL.yaml", OFFLINE_RULE.replace("status: active", "status: deprecated"))
    write(ws, "rulesets/rules/aml/AML-OFFLINE-USE.yaml", RENAMED.replace("aliases: [AML-OFFLINE-FULL]\n", ""))
    loaded = api.workspace(ws)
    assert "AML-OFFLINE-FULL" not in _ids(api.assess("NG", "enaira", loaded))
    assert "AML-OFFLINE-FULL" not in _ids(api.assess("NG", "enaira", loaded, include_drafts=True))
    docs = build_docs(loaded)
    assert "**Deprecated.** This rule is skipped in assessments." in docs["aml/AML-OFFLINE-FULL.md"]
    assert "(deprecated)" not in docs["matrix.md"] and "AML-OFFLINE-FULL" not in docs["matrix.md"]
    assert "| deprecated |" in docs["aml/README.md"]


def test_a_deprecated_rule_points_to_its_replacement(tmp_path):
    ws = copy_shipped(tmp_path / "ws")
    # the old rule kept as deprecated, the new one lists its id as an alias... an alias may not
    # equal a rule id, so the replacement is found through the alias of a rule in another file
    write(ws, "rulesets/rules/aml/AML-OFFLINE-USE.yaml", RENAMED)
    loaded = api.workspace(ws)
    page = build_docs(loaded)["aml/AML-OFFLINE-USE.md"]
    assert "| Former ids | AML-OFFLINE-FULL |" in page


def test_aliases_resolve_in_explain(tmp_path):
    ws = copy_shipped(tmp_path / "ws")
    write(ws, "rulesets/rules/aml/AML-OFFLINE-USE.yaml", RENAMED)
    loaded = api.workspace(ws)
    assert loaded.rule_by_id_or_alias("AML-OFFLINE-FULL").id == "AML-OFFLINE-USE"
    assert api.explain("AML-OFFLINE-FULL", "NG", "enaira", loaded).rule_id == "AML-OFFLINE-USE"
    result = CliRunner().invoke(main, ["explain", "AML-OFFLINE-FULL", "NG", "--design", "enaira", "-w", str(ws)])
    assert result.exit_code == 0 and result.output.startswith("AML-OFFLINE-USE")


def test_aliases_resolve_in_test(tmp_path):
    ws = copy_shipped(tmp_path / "ws")
    write(ws, "rulesets/rules/aml/AML-OFFLINE-USE.yaml", RENAMED)
    result = CliRunner().invoke(main, ["test", "AML-OFFLINE-FULL", "-w", str(ws)])
    assert result.exit_code == 0 and "4 passed" in result.output


def test_findings_cite_the_ruleset_version(tmp_path):
    ws = copy_shipped(tmp_path / "ws")
    info = ws / "rulesets/ruleset.yaml"
    info.write_text(info.read_text().replace('version: "0.1.0"', 'version: "7.3.0"'))
    loaded = api.workspace(ws)
    assert loaded.ruleset_version == "7.3.0"
    result = api.assess("NG", "enaira", loaded)
    assert result.ruleset_version == "7.3.0" and result.ruleset_name == loaded.ruleset_name
    out = CliRunner().invoke(main, ["assess", "NG", "--design", "enaira", "-w", str(ws)]).output
    assert "7.3.0" in out.splitlines()[0]
