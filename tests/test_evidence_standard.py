"""The evidence standard (ADR 0005): source kinds, rules that require a kind, press, pending
facts and stale operational statuses, on a small workspace and on the shipped content."""

from __future__ import annotations

import datetime as dt

from policyengine import api
from policyengine.models.rule import Status
from tests.conftest import DESIGN, PROFILE, RULE_USSD

SOURCES = """\
  - {id: xx-cb, title: Central bank rates, publisher: Testland Central Bank, year: 2025, evidence: official}
  - {id: xx-findex, title: Findex, publisher: World Bank, year: 2022, evidence: international}
  - {id: xx-news, title: Daily news, publisher: Testland Times, year: 2025, evidence: press}
  - {id: xx-act, title: Digital Currency Act, publisher: Parliament of Testland, year: 2024, evidence: law}
"""

PROFILE_WITH_TENDER = PROFILE.split("sources:")[0] + """\
legal:
  cbdc_legal_tender: {value: true, source: {ref: xx-cb, locator: FAQ}, as_of: "2024"}
sources:
""" + SOURCES

RULE_TENDER = """\
id: AML-TENDER-IN-LAW
title: Legal tender in law
principle: AML-1
severity: medium
applies_if: "design.kind == retail_cbdc"
requires: "jurisdiction.legal.cbdc_legal_tender == true"
evidence: {jurisdiction.legal.cbdc_legal_tender: [law]}
finding: Not in law.
met: In law.
recommendation: Legislate.
rationale: test
citations: [{ref: fatf-recs, section: R.1}]
examples:
  - {name: yes, facts: {design.kind: retail_cbdc, jurisdiction.legal.cbdc_legal_tender: true}, expect: met}
  - {name: no, facts: {design.kind: retail_cbdc, jurisdiction.legal.cbdc_legal_tender: false}, expect: gap}
"""


def _finding(root, rule_id):
    a = api.assess("XX", "coin", root)
    return next(f for f in a.findings if f.rule_id == rule_id), a


def test_a_bibliography_entry_without_evidence_kind_is_an_error(make_ws) -> None:
    profile = PROFILE.replace(", evidence: international}", "}")
    problems = api.validate(make_ws({"jurisdictions/XX/profile.yaml": profile}), lint=False)
    errors = [p for p in problems if p.level == "error"]
    assert len(errors) == 1
    assert errors[0].file == "jurisdictions/XX/profile.yaml" and errors[0].field == "sources.1"
    assert "evidence" in errors[0].message


def test_a_fact_below_the_required_kind_cannot_make_the_rule_met(make_ws) -> None:
    root = make_ws({"jurisdictions/XX/profile.yaml": PROFILE_WITH_TENDER,
                    "rulesets/rules/aml/AML-TENDER-IN-LAW.yaml": RULE_TENDER})
    finding, _ = _finding(root, "AML-TENDER-IN-LAW")
    assert finding.status == Status.unknown
    assert finding.below_standard == ["jurisdiction.legal.cbdc_legal_tender"]
    assert "jurisdiction.legal.cbdc_legal_tender" in finding.missing
    ev = next(e for e in finding.evidence if e.path == "jurisdiction.legal.cbdc_legal_tender")
    assert ev.evidence_kind == "official"
    assert any(f.startswith("below the evidence standard") and "law" in f for f in ev.flags)
    warnings = [p for p in api.validate(root) if "AML-TENDER-IN-LAW accepts only law" in p.message]
    assert len(warnings) == 1 and warnings[0].line == 9


def test_the_same_fact_on_a_law_is_met(make_ws) -> None:
    profile = PROFILE_WITH_TENDER.replace("{ref: xx-cb, locator: FAQ}", "{ref: xx-act, locator: s.3}")
    root = make_ws({"jurisdictions/XX/profile.yaml": profile,
                    "rulesets/rules/aml/AML-TENDER-IN-LAW.yaml": RULE_TENDER})
    finding, _ = _finding(root, "AML-TENDER-IN-LAW")
    assert finding.status == Status.met and finding.below_standard == []
    assert not any("accepts only" in p.message for p in api.validate(root))


def test_an_evidence_requirement_on_an_unknown_path_is_an_error(make_ws) -> None:
    rule = RULE_TENDER.replace("{jurisdiction.legal.cbdc_legal_tender: [law]}", "{jurisdiction.legal.tender: [law]}")
    problems = api.validate(make_ws({"rulesets/rules/aml/AML-TENDER-IN-LAW.yaml": rule}), lint=False)
    assert [p.field for p in problems if p.level == "error"] == ["evidence"]


def test_press_facts_are_flagged_and_listed_once_per_document(make_ws) -> None:
    profile = PROFILE.split("sources:")[0].replace("{ref: xx-findex, locator: table 1}", "xx-news") + "sources:\n" + SOURCES
    root = make_ws({"jurisdictions/XX/profile.yaml": profile})
    finding, _ = _finding(root, "INCL-USSD")
    ev = next(e for e in finding.evidence if e.path == "jurisdiction.inclusion.account_ownership_pct")
    assert ev.flags == ["press report"]
    press = [p for p in api.validate(root) if "press or secondary" in p.message]
    assert len(press) == 1 and "inclusion.account_ownership_pct" in press[0].message


def test_a_pending_fact_is_decided_shown_and_counted_separately(make_ws) -> None:
    profile = PROFILE_WITH_TENDER.replace(
        'cbdc_legal_tender: {value: true, source: {ref: xx-cb, locator: FAQ}, as_of: "2024"}',
        'cbdc_legal_tender: {value: false, state: pending, source: xx-news, as_of: "2026",'
        ' note: "Bill before parliament since March 2026. Second reading due."}')
    root = make_ws({"jurisdictions/XX/profile.yaml": profile,
                    "rulesets/rules/aml/AML-TENDER-IN-LAW.yaml": RULE_TENDER})
    finding, a = _finding(root, "AML-TENDER-IN-LAW")
    assert finding.status == Status.gap
    assert finding.pending == ["jurisdiction.legal.cbdc_legal_tender"]
    ev = next(e for e in finding.evidence if e.path == "jurisdiction.legal.cbdc_legal_tender")
    assert "pending: Bill before parliament since March 2026" in ev.flags
    aml = next(s for s in a.summary if s.area.value == "aml")
    assert aml.pending == 1 and aml.gap >= 1


def test_a_pending_fact_without_a_note_is_warned(make_ws) -> None:
    profile = PROFILE_WITH_TENDER.replace(
        'cbdc_legal_tender: {value: true, source: {ref: xx-cb, locator: FAQ}, as_of: "2024"}',
        'cbdc_legal_tender: {value: false, state: pending, source: xx-act}')
    problems = api.validate(make_ws({"jurisdictions/XX/profile.yaml": profile}))
    assert any("needs a note saying what is pending" in p.message for p in problems)


def test_an_operational_status_goes_stale_after_a_year(make_ws) -> None:
    old = DESIGN.replace("channels: {value: [smartphone_app], source: xx-cb}",
                         'channels: {value: [smartphone_app], source: xx-cb, as_of: "2022-05-01"}')
    root = make_ws({"jurisdictions/XX/designs/coin.yaml": old, "rulesets/rules/inclusion/INCL-USSD.yaml": RULE_USSD})
    finding, _ = _finding(root, "INCL-USSD")
    ev = next(e for e in finding.evidence if e.path == "design.channels")
    assert ev.flags == ["stale: operational status as of 2022-05-01, not re-checked since"]
    stale = [p for p in api.validate(root, today=dt.date(2026, 11, 30))
             if "operational status" in p.message and p.field == "channels"]
    assert len(stale) == 1 and "dated 2022-05-01" in stale[0].message
    fresh = old.replace('as_of: "2022-05-01"}', 'as_of: "2022-05-01", checked: "2026-10-01"}')
    root = make_ws({"jurisdictions/XX/designs/coin.yaml": fresh})
    assert not [p for p in api.validate(root, today=dt.date(2026, 11, 30))
                if "operational status" in p.message and p.field == "channels"]


def test_shipped_nigeria_legal_tender_rests_on_no_law_and_kenya_decided_not_to_issue(shipped) -> None:
    a = api.assess("NG", "enaira", shipped)
    tender = next(f for f in a.findings if f.rule_id == "GOV-LEGAL-TENDER-IN-LAW")
    # the statute (CBN Act s. 20: notes and coins) decides it; the issuer's FAQ claim is kept as a conflict
    assert tender.status == Status.gap and not tender.below_standard
    fact = next(e for e in tender.evidence if e.path == "jurisdiction.legal.cbdc_legal_tender")
    assert fact.source == "ng-cbn-act-2007"
    ws_tender = api.workspace(shipped).profiles["NG"].legal.cbdc_legal_tender
    assert ws_tender is not None and [c.value for c in ws_tender.conflicts] == [True]
    evaluation = next(f for f in a.findings if f.rule_id == "GOV-EVALUATION-PUBLISHED")
    assert evaluation.status == Status.unknown  # an IMF staff working paper is not the issuer's evaluation
    ws = api.workspace(shipped)
    assert ws.profiles["KE"].cbdc_status is not None
    assert ws.profiles["KE"].cbdc_status.value.value == "decided_not_to_issue"
    entries = list(ws.bibliography.values()) + [s for p in ws.profiles.values() for s in p.sources]
    assert entries and all(e.evidence is not None for e in entries)


def test_shipped_euro_area_legal_basis_is_a_pending_gap(shipped) -> None:
    a = api.assess("EA", "digital-euro", shipped)
    basis = next(f for f in a.findings if f.rule_id == "GOV-LEGAL-BASIS")
    assert basis.status == Status.gap and basis.pending == ["jurisdiction.legal.cbdc_legal_basis"]
    ev = next(e for e in basis.evidence if e.path == "jurisdiction.legal.cbdc_legal_basis")
    assert ev.state == "pending" and ev.flags[-1].startswith("pending: Legislation before the co-legislators")


def test_explain_agrees_with_the_assessment_on_weak_evidence(make_ws) -> None:
    root = make_ws({"jurisdictions/XX/profile.yaml": PROFILE_WITH_TENDER,
                    "rulesets/rules/aml/AML-TENDER-IN-LAW.yaml": RULE_TENDER})
    why = api.explain("AML-TENDER-IN-LAW", "XX", "coin", root)
    assert why.status == Status.unknown and "jurisdiction.legal.cbdc_legal_tender" in why.missing


def test_explaining_a_retired_duplicate_explains_its_successor(shipped) -> None:
    why = api.explain("INCL-EMONEY-ISSUER-REGULATED", "NG", "enaira", shipped)
    assert why.rule_id == "AML-E-MONEY-ISSUER-REGULATED"
