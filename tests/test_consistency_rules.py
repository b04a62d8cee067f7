"""Consistency checks between rules: duplicates, folder/area, contradictory requirements."""

from __future__ import annotations

from policyengine import api
from policyengine.consistency import clash
from policyengine.models.condition import Compare, Op
from tests.conftest import RULE_USSD


def _problems(make_ws, files: dict[str, str]) -> list:
    return api.validate(make_ws(files), lint=False)


def test_a_duplicate_rule_is_an_error_naming_the_other(make_ws) -> None:
    twin = RULE_USSD.replace("id: INCL-USSD", "id: INCL-USSD-TWIN")
    problems = _problems(make_ws, {"rulesets/rules/inclusion/INCL-USSD-TWIN.yaml": twin})
    errors = [p for p in problems if p.level == "error"]
    assert len(errors) == 1
    assert errors[0].file == "rulesets/rules/inclusion/INCL-USSD-TWIN.yaml" and "INCL-USSD" in errors[0].message


def test_retiring_the_duplicate_with_an_alias_resolves_it(make_ws) -> None:
    twin = RULE_USSD.replace("id: INCL-USSD", "id: INCL-USSD-TWIN").replace("severity: medium", "status: deprecated\nseverity: medium")
    keeper = RULE_USSD.replace("severity: medium", "aliases: [INCL-USSD-TWIN]\nseverity: medium")
    problems = _problems(make_ws, {"rulesets/rules/inclusion/INCL-USSD-TWIN.yaml": twin,
                                   "rulesets/rules/inclusion/INCL-USSD.yaml": keeper})
    assert [p for p in problems if p.level == "error"] == []


def test_same_requirement_other_severity_is_a_warning(make_ws) -> None:
    twin = RULE_USSD.replace("id: INCL-USSD", "id: INCL-USSD-HIGH").replace("severity: medium", "severity: high")
    problems = _problems(make_ws, {"rulesets/rules/inclusion/INCL-USSD-HIGH.yaml": twin})
    assert [p.level for p in problems] == ["warning"] and "severity" in problems[0].message


def test_a_rule_in_another_areas_folder_is_an_error(make_ws) -> None:
    problems = _problems(make_ws, {"rulesets/rules/inclusion/INCL-USSD.yaml": None,
                                   "rulesets/rules/aml/INCL-USSD.yaml": RULE_USSD})
    (error,) = [p for p in problems if p.level == "error"]
    assert error.file == "rulesets/rules/aml/INCL-USSD.yaml" and "move it to rules/inclusion/" in error.message


RIVAL = """\
id: INCL-NO-USSD
title: No USSD where accounts are few
principle: INCL-1
severity: low
applies_if: "derived.low_accounts == true"
requires: "design.channels not contains feature_phone_ussd"
finding: USSD offered.
recommendation: Drop USSD.
rationale: test
citations: [{ref: pafi, section: GP5}]
examples:
  - {name: app-only, facts: {jurisdiction.inclusion.account_ownership_pct: 40, design.channels: [smartphone_app]}, expect: met}
  - {name: ussd, facts: {jurisdiction.inclusion.account_ownership_pct: 40, design.channels: [feature_phone_ussd]}, expect: gap}
"""


def test_contradictory_requirements_with_overlapping_scope_are_warned(make_ws) -> None:
    problems = _problems(make_ws, {"rulesets/rules/inclusion/INCL-NO-USSD.yaml": RIVAL})
    assert [p for p in problems if p.level == "error"] == []
    warnings = [p for p in problems if "cannot both be met" in p.message]
    assert len(warnings) == 1 and "INCL-NO-USSD" in warnings[0].message and "INCL-USSD " in warnings[0].message


def test_disjoint_scopes_are_not_a_contradiction(make_ws) -> None:
    rival = RIVAL.replace('applies_if: "derived.low_accounts == true"', 'applies_if: "derived.low_accounts == false"')
    problems = _problems(make_ws, {"rulesets/rules/inclusion/INCL-NO-USSD.yaml": rival})
    assert [p for p in problems if p.level == "error"] == []  # so the consistency checks ran
    assert not [p for p in problems if "cannot both be met" in p.message]


def test_clash_judges_values_not_just_operators() -> None:
    params = {"cap": 100.0}
    assert clash(Compare(path="a", op=Op.eq, value=1), Compare(path="a", op=Op.eq, value=2), params)
    assert not clash(Compare(path="a", op=Op.eq, value=1), Compare(path="a", op=Op.in_, value=[1, 2]), params)
    assert clash(Compare(path="a", op=Op.in_, value=["x"]), Compare(path="a", op=Op.not_in, value=["x", "y"]), params)
    assert clash(Compare(path="a", op=Op.ge, value="$cap"), Compare(path="a", op=Op.lt, value=50), params)
    assert not clash(Compare(path="a", op=Op.le, value="$cap"), Compare(path="a", op=Op.ge, value=50), params)
    assert not clash(Compare(path="a", op=Op.eq, value=1), Compare(path="b", op=Op.eq, value=2), params)


def test_the_shipped_rules_have_no_duplicate_and_no_misplaced_file(shipped) -> None:
    problems = api.validate(shipped, lint=False)
    assert [p for p in problems if p.level == "error"] == []
    ws = api.workspace(shipped)
    assert ws.rules["INCL-EMONEY-ISSUER-REGULATED"].status.value == "deprecated"
    assert "INCL-EMONEY-ISSUER-REGULATED" in ws.rules["AML-E-MONEY-ISSUER-REGULATED"].aliases


# A narrower rule of the same principle with the same requirement: a design in both scopes is judged
# twice on one fact (two gaps under INCL-1 for one missing channel).
NARROW = RULE_USSD.replace("id: INCL-USSD", "id: INCL-USSD-RURAL").replace(
    'applies_if: "derived.low_accounts == true"',
    'applies_if:\n  all: ["derived.low_accounts == true", "jurisdiction.inclusion.internet_use_pct < 50"]')


def test_same_requirement_overlapping_scopes_same_principle_is_warned(make_ws) -> None:
    problems = _problems(make_ws, {"rulesets/rules/inclusion/INCL-USSD-RURAL.yaml": NARROW})
    (warning,) = [p for p in problems if "judged twice" in p.message]
    assert warning.level == "warning" and warning.file == "rulesets/rules/inclusion/INCL-USSD-RURAL.yaml"
    assert "INCL-USSD" in warning.message and "INCL-1" in warning.message


def test_same_requirement_under_another_principle_is_allowed(make_ws) -> None:
    other = NARROW.replace("principle: INCL-1", "principle: AML-1")
    problems = _problems(make_ws, {"rulesets/rules/aml/INCL-USSD-RURAL.yaml": other})
    assert [p for p in problems if p.level == "error"] == []  # the consistency checks ran
    assert not [p for p in problems if "judged twice" in p.message]


def test_a_derivation_in_scope_is_read_through_when_judging_overlap(make_ws) -> None:
    # derived.low_accounts means account_ownership_pct < 60: a rule for >= 60 never meets it.
    other = NARROW.replace('"derived.low_accounts == true", ', '').replace(
        '"jurisdiction.inclusion.internet_use_pct < 50"', '"jurisdiction.inclusion.account_ownership_pct >= 60"')
    problems = _problems(make_ws, {"rulesets/rules/inclusion/INCL-USSD-RURAL.yaml": other})
    assert [p for p in problems if p.level == "error"] == []
    assert not [p for p in problems if "judged twice" in p.message]


def test_the_shipped_stablecoin_rules_judge_each_fact_once_per_principle(shipped) -> None:
    problems = api.validate(shipped, lint=False)
    twice = [p for p in problems if "judged twice" in p.message]
    assert not [p for p in twice if "STABLECOIN" in p.message or "GOV-SC" in p.file]
    ws = api.workspace(shipped)
    assert ws.rules["AML-STABLECOIN-REGIME"].status.value == "deprecated"
    assert "AML-STABLECOIN-REGIME" in ws.rules["GOV-SC-NATIONAL-REGIME"].aliases
    assert "GOV-SC-ISSUER-LICENSED" in ws.rules["AML-STABLECOIN-ISSUER-LICENSED"].aliases
