"""A workspace adds to the shipped content: its own jurisdictions beside the shipped ones (the
peers and the archetypes stay), an override only for the same path (with a note), an explicit
opt-out, and an error (never an empty success) when there are no rules, principles or templates."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from policyengine import api
from policyengine.cli import main
from policyengine.load import NoContent, load_workspace, shipped_root
from policyengine.problems import NotFound
from tests.conftest import write

MW_PROFILE = """\
id: MW
name: Malawi
region: africa
currency: MWK
sources: []
"""


def _run(*args: str):
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def _shipped_codes() -> set[str]:
    return {p.name for p in (shipped_root() / "jurisdictions").iterdir() if p.is_dir() and p.name != "archetypes"}


def _shipped_archetypes() -> set[str]:
    return {p.stem for p in (shipped_root() / "jurisdictions" / "archetypes").glob("*.yaml")}


def test_own_jurisdiction_sits_beside_the_shipped_ones_and_can_use_an_archetype(tmp_path):
    write(tmp_path, "jurisdictions/MW/profile.yaml", MW_PROFILE)
    ws = api.workspace(tmp_path)
    assert set(ws.profiles) == _shipped_codes() | {"MW"}
    assert set(ws.archetypes) == _shipped_archetypes() and ws.archetypes
    archetype = sorted(ws.archetypes)[0]
    result = api.assess("MW", archetype, ws)
    assert result.jurisdiction_id == "MW" and result.design_id == archetype and result.findings
    # the shipped peers are still there to compare with
    pairs = api.shipped_pairs(ws)
    assert {p.jurisdiction_id for p in pairs} >= {"NG"}
    assert [p for p in api.validate(tmp_path) if p.level != "warning"] == []


def test_a_jurisdiction_without_a_design_lists_the_archetypes(tmp_path):
    write(tmp_path, "jurisdictions/MW/profile.yaml", MW_PROFILE)
    ws = api.workspace(tmp_path)
    with pytest.raises(NotFound) as no_design:
        api.assess("MW", None, ws)
    with pytest.raises(NotFound) as wrong:
        api.assess("MW", "two-tier", ws)
    for exc in (no_design, wrong):
        message = str(exc.value)
        assert "MW has no design of its own yet" in message
        assert all(a in message for a in ws.archetypes)
    code, out = _run("toolkit", "MW", "-w", str(tmp_path), "--out", str(tmp_path / "out"))
    assert code == 2 and out.count("\n") == 1 and all(a in out for a in ws.archetypes)
    code, out = _run("toolkit", "MW", "--design", sorted(ws.archetypes)[0], "-w", str(tmp_path), "--out", str(tmp_path / "out"))
    assert code == 0, out
    assert (tmp_path / "out" / f"MW-{sorted(ws.archetypes)[0]}-toolkit.html").is_file()


def test_a_file_at_the_same_path_overrides_the_shipped_one_and_validate_says_so(tmp_path):
    shipped_profile = (shipped_root() / "jurisdictions/NG/profile.yaml").read_text(encoding="utf-8")
    assert "name: Nigeria" in shipped_profile
    write(tmp_path, "jurisdictions/NG/profile.yaml", shipped_profile.replace("name: Nigeria", "name: Nigeria (our edition)"))
    ws = api.workspace(tmp_path)
    assert ws.profiles["NG"].name == "Nigeria (our edition)"
    # only the profile is overridden: the shipped designs of NG stay
    assert set(ws.designs["NG"]) == {p.stem for p in (shipped_root() / "jurisdictions/NG/designs").glob("*.yaml")}
    notes = [p for p in api.validate(tmp_path) if p.level == "note"]
    assert [str(p) for p in notes] == [
        "jurisdictions/NG/profile.yaml:1: note: overrides the shipped jurisdictions/NG/profile.yaml"]
    code, out = _run("validate", "-w", str(tmp_path))
    assert code == 0 and "overrides the shipped jurisdictions/NG/profile.yaml" in out


def test_workspace_yaml_turns_the_shipped_jurisdictions_off(tmp_path):
    write(tmp_path, "jurisdictions/MW/profile.yaml", MW_PROFILE)
    write(tmp_path, "workspace.yaml", "shipped_jurisdictions: false\n")
    ws = api.workspace(tmp_path)
    assert set(ws.profiles) == {"MW"} and ws.archetypes == {} and ws.designs == {}
    with pytest.raises(NotFound, match="no archetypes are loaded"):
        api.assess("MW", None, ws)


def test_own_rulesets_replace_the_shipped_ones_and_leave_the_shipped_jurisdictions_out(make_ws):
    root = make_ws()
    ws = api.workspace(root)
    assert ws.ruleset_name == "test-rules" and set(ws.rules) == {"AML-OFFLINE-CAP", "INCL-USSD"}
    assert set(ws.profiles) == {"XX"} and ws.archetypes == {}
    # asked for, the shipped layer comes back beside the workspace's own rules
    write(root, "workspace.yaml", "shipped_jurisdictions: true\n")
    loaded = load_workspace(root)
    assert set(loaded.profiles) == _shipped_codes() | {"XX"} and set(loaded.archetypes) == _shipped_archetypes()


def test_workspace_yaml_is_checked_like_any_other_file(tmp_path):
    write(tmp_path, "workspace.yaml", "shipped_jurisdiction: false\n")
    problems = api.validate(tmp_path)
    assert any(p.file == "workspace.yaml" and p.line == 1 and "unknown field 'shipped_jurisdiction'" in p.message
               and "shipped_jurisdictions" in p.message for p in problems)


def test_an_empty_rulesets_folder_is_an_error_not_an_empty_success(tmp_path):
    (tmp_path / "rulesets").mkdir()
    with pytest.raises(NoContent, match="no principles and no rules"):
        load_workspace(tmp_path)
    for command in (["validate"], ["assess", "NG", "-d", "enaira"], ["test"]):
        result = CliRunner().invoke(main, [*command, "-w", str(tmp_path)])
        assert result.exit_code == 2, (command, result.output)
        assert result.output.count("\n") == 1 and "no principles and no rules" in result.output
        assert "replaces the shipped one whole" in result.output


def test_rules_without_principles_are_an_error(make_ws):
    root = make_ws({"rulesets/principles/all.yaml": None})
    with pytest.raises(NoContent, match=r"^no principles in .*rulesets;"):
        load_workspace(root)


def test_test_with_nothing_to_test_fails(make_ws):
    # (validation already refuses a rule without a gap and a met example, so "nothing to test"
    # is a ruleset with no rules at all)
    root = make_ws({"rulesets/derivations/low_accounts.yaml": None, "rulesets/rules/aml/AML-OFFLINE-CAP.yaml": None,
                    "rulesets/rules/inclusion/INCL-USSD.yaml": None})
    code, out = _run("test", "-w", str(root))
    assert code == 2 and "no rules in" in out and "passed" not in out


def test_the_shipped_content_comes_from_the_checkout_in_a_source_tree():
    root = shipped_root()
    assert (root / "rulesets" / "principles").is_dir() and (root / "templates").is_dir()
    assert root == Path(__file__).resolve().parent.parent


def test_an_override_note_is_a_sarif_note(tmp_path):
    from policyengine.export.sarif import problems_sarif

    shipped_design = (shipped_root() / "jurisdictions/NG/designs/enaira.yaml").read_text(encoding="utf-8")
    write(tmp_path, "jurisdictions/NG/designs/enaira.yaml", shipped_design)
    log = problems_sarif(api.validate(tmp_path), tool_version="0", workspace=tmp_path)
    notes = [r for r in log["runs"][0]["results"] if r["level"] == "note"]
    assert [n["message"]["text"] for n in notes] == ["overrides the shipped jurisdictions/NG/designs/enaira.yaml"]
    assert notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "jurisdictions/NG/designs/enaira.yaml"
