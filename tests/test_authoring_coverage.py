"""`policyengine coverage`: what the ruleset does not cover, computed from the data."""

from __future__ import annotations

import json

from click.testing import CliRunner

from policyengine import api
from policyengine.authoring.coverage import coverage, coverage_table
from policyengine.cli import main
from tests.test_authoring_common import OFFLINE_RULE, copy_shipped, write


def test_reports_each_kind_of_gap_in_coverage(tmp_path):
    ws_dir = copy_shipped(tmp_path / "ws")
    # A rule whose scope no shipped design meets, and with no unknown example.
    write(ws_dir, "rulesets/rules/aml/AML-TOKENISED-ONLY.yaml", OFFLINE_RULE.replace(
        "AML-OFFLINE-FULL", "AML-TOKENISED-ONLY").replace(
        '"design.kind in [retail_cbdc, e_money]"', '"design.kind == tokenised_deposit"').replace(
        "design.kind: retail_cbdc", "design.kind: tokenised_deposit").split(
        "  - {name: wholesale")[0])
    ws = api.workspace(ws_dir)
    report = coverage(ws)

    assert "AML-1" in report.principles_without_rules
    assert "AML-2" not in report.principles_without_rules  # served by AML-SIMPLIFIED-ENTRY-TIER
    assert "AML-3" not in report.principles_without_rules  # served by the new rule
    assert report.rules_never_applicable == ["AML-TOKENISED-ONLY"]
    # Served, but only by a rule that decides nothing for any shipped design; AML-2's rule decides.
    assert "AML-3" in report.principles_never_decided
    assert "AML-2" not in report.principles_never_decided
    assert "AML-1" not in report.principles_never_decided  # unserved: reported in its own list
    assert report.examples_lacking["AML-TOKENISED-ONLY"] == ["unknown"]
    assert "design.channels" not in report.unread_design_paths  # read by INCL-BASIC-PHONE-CHANNEL
    assert "design.kyc_tiers" not in report.unread_design_paths  # read through for_any
    assert "jurisdiction.inclusion.account_ownership_pct" not in report.unread_profile_paths  # via a derivation
    assert "jurisdiction.legal.data_protection_law" in report.unread_profile_paths
    assert "jurisdiction.id" not in report.unread_profile_paths

    # The new rule's scope is never false in its examples: a branch left untested.
    branches = {(b.rule_id, b.condition): b for b in report.unexercised_branches}
    scope = branches[("AML-TOKENISED-ONLY", "design.kind == tokenised_deposit")]
    assert scope.lacks == ["false"] and scope.field == "applies_if"
    assert scope.file == "rulesets/rules/aml/AML-TOKENISED-ONLY.yaml" and scope.line == 6

    text = coverage_table(report)
    assert "AML-TOKENISED-ONLY" in text and "never false" in text
    undecided = text.split("Principles no rule decides (met or gap)")[1].split("\n\n")[0]
    assert "AML-3" in undecided and "AML-2" not in undecided


def test_an_added_example_closes_the_branch(tmp_path):
    ws_dir = copy_shipped(tmp_path / "ws")
    without = OFFLINE_RULE.replace("  - {name: wholesale, facts: {design.kind: wholesale_cbdc}, expect: not_applicable}\n", "")
    path = write(ws_dir, "rulesets/rules/aml/AML-OFFLINE-FULL.yaml", without)
    report = coverage(api.workspace(ws_dir))
    assert [b.condition for b in report.unexercised_branches if b.rule_id == "AML-OFFLINE-FULL"] == [
        "design.kind in [retail_cbdc, e_money]"]
    path.write_text(OFFLINE_RULE)
    report = coverage(api.workspace(ws_dir))
    assert not [b for b in report.unexercised_branches if b.rule_id == "AML-OFFLINE-FULL"]


def test_requirement_branches_count_only_where_the_scope_holds(tmp_path):
    ws_dir = copy_shipped(tmp_path / "ws")
    # "design.holding_limit exists" is false only in an example outside the scope: that tests nothing.
    write(ws_dir, "rulesets/rules/aml/AML-OFFLINE-FULL.yaml", OFFLINE_RULE.replace(
        'requires: "design.offline != full"',
        'requires: {all: ["design.offline != full", "design.holding_limit exists"]}').replace(
        "design.offline: full}", "design.offline: full, design.holding_limit: 100}").replace(
        "design.offline: limited}", "design.offline: limited, design.holding_limit: 100}").replace(
        "{design.kind: retail_cbdc}, expect: unknown", "{design.kind: retail_cbdc, design.holding_limit: 100}, expect: unknown"))
    report = coverage(api.workspace(ws_dir))
    offline = [b for b in report.unexercised_branches if b.rule_id == "AML-OFFLINE-FULL"]
    assert [(b.field, b.condition, b.lacks) for b in offline] == [("requires", "design.holding_limit exists", ["false"])]


def test_cli_json_and_table(tmp_path):
    ws_dir = copy_shipped(tmp_path / "ws")
    runner = CliRunner()
    result = runner.invoke(main, ["coverage", "--format", "json", "--workspace", str(ws_dir)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= {"principles_without_rules", "rules_never_applicable", "examples_lacking",
                         "unread_profile_paths", "unexercised_branches"}
    assert data["unexercised_branches"][0]["lacks"]
    table = runner.invoke(main, ["coverage", "--workspace", str(ws_dir)])
    assert table.exit_code == 0 and "Principles no rule serves" in table.output
    # coverage reports only: it changes no file
    before = sorted(p.stat().st_mtime_ns for p in ws_dir.rglob("*.yaml"))
    runner.invoke(main, ["coverage", "--workspace", str(ws_dir)])
    assert sorted(p.stat().st_mtime_ns for p in ws_dir.rglob("*.yaml")) == before


def test_issue_11_areas_are_decided_for_shipped_designs_and_in_the_heat_map():
    """Each principle added for issue 11 is decided (met or gap) by some rule for some shipped design,
    and every area with an active rule has a column in the regional heat-map."""
    from policyengine.load import shipped_root
    from policyengine.models.rule import Area
    from policyengine.render.documents import AREA_TITLES, _areas_of

    ws = api.workspace(shipped_root())
    report = coverage(ws)
    added = ["PROG-1", "PROG-2", "COMP-1", "COMP-2", "COMP-3", "TEL-1", "TEL-2", "TEL-3", "TEL-4",
             "GOV-11", "INCL-11", "INTEROP-9", "ID-5"]
    assert not report.principles_without_rules
    assert not set(added) & set(report.principles_never_decided), report.principles_never_decided
    # GOV-7 has a rule now, but no shipped design is a stablecoin: it stays undecided, and says so.
    assert "GOV-7" in report.principles_never_decided
    areas = _areas_of(ws)
    assert areas == [a.value for a in Area]  # every area, in the catalogue's order
    assert {"programmability", "competition", "telecommunications"} <= set(areas)
    assert all(a in AREA_TITLES for a in areas)
