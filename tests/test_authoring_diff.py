"""`policyengine diff`: the impact of a ruleset change on every shipped jurisdiction and design."""

from __future__ import annotations

import json
import shutil
import subprocess
import time

import pytest
from click.testing import CliRunner

from policyengine import api
from policyengine.authoring.diff import diff, diff_markdown, diff_table
from policyengine.cli import main
from tests.test_authoring_common import OFFLINE_RULE, copy_shipped, write

SAMPLE = "rulesets/rules/aml/AML-SIMPLIFIED-ENTRY-TIER.yaml"


@pytest.fixture
def base_and_head(tmp_path):
    base = copy_shipped(tmp_path / "base")
    head = tmp_path / "head"
    shutil.copytree(base, head)
    return base, head


def _changes(report, **match):
    return [c for c in report.changes if all(getattr(c, k) == v for k, v in match.items())]


def test_added_rule_shows_on_every_design_it_concludes_for(base_and_head):
    base, head = base_and_head
    write(head, "rulesets/rules/aml/AML-OFFLINE-FULL.yaml", OFFLINE_RULE)
    report = diff(api.workspace(head), base_dir=base)
    assert report.rules_added == ["AML-OFFLINE-FULL"] and not report.rules_removed
    added = _changes(report, rule_id="AML-OFFLINE-FULL")
    assert {c.kind for c in added} == {"added"} and {c.before for c in added} == {None}
    assert len(added) == len(report.pairs)  # a new rule adds one finding to every design
    assert {c.severity for c in added} == {"high"}
    assert all(c.rule_id == "AML-OFFLINE-FULL" for c in report.changes)
    # the statuses are the ones a plain assessment gives
    ng = api.assess("NG", "enaira", api.workspace(head))
    status = next(f.status.value for f in ng.findings if f.rule_id == "AML-OFFLINE-FULL")
    assert _changes(report, jurisdiction_id="NG", design_id="enaira")[0].after == status


def test_status_changes_and_removals_grouped_by_jurisdiction_and_rule(base_and_head):
    base, head = base_and_head
    write(base, "rulesets/rules/aml/AML-OFFLINE-FULL.yaml", OFFLINE_RULE)
    # head: the sample rule stops accepting an ID-number tier, and the offline rule is deleted
    path = head / SAMPLE
    path.write_text(path.read_text().replace("item.identity in [none, phone_number, id_number]",
                                             "item.identity in [none, phone_number]"))
    report = diff(api.workspace(head), base_dir=base)
    assert report.rules_removed == ["AML-OFFLINE-FULL"]
    removed = _changes(report, rule_id="AML-OFFLINE-FULL")
    assert removed and {(c.kind, c.after) for c in removed} == {("removed", None)}
    changed = _changes(report, rule_id="AML-SIMPLIFIED-ENTRY-TIER")
    for c in changed:  # only designs whose status actually moved are listed
        assert c.kind == "changed" and c.before != c.after and c.severity == "medium"
    by_j = report.by_jurisdiction()
    assert all("/" in key for key in by_j) and sum(len(v) for v in by_j.values()) == len(report.changes)
    by_rule = report.by_rule()
    assert set(by_rule) == {c.rule_id for c in report.changes}
    # high severity first within a jurisdiction
    for changes in by_j.values():
        order = [{"high": 0, "medium": 1, "low": 2}[c.severity] for c in changes]
        assert order == sorted(order)
    table = diff_table(report)
    assert "By jurisdiction:" in table and "By rule:" in table and "removed" in table
    md = diff_markdown(report)
    assert "## By jurisdiction" in md and "| removed | high | AML-OFFLINE-FULL |" in md


def test_no_change_reports_nothing(base_and_head):
    base, head = base_and_head
    report = diff(api.workspace(head), base_dir=base)
    assert report.changes == [] and "no finding changes" in diff_table(report)


def test_rename_with_alias_is_not_an_add_and_a_remove(base_and_head):
    base, head = base_and_head
    write(base, "rulesets/rules/aml/AML-OFFLINE-FULL.yaml", OFFLINE_RULE)
    write(head, "rulesets/rules/aml/AML-OFFLINE-USE.yaml", OFFLINE_RULE.replace(
        "id: AML-OFFLINE-FULL", "id: AML-OFFLINE-USE") + "aliases: [AML-OFFLINE-FULL]\n")
    report = diff(api.workspace(head), base_dir=base)
    assert report.rules_renamed == {"AML-OFFLINE-FULL": "AML-OFFLINE-USE"}
    assert report.changes == [] and not report.rules_added and not report.rules_removed


def test_drafts_are_left_out_unless_asked(base_and_head):
    base, head = base_and_head
    write(head, "rulesets/rules/aml/AML-OFFLINE-FULL.yaml", OFFLINE_RULE.replace("status: active", "status: draft"))
    report = diff(api.workspace(head), base_dir=base)
    assert report.changes == [] and report.drafts_left_out == ["AML-OFFLINE-FULL"]
    assert "--drafts" in diff_table(report)
    with_drafts = diff(api.workspace(head), base_dir=base, include_drafts=True)
    assert with_drafts.rules_added == ["AML-OFFLINE-FULL"] and with_drafts.changes


def _git(cwd, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=cwd,
                   check=True, capture_output=True)


def test_cli_base_git_revision_is_fast(tmp_path):
    ws = copy_shipped(tmp_path / "ws")
    _git(ws, "init", "-q")
    _git(ws, "add", ".")
    _git(ws, "commit", "-qm", "base")
    write(ws, "rulesets/rules/aml/AML-OFFLINE-FULL.yaml", OFFLINE_RULE)
    runner = CliRunner()
    started = time.perf_counter()
    result = runner.invoke(main, ["diff", "--base", "HEAD", "--format", "json", "--workspace", str(ws)])
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    data = json.loads(result.output[result.output.index("{"):])
    assert data["base"] == "HEAD" and data["rules_added"] == ["AML-OFFLINE-FULL"]
    assert set(data["by_jurisdiction"]) and set(data["by_rule"]) == {"AML-OFFLINE-FULL"}
    assert data["counts"]["added"] == len(data["pairs"])
    assert elapsed < 10, f"diff took {elapsed:.2f}s"
    md = runner.invoke(main, ["diff", "--base", "HEAD", "--format", "markdown", "--workspace", str(ws)])
    assert md.exit_code == 0 and md.output.startswith("# Ruleset impact")


def test_cli_bad_revision_and_no_git(tmp_path):
    ws = copy_shipped(tmp_path / "ws")
    runner = CliRunner()
    result = runner.invoke(main, ["diff", "--base", "HEAD", "--workspace", str(ws)])
    assert result.exit_code == 2 and "--base-dir" in result.output
    _git(ws, "init", "-q")
    _git(ws, "add", ".")
    _git(ws, "commit", "-qm", "base")
    result = runner.invoke(main, ["diff", "--base", "no-such-rev", "--workspace", str(ws)])
    assert result.exit_code == 2 and "no-such-rev" in result.output


def test_engine_and_reference_evaluator_agree(base_and_head):
    base, head = base_and_head
    write(base, "rulesets/rules/aml/AML-OFFLINE-FULL.yaml", OFFLINE_RULE)
    path = head / SAMPLE
    path.write_text(path.read_text().replace("item.identity in [none, phone_number, id_number]",
                                             "item.identity in [none, phone_number]"))
    fast = diff(api.workspace(head), base_dir=base)
    full = diff(api.workspace(head), base_dir=base, engine=True)
    assert fast.changes == full.changes and fast.changes
