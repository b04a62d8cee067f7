"""The engine: three-valued outcomes, derivations chained by durable-rules, isolation."""

from __future__ import annotations

import random

import pytest

from policyengine import api
from policyengine.engine import CompiledRuleset
from policyengine.engine.compile import MAX_KEYS, CapacityError
from policyengine.facts import from_example
from policyengine.models import Derivation, Rule, Status


def rule(**fields) -> Rule:
    base = dict(title="t", principle="AML-1", severity="high", finding="f", recommendation="r",
                rationale="x", citations=[{"ref": "a"}])
    return Rule.model_validate({**base, **fields})


RULES = [
    rule(id="AML-ALL", requires={"all": ["design.offline == full", "design.legal_tender == true"]}),
    rule(id="AML-ANY", requires={"any": ["design.offline == full", "design.legal_tender == true"]}),
    rule(id="AML-NOT", requires={"not": "design.offline == full"}),
    rule(id="AML-TIERS", requires={"for_all": "design.kyc_tiers", "where": "item.balance_limit <= 1000"}),
    rule(id="AML-SOME", requires={"for_any": "design.kyc_tiers", "where": {"all": [
        "item.identity in [none, phone_number]", "item.daily_limit < 100"]}}),
    rule(id="AML-GONE", requires="design.holding_limit missing"),
]
DERIVED = {"few": Derivation.model_validate({"id": "few", "title": "t", "rationale": "r", "citations": [{"ref": "a"}],
                                             "when": "jurisdiction.inclusion.account_ownership_pct < 50"}),
           "few_and_offline": Derivation.model_validate({"id": "few_and_offline", "title": "t", "rationale": "r",
                                                         "citations": [{"ref": "a"}],
                                                         "when": {"all": ["derived.few == true", "design.offline != none"]}})}
CHAINED = rule(id="AML-CHAIN", applies_if="derived.few_and_offline == true", requires="design.offline_limit exists")


@pytest.fixture(scope="module")
def compiled() -> CompiledRuleset:
    return CompiledRuleset(RULES + [CHAINED], DERIVED, {})


@pytest.mark.parametrize("facts, expected", [
    ({"design.offline": "full", "design.legal_tender": True}, {"AML-ALL": "met", "AML-ANY": "met", "AML-NOT": "gap"}),
    ({"design.offline": "none"}, {"AML-ALL": "gap", "AML-ANY": "unknown", "AML-NOT": "met"}),
    ({"design.offline": "full"}, {"AML-ALL": "unknown", "AML-ANY": "met", "AML-NOT": "gap"}),
    ({}, {"AML-ALL": "unknown", "AML-ANY": "unknown", "AML-NOT": "unknown", "AML-TIERS": "unknown", "AML-GONE": "unknown"}),
    ({"design.holding_limit": "none"}, {"AML-GONE": "met"}),  # recorded as none: no holding limit
    ({"design.kyc_tiers": [{"id": "a", "balance_limit": 500}, {"id": "b", "balance_limit": "none"}]}, {"AML-TIERS": "gap"}),
    ({"design.kyc_tiers": [{"id": "a", "balance_limit": 500}, {"id": "b", "balance_limit": 900}]},
     {"AML-TIERS": "met", "AML-SOME": "unknown"}),
    ({"design.kyc_tiers": [{"id": "a", "balance_limit": 500}, {"id": "b", "balance_limit": 9000}]}, {"AML-TIERS": "gap"}),
    ({"design.kyc_tiers": [{"id": "a", "balance_limit": 500}, {"id": "b"}]}, {"AML-TIERS": "unknown"}),
    ({"design.kyc_tiers": [{"id": "a", "identity": "full_cdd"}, {"id": "b", "identity": "none", "daily_limit": 50}]},
     {"AML-SOME": "met"}),
    ({"design.kyc_tiers": [{"id": "a", "identity": "full_cdd"}, {"id": "b", "identity": "verified_id"}]},
     {"AML-SOME": "gap"}),
    ({"design.kyc_tiers": []}, {"AML-TIERS": "met", "AML-SOME": "gap"}),
    ({"design.holding_limit": 3000}, {"AML-GONE": "gap"}),
])
def test_three_valued_outcomes_from_the_engine(compiled, facts, expected) -> None:
    statuses, _ = compiled.run_engine(from_example(facts))
    got = {rid: statuses.get(rid, Status.unknown).value for rid in expected}
    assert got == expected
    # the plain-Python trace agrees with the engine on every rule
    assert compiled.evaluate_python(from_example(facts)) == {r.id: statuses.get(r.id, Status.unknown) for r in compiled.rules}


def test_derivations_chain_inside_the_engine(compiled) -> None:
    table = from_example({"jurisdiction.inclusion.account_ownership_pct": 30, "design.offline": "limited",
                          "design.offline_limit": "none"})
    statuses, derived = compiled.run_engine(table)
    assert derived == {"few": True, "few_and_offline": True}
    assert statuses["AML-CHAIN"] == Status.gap
    table = from_example({"jurisdiction.inclusion.account_ownership_pct": 80, "design.offline": "limited"})
    statuses, derived = compiled.run_engine(table)
    assert derived == {"few": False, "few_and_offline": False}
    assert statuses["AML-CHAIN"] == Status.not_applicable


def test_unknown_names_the_missing_facts_through_derivations(compiled) -> None:
    a = compiled.assess(from_example({"design.offline": "limited"}), jurisdiction=("X", "X"), design=("d", "d"))
    chain = next(f for f in a.findings if f.rule_id == "AML-CHAIN")
    assert chain.status == Status.unknown
    assert chain.missing == ["derived.few_and_offline", "derived.few", "jurisdiction.inclusion.account_ownership_pct"]
    assert a.derived == {"few": None, "few_and_offline": None}


def test_assessments_are_isolated_in_any_order(shipped) -> None:
    ws = api.workspace(shipped)
    pairs = api.shipped_pairs(ws)
    assert len(pairs) >= 10
    first = {(p.jurisdiction_id, p.design_id): api.assess(p.jurisdiction_id, p.design_id, ws).model_dump_json() for p in pairs}
    shuffled = list(pairs) * 2
    random.Random(7).shuffle(shuffled)
    for p in shuffled:
        assert api.assess(p.jurisdiction_id, p.design_id, ws).model_dump_json() == first[(p.jurisdiction_id, p.design_id)]


def test_engine_and_trace_agree_on_all_shipped_content(shipped) -> None:
    ws = api.workspace(shipped)
    compiled = api.compile_ruleset(ws, include_drafts=True)
    decided = 0
    for jid in sorted(ws.profiles):
        for design in list(ws.designs.get(jid, {}).values()) + list(ws.archetypes.values()):
            _, _, table = api.fact_table(ws, jid, design.id)
            # check=True raises EngineError on any disagreement between engine and trace
            a = compiled.assess(table, jurisdiction=(jid, jid), design=(design.id, design.name), check=True)
            decided += sum(1 for f in a.findings if f.status in (Status.gap, Status.met))
    assert decided > 500  # the comparison covered real conclusions, not only unknowns


def test_many_derivations_are_split_across_stages_and_all_conclude(monkeypatch) -> None:
    from policyengine.engine import compile as compile_mod

    monkeypatch.setattr(compile_mod, "CHUNK", 10_000)  # only the engine's own limits split the stages
    derived = {f"d{i}": Derivation.model_validate({"id": f"d{i}", "title": "t", "rationale": "r", "citations": [{"ref": "a"}],
                                                  "when": "design.offline == full"}) for i in range(MAX_KEYS + 1)}
    compiled = CompiledRuleset([], derived, {}).compile_engine()
    assert len(compiled.stages) > 1
    _, concluded = compiled.run_engine(from_example({"design.offline": "full"}))
    assert concluded == {f"d{i}": True for i in range(MAX_KEYS + 1)}


def test_a_wide_rule_is_concluded_in_groups_and_agrees_with_the_reference() -> None:
    wide = {"any": [f"design.aml.record_retention_years > {i}" for i in range(80)]}
    compiled = CompiledRuleset([rule(id="AML-T", requires=wide)], {}, {}).compile_engine()
    for years, expected in ((50, Status.met), (0, Status.gap)):
        table = from_example({"design.aml.record_retention_years": years})
        assert compiled.assess(table, jurisdiction=("T", "T"), design=("d", "d")).findings[0].status == expected


def test_a_rule_too_wide_for_the_engine_is_refused_naming_it() -> None:
    wide = {"for_any": "design.kyc_tiers", "where": {"any": ["item.identity == none", "item.balance_limit > 100"]}}
    with pytest.raises(CapacityError, match=r"^rule AML-T: its condition is too wide for the rule engine: up to [0-9]+ tests "
                                            r"would be pending at once [(]the engine holds 48 safely[)]; split it into derivations"):
        CompiledRuleset([rule(id="AML-T", requires=wide)], {}, {}, list_slots=60).compile_engine()


def test_a_rule_reading_hundreds_of_facts_is_split_across_stages() -> None:
    many = {"all": [f"design.channels contains c{i}" for i in range(MAX_KEYS + 10)]}
    compiled = CompiledRuleset([rule(id="AML-T", requires=many)], {}, {}).compile_engine()
    assert len(compiled.stages) > 1
    table = from_example({"design.channels": [f"c{i}" for i in range(MAX_KEYS + 10)]})
    assert compiled.assess(table, jurisdiction=("T", "T"), design=("d", "d")).findings[0].status == Status.met


def test_wide_quantifiers_are_concluded_item_by_item_in_the_engine() -> None:
    where = {"all": [f"item.{f} exists" for f in ("balance_limit", "daily_limit", "monthly_limit", "identity")]}
    compiled = CompiledRuleset([rule(id="AML-T", requires={"for_any": "design.kyc_tiers", "where": where})], {}, {}).compile_engine()
    assert any(name.startswith("aux:") for name in compiled.definitions)
    full = {"id": "a", "identity": "none", "balance_limit": 1, "daily_limit": 1, "monthly_limit": 1}
    for tiers, expected in (([full], Status.met),
                            ([{"id": "b", "balance_limit": "none"}, {"id": "c", "identity": "none", "daily_limit": "none"}],
                             Status.gap),
                            ([{**full, "monthly_limit": "none"}], Status.gap),
                            ([{**full, "monthly_limit": None}], Status.unknown)):  # not recorded
        tiers = [{k: v for k, v in t.items() if v is not None} for t in tiers]
        statuses, _ = compiled.run_engine(from_example({"design.kyc_tiers": tiers}))
        assert statuses.get("AML-T", Status.unknown) == expected


def test_a_condition_with_hundreds_of_alternatives_is_concluded_in_steps() -> None:
    """272 alternatives used to be refused (durable-rules takes ~20 per pattern); the wide
    nodes are now concluded first into auxiliary properties, and the engine still agrees with
    the reference evaluator."""
    huge = {"any": [{"all": [f"design.aml.record_retention_years > {i}", f"design.offline_limit > {j}"]}
                    for i in range(17) for j in range(16)]}
    compiled = CompiledRuleset([rule(id="AML-T", requires=huge)], {}, {}).compile_engine()
    assert any(name.startswith("aux:") for name in compiled.definitions)
    for facts, expected in (({"design.aml.record_retention_years": 20, "design.offline_limit": 20}, Status.met),
                            ({"design.aml.record_retention_years": 0, "design.offline_limit": 0}, Status.gap),
                            ({"design.aml.record_retention_years": 20}, Status.unknown)):
        finding = compiled.assess(from_example(facts), jurisdiction=("T", "T"), design=("d", "d")).findings[0]
        assert finding.status == expected


def test_money_is_converted_with_the_dated_rate_and_kept_as_published(make_ws) -> None:
    ws = api.workspace(make_ws())
    a = api.assess("XX", "coin", ws)
    finding = next(f for f in a.findings if f.rule_id == "AML-OFFLINE-CAP")
    assert finding.status == Status.gap
    limit = next(e for e in finding.evidence if e.path == "design.offline_limit")
    assert limit.value == 2000.0
    assert limit.display == "XTL\u00a020,000 (USD\u00a02,000 at 10 XTL/USD, 31 January 2025)"
    assert (limit.source, limit.as_of) == ("xx-cb", "2024")
    assert a.ruleset_version == "9.9.9"


def test_engine_hosts_start_no_threads_and_free_their_memory() -> None:
    import gc
    import threading

    before = threading.active_count()
    compiled = CompiledRuleset(RULES + [CHAINED], DERIVED, {})
    compiled.run_engine(from_example({"design.offline": "full"}))
    assert threading.active_count() == before  # no background dispatcher racing our calls
    freed = []
    import weakref

    weakref.finalize(compiled._engine, lambda: freed.append(True))
    del compiled
    gc.collect()
    assert freed == [True]


def test_a_partial_tier_list_never_proves_that_no_tier_matches(compiled) -> None:
    tiers = [{"id": "a", "identity": "full_cdd"}, {"id": "b", "identity": "verified_id"}]
    for complete, expected in ((None, Status.gap), (True, Status.gap), (False, Status.unknown)):
        facts = {"design.kyc_tiers": tiers}
        if complete is not None:
            facts["design.kyc_tiers_complete"] = complete
        table = from_example(facts)
        statuses, _ = compiled.run_engine(table)
        assert statuses.get("AML-SOME", Status.unknown) == expected
        outcome = compiled.trace_rule(next(r for r in compiled.rules if r.id == "AML-SOME"), table)
        assert outcome.status == expected
        assert outcome.missing == (["design.kyc_tiers_complete"] if expected == Status.unknown else [])
    # a partial list can still show that some tier matches
    partial = from_example({"design.kyc_tiers": [{"id": "x", "identity": "none", "daily_limit": 10}],
                            "design.kyc_tiers_complete": False})
    assert compiled.run_engine(partial)[0]["AML-SOME"] == Status.met


def test_a_workspace_with_many_concluding_derivations_assesses_without_crashing(tmp_path) -> None:
    """Issue 8: 17 extra concluding derivations beside the shipped ones killed the process
    (segmentation fault in durable-rules' delete_state after its alpha walk overflowed)."""
    import shutil
    import subprocess
    import sys

    from policyengine.load import shipped_root

    shutil.copytree(shipped_root() / "rulesets", tmp_path / "rulesets")
    (tmp_path / "jurisdictions").mkdir()
    shutil.copytree(shipped_root() / "jurisdictions" / "NG", tmp_path / "jurisdictions" / "NG")
    for n in range(70):
        (tmp_path / "rulesets" / "derivations" / f"zz_many_{n}.yaml").write_text(
            f"id: zz_many_{n}\ntitle: Ownership above {n}\n"
            f"when: \"jurisdiction.inclusion.account_ownership_pct > {n}\"\nrationale: a test\n"
            "citations: [{ref: itu-facts-figures-2023}]\n"
            "examples:\n  - {name: 'yes', facts: {jurisdiction.inclusion.account_ownership_pct: 90}, expect: true}\n"
            "  - {name: 'no', facts: {jurisdiction.inclusion.account_ownership_pct: 0}, expect: false}\n")
    cli = [sys.executable, "-m", "policyengine.cli"]
    checked = subprocess.run([*cli, "validate", "--no-lint", "-w", str(tmp_path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    done = subprocess.run([*cli, "assess", "NG", "-d", "enaira", "-w", str(tmp_path), "--format", "json"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    import json
    derived = json.loads(done.stdout)["derived"]
    assert sum(1 for n in range(70) if derived[f"zz_many_{n}"] is True) > 40  # NG's ownership is 45%
    assert derived["zz_many_69"] is False


def test_a_design_with_more_tiers_than_six_is_assessed_in_the_engine() -> None:
    """The engine's quantifier slots follow the data (issue 8): no fixed cap of 6 tiers."""
    tiers = [{"id": f"t{i}", "identity": "full_cdd", "balance_limit": 100 * (i + 1)} for i in range(10)]
    table = from_example({"design.kyc_tiers": tiers})
    compiled = CompiledRuleset(RULES, {}, {}, list_slots=10)
    statuses, _ = compiled.run_engine(table)
    assert statuses["AML-TIERS"] == Status.met and statuses["AML-SOME"] == Status.gap
    table = from_example({"design.kyc_tiers": [*tiers[:9], {"id": "last", "identity": "none", "daily_limit": 5,
                                                             "balance_limit": 50_000}]})
    statuses, _ = compiled.run_engine(table)
    assert statuses["AML-TIERS"] == Status.gap and statuses["AML-SOME"] == Status.met
    with pytest.raises(CapacityError, match="the design lists 10 wallet tiers; this ruleset was compiled for at most 6"):
        CompiledRuleset(RULES, {}, {}).run_engine(table)


def test_the_shipped_rules_compile_for_twelve_tiers() -> None:
    compiled = api.compile_ruleset(api.workspace(), list_slots=12)
    assert compiled.list_slots == 12
