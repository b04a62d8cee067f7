"""Lint warnings: valid but probably wrong content, reported as warnings with file and line."""

from __future__ import annotations

import datetime as dt

from policyengine import api
from policyengine.authoring.lint import DEFAULT_MAX_AGE_YEARS, lint
from policyengine.load import load_workspace
from tests.test_authoring_common import OFFLINE_RULE, copy_shipped, errors, write

TODAY = dt.date(2026, 6, 30)

PROFILE = """\
id: XQ
name: Testland
region: africa
currency: XQD
exchange_rate_per_usd: {value: 10, source: xq-cb, as_of: "2025-01-31"}
inclusion:
  account_ownership_pct: {value: 40, source: xq-cb, as_of: "2014"}
  mobile_phone_ownership_pct: {value: 80, source: xq-cb, as_of: "2022-07"}
sources:
  - {id: xq-cb, title: Central bank statistics, publisher: Testland Central Bank, year: 2025, evidence: official}
"""

DESIGN = """\
id: coin
name: Testcoin
jurisdiction: XQ
kind: retail_cbdc
issuer: central_bank
status: pilot
holding_limit: {value: {amount: 1000, currency: EUR}, source: xq-cb, as_of: "2025"}
offline_limit: {value: {amount: 200, currency: XQD}, source: xq-cb, as_of: "2025"}
kyc_tiers:
  value:
    - {id: basic, identity: phone_number, balance_limit: {amount: 50, currency: USD}}
    - {id: full, identity: full_cdd, balance_limit: {amount: 9000, currency: GBP}}
  source: xq-cb
  as_of: "2025"
"""


def _ws(tmp_path, rule: str | None = None):
    ws = copy_shipped(tmp_path / "ws")
    write(ws, "jurisdictions/XQ/profile.yaml", PROFILE)
    write(ws, "jurisdictions/XQ/designs/coin.yaml", DESIGN)
    if rule:
        write(ws, "rulesets/rules/aml/AML-OFFLINE-FULL.yaml", rule)
    assert errors(api.validate(ws)) == []
    return load_workspace(ws)


def _mine(problems, needle: str):
    return [p for p in problems if needle in p.file]


def test_every_lint_problem_is_a_warning_with_a_line(tmp_path):
    problems = lint(_ws(tmp_path, OFFLINE_RULE.replace('section: "R.15"', "note: no section")), today=TODAY)
    assert problems and {p.level for p in problems} == {"warning"}
    assert all(p.line >= 1 and p.file for p in problems)
    assert problems == sorted(problems)


def test_stale_facts_by_configurable_age(tmp_path):
    ws = _ws(tmp_path)
    default = _mine(lint(ws, today=TODAY), "XQ/profile.yaml")
    assert DEFAULT_MAX_AGE_YEARS == 5
    assert [(p.field, p.line) for p in default] == [("inclusion.account_ownership_pct", 7)]
    assert "2014" in default[0].message and "12 years ago" in default[0].message
    stricter = _mine(lint(ws, max_age_years=2, today=TODAY), "XQ/profile.yaml")
    assert [p.field for p in stricter] == ["inclusion.account_ownership_pct", "inclusion.mobile_phone_ownership_pct"]
    assert _mine(lint(ws, max_age_years=50, today=TODAY), "XQ/profile.yaml") == []


def test_citation_without_section(tmp_path):
    rule = OFFLINE_RULE.replace('  - {ref: fatf-recs-2025, section: "R.15"}',
                                '  - {ref: fatf-recs-2025, section: "R.15"}\n  - {ref: fatf-recs-2012}')
    found = _mine(lint(_ws(tmp_path, rule), today=TODAY), "AML-OFFLINE-FULL")
    assert [(p.field, p.line) for p in found] == [("citations", 14)]
    assert "fatf-recs-2012" in found[0].message and "no section" in found[0].message


def test_high_severity_without_a_real_recommendation(tmp_path):
    rule = OFFLINE_RULE.replace("recommendation: Limit offline use.", "recommendation: \"TODO: what to do\"")
    found = _mine(lint(_ws(tmp_path, rule), today=TODAY), "AML-OFFLINE-FULL")
    assert any(p.field == "recommendation" and "high-severity" in p.message for p in found)
    medium = rule.replace("severity: high", "severity: medium")
    found = _mine(lint(_ws(tmp_path / "m", medium), today=TODAY), "AML-OFFLINE-FULL")
    assert not any("high-severity" in p.message for p in found)
    assert any("placeholder" in p.message for p in found)  # the TODO is still pointed out


def test_amounts_in_a_third_currency_cannot_be_converted(tmp_path):
    found = [p for p in _mine(lint(_ws(tmp_path), today=TODAY), "XQ/designs/coin.yaml") if "cannot be converted" in p.message]
    # EUR holding limit and GBP tier; the XQD and USD amounts are fine
    assert [(p.field, p.line) for p in found] == [("holding_limit.value", 7), ("kyc_tiers.value.1.balance_limit", 12)]
    assert "EUR" in found[0].message and "XQD" in found[0].message


def test_shipped_content_lints_without_crashing():
    ws = load_workspace(None)
    assert all(p.level == "warning" for p in lint(ws))
