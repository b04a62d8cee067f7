"""Rule examples are pytest items that run at run time: one failing example fails one item,
``-k`` selects what runs, and an example that cannot run fails alone."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import RULE_OFFLINE


def _pytest(ws, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(ws / "rulesets"),
                           f"--policyengine-workspace={ws}", *args], capture_output=True, text=True, cwd=ws)


def test_one_wrong_example_fails_one_item(make_ws) -> None:
    ws = make_ws({"rulesets/rules/aml/AML-OFFLINE-CAP.yaml": RULE_OFFLINE.replace(
        "{name: no-offline, facts: {design.offline: none}, expect: not_applicable}",
        "{name: no-offline, facts: {design.offline: none}, expect: met}")})
    done = _pytest(ws)
    assert done.returncode == 1
    assert "1 failed, 7 passed" in done.stdout
    assert "rulesets/rules/aml/AML-OFFLINE-CAP.yaml:15: AML-OFFLINE-CAP::no-offline: expected met, got not_applicable" in done.stdout


def test_an_invalid_workspace_is_reported_at_collection_with_its_problems(make_ws) -> None:
    ws = make_ws({"rulesets/rules/aml/AML-OFFLINE-CAP.yaml": RULE_OFFLINE.replace("severity: high", "severity: huge")})
    done = _pytest(ws)
    assert done.returncode == 2
    assert "rulesets/rules/aml/AML-OFFLINE-CAP.yaml:4: severity:" in done.stdout


def test_k_selects_the_examples_that_run(make_ws) -> None:
    done = _pytest(make_ws(), "-k", "INCL-USSD")
    assert done.returncode == 0, done.stdout
    assert "2 passed, 6 deselected" in done.stdout
