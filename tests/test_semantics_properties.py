"""Property-based tests of the condition semantics (hypothesis).

1. Soundness of the three-valued evaluator: a condition evaluated true (or false) on partial
   facts stays true (false) under every completion of the missing facts, including tiers added
   to a list recorded only in part. ``exists``/``missing`` are part of it: a fact not recorded
   makes them unknown, and a limit recorded as ``none`` (no such limit) makes ``exists`` false.
2. The engine agrees with the reference: durable-rules, compiled from random rules and
   derivations (chains, alternatives, quantifiers), gives the statuses and conclusions the
   Kleene evaluator gives, on random facts (CompiledRuleset.assess raises on any disagreement).
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyengine.engine import CompiledRuleset
from policyengine.engine.logic import evaluate
from policyengine.facts import from_example
from policyengine.models import Derivation, Rule, Status
from policyengine.models.condition import AllOf, AnyOf, Compare, ForAll, ForAny, NotOf, Op

BOOLS = ["jurisdiction.legal.cbdc_legal_basis", "jurisdiction.legal.data_protection_law",
         "jurisdiction.legal.e_money_regulation"]
PERCENTS = ["jurisdiction.inclusion.account_ownership_pct", "jurisdiction.identity.id_coverage_pct"]
RATING = "jurisdiction.aml.r1_rating"
RATINGS = ["C", "LC", "PC", "NC"]
CHANNELS = ["smartphone_app", "feature_phone_ussd", "card", "web"]
IDENTITIES = ["none", "phone_number", "id_number", "verified_id", "full_cdd"]
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _leaf(draw: Any, with_presence: bool) -> Compare:
    kind = draw(st.sampled_from(["bool", "pct", "enum", "list", "money"] + (["presence"] if with_presence else [])))
    if kind == "bool":
        return Compare(path=draw(st.sampled_from(BOOLS)), op=draw(st.sampled_from([Op.eq, Op.ne])), value=draw(st.booleans()))
    if kind == "pct":
        return Compare(path=draw(st.sampled_from(PERCENTS)), op=draw(st.sampled_from([Op.lt, Op.le, Op.gt, Op.ge, Op.eq])),
                       value=draw(st.sampled_from([20, 50, 70])))
    if kind == "enum":
        op = draw(st.sampled_from([Op.eq, Op.ne, Op.in_, Op.not_in]))
        value = draw(st.lists(st.sampled_from(RATINGS), min_size=1, max_size=3, unique=True)) if op in (Op.in_, Op.not_in) \
            else draw(st.sampled_from(RATINGS))
        return Compare(path=RATING, op=op, value=value)
    if kind == "list":
        return Compare(path="design.channels", op=draw(st.sampled_from([Op.contains, Op.not_contains])),
                       value=draw(st.sampled_from(CHANNELS)))
    if kind == "money":
        return Compare(path="design.holding_limit", op=draw(st.sampled_from([Op.lt, Op.le, Op.gt, Op.ge, Op.eq, Op.ne])),
                       value=draw(st.sampled_from([500, 3000])))
    return Compare(path=draw(st.sampled_from(BOOLS + ["design.holding_limit"])), op=draw(st.sampled_from([Op.exists, Op.missing])))


def _item_leaf(draw: Any) -> Compare:
    if draw(st.booleans()):
        op = draw(st.sampled_from([Op.eq, Op.ne, Op.in_, Op.not_in]))
        value = draw(st.lists(st.sampled_from(IDENTITIES), min_size=1, max_size=2, unique=True)) if op in (Op.in_, Op.not_in) \
            else draw(st.sampled_from(IDENTITIES))
        return Compare(path="item.identity", op=op, value=value)
    if draw(st.booleans()):
        return Compare(path=draw(st.sampled_from(["item.balance_limit", "item.daily_limit"])),
                       op=draw(st.sampled_from([Op.exists, Op.missing])))
    return Compare(path="item.balance_limit", op=draw(st.sampled_from([Op.lt, Op.le, Op.gt, Op.ge, Op.eq, Op.ne])),
                   value=draw(st.sampled_from([200, 1000])))


@st.composite
def conditions(draw: Any, depth: int = 3, with_presence: bool = True, in_item: bool = False, derived: tuple[str, ...] = ()) -> Any:
    choices = ["leaf", "leaf"] + (["all", "any", "not"] if depth > 0 else []) + \
        (["for_any", "for_all"] if depth > 0 and not in_item else []) + (["derived"] if derived else [])
    choice = draw(st.sampled_from(choices))
    if choice == "leaf":
        return _item_leaf(draw) if in_item and draw(st.booleans()) else _leaf(draw, with_presence)
    if choice == "derived":
        return Compare(path=f"derived.{draw(st.sampled_from(derived))}", op=Op.eq, value=draw(st.booleans()))
    sub = conditions(depth - 1, with_presence, in_item, derived)
    if choice == "all":
        return AllOf.model_validate({"all": draw(st.lists(sub, min_size=1, max_size=3))})
    if choice == "any":
        return AnyOf.model_validate({"any": draw(st.lists(sub, min_size=1, max_size=3))})
    if choice == "not":
        return NotOf.model_validate({"not": draw(sub)})
    where = draw(conditions(depth - 1, with_presence, True, ()))
    return (ForAny if choice == "for_any" else ForAll).model_validate({choice: "design.kyc_tiers", "where": where})


#: a limit is an amount or "none" (recorded: there is no such limit); left out, it is not recorded
LIMITS = st.sampled_from([100, 500, 2000, "none"])
TIER = st.fixed_dictionaries({}, optional={"identity": st.sampled_from(IDENTITIES), "balance_limit": LIMITS,
                                           "daily_limit": LIMITS})


@st.composite
def facts(draw: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path in BOOLS:
        if draw(st.booleans()):
            out[path] = draw(st.booleans())
    for path in PERCENTS:
        if draw(st.booleans()):
            out[path] = draw(st.sampled_from([10, 20, 50, 90]))
    if draw(st.booleans()):
        out[RATING] = draw(st.sampled_from(RATINGS))
    if draw(st.booleans()):
        out["design.channels"] = draw(st.lists(st.sampled_from(CHANNELS), max_size=3, unique=True))
    if draw(st.booleans()):
        out["design.holding_limit"] = draw(st.sampled_from([100, 3000, 9000, "none"]))
    if draw(st.booleans()):
        out["design.kyc_tiers"] = [dict(t, id=f"t{i}") for i, t in enumerate(draw(st.lists(TIER, max_size=3)))]
        if draw(st.booleans()):
            out["design.kyc_tiers_complete"] = False
    return out


@st.composite
def completions(draw: Any, partial: dict[str, Any]) -> dict[str, Any]:
    """The partial facts with some missing ones filled (never changing a recorded value)."""
    full = draw(facts())
    out = dict(partial)
    for path, value in full.items():
        if path not in out and path not in ("design.kyc_tiers", "design.kyc_tiers_complete"):
            out[path] = value
    if "design.kyc_tiers" in partial:
        tiers = []
        for t in partial["design.kyc_tiers"]:
            extra = draw(TIER)
            tiers.append({**extra, **t})  # recorded fields kept, missing ones may be filled
        if partial.get("design.kyc_tiers_complete") is False:
            tiers += [dict(t, id=f"x{i}") for i, t in enumerate(draw(st.lists(TIER, max_size=2)))]
        out["design.kyc_tiers"] = tiers
        out.pop("design.kyc_tiers_complete", None)  # the completed list is the whole list
    return out


@settings(max_examples=300, **SETTINGS)
@given(data=st.data())
def test_a_decided_condition_stays_decided_under_every_completion(data: Any) -> None:
    cond = data.draw(conditions())
    partial = data.draw(facts())
    value = evaluate(cond, from_example(partial), {}).value
    if value is None:
        return
    completed = data.draw(completions(partial))
    assert evaluate(cond, from_example(completed), {}).value is value, (cond, partial, completed)


@settings(max_examples=40, **SETTINGS)
@given(data=st.data())
def test_the_engine_agrees_with_the_reference_on_random_rules(data: Any) -> None:
    names = tuple(f"d{i}" for i in range(data.draw(st.integers(0, 4))))
    derivations = {}
    for i, name in enumerate(names):  # each may read the ones before it: chains in the engine
        when = data.draw(conditions(depth=2, derived=names[:i]))
        derivations[name] = Derivation.model_validate({"id": name, "title": "t", "rationale": "r",
                                                       "citations": [{"ref": "a"}], "when": when})
    rules = []
    for i in range(data.draw(st.integers(1, 6))):
        fields: dict[str, Any] = {"id": f"AML-R{i}", "title": "t", "principle": "AML-1", "severity": "high",
                                  "finding": "f", "recommendation": "r", "rationale": "x", "citations": [{"ref": "a"}],
                                  "requires": data.draw(conditions(depth=2, derived=names))}
        if data.draw(st.booleans()):
            fields["applies_if"] = data.draw(conditions(depth=1, derived=names))
        rules.append(Rule.model_validate(fields))
    compiled = CompiledRuleset(rules, derivations, {})
    for _ in range(3):
        table = from_example(data.draw(facts()))
        fired, concluded = compiled.run_engine(table)
        reference_derived, _ = compiled.derive_python(table)
        assert concluded == reference_derived
        assert {r.id: fired.get(r.id, Status.unknown) for r in compiled.rules} == compiled.evaluate_python(table)
