"""`policyengine docs`: the rule reference generated from the data, and kept current."""

from __future__ import annotations

from click.testing import CliRunner

from policyengine import api
from policyengine.authoring.docs import HEADER, REGENERATE, build_docs, check_docs, write_docs
from policyengine.cli import main
from policyengine.load import shipped_root
from tests.test_authoring_common import OFFLINE_RULE, copy_shipped, write


def test_committed_rule_reference_is_current():
    """docs/rules/ must match rulesets/: regenerate it after changing a rule."""
    root = shipped_root()
    stale = check_docs(api.workspace(root), root / "docs" / "rules")
    assert not stale, ("docs/rules/ is out of date:\n  " + "\n  ".join(stale)
                       + f"\nregenerate with: cd {root} && .venv/bin/{REGENERATE.format(out='docs/rules')}")


def test_pages_follow_one_template(tmp_path):
    ws = copy_shipped(tmp_path / "ws")
    write(ws, "rulesets/rules/aml/AML-OFFLINE-FULL.yaml", OFFLINE_RULE + 'since: "0.2.0"\n')
    pages = build_docs(api.workspace(ws))
    assert {"README.md", "matrix.md", "aml/README.md", "aml/AML-OFFLINE-FULL.md"} <= set(pages)
    assert all(text.startswith(HEADER + "\n") for text in pages.values())
    page = pages["aml/AML-OFFLINE-FULL.md"]
    order = ["# AML-OFFLINE-FULL: Offline payments are limited", "| Principle | AML-3:", "| Severity | high |",
             "| Status | active", "| Since | 0.2.0 |", "## Summary", "Full offline use without limits.",
             "## Principle", "## Why it matters", "Offline payments escape monitoring.", "## What it checks",
             "## Examples", "### A gap", "*Example `full`*", "- `design.offline`: full", "Result: **gap**",
             "### Met", "*Example `limited`*", "Result: **met**", "## Recommendation", "Limit offline use.",
             "## Citations", "The FATF Recommendations](https://www.fatf-gafi.org/recommendations.html)"]
    positions = [page.index(part) for part in order]
    assert positions == sorted(positions)
    assert ": R.15" in page  # the citation's section, after the resolved title
    area = pages["aml/README.md"]
    assert "| [AML-OFFLINE-FULL](AML-OFFLINE-FULL.md) | Offline payments are limited | AML-3 | high | active |" in area
    assert "[AML-OFFLINE-FULL](aml/AML-OFFLINE-FULL.md) |" in pages["matrix.md"]


def test_output_is_deterministic(tmp_path):
    ws = copy_shipped(tmp_path / "ws")
    first = build_docs(api.workspace(ws))
    second = build_docs(api.workspace(ws))
    assert first == second and list(first) == sorted(first)


def test_check_lists_stale_missing_and_obsolete_pages(tmp_path):
    ws = copy_shipped(tmp_path / "ws")
    out = tmp_path / "out"
    write_docs(api.workspace(ws), out)
    assert check_docs(api.workspace(ws), out) == []
    (out / "hand-written.md").write_text("# notes kept by hand\n")  # never touched
    write(ws, "rulesets/rules/aml/AML-OFFLINE-FULL.yaml", OFFLINE_RULE)
    sample = ws / "rulesets/rules/inclusion/INCL-BASIC-PHONE-CHANNEL.yaml"
    sample.unlink()
    loaded = api.workspace(ws)
    stale = check_docs(loaded, out)
    assert "aml/AML-OFFLINE-FULL.md (missing)" in stale
    assert "aml/README.md (stale)" in stale and "matrix.md (stale)" in stale
    assert "inclusion/INCL-BASIC-PHONE-CHANNEL.md (obsolete)" in stale
    write_docs(loaded, out)
    assert check_docs(loaded, out) == []
    assert not (out / "inclusion/INCL-BASIC-PHONE-CHANNEL.md").exists()
    assert (out / "hand-written.md").exists()


def test_cli_check_fails_with_the_command_that_regenerates(tmp_path):
    ws = copy_shipped(tmp_path / "ws")
    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(main, ["docs", "--out", str(out), "--workspace", str(ws)])
    assert result.exit_code == 0 and "page(s) written" in result.output
    result = runner.invoke(main, ["docs", "--out", str(out), "--check", "--workspace", str(ws)])
    assert result.exit_code == 0 and "is current" in result.output
    write(ws, "rulesets/rules/aml/AML-OFFLINE-FULL.yaml", OFFLINE_RULE)
    result = runner.invoke(main, ["docs", "--out", str(out), "--check", "--workspace", str(ws)])
    assert result.exit_code == 1
    assert "AML-OFFLINE-FULL.md (missing)" in result.output
    assert f"regenerate with: policyengine docs --out {out} --workspace {ws}" in result.output
    result = runner.invoke(main, ["docs", "--out", str(out), "--workspace", str(ws)])
    assert result.exit_code == 0
    again = runner.invoke(main, ["docs", "--out", str(out), "--workspace", str(ws)])
    assert "already current" in again.output
