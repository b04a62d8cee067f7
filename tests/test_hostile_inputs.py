"""Hostile or broken workspace files end in one line each, `file:line: field: message`, exit 2,
never a traceback; what `validate` accepts, `assess` and `test` do not fail on (issue 9)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from policyengine import api
from policyengine.cli import main
from policyengine.load import load_workspace, shipped_root

PROFILE = "jurisdictions/NG/profile.yaml"
DESIGN = "jurisdictions/NG/designs/enaira.yaml"
RULE = "rulesets/rules/aml/AML-ANONYMOUS-TIER-LOW-CAP.yaml"


def _ng(tmp_path: Path, rulesets: bool = False) -> Path:
    """A workspace holding a copy of Nigeria (and of the rulesets if asked); the rest is shipped."""
    ws = tmp_path / "ws"
    shutil.copytree(shipped_root() / "jurisdictions" / "NG", ws / "jurisdictions" / "NG")
    if rulesets:
        shutil.copytree(shipped_root() / "rulesets", ws / "rulesets")
    return ws


def _edit(ws: Path, name: str, old: str, new: str) -> None:
    path = ws / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line(ws: Path, name: str, text: str) -> int:
    """The line of ``text`` in a workspace file (the shipped files move as content is added)."""
    lines = (ws / name).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def _errors(ws: Path) -> list[str]:
    return [str(p) for p in api.validate(ws, lint=False) if p.level == "error"]


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.mark.parametrize("char, code", [("\x00", "0000"), ("\x1b", "001B"), ("\x7f", "007F"), ("\ufffe", "FFFE")])
def test_raw_control_characters_are_refused(tmp_path: Path, char: str, code: str) -> None:
    ws = _ng(tmp_path)
    _edit(ws, PROFILE, "name: Nigeria", f"name: Nige{char}ria")
    assert _errors(ws) == [f"{PROFILE}:{_line(ws, PROFILE, 'name: Nige')}: the control character U+{code} is not allowed "
                           "(raw control characters are refused anywhere in the file)"]


def test_an_escaped_control_character_in_a_value_is_refused(tmp_path: Path) -> None:
    ws = _ng(tmp_path)
    _edit(ws, PROFILE, "name: Nigeria", 'name: "Nige\\x1bria"')
    assert _errors(ws) == [f"{PROFILE}:{_line(ws, PROFILE, 'Nige')}: the control character U+001B is not allowed in a value"]


def test_nesting_too_deep_is_refused(tmp_path: Path) -> None:
    ws = _ng(tmp_path)
    _edit(ws, PROFILE, "name: Nigeria", "name: Nigeria\nextra: " + "[" * 200 + "]" * 200)
    assert _errors(ws) == [f"{PROFILE}:{_line(ws, PROFILE, 'extra: [[[')}: nesting deeper than 64 levels is not allowed"]


@pytest.mark.parametrize("number, message", [
    ("1" * 5000, "the number 11111111111111111111... is too large (limit 1e+18)"),
    ("1e999", "the number 1e999 is too large or not finite (limit 1e+18)"),
    ("12345678901234567890", "the number 12345678901234567890 is too large or not finite (limit 1e+18)"),
])
def test_absurdly_large_numbers_are_refused(tmp_path: Path, number: str, message: str) -> None:
    ws = _ng(tmp_path)
    _edit(ws, PROFILE, "value: 1435.75", f"value: {number}")
    assert _errors(ws) == [f"{PROFILE}:{_line(ws, PROFILE, f'value: {number}')}: {message}"]


@pytest.mark.parametrize("rate, message", [
    ("0", "exchange_rate_per_usd: an exchange rate must be above 0 (found 0.0): it divides every amount"),
    ("-3", "exchange_rate_per_usd: an exchange rate must be above 0 (found -3.0): it divides every amount"),
    ("2e9", "exchange_rate_per_usd: an exchange rate outside 0.0001 to 1e+09 per USD is not plausible (found 2000000000.0)"),
    ("1e-300", "exchange_rate_per_usd: an exchange rate outside 0.0001 to 1e+09 per USD is not plausible (found 1e-300)"),
])
def test_unusable_exchange_rates_are_refused(tmp_path: Path, rate: str, message: str) -> None:
    ws = _ng(tmp_path)
    _edit(ws, PROFILE, "value: 1435.75", f"value: {rate}")
    assert _errors(ws) == [f"{PROFILE}:{_line(ws, PROFILE, 'exchange_rate_per_usd:')}: {message}"]


@pytest.mark.parametrize("word", ["inf", "nan", "-Infinity"])
def test_non_finite_rates_and_amounts_are_refused(tmp_path: Path, word: str) -> None:
    ws = _ng(tmp_path)
    _edit(ws, PROFILE, "value: 1435.75", f"value: {word}")
    _edit(ws, DESIGN, "balance_limit: {amount: 120000,", f"balance_limit: {{amount: {word},")
    assert _errors(ws) == [
        f"{DESIGN}:{_line(ws, DESIGN, f'amount: {word},')}: kyc_tiers.value.0.balance_limit.amount: "
        f"Input should be a finite number (found '{word}')",
        f"{PROFILE}:{_line(ws, PROFILE, f'value: {word}')}: exchange_rate_per_usd.value: "
        f"Input should be a finite number (found '{word}')",
    ]


def test_absurd_amounts_are_refused(tmp_path: Path) -> None:
    ws = _ng(tmp_path)
    _edit(ws, DESIGN, "balance_limit: {amount: 120000,", "balance_limit: {amount: 1e17,")
    assert _errors(ws) == [f"{DESIGN}:{_line(ws, DESIGN, 'amount: 1e17,')}: kyc_tiers.value.0.balance_limit.amount: "
                           "Input should be less than or equal to 1000000000000000 (found 1e+17)"]


@pytest.mark.parametrize("date, message", [
    ("2026-02-30", "2026-02-30 is not a date of the calendar (found '2026-02-30')"),
    ("2025-13", "2025-13 is not a date of the calendar (found '2025-13')"),
])
def test_impossible_dates_are_refused(tmp_path: Path, date: str, message: str) -> None:
    ws = _ng(tmp_path)
    _edit(ws, PROFILE, 'as_of: "2025-12-31"', f'as_of: "{date}"')
    assert _errors(ws) == [f"{PROFILE}:{_line(ws, PROFILE, date)}: exchange_rate_per_usd.as_of: {message}"]


@pytest.mark.parametrize("command", [["assess", "NG", "-d", "enaira"], ["toolkit", "NG", "-d", "enaira", "--format", "md"]])
@pytest.mark.parametrize("date", ["garbage", "2026-02-30", "2026-1-1"])
def test_a_bad_date_option_is_refused(tmp_path: Path, command: list[str], date: str) -> None:
    code, output = _cli(*command, "--date", date, *(["--out", str(tmp_path)] if command[0] == "toolkit" else []))
    assert code == 2
    assert output.strip().splitlines()[-1] == f"error: --date: {date!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fact, message", [
    ("        - {id: anon, identity: none, balance_limit: 2500}|        - 5",
     "design.kyc_tiers is a list of mappings, one per item (found [5])"),
    ("        - {id: anon, identity: none, balance_limit: 2500}|        - {id: anon, identity: [none], balance_limit: 2500}",
     "design.kyc_tiers.0.identity: Input should be 'none', 'phone_number', 'id_number', 'verified_id' or 'full_cdd'"),
    ("      design.kyc_tiers:\n        - {id: anon, identity: none, balance_limit: 2500}|      design.kyc_tiers: null",
     "design.kyc_tiers is null: leave it out of the example to make it missing"),
    ("      design.kind: retail_cbdc\n      design.kyc_tiers:|      design.kind: [1, 2]\n      design.kyc_tiers:",
     "[1, 2] is not a value of design.kind (valid: retail_cbdc, wholesale_cbdc, stablecoin, e_money, tokenised_deposit)"),
])
def test_example_facts_of_the_wrong_type_are_refused_by_validate(tmp_path: Path, fact: str, message: str) -> None:
    ws = _ng(tmp_path, rulesets=True)
    old, new = fact.split("|")
    _edit(ws, RULE, old, new)
    errors = _errors(ws)
    assert len(errors) == 1 and errors[0].endswith(f": facts: {message}"), errors
    assert errors[0].startswith(f"{RULE}:")


def test_an_invalid_profile_shows_its_error_not_a_lint_crash(tmp_path: Path) -> None:
    ws = _ng(tmp_path)
    _edit(ws, PROFILE, "region: africa", "region: atlantis")
    code, output = _cli("validate", "-w", str(ws))
    assert code == 2
    assert f"{PROFILE}:{_line(ws, PROFILE, 'region: atlantis')}: region: Input should be 'africa', 'americas', 'arab_states', 'asia_pacific', 'cis' or 'europe' (found 'atlantis')" in output
    assert output.strip().splitlines()[-1].endswith("warning(s)")


@pytest.mark.parametrize("name", [PROFILE, DESIGN, "rulesets/rules/aml/EVIL.yaml", "jurisdictions/archetypes/evil.yaml"])
def test_a_yaml_file_linked_outside_the_workspace_is_refused(tmp_path: Path, name: str) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: NG\nname: TOPSECRET\n", encoding="utf-8")
    ws = _ng(tmp_path, rulesets=name.startswith("rulesets/"))
    target = ws / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.unlink()
    os.symlink(secret, target)
    errors = _errors(ws)
    assert f"{name}:1: refusing to read the file: it is a link to {secret.resolve()}, outside the workspace" in errors
    assert not any("TOPSECRET" in e for e in errors)


def test_a_linked_folder_outside_the_workspace_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside" / "designs"
    outside.mkdir(parents=True)
    (outside / "stolen.yaml").write_text("id: stolen\n", encoding="utf-8")
    ws = _ng(tmp_path)
    shutil.rmtree(ws / "jurisdictions" / "NG" / "designs")
    os.symlink(outside, ws / "jurisdictions" / "NG" / "designs")
    errors = _errors(ws)
    # The linked folder is refused by name, and nothing in it is read.
    assert errors == [f"jurisdictions/NG/designs:1: refusing the folder: it is a link to {outside.resolve()}, "
                      f"outside the workspace"]
    assert "stolen" not in load_workspace(ws).designs.get("NG", {})


def test_a_link_inside_the_workspace_is_read(tmp_path: Path) -> None:
    ws = _ng(tmp_path)
    design = ws / DESIGN
    kept = ws / "kept-enaira.yaml"
    design.rename(kept)
    os.symlink(kept, design)
    assert _errors(ws) == []


@pytest.mark.parametrize("limit, status", [(1e15, "gap"), (1e16, "gap"), (9.87654321e17, "gap"), (1e-9, "met"),
                                           (3.3e-310, "met")])
def test_numbers_json_writes_with_an_exponent_reach_the_engine(limit: float, status: str) -> None:
    """durable-rules' parser refuses 1e+16 and 1e-09 (error 204): the host writes them out in
    full, so a value validate accepts never fails the assessment."""
    from policyengine.facts import from_example

    compiled = api.compile_ruleset(api.workspace(), include_drafts=True)
    table = from_example({"design.kind": "retail_cbdc", "design.offline": "limited", "design.offline_limit": limit})
    statuses, _ = compiled.run_engine(table)
    assert statuses["AML-OFFLINE-LIMIT-DE-MINIMIS"].value == status
