"""`new jurisdiction` in a workspace: folders created, ISO 3166 / ISO 4217 / ITU region checks,
name and currency filled from the standards, and no prompt when there is no terminal."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from policyengine import api
from policyengine.authoring.scaffold import ScaffoldError, new_jurisdiction
from policyengine.cli import main


def _run(*args: str):
    # CliRunner gives no terminal: stdin is not a tty, as in CI or a script
    result = CliRunner().invoke(main, list(args), input="")
    return result.exit_code, result.output


def test_an_empty_folder_gets_its_folders_and_the_standards_fill_name_and_currency(tmp_path):
    path = new_jurisdiction(tmp_path, "mw", region="africa")
    assert path == tmp_path / "jurisdictions" / "MW" / "profile.yaml"
    assert (tmp_path / "jurisdictions" / "MW" / "designs").is_dir()
    ws = api.workspace(tmp_path)
    profile = ws.profiles["MW"]
    assert (profile.name, profile.currency, profile.region.value) == ("Malawi", "MWK", "africa")
    # the common name, not the formal ISO entry ("Tanzania, United Republic of")
    new_jurisdiction(tmp_path, "TZ", region="africa")
    assert api.workspace(tmp_path).profiles["TZ"].name == "Tanzania"


def test_given_name_and_currency_win(tmp_path):
    new_jurisdiction(tmp_path, "SV", name="El Salvador (working copy)", region="americas", currency="usd")
    profile = api.workspace(tmp_path).profiles["SV"]
    assert (profile.name, profile.currency) == ("El Salvador (working copy)", "USD")


@pytest.mark.parametrize("args, message", [
    (dict(code="MWI", region="africa"), "'MWI' is the ISO 3166-1 alpha-3 code of Malawi: use its alpha-2 code MW"),
    (dict(code="QX1", region="africa"), "'QX1' is not an ISO 3166-1 alpha-2 country code"),
    (dict(code="MW", region="africa", currency="MWX"), "'MWX' is not an ISO 4217 currency code; did you mean"),
    (dict(code="MW", region="oceania"), "'oceania' is not an ITU region; one of africa, americas, arab_states"),
    (dict(code="MW"), "missing --region (africa | americas | arab_states | asia_pacific | cis | europe) for MW"),
    (dict(code="PA", region="americas"), "missing --currency (PAB | USD) for PA; PA uses PAB and USD today"),
    (dict(code="ZZ", region="africa"), "missing --name, --currency for ZZ"),
    (dict(code="WAEMU", region="africa", kind="currency_union"), "missing --name, --currency for WAEMU"),
])
def test_bad_or_missing_values_are_named(tmp_path, args, message):
    with pytest.raises(ScaffoldError) as exc:
        new_jurisdiction(tmp_path, **args)
    assert message in str(exc.value)
    assert not (tmp_path / "jurisdictions").exists()


def test_a_currency_union_and_a_user_assigned_code_take_their_own_name_and_currency(tmp_path):
    new_jurisdiction(tmp_path, "WAEMU", name="West African Economic and Monetary Union", region="africa",
                     currency="XOF", kind="currency_union")
    new_jurisdiction(tmp_path, "ZZ", name="Zedland", region="africa", currency="XTS")
    ws = api.workspace(tmp_path)
    assert ws.profiles["WAEMU"].currency == "XOF" and ws.profiles["ZZ"].name == "Zedland"


def test_no_terminal_means_no_prompt_but_a_one_line_error(tmp_path):
    code, out = _run("new", "jurisdiction", "MW", "-w", str(tmp_path))
    assert code == 2
    assert out == "error: missing --region (africa | americas | arab_states | asia_pacific | cis | europe) for MW\n"


def test_the_command_names_the_archetypes_to_use_next(tmp_path):
    code, out = _run("new", "jurisdiction", "MW", "--region", "africa", "-w", str(tmp_path))
    assert code == 0, out
    assert f"wrote {tmp_path / 'jurisdictions' / 'MW' / 'profile.yaml'}" in out
    archetypes = sorted(api.workspace(tmp_path).archetypes)
    assert archetypes and f"--design {archetypes[0]} -w {tmp_path} --out out" in out
    code, out = _run("new", "jurisdiction", "MW", "--region", "africa", "-w", str(tmp_path))
    assert code == 2 and "already exists" in out


def test_a_workspace_can_add_a_design_to_a_shipped_jurisdiction(tmp_path):
    code, out = _run("new", "design", "NG", "our-option", "--title", "Our option", "-w", str(tmp_path))
    assert code == 0, out
    assert (tmp_path / "jurisdictions" / "NG" / "designs" / "our-option.yaml").is_file()
    assert not (tmp_path / "jurisdictions" / "NG" / "profile.yaml").exists()
    ws = api.workspace(tmp_path)
    assert ws.profiles["NG"].name == "Nigeria" and ws.designs["NG"]["our-option"].name == "Our option"
    assert "enaira" in ws.designs["NG"]  # the shipped design stays beside it
