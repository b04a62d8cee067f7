"""A discontinued design is judged as it was when it ended: with the thresholds in force then
(not today's world averages), by every path that assesses it (assess, explain, coverage, the
questionnaire, diff, the toolkit), and validate says where no value was in force then."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

import pytest

from policyengine import api
from policyengine.authoring.coverage import coverage
from policyengine.authoring.diff import compare
from policyengine.load import shipped_root
from policyengine.models.common import period_end
from policyengine.models.rule import Status

RULE = "INCL-OFFLINE-WHERE-LOW-CONNECTIVITY"


@pytest.mark.parametrize("value, end", [("2018", "2018-12-31"), ("2024-02", "2024-02-29"), ("2023-02", "2023-02-28"),
                                        ("2018-12", "2018-12-31"), ("2024-01-12", "2024-01-12")])
def test_period_end_is_the_last_day_of_the_period(value: str, end: str) -> None:
    assert period_end(value) == end


def test_a_parameter_takes_the_value_in_force_at_the_end_of_a_year_or_month() -> None:
    ws = api.workspace()
    internet = ws.parameters["itu_world_internet_use_pct"]
    first, latest = sorted(internet.values, key=lambda v: v.since)[0], internet.value_at(None)
    assert first.value != latest.value  # the ruleset records the benchmark at more than one date
    assert internet.value_at(first.since[:4]).value == first.value  # "2018" reaches December 2018
    assert internet.value_at(str(int(first.since[:4]) - 1)).value == first.value  # before any: the first
    assert internet.value_at("2099").value == latest.value


def test_an_ended_design_is_judged_with_the_thresholds_of_its_end() -> None:
    ws = api.workspace()
    design = ws.designs["EC"]["dinero-electronico"]
    assert design.ended is not None
    assessed = api.assess("EC", "dinero-electronico", ws)
    assert assessed.judged_at == design.ended.value
    then = api.ruleset_for(ws, design).params["itu_world_internet_use_pct"]
    today = api.compile_ruleset(ws).params["itu_world_internet_use_pct"]
    assert then == ws.parameters["itu_world_internet_use_pct"].value_at(design.ended.value).value
    assert then < today
    # Ecuador's Internet use of the design's period (2017, kept under `earlier:` since a 2023 value
    # is the current one) lies between the world's then and today: low only by today's benchmark,
    # so the offline rule does not apply to the design as it was.
    _, _, table = api.fact_table(ws, "EC", "dinero-electronico")
    internet = table.facts["jurisdiction.inclusion.internet_use_pct"].value
    assert then < internet < today
    status = {f.rule_id: f.status for f in assessed.findings}[RULE]
    assert status == Status.not_applicable
    assert api.explain(RULE, "EC", "dinero-electronico", ws).status == status
    assert api.assess("EC", "dinero-electronico", ws, date="2026").judged_at == "2026"
    assert api.assess("NG", "enaira", ws).judged_at is None


def test_judged_today_the_same_recorded_value_meets_todays_benchmark(tmp_path: Path) -> None:
    # With only the 2017 value recorded (no later one), the country counts as low-connectivity when
    # the design is judged today: the verdict above comes from the threshold of its time.
    for folder in ("rulesets", "jurisdictions"):
        shutil.copytree(shipped_root() / folder, tmp_path / folder)
    profile = tmp_path / "jurisdictions" / "EC" / "profile.yaml"
    text = profile.read_text(encoding="utf-8")
    start = text.index("  internet_use_pct:\n")
    end = text.index("  remittance_inflows_gdp_pct:\n")
    only_2017 = (
        "  internet_use_pct:\n"
        "    value: 55.8\n"
        '    source: {ref: ec-itu-internet-use, locator: "IT.NET.USER.ZS, ECU, 2017"}\n'
        '    as_of: "2017"\n')
    profile.write_text(text[:start] + only_2017 + text[end:], encoding="utf-8")
    ws = api.workspace(tmp_path)
    at_end = {f.rule_id: f.status for f in api.assess("EC", "dinero-electronico", ws).findings}[RULE]
    today = {f.rule_id: f.status for f in api.assess("EC", "dinero-electronico", ws, date="2026").findings}[RULE]
    assert at_end == Status.not_applicable
    assert today != Status.not_applicable  # judged today, the same country counts as low-connectivity


def test_coverage_questionnaire_diff_and_whatif_judge_it_as_assess_does() -> None:
    ws = api.workspace()
    assessed = api.assess("EC", "dinero-electronico", ws)
    count = {s: sum(1 for f in assessed.findings if f.status == s) for s in Status}
    share = next(u for u in coverage(ws).unknown_share if u.jurisdiction_id == "EC")
    assert (share.met, share.gap, share.unknown) == (count[Status.met], count[Status.gap], count[Status.unknown])
    q = api.questionnaire("EC", "dinero-electronico", ws)
    assert q.score.met == assessed.overall.met and q.score.gap == assessed.overall.gap  # type: ignore[union-attr]
    design = ws.designs["EC"]["dinero-electronico"]
    whatif = api.assess_design("EC", design, ws)
    assert [(f.rule_id, f.status) for f in whatif.findings] == [(f.rule_id, f.status) for f in assessed.findings]


def _inclusion_parameters(tmp_path: Path, edit: Callable[[str], str]) -> Path:
    """A workspace with a copy of the shipped rulesets and jurisdictions (a workspace's own
    rulesets/ replaces the shipped one whole) whose inclusion parameters are edited."""
    for folder in ("rulesets", "jurisdictions"):
        shutil.copytree(shipped_root() / folder, tmp_path / folder)
    target = tmp_path / "rulesets" / "parameters" / "inclusion.yaml"
    target.write_text(edit(target.read_text(encoding="utf-8")), encoding="utf-8")
    return tmp_path


def test_diff_judges_an_ended_design_with_the_thresholds_of_its_end(tmp_path: Path) -> None:
    # Raising only the 2018 world benchmark above Ecuador's 2017 Internet use moves the ended
    # design and nothing judged today.
    head = _inclusion_parameters(tmp_path, lambda t: t.replace("value: 51.2", "value: 60", 1))
    report = compare(api.workspace(), api.workspace(head))
    moved = {(c.jurisdiction_id, c.design_id) for c in report.changes}
    assert ("EC", "dinero-electronico") in moved
    assert moved <= {(j, d) for j, ds in api.workspace().designs.items() for d, x in ds.items() if x.ended is not None}


def test_the_toolkit_says_when_the_design_is_judged(tmp_path: Path) -> None:
    from policyengine.render import pipeline

    paths = pipeline.toolkit("EC", "dinero-electronico", tmp_path, ws=api.workspace(), fmt="md")
    text = paths[0].read_text(encoding="utf-8")
    assert "It is judged as it was when it ended (2018)" in text
    ng = pipeline.toolkit("NG", "enaira", tmp_path, ws=api.workspace(), fmt="md")[0].read_text(encoding="utf-8")
    assert "judged as it was when it ended" not in ng


def test_validate_warns_where_no_value_was_in_force_when_a_design_ended(tmp_path: Path) -> None:
    # The workspace's inclusion parameters lack the values in force in 2018.
    def drop_2018(text: str) -> str:
        return text[:text.index('    - since: "2018-12"')] + text[text.index('    - since: "2023-11-27"'):]

    problems = api.validate(_inclusion_parameters(tmp_path, drop_2018))
    warned = [p for p in problems if "itu_world_internet_use_pct" in p.message and p.field == "ended"]
    assert {p.file for p in warned} == {"jurisdictions/EC/designs/dinero-electronico.yaml",
                                        "jurisdictions/UY/designs/e-peso-pilot.yaml"}
    assert all(p.level == "warning" and "2023-11-27" in p.message and p.line == 8 for p in warned)
    assert not [p for p in api.validate() if p.field == "ended" and "has no value before" in p.message]


@pytest.mark.parametrize("ended", ["0000", "0001-01", "9999-12", "9999-12-31"])
def test_an_end_date_at_the_edge_of_the_calendar_is_judged_without_a_crash(tmp_path: Path, ended: str) -> None:
    # A workspace is untrusted input: its design may end in any year the date format allows.
    shipped = shipped_root() / "jurisdictions" / "NG" / "designs" / "enaira.yaml"
    text = shipped.read_text(encoding="utf-8").replace(
        "status: launched\n",
        f'status: discontinued\nended:\n  value: "{ended}"\n  source: ng-cbn-enaira-faq\n', 1)
    target = tmp_path / "jurisdictions" / "NG" / "designs" / "enaira.yaml"
    target.parent.mkdir(parents=True)
    target.write_text(text, encoding="utf-8")
    assert not [p for p in api.validate(tmp_path) if p.level == "error"]
    assessed = api.assess("NG", "enaira", api.workspace(tmp_path))
    assert assessed.judged_at == ended
    assert assessed.findings


def _uy_with_earlier(tmp_path: Path, earlier: str) -> Path:
    """A workspace whose Uruguay profile records today's remote identity service (2022) with an
    earlier value (``earlier``: the YAML of the list)."""
    shipped = shipped_root() / "jurisdictions" / "UY" / "profile.yaml"
    key = "  digital_authentication:\n"  # `earlier:` goes right under the fact's key
    text = shipped.read_text(encoding="utf-8")
    # the shipped fact may already keep a value of the pilot's period: drop it, so that `earlier`
    # is the only one (its lines are indented deeper than the fact's own keys)
    start = text.index(key)
    block = text.index("    earlier:\n", start) if "    earlier:\n" in text[start:text.index("\npayments:", start)] else -1
    if block != -1:
        lines = text[block:].split("\n")
        n = 1
        while n < len(lines) and lines[n].startswith("      "):
            n += 1
        text = text[:block] + "\n".join(lines[n:])
    text = text.replace(key, key + earlier, 1)
    target = tmp_path / "jurisdictions" / "UY" / "profile.yaml"
    target.parent.mkdir(parents=True)
    target.write_text(text, encoding="utf-8")
    return tmp_path


EARLIER_2017 = """\
    earlier:
      - value: false
        source: {ref: uy-bcu-2017-billete-digital, locator: "test: an earlier value"}
        as_of: "2017-11"
"""


def test_a_discontinued_design_reads_the_value_of_its_period_and_a_live_one_todays(tmp_path: Path) -> None:
    ws = api.workspace(_uy_with_earlier(tmp_path, EARLIER_2017))
    fact = ws.profiles["UY"].identity.digital_authentication
    assert fact is not None and fact.value is True and fact.earlier[0].value is False
    _, _, table = api.fact_table(ws, "UY", "e-peso-pilot")
    used = table.facts["jurisdiction.identity.digital_authentication"]
    assert (used.value, used.source, used.as_of, used.held_back) == (False, "uy-bcu-2017-billete-digital", "2017-11", None)
    # judged today (an archetype for Uruguay), the current value is read
    archetype = sorted(ws.archetypes)[0]
    _, _, today = api.fact_table(ws, "UY", archetype)
    assert today.facts["jurisdiction.identity.digital_authentication"].value is True
    # without an earlier value, the fact dated after the pilot is held back (unknown)
    _, _, without = api.fact_table(api.workspace(_uy_with_earlier(tmp_path / "none", "")), "UY", "e-peso-pilot")
    assert without.facts["jurisdiction.identity.digital_authentication"].held_back


@pytest.mark.parametrize("earlier, message", [
    (EARLIER_2017.replace('"2017-11"', '"2030"'), "is not before the fact's own as_of"),
    (EARLIER_2017.replace("uy-bcu-2017-billete-digital", "no-such-source"), "unknown source 'no-such-source'"),
])
def test_an_earlier_value_is_checked_where_it_is_written(tmp_path: Path, earlier: str, message: str) -> None:
    problems = [p for p in api.validate(_uy_with_earlier(tmp_path, earlier)) if p.level == "error"]
    assert [p.file for p in problems] == ["jurisdictions/UY/profile.yaml"], problems
    assert message in problems[0].message and problems[0].field.startswith("identity.digital_authentication.earlier")
