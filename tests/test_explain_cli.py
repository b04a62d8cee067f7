"""assess and explain through the CLI and the API: formats, exit codes, why-trees, closing changes."""

from __future__ import annotations

import json

from click.testing import CliRunner

from policyengine import api
from policyengine.cli import main
from policyengine.models import Status


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_explain_shows_facts_sources_and_a_confirmed_closing_change(make_ws) -> None:
    root = make_ws()
    exp = api.explain("AML-OFFLINE-CAP", "XX", "coin", str(root))
    assert exp.status == Status.gap
    assert [(c.path, c.current, c.proposed) for c in exp.closing_change] == [
        ("design.offline_limit", "XTL\u00a020,000 (USD\u00a02,000 at 10 XTL/USD, 31 January 2025)", "USD\u00a01,000")]
    assert exp.closing_change_confirmed is True
    out = run("explain", "AML-OFFLINE-CAP", "XX", "--design", "coin", "--workspace", str(root)).output
    assert "[true] design.offline in [limited, full]  <- design.offline = full (source: xx-cb)" in out
    assert ("[false] design.offline_limit <= $de_minimis_usd  <- design.offline_limit = XTL\u00a020,000 "
            "(USD\u00a02,000 at 10 XTL/USD, 31 January 2025) (source: xx-cb, 2024)") in out
    assert "smallest change that closes the gap (confirmed: re-evaluated as met):" in out
    assert "  design.offline_limit: XTL\u00a020,000 (USD\u00a02,000 at 10 XTL/USD, 31 January 2025) -> USD\u00a01,000" in out


def test_explain_shows_the_derivations_used(make_ws) -> None:
    out = run("explain", "INCL-USSD", "XX", "-d", "coin", "-w", str(make_ws())).output
    assert "derivation derived.low_accounts (Few adults hold an account) = true:" in out
    assert ("[true] jurisdiction.inclusion.account_ownership_pct < 60  <- jurisdiction.inclusion.account_ownership_pct"
            " = 40% (source: xx-findex, table 1, 2021)") in out
    assert "design.channels: smartphone_app -> smartphone_app, feature_phone_ussd" in out


def test_unknown_when_the_rate_is_missing_names_the_rate(make_ws) -> None:
    from .conftest import PROFILE

    root = make_ws({"jurisdictions/XX/profile.yaml": PROFILE.replace(
        'exchange_rate_per_usd: {value: 10, source: xx-cb, as_of: "2025-01-31"}\n', "")})
    finding = next(f for f in api.assess("XX", "coin", str(root)).findings if f.rule_id == "AML-OFFLINE-CAP")
    assert finding.status == Status.unknown
    assert finding.missing == ["design.offline_limit", "jurisdiction.exchange_rate_per_usd"]


def test_assess_formats_and_fail_on(make_ws) -> None:
    root = str(make_ws())
    table = run("assess", "XX", "--design", "coin", "-w", root)
    assert table.exit_code == 0
    assert "[    GAP] high   AML-OFFLINE-CAP: Offline payments are capped" in table.output
    data = json.loads(run("assess", "XX", "-d", "coin", "--format", "json", "-w", root).output)
    assert {f["rule_id"]: f["status"] for f in data["findings"]} == {"AML-OFFLINE-CAP": "gap", "INCL-USSD": "gap"}
    assert data["ruleset_version"] == "9.9.9"
    md = run("assess", "XX", "-d", "coin", "--format", "markdown", "-w", root).output
    assert md.startswith("# Testland — Testcoin\n")
    assert run("assess", "XX", "-d", "coin", "--fail-on", "gap", "-w", root).exit_code == 1
    assert run("assess", "XX", "-d", "coin", "--fail-on", "unknown", "-w", root).exit_code == 0


def test_names_that_do_not_exist_exit_2_with_a_suggestion(make_ws) -> None:
    root = str(make_ws())
    result = run("assess", "XY", "-d", "coin", "-w", root)
    assert result.exit_code == 2
    assert result.output.strip() == "error: no jurisdiction 'XY'; known: XX"
    result = run("explain", "AML-OFFLINE-CAPP", "XX", "-d", "coin", "-w", root)
    assert result.exit_code == 2
    assert "did you mean AML-OFFLINE-CAP?" in result.output
    assert "Traceback" not in result.output


def test_rule_examples_run_through_policyengine_test(make_ws) -> None:
    from .conftest import RULE_OFFLINE

    root = make_ws()
    ok = run("test", "-w", str(root))
    assert ok.exit_code == 0
    assert ok.output.strip().endswith("8 passed, 0 failed")
    broken = RULE_OFFLINE.replace("{name: no-offline, facts: {design.offline: none}, expect: not_applicable}",
                                  "{name: no-offline, facts: {design.offline: none}, expect: gap}")
    root = make_ws({"rulesets/rules/aml/AML-OFFLINE-CAP.yaml": broken})
    bad = run("test", "-w", str(root))
    assert bad.exit_code == 1
    assert "rulesets/rules/aml/AML-OFFLINE-CAP.yaml:15: AML-OFFLINE-CAP::no-offline: expected gap, got not_applicable" in bad.output
    assert "    [false] design.offline in [limited, full]  <- design.offline = none (source: example)" in bad.output
    assert bad.output.strip().endswith("7 passed, 1 failed")


def test_committed_schemas_are_current(shipped) -> None:
    from policyengine.schemas import check_schemas

    stale = check_schemas(shipped / "schemas")
    assert stale == [], f"regenerate with: policyengine schema --out schemas ({stale})"


def test_environment_variable_points_at_the_workspace(make_ws, monkeypatch) -> None:
    monkeypatch.setenv("POLICYENGINE_WORKSPACE", str(make_ws()))
    assert run("assess", "XX", "-d", "coin").exit_code == 0


def test_the_closing_change_is_confirmed_as_durable_rules_would(shipped_ws) -> None:
    """The confirmation re-evaluates with the reference evaluator; on every gap of the shipped
    designs, durable-rules given the same change reaches the same status."""
    from policyengine.explain import apply_changes

    ruleset = api.compile_ruleset(shipped_ws, include_drafts=True)
    checked = confirmed = 0
    for pair in api.shipped_pairs(shipped_ws):
        _, _, table = api.fact_table(shipped_ws, pair.jurisdiction_id, pair.design_id)
        for finding in api.assess(pair.jurisdiction_id, pair.design_id, shipped_ws).by_status(Status.gap):
            exp = api.explain(finding.rule_id, pair.jurisdiction_id, pair.design_id, shipped_ws)
            if not exp.closing_change:
                continue
            changed = apply_changes(table, {c.path: c.value for c in exp.closing_change})
            statuses, _ = ruleset.run_engine(changed)
            assert exp.closing_change_confirmed == (statuses.get(finding.rule_id) == Status.met), finding.rule_id
            checked += 1
            confirmed += bool(exp.closing_change_confirmed)
    assert checked > 20 and confirmed > 10
