"""No workspace that validate accepts can crash or hang the process (issue 8).

Random rulesets (up to a few hundred rules and derivations, deep derivation chains, wide
alternatives, quantifiers) and a design with many tiers are written as YAML into a workspace;
``validate`` and then ``assess`` run in a subprocess, which must end with exit code 0, 1 or 2
and never a traceback or a signal. Bounded: a handful of workspaces per run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyengine.models.condition import AllOf, AnyOf, Compare, ForAll, ForAny, NotOf
from tests.conftest import BIBLIOGRAPHY, PARAMETERS, PRINCIPLES, PROFILE, RULESET
from tests.test_semantics_properties import conditions


def as_yaml(cond: Any) -> Any:
    if isinstance(cond, Compare):
        return str(cond)
    if isinstance(cond, AllOf):
        return {"all": [as_yaml(c) for c in cond.all]}
    if isinstance(cond, AnyOf):
        return {"any": [as_yaml(c) for c in cond.any]}
    if isinstance(cond, NotOf):
        return {"not": as_yaml(cond.not_)}
    key = "for_any" if isinstance(cond, ForAny) else "for_all"
    assert isinstance(cond, (ForAny, ForAll))
    return {key: getattr(cond, key), "where": as_yaml(cond.where)}


def design(tiers: int) -> str:
    return yaml.safe_dump({
        "id": "coin", "name": "Coin", "jurisdiction": "XX", "kind": "retail_cbdc", "issuer": "central_bank",
        "status": "pilot", "currency": "XTL",
        "kyc_tiers": {"value": [{"id": f"t{i}", "identity": ["none", "phone_number", "verified_id"][i % 3],
                                 "balance_limit": {"amount": 1000 * (i + 1), "currency": "XTL"}} for i in range(tiers)],
                      "source": "xx-cb", "as_of": "2025-01-31"},
        "holding_limit": {"value": {"amount": 5000, "currency": "XTL"}, "source": "xx-cb", "as_of": "2025-01-31"},
        "channels": {"value": ["smartphone_app", "card"], "source": "xx-cb", "as_of": "2025-01-31"},
    }, sort_keys=False)


@st.composite
def workspaces(draw: Any) -> dict[str, str]:
    files = {"rulesets/ruleset.yaml": RULESET, "rulesets/bibliography/main.yaml": BIBLIOGRAPHY,
             "rulesets/principles/all.yaml": PRINCIPLES, "rulesets/parameters.yaml": PARAMETERS,
             "jurisdictions/XX/profile.yaml": PROFILE, "jurisdictions/XX/designs/coin.yaml": design(draw(st.integers(0, 12))),
             "templates/.keep": ""}
    names: list[str] = []
    for i in range(draw(st.integers(0, 60))):
        name = f"d{i}"
        # a chain: each derivation may read any earlier one, so chains run deep
        when = draw(conditions(depth=2, derived=tuple(names[-5:])))
        files[f"rulesets/derivations/{name}.yaml"] = yaml.safe_dump({
            "id": name, "title": "t", "when": as_yaml(when), "rationale": "r", "citations": [{"ref": "pafi"}]}, sort_keys=False)
        names.append(name)
    for i in range(draw(st.integers(1, 250))):
        rule: dict[str, Any] = {"id": f"AML-R{i}", "title": "t", "principle": "AML-1", "severity": "high"}
        if draw(st.booleans()):
            rule["applies_if"] = as_yaml(draw(conditions(depth=1, derived=tuple(names))))
        rule["requires"] = as_yaml(draw(conditions(depth=draw(st.integers(1, 3)), derived=tuple(names))))
        rule.update({"finding": "f", "recommendation": "r", "rationale": "x", "citations": [{"ref": "fatf-recs"}],
                     "examples": [{"name": "a", "facts": {}, "expect": "met"}, {"name": "b", "facts": {}, "expect": "gap"}]})
        files[f"rulesets/rules/aml/AML-R{i}.yaml"] = yaml.safe_dump(rule, sort_keys=False)
    return files


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "policyengine.cli", *args], capture_output=True, text=True, timeout=300)


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(files=workspaces())
def test_validate_then_assess_never_crashes(tmp_path_factory: Any, files: dict[str, str]) -> None:
    root: Path = tmp_path_factory.mktemp("ws")
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    checked = _run("validate", "--no-lint", "-w", str(root))
    assert checked.returncode in (0, 2), checked.stderr[-3000:]
    assert "Traceback" not in checked.stderr + checked.stdout
    if checked.returncode != 0:
        return
    done = _run("assess", "XX", "-d", "coin", "-w", str(root), "--format", "json")
    assert done.returncode in (0, 1, 2), (done.returncode, done.stderr[-3000:])
    assert "Traceback" not in done.stderr + done.stdout
    assert done.returncode == 0, done.stderr[-3000:]  # what validate accepted, assess must not refuse
