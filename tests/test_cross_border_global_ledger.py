"""The cross-border value ``global_ledger``: a single-currency token on one ledger shared across borders.

It enables the cross-border derivation, and each cross-border rule either takes it in or leaves it
out as its rationale says (engine and plain-Python trace agree)."""

from __future__ import annotations

import pytest

from policyengine import api
from policyengine.engine import CompiledRuleset
from policyengine.facts import from_example
from policyengine.models import Status

APPLIES = ["AML-XBORDER-PAYMENT-TRANSPARENCY", "INTEROP-XB-TRANSPARENCY", "INTEROP-XB-SPEED",
           "INTEROP-XB-COEXISTENCE", "INTEROP-XB-UNBANKED-ACCESS", "INCL-REMITTANCE-RECEIPT-LOW-COST",
           "PRIV-CROSS-BORDER-LEDGER-NO-PII"]
LEFT_OUT = ["INTEROP-ISO20022-CROSS-BORDER", "INTEROP-XB-FX-RATE-SHOWN"]


@pytest.fixture(scope="module")
def compiled() -> CompiledRuleset:
    return api.compile_ruleset(api.workspace())


def _run(compiled: CompiledRuleset, facts: dict) -> tuple[dict[str, Status], dict[str, bool]]:
    table = from_example(facts)
    statuses, derived = compiled.run_engine(table)
    full = {r.id: statuses.get(r.id, Status.unknown) for r in compiled.rules}
    assert compiled.evaluate_python(table) == full  # the trace a reader sees agrees with the engine
    return full, derived


@pytest.mark.parametrize("value, enabled", [("global_ledger", True), ("single_mcbdc", True), ("none", False)])
def test_global_ledger_enables_the_cross_border_derivation(compiled, value, enabled) -> None:
    _, derived = _run(compiled, {"design.interop.cross_border": value})
    assert derived["interop_cross_border_enabled"] is enabled
    python, _ = compiled.derive_python(from_example({"design.interop.cross_border": value}))
    assert python["interop_cross_border_enabled"] is enabled


def test_rules_that_take_global_ledger_in_decide_on_their_own_fact(compiled) -> None:
    # A retail CBDC on a global ledger where every rule's own fact is false: each rule in scope is a gap.
    facts = {"design.kind": "retail_cbdc", "design.interop.cross_border": "global_ledger",
             "design.aml.travel_rule": False, "design.interop.fees_disclosed": False,
             "design.interop.instant_settlement": False, "design.interop.domestic_interoperability": False,
             "design.no_bank_account_needed": False, "design.fees_to_individuals": "market",
             "design.privacy.pii_on_ledger": True,
             "design.interop.messaging_standard": "proprietary", "design.interop.fx_rate_shown": False}
    statuses, _ = _run(compiled, facts)
    assert {rid: statuses[rid] for rid in APPLIES} == {rid: Status.gap for rid in APPLIES}
    # ISO 20022 (no message between systems) and the FX rate (no conversion) stay out, though their
    # facts would be gaps, while the same facts under an interlinked model are gaps.
    assert {rid: statuses[rid] for rid in LEFT_OUT} == {rid: Status.not_applicable for rid in LEFT_OUT}
    interlinked, _ = _run(compiled, {**facts, "design.interop.cross_border": "interlinked"})
    assert {rid: interlinked[rid] for rid in LEFT_OUT} == {rid: Status.gap for rid in LEFT_OUT}


def test_a_stablecoin_on_a_global_ledger_meets_the_g20_rules_it_is_in_scope_of(compiled) -> None:
    facts = {"design.kind": "stablecoin", "design.interop.cross_border": "global_ledger",
             "design.interop.fees_disclosed": True, "design.interop.instant_settlement": True,
             "design.privacy.pii_on_ledger": False, "design.aml.travel_rule": False}
    statuses, _ = _run(compiled, facts)
    assert statuses["INTEROP-XB-TRANSPARENCY"] == Status.met
    assert statuses["INTEROP-XB-SPEED"] == Status.met
    assert statuses["PRIV-CROSS-BORDER-LEDGER-NO-PII"] == Status.met
    # R.16 for CBDC/e-money; stablecoins answer to the virtual-asset travel rule instead
    assert statuses["AML-XBORDER-PAYMENT-TRANSPARENCY"] == Status.not_applicable
    # CBDC-only rules stay out for a stablecoin
    assert statuses["INTEROP-XB-COEXISTENCE"] == Status.not_applicable


@pytest.mark.parametrize("jurisdiction, design", [("US", "usdc"), ("EA", "eurc")])
def test_shipped_stablecoins_are_recorded_on_a_global_ledger(jurisdiction, design) -> None:
    result = api.assess(jurisdiction, design)
    status = {f.rule_id: f.status for f in result.findings}
    assert status["INTEROP-ISO20022-CROSS-BORDER"] == Status.not_applicable
    assert status["INTEROP-XB-FX-RATE-SHOWN"] == Status.not_applicable
    assert status["PRIV-CROSS-BORDER-LEDGER-NO-PII"] == Status.met
    # fees disclosure and finality are not recorded for these tokens: the rules say so, not n/a
    assert status["INTEROP-XB-TRANSPARENCY"] == Status.unknown
    assert status["INTEROP-XB-SPEED"] == Status.unknown
