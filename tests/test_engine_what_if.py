"""What-if evaluation (CompiledRuleset.what_if): re-evaluating only what a changed fact can
reach gives exactly the statuses of evaluating everything again."""

from __future__ import annotations

import random

import pytest

from policyengine import api
from policyengine.explain import apply_changes
from policyengine.paths import base_catalogue
from policyengine.questionnaire.build import askable, kind_of, trial_values


@pytest.fixture(scope="module")
def loaded(shipped_ws):
    return shipped_ws, api.compile_ruleset(shipped_ws)


PAIRS = [("NG", "enaira"), ("KE", None), ("KH", "bakong")]


def _pairs(ws):
    out = []
    for jid, did in PAIRS:
        if jid in ws.profiles:
            out.append((jid, did or sorted(ws.designs.get(jid, {}) or ws.archetypes)[0]))
    return out


def test_each_trial_answer_gives_the_statuses_of_a_full_evaluation(loaded) -> None:
    ws, ruleset = loaded
    tried = changed = 0
    for jid, did in _pairs(ws):
        _, _, table = api.fact_table(ws, jid, did)
        base = ruleset.what_if(table)
        assert base.statuses == ruleset.evaluate_python(table)
        askable_paths = sorted(p for p in base_catalogue() if askable(p) is None and not p.startswith("derived."))
        for path in random.Random(jid).sample(askable_paths, min(25, len(askable_paths))):
            info = base_catalogue()[path]
            for value in trial_values(ruleset, info, kind_of(info)):
                trial = apply_changes(table, {path: value})
                full = ruleset.evaluate_python(trial)
                assert base.statuses_with(trial, [path]) == full, (jid, did, path, value)
                tried += 1
                changed += full != base.statuses
    assert tried > 100 and changed > 10  # the trials did move statuses: the check has teeth


def test_random_changes_and_removals_match_a_full_evaluation(loaded) -> None:
    ws, ruleset = loaded
    rng = random.Random(8)
    for jid, did in _pairs(ws):
        _, _, table = api.fact_table(ws, jid, did)
        base = ruleset.what_if(table)
        paths = sorted(table.facts)
        for _ in range(25):
            picked = rng.sample(paths, rng.randint(1, 3))
            changes = {}
            for p in picked:
                old = table.facts[p].value
                if isinstance(old, bool):
                    changes[p] = rng.choice([not old, None])
                elif isinstance(old, (int, float)):
                    changes[p] = rng.choice([0, old * 2, -1, None])
                else:
                    changes[p] = None
            trial = apply_changes(table, changes)
            assert base.statuses_with(trial, list(changes)) == ruleset.evaluate_python(trial), (jid, did, changes)


def test_a_changed_derivation_reaches_the_rules_that_read_it(loaded) -> None:
    """A fact read only by a derivation changes the rules that read the derivation."""
    ws, ruleset = loaded
    _, _, table = api.fact_table(ws, "NG", "enaira")
    base = ruleset.what_if(table)
    readers = {name: reads for name, reads in base.derivation_reads.items()}
    for name, reads in sorted(readers.items()):
        facts = sorted(p for p in reads if not p.startswith("derived.") and p in table.facts)
        rules = [rid for rid, r in base.rule_reads.items() if f"derived.{name}" in r and not r & set(facts)]
        if not facts or not rules:
            continue
        trial = apply_changes(table, {p: None for p in facts})
        full = ruleset.evaluate_python(trial)
        assert base.statuses_with(trial, facts) == full
        if any(full[r] != base.statuses[r] for r in rules):
            return
    pytest.skip("no derivation of the shipped content changes a rule's status when its facts are removed")

