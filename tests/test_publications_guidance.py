"""`policyengine guidance inclusion`: the financial-inclusion guidance by barrier, built from
rulesets/guidance/inclusion.yaml (validated like other content) and the assessments."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from policyengine import api
from policyengine.cli import main
from policyengine.models.common import Fact
from policyengine.models.rule import Status
from policyengine.publications import render
from policyengine.publications.guidance import build_guidance
from tests.browser_support import HTML_VALIDATOR, NO_HTML_VALIDATOR

sys.path.insert(0, str(Path(__file__).parent))
from publications_support import compare_golden, copy_rulesets  # noqa: E402
from render_support import UPDATE  # noqa: E402

GUIDANCE = "rulesets/guidance/inclusion.yaml"
BARRIERS = {"no-identity-document", "no-bank-account", "no-smartphone", "no-connectivity-or-electricity", "cost",
            "literacy", "gender-gap", "remittances", "government-payments"}


@pytest.fixture(scope="module")
def ws():
    return api.workspace()


@pytest.fixture(scope="module")
def doc(ws):
    return build_guidance(ws, "inclusion")


@pytest.fixture(scope="module")
def rendered(ws, tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("guidance")
    render.guidance("inclusion", out, ws=ws)
    return {p.name: p.read_bytes() for p in out.iterdir()}


@pytest.mark.parametrize("name", ["guidance-inclusion.md", "guidance-inclusion.html", "guidance-inclusion.json"])
def test_golden(rendered, name):
    compare_golden(name, rendered[name], UPDATE)


def test_every_barrier_of_the_brief_is_covered(doc):
    assert {b.id for b in doc.barriers} == BARRIERS
    for b in doc.barriers:
        assert b.levers and b.standards


def test_levers_check_with_the_rules_of_the_mapping(doc, ws):
    spec = {lv.id: lv for lv in ws.guidance["inclusion"].levers}
    for b in doc.barriers:
        for lv in b.levers:
            active = {r for r in spec[lv.id].rules if ws.rules[r].status.value == "active"}
            assert {c.rule_id for c in lv.checks} == active
            for c in lv.checks:
                assert c.title == ws.rules[c.rule_id].title


def test_designs_that_use_a_lever_meet_one_of_its_rules(doc, ws):
    uses = [(lv, u) for b in doc.barriers for lv in b.levers for u in lv.used_by]
    assert uses
    checks = {lv.id: {c.rule_id for c in lv.checks} for b in doc.barriers for lv in b.levers}
    for lv, u in uses:
        a = api.assess(u.design.jurisdiction_id, u.design.design_id, ws)
        met = {f.rule_id for f in a.findings if f.status == Status.met}
        assert set(u.rules) == met & checks[lv.id] != set()
    for lever, u in ((lv, u) for b in doc.barriers for lv in b.levers for u in lv.gaps):
        a = api.assess(u.design.jurisdiction_id, u.design.design_id, ws)
        assert set(u.rules) == {f.rule_id for f in a.findings if f.status == Status.gap} & checks[lever.id]


def test_figures_are_the_recorded_facts_with_their_source(doc, ws):
    shown = 0
    for b in doc.barriers:
        assert b.recorded == sum(1 for row in b.data for c in row.cells if c.value is not None)
        for row in b.data:
            profile = ws.profiles[row.jurisdiction_id]
            for cell in row.cells:
                obj = profile
                for part in cell.path.split(".")[1:]:
                    obj = getattr(obj, part, None) if obj is not None else None
                if isinstance(obj, Fact):
                    assert cell.value is not None and cell.source == obj.source_ref and cell.as_of == obj.as_of
                    assert cell.source_title  # resolved to a bibliography entry or the profile's own sources
                    shown += 1
                else:
                    assert cell.value is None and cell.source is None
    assert shown > 0


def test_not_recorded_is_said(rendered, doc):
    assert any(c.value is None for b in doc.barriers for row in b.data for c in row.cells)
    assert "not recorded" in rendered["guidance-inclusion.md"].decode()


def test_unknown_rule_id_is_refused_with_file_and_line(tmp_path):
    root = copy_rulesets(tmp_path / "ws")
    path = root / GUIDANCE
    text = path.read_text(encoding="utf-8").replace("- INCL-LITERACY-PROGRAMME", "- INCL-LITERACY-PROGRAM", 1)
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("      - INCL-LITERACY-PROGRAM") + 1
    problems = [str(p) for p in api.validate(root, lint=False) if p.level == "error"]
    assert problems == [f"{GUIDANCE}:{line}: rules: unknown rule 'INCL-LITERACY-PROGRAM'; "
                        "did you mean INCL-LITERACY-PROGRAMME?"]
    result = subprocess.run([sys.executable, "-m", "policyengine.cli", "validate", "--no-lint", "-w", str(root)],
                            capture_output=True, text=True)
    assert result.returncode == 2 and f"{GUIDANCE}:{line}: rules: unknown rule" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_path_lever_and_source_are_refused(tmp_path):
    root = copy_rulesets(tmp_path / "ws")
    path = root / GUIDANCE
    text = (path.read_text(encoding="utf-8")
            .replace("- jurisdiction.inclusion.internet_use_pct", "- jurisdiction.inclusion.internet_usage_pct", 1)
            .replace("levers: [literacy-programme, complaints-and-redress]", "levers: [literacy-programmes, complaints-and-redress]")
            .replace("ref: tracking-sdg7-2023", "ref: tracking-sdg7-2030", 1))
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    problems = {str(p) for p in api.validate(root, lint=False) if p.level == "error"}
    path_line = lines.index("      - jurisdiction.inclusion.internet_usage_pct") + 1
    lever_line = lines.index("    levers: [literacy-programmes, complaints-and-redress]") + 1
    assert any(p.startswith(f"{GUIDANCE}:{path_line}: facts: 'jurisdiction.inclusion.internet_usage_pct' is not a "
                            "jurisdiction fact") for p in problems), problems
    assert any(p.startswith(f"{GUIDANCE}:{lever_line}: levers: unknown lever 'literacy-programmes'") for p in problems)
    assert any("unknown source 'tracking-sdg7-2030'" in p and p.startswith(GUIDANCE) for p in problems)
    assert len(problems) == 3


def test_the_shipped_guidance_validates(ws):
    assert "inclusion" in ws.guidance
    assert not [p for p in api.validate(lint=False) if p.file.startswith("rulesets/guidance")]


def test_cli_writes_and_refuses(tmp_path):
    runner = CliRunner()
    done = runner.invoke(main, ["guidance", "inclusion", "--out", str(tmp_path), "--format", "json"])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "guidance-inclusion.json").is_file()
    unknown = runner.invoke(main, ["guidance", "inclusio", "--out", str(tmp_path / "x")])
    assert unknown.exit_code == 2 and "did you mean inclusion" in unknown.output
    lang = runner.invoke(main, ["guidance", "inclusion", "--lang", "sw", "--out", str(tmp_path / "y")])
    assert lang.exit_code == 2 and "'sw' is not one of 'ar', 'zh', 'en', 'fr', 'ru', 'es'" in lang.output
    assert not (tmp_path / "x").exists() and not (tmp_path / "y").exists()


def test_guidance_grows_with_the_content(tmp_path):
    root = copy_rulesets(tmp_path / "ws")
    path = root / GUIDANCE
    text = path.read_text(encoding="utf-8").replace(
        "    rules:\n      - INCL-LITERACY-PROGRAMME\n",
        "    rules:\n      - INCL-LITERACY-PROGRAMME\n      - INCL-ACCESSIBILITY-GOOD-PRACTICE\n", 1)
    path.write_text(text, encoding="utf-8")
    doc = build_guidance(api.workspace(root), "inclusion")
    literacy = next(lv for b in doc.barriers for lv in b.levers if lv.id == "literacy-programme")
    assert "INCL-ACCESSIBILITY-GOOD-PRACTICE" in {c.rule_id for c in literacy.checks}



@pytest.mark.skipif(HTML_VALIDATOR is None, reason=NO_HTML_VALIDATOR)
def test_both_publications_have_zero_validator_errors(tmp_path, ws):
    render.guidance("inclusion", tmp_path, ws=ws, fmt="html")
    render.principles(tmp_path, ws=ws, fmt="html")
    files = sorted(str(p) for p in tmp_path.glob("*.html"))
    assert len(files) == 2
    result = subprocess.run([str(HTML_VALIDATOR), "--log", "INFO", *files], capture_output=True, text=True, timeout=300)
    report = result.stdout + result.stderr
    assert result.returncode == 0, f"the Nu validator found errors:\n{report}"
    assert "All good" in report
