"""Presence of a limit (issue 10): recorded with an amount, recorded as none, or not recorded.

``exists`` is true, false or unknown for the three; ``missing`` is its negation; a limit recorded
as none compares as an amount above every amount. The Kleene evaluator and durable-rules must
agree on every operator, and every place a fact is shown says "no limit".
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from policyengine import api
from policyengine.engine import CompiledRuleset
from policyengine.engine.logic import evaluate
from policyengine.facts import display_value, example_value_problem, from_example
from policyengine.load import shipped_root
from policyengine.models import Rule, Status
from policyengine.models.condition import Compare, ForAll, Op
from policyengine.models.semantics import UNLIMITED, amount, decide
from policyengine.paths import base_catalogue, leaf_info

PRESENT, NONE, ABSENT = 500, "none", None


def _facts(holding: Any) -> dict[str, Any]:
    return {} if holding is None else {"design.holding_limit": holding}


def _rule(rid: str, cond: Any) -> Rule:
    return Rule.model_validate({"id": rid, "title": "t", "principle": "AML-1", "severity": "high", "finding": "f",
                                "recommendation": "r", "rationale": "x", "citations": [{"ref": "a"}],
                                "requires": cond})


@pytest.mark.parametrize(("holding", "exists"), [(PRESENT, True), (NONE, False), (ABSENT, None)])
def test_exists_is_true_false_or_unknown_and_missing_is_its_negation(holding: Any, exists: bool | None) -> None:
    table = from_example(_facts(holding))
    got = evaluate(Compare(path="design.holding_limit", op=Op.exists), table, {}).value
    negated = evaluate(Compare(path="design.holding_limit", op=Op.missing), table, {}).value
    assert got is exists
    assert negated is (None if exists is None else not exists)


def test_a_limit_not_recorded_is_named_as_the_missing_fact() -> None:
    trace = evaluate(Compare(path="design.holding_limit", op=Op.exists), from_example({}), {})
    assert trace.value is None
    assert trace.missing() == ["design.holding_limit"]


@pytest.mark.parametrize("op", [Op.lt, Op.le, Op.gt, Op.ge, Op.eq, Op.ne, Op.in_, Op.not_in])
def test_none_compares_as_above_every_amount(op: Op) -> None:
    value: Any = [500, 1000] if op in (Op.in_, Op.not_in) else 1000
    expected = {Op.lt: False, Op.le: False, Op.gt: True, Op.ge: True, Op.eq: False, Op.ne: True,
                Op.in_: False, Op.not_in: True}[op]
    assert decide(op, UNLIMITED, value) is expected
    assert evaluate(Compare(path="design.holding_limit", op=op, value=value), from_example(_facts(NONE)), {}).value \
        is expected


def test_the_engine_and_the_reference_agree_on_every_operator_and_presence() -> None:
    """durable-rules holds none as a number above every amount: each operator must decide on it
    (and on an amount, and on nothing recorded) exactly as models.semantics does."""
    conditions: list[Any] = []
    for op in Op:
        if op in (Op.contains, Op.not_contains):
            continue
        value: Any = None if op in (Op.exists, Op.missing) else ([500, 3000] if op in (Op.in_, Op.not_in) else 3000)
        conditions.append(Compare(path="design.holding_limit", op=op, value=value))
        conditions.append(ForAll.model_validate({"for_all": "design.kyc_tiers",
                                                 "where": Compare(path="item.balance_limit", op=op, value=value)}))
    rules = [_rule(f"AML-P{i}", c) for i, c in enumerate(conditions)]
    compiled = CompiledRuleset(rules, {}, {})
    seen: set[Status] = set()
    for holding in (PRESENT, 5000, NONE, ABSENT):
        for tier_limit in (PRESENT, 5000, NONE, ABSENT):
            tier: dict[str, Any] = {"id": "t"} if tier_limit is None else {"id": "t", "balance_limit": tier_limit}
            table = from_example({**_facts(holding), "design.kyc_tiers": [tier]})
            fired, _ = compiled.run_engine(table)
            engine = {r.id: fired.get(r.id, Status.unknown) for r in compiled.rules}
            reference = compiled.evaluate_python(table)
            assert engine == reference, (holding, tier_limit)
            seen |= set(reference.values())
    assert seen == {Status.met, Status.gap, Status.unknown}


def test_none_is_shown_as_no_limit_and_accepted_only_where_a_limit_can_be_none() -> None:
    assert display_value(UNLIMITED) == "no limit"
    assert from_example(_facts(NONE)).get("design.holding_limit").display == "no limit"  # type: ignore[union-attr]
    assert amount(UNLIMITED) > 1e300
    assert example_value_problem("design.holding_limit", "none") is None
    assert example_value_problem("design.kyc_tiers", [{"id": "t", "daily_limit": "none"}]) is None
    assert base_catalogue()["design.holding_limit"].unlimited
    assert leaf_info("design.kyc_tiers.3.monthly_limit").unlimited  # type: ignore[union-attr]
    assert not base_catalogue()["design.legal_tender"].unlimited


def _ng_copy(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    shutil.copytree(shipped_root() / "jurisdictions" / "NG", ws / "jurisdictions" / "NG")
    return ws


def test_a_tier_without_a_recorded_balance_limit_is_unknown_not_a_gap(tmp_path: Path) -> None:
    ws = _ng_copy(tmp_path)
    design = ws / "jurisdictions" / "NG" / "designs" / "enaira.yaml"
    text = design.read_text(encoding="utf-8")
    cap = "      balance_limit: {amount: 120000, currency: NGN}\n"  # tier 0, the first in the file
    assert cap in text
    design.write_text(text.replace(cap, "", 1), encoding="utf-8")
    finding = next(f for f in api.assess("NG", "enaira", ws).findings if f.rule_id == "AML-LIGHT-TIER-BALANCE-CAP")
    assert finding.status == Status.unknown
    assert "design.kyc_tiers.0.balance_limit" in finding.missing

    design.write_text(text.replace(cap, "      balance_limit: none\n", 1), encoding="utf-8")
    assessment = api.assess("NG", "enaira", ws)
    finding = next(f for f in assessment.findings if f.rule_id == "AML-LIGHT-TIER-BALANCE-CAP")
    assert finding.status == Status.gap  # a source says the tier has no cap: now a real gap
    shown = {e.path: e.display for e in finding.evidence}
    assert shown["design.kyc_tiers.0.balance_limit"] == "no limit"


def test_a_questionnaire_answer_none_is_imported_and_read_back(tmp_path: Path) -> None:
    ws = _ng_copy(tmp_path)
    design = ws / "jurisdictions" / "NG" / "designs" / "enaira.yaml"
    cap = "      balance_limit: {amount: 5000000, currency: NGN}\n"  # tier 3: then the holding limit decides
    assert cap in design.read_text(encoding="utf-8")
    design.write_text(design.read_text(encoding="utf-8").replace(cap, "", 1), encoding="utf-8")
    q = api.questionnaire("NG", "enaira", ws)
    question = next(x for x in q.questions() if x.id == "design.holding_limit")
    assert question.none_allowed
    assert "none" in question.allowed_text
    form = tmp_path / "answers.yaml"
    form.write_text(
        "questionnaire: 1\njurisdiction: NG\ndesign: enaira\ncountry_team: CBN eNaira\nquestions:\n"
        f"  - id: {question.id}\n    answer: None\n    source: declared\n    as_of: \"2026-11-30\"\n",
        encoding="utf-8")
    result = api.import_answers(form, ws)
    assert [(f.path, f.value, f.changed) for f in result.facts] == [(question.id, "none", True)]
    text = (ws / "jurisdictions" / "NG" / "designs" / "enaira.yaml").read_text(encoding="utf-8")
    assert "value: none" in text
    _, _, table = api.fact_table(api.workspace(ws), "NG", "enaira")
    fact = table.get(question.id)
    assert fact is not None and fact.value == UNLIMITED and fact.display == "no limit"


def test_an_answer_that_is_neither_an_amount_nor_none_is_refused() -> None:
    from policyengine.questionnaire.answers import parse_value

    assert parse_value("design.holding_limit", "no limit", "NGN") == ("none", None)
    assert parse_value("design.holding_limit", "1,000", "NGN") == ({"amount": 1000, "currency": "NGN"}, None)
    value, problem = parse_value("design.holding_limit", "lots", "NGN")
    assert value is None and problem is not None and "none" in problem


def test_validate_warns_that_exists_on_a_fact_that_cannot_be_none_is_never_false(tmp_path: Path) -> None:
    ws = _ng_copy(tmp_path)
    shutil.copytree(shipped_root() / "rulesets", ws / "rulesets")  # a workspace's rulesets/ replaces the shipped one
    rules = ws / "rulesets" / "rules" / "aml"
    (rules / "AML-LEGAL-TENDER-RECORDED.yaml").write_text(
        "id: AML-LEGAL-TENDER-RECORDED\ntitle: t\nprinciple: AML-1\nseverity: low\n"
        "requires: \"design.legal_tender exists\"\nfinding: f\nmet: m\nrecommendation: r\nrationale: x\n"
        "citations:\n  - {ref: fatf-recs-2025}\n", encoding="utf-8")
    problems = api.validate(ws)
    warned = [p for p in problems if "can never be false" in p.message]
    assert len(warned) == 1
    assert "AML-LEGAL-TENDER-RECORDED" in warned[0].message and warned[0].level == "warning"
    assert str(warned[0]).startswith("rulesets/rules/aml/AML-LEGAL-TENDER-RECORDED.yaml:5: requires: warning:")
    assert not any("can never be" in p.message for p in api.validate(None))  # the shipped rules need none


def test_the_what_if_editor_records_and_shows_none() -> None:
    from policyengine.web.whatif import apply_choices, choices_of, parse_choices

    ws = api.workspace(None)
    design = api.find_design(ws, "NG", "enaira")
    choices = parse_choices({**choices_of(design).model_dump(mode="json"), "holding_limit": "none"})
    edited = apply_choices(design, choices, "NGN")
    assert edited.holding_limit is not None and edited.holding_limit.value == "none"
    assert choices_of(edited).holding_limit == "none"
    _, _, table = api.fact_table(ws, "NG", "enaira")
    assert table.get("design.holding_limit") is None  # the recorded design is untouched


def test_a_limit_that_is_neither_an_amount_nor_none_is_refused_in_one_line(tmp_path: Path) -> None:
    ws = _ng_copy(tmp_path)
    design = ws / "jurisdictions" / "NG" / "designs" / "enaira.yaml"
    design.write_text(design.read_text(encoding="utf-8").replace(
        "balance_limit: {amount: 120000, currency: NGN}", "balance_limit: lots", 1), encoding="utf-8")
    errors = [str(p) for p in api.validate(ws) if p.level == "error"]
    assert errors == ["jurisdictions/NG/designs/enaira.yaml:43: kyc_tiers.value.0.balance_limit: Input should be an "
                      "amount {amount, currency}, or none (the source says there is no such limit) (found 'lots')"]
