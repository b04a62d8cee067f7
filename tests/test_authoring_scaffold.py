"""`policyengine new`: scaffolds that validate, and a rule that passes `test` once filled in."""

from __future__ import annotations

import yaml
from click.testing import CliRunner

from policyengine import api
from policyengine.authoring.lint import lint
from policyengine.authoring.scaffold import PLACEHOLDER_REQUIRES, new_rule
from policyengine.cli import main
from policyengine.load import load_workspace
from tests.test_authoring_common import copy_shipped, errors

RULE = "AML-OFFLINE-LIMIT"


def _run(*args: str):
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_new_rule_validates_and_its_stubs_fail_until_filled(tmp_path):
    ws = copy_shipped(tmp_path / "ws")
    code, out = _run("new", "rule", "--principle", "AML-3", "--id", RULE, "--workspace", str(ws))
    assert code == 0, out
    path = ws / "rulesets/rules/aml" / f"{RULE}.yaml"
    text = path.read_text()
    # every field, in the fixed order, with obvious placeholders
    data = yaml.safe_load(text)
    assert list(data)[:6] == ["id", "title", "principle", "also_serves", "status", "severity"]
    for key in ("applies_if", "requires", "finding", "met", "recommendation", "rationale", "citations",
                "examples", "since", "aliases"):
        assert key in data
    assert data["status"] == "draft" and data["requires"] == PLACEHOLDER_REQUIRES
    assert data["title"].startswith("TODO") and {e["expect"] for e in data["examples"]} == {
        "gap", "met", "unknown", "not_applicable"}

    # it validates (no errors), and lint points at the placeholders
    assert errors(api.validate(ws)) == []
    assert any("placeholder" in p.message for p in lint(load_workspace(ws)) if p.file.endswith(f"{RULE}.yaml"))
    # the stubs fail `policyengine test`: a stub must never pass as a tested rule
    code, out = _run("test", RULE, "--workspace", str(ws))
    assert code == 1 and "0 passed, 4 failed" in out and "expected gap, got unknown" in out
    # a draft is in no assessment
    assert all(f.rule_id != RULE for f in api.assess("NG", "enaira", api.workspace(ws)).findings)

    # fill it in, as an author would
    data.update({
        "title": "Offline payments are capped",
        "status": "active",
        "applies_if": "design.offline in [limited, full]",
        "requires": "design.offline_limit <= $fatf_wire_de_minimis_usd",
        "finding": "Offline payments have no cap at or below the wire-transfer threshold.",
        "met": "Offline payments are capped.",
        "recommendation": "Cap offline payments at or below the threshold.",
        "rationale": "Offline payments escape real-time monitoring, so they should stay small.",
        "citations": [{"ref": "fatf-recs-2025", "section": "R.16"}],
        "examples": [
            {"name": "capped", "facts": {"design.offline": "limited", "design.offline_limit": 500}, "expect": "met"},
            {"name": "too-high", "facts": {"design.offline": "full", "design.offline_limit": 5000}, "expect": "gap"},
            {"name": "no-cap-known", "facts": {"design.offline": "full"}, "expect": "unknown",
             "missing": ["design.offline_limit"]},
            {"name": "online-only", "facts": {"design.offline": "none"}, "expect": "not_applicable"},
        ],
    })
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    assert errors(api.validate(ws)) == []
    code, out = _run("test", RULE, "--workspace", str(ws))
    assert code == 0 and "4 passed, 0 failed" in out, out
    assert not [p for p in lint(load_workspace(ws)) if p.file.endswith(f"{RULE}.yaml")]
    assert any(f.rule_id == RULE for f in api.assess("NG", "enaira", api.workspace(ws)).findings)


def test_new_rule_refuses_bad_input(tmp_path):
    ws = copy_shipped(tmp_path / "ws")
    code, out = _run("new", "rule", "--principle", "AML-99", "--id", RULE, "-w", str(ws))
    assert code == 2 and "no principle 'AML-99'" in out
    code, out = _run("new", "rule", "--principle", "AML-3", "--id", "aml offline", "-w", str(ws))
    assert code == 2 and "not a rule id" in out
    code, out = _run("new", "rule", "--principle", "AML-2", "--id", "AML-SIMPLIFIED-ENTRY-TIER", "-w", str(ws))
    assert code == 2 and "ids are never reused" in out
    new_rule(ws, "AML-3", RULE)
    code, out = _run("new", "rule", "--principle", "AML-3", "--id", RULE, "-w", str(ws))
    assert code == 2 and "already" in out


def test_new_rule_in_a_private_workspace_without_rulesets_is_refused(tmp_path):
    (tmp_path / "private" / "jurisdictions").mkdir(parents=True)
    code, out = _run("new", "rule", "--principle", "AML-3", "--id", RULE, "-w", str(tmp_path / "private"))
    assert code == 2 and "no rulesets/ folder of its own" in out


def test_new_jurisdiction_and_design_validate_and_assess(tmp_path):
    ws = copy_shipped(tmp_path / "ws")
    code, out = _run("new", "jurisdiction", "ZZ", "--name", "Zedland", "--region", "africa", "--currency", "xts",
                     "-w", str(ws))
    assert code == 0, out
    code, out = _run("new", "design", "ZZ", "zed-coin", "--title", "Zed Coin", "-w", str(ws))
    assert code == 0, out
    profile = (ws / "jurisdictions/ZZ/profile.yaml").read_text()
    design = (ws / "jurisdictions/ZZ/designs/zed-coin.yaml").read_text()
    # every fact is listed (commented out, so nothing false is asserted)
    assert "#   account_ownership_pct: {value: 0" in profile and "# exchange_rate_per_usd:" in profile
    assert "# offline_limit: {value: {amount: 0, currency: XTS}" in design and "#   transaction_monitoring:" in design
    assert errors(api.validate(ws)) == []
    loaded = api.workspace(ws)
    assert loaded.profiles["ZZ"].currency == "XTS" and loaded.designs["ZZ"]["zed-coin"].name == "Zed Coin"
    result = api.assess("ZZ", "zed-coin", loaded)
    assert {f.status.value for f in result.findings} <= {"unknown", "not_applicable"}
    # uncommenting a fact gives a valid file once the source exists
    filled = profile.replace('# exchange_rate_per_usd: {value: 0, source: TODO-source-id, as_of: "YYYY-MM-DD"}',
                             'exchange_rate_per_usd: {value: 12.5, source: zz-cb, as_of: "2025-06-30"}').replace(
        "sources: []", "sources: [{id: zz-cb, title: Rates, publisher: Zedland Central Bank, year: 2025, evidence: official}]")
    (ws / "jurisdictions/ZZ/profile.yaml").write_text(filled)
    assert errors(api.validate(ws)) == []


def test_new_design_needs_a_jurisdiction(tmp_path):
    ws = copy_shipped(tmp_path / "ws")
    code, out = _run("new", "design", "QQ", "coin", "-w", str(ws))
    assert code == 2 and "policyengine new jurisdiction QQ" in out
    code, out = _run("new", "design", "NG", "Bad Name", "-w", str(ws))
    assert code == 2 and "design id" in out
