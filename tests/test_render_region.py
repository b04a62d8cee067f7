"""The regional workshop packs (issue 11) on the shipped data: every jurisdiction with its
status, the heat-map with every area, common gaps and good practice computed from the
individual findings, and questions built from them; a country that decided not to issue is
never scored as if a CBDC were its plan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from policyengine import api
from policyengine.cli import main
from policyengine.load import Workspace
from policyengine.models import Assessment
from policyengine.models.finding import Finding
from policyengine.models.jurisdiction import Region
from policyengine.models.rule import Status
from policyengine.render import pipeline
from policyengine.render import region as region_mod
from policyengine.render.documents import HandoutSet, build_handout_set, designs_for, path_label, region_members
from policyengine.render.region import COMMON_MIN, NOT_PLANNED, RegionalPack, build_regional_pack
from policyengine.render.svg import heatmap_svg

REGIONS = [r.value for r in Region]


@pytest.fixture(scope="module")
def ws() -> Workspace:
    return api.workspace()


@pytest.fixture(scope="module")
def packs(ws: Workspace) -> dict[str, HandoutSet]:
    return {r: build_handout_set(ws, r)[0] for r in REGIONS}


def _assessments(ws: Workspace, region: str) -> dict[tuple[str, str], Assessment]:
    return {(j, d): api.assess(j, d, ws) for j in region_members(ws, region) for d in designs_for(ws, j)}


def _finding(a: Assessment, rule_id: str) -> Finding | None:
    return next((f for f in a.findings if f.rule_id == rule_id), None)


def _reads_design(f: Finding) -> bool:
    return any(e.path.startswith("design.") for e in f.evidence) or any(p.startswith("design.") for p in f.missing)


@pytest.mark.parametrize("region", REGIONS)
def test_every_jurisdiction_of_the_region_has_its_status(ws: Workspace, packs: dict[str, HandoutSet],
                                                         region: str) -> None:
    pack = packs[region].pack
    members = region_members(ws, region)
    assert [s.jurisdiction_id for s in pack.statuses] == members
    for s in pack.statuses:
        fact = ws.profiles[s.jurisdiction_id].cbdc_status
        assert s.status == (fact.value.value if fact else None)
        assert s.planned == (s.status not in NOT_PLANNED)
        if fact is not None:
            assert s.source_title, f"{s.jurisdiction_id}: a status without its source"
            assert s.as_of == fact.as_of
        assert [d.design_id for d in s.designs] == designs_for(ws, s.jurisdiction_id)


def test_africa_has_at_least_five_jurisdictions_and_a_pack_each_region(packs: dict[str, HandoutSet]) -> None:
    assert len(packs["africa"].pack.statuses) >= 5
    for region, doc in packs.items():
        assert doc.pack.statuses, region
        assert doc.pack.summary, region


def test_kenya_shows_its_decision_and_its_archetype_only_as_if_it_were_to_issue(
        packs: dict[str, HandoutSet], tmp_path: Path) -> None:
    doc = packs["africa"]
    ke = next(s for s in doc.pack.statuses if s.jurisdiction_id == "KE")
    assert ke.status == "decided_not_to_issue" and not ke.planned
    assert ke.status_label == "decided not to issue"
    assert ke.note and "compelling priority" in ke.note
    assert ke.locator and "2 June 2023" in ke.locator
    assert all(d.hypothetical for d in ke.designs)
    row = next(r for r in doc.heatmap if r.jurisdiction_id == "KE")
    assert row.hypothetical
    assert "Kenya \u00b7 if it were to issue (archetype)" in str(heatmap_svg(doc))

    pipeline.handouts("africa", tmp_path, fmt="md")
    md = (tmp_path / "handouts-africa.md").read_text(encoding="utf-8")
    assert "**Kenya: decided not to issue** (2 June 2023)" in md
    assert "| Kenya | if it were to issue (archetype) |" in md
    assert "### If Kenya were to issue: Two-tier token-based retail CBDC" in md
    # Never a heading that presents the archetype as Kenya's own design.
    assert "archetype used: Kenya has no design recorded" not in md
    single = (tmp_path / "handout-KE.md").read_text(encoding="utf-8")
    assert "If Kenya were to issue" in single


@pytest.mark.parametrize("region", REGIONS)
def test_a_country_that_does_not_plan_a_cbdc_is_never_counted_on_a_design_dependent_finding(
        ws: Workspace, packs: dict[str, HandoutSet], region: str) -> None:
    pack = packs[region].pack
    assessed = _assessments(ws, region)
    hypothetical = {(r.jurisdiction_id, r.design_id): r.label for r in pack.hypothetical}
    for g in pack.common_gaps:
        for (jid, did), label in hypothetical.items():
            if label in g.gap_in:
                f = _finding(assessed[(jid, did)], g.rule_id)
                assert f is not None and not _reads_design(f), f"{jid}: {g.rule_id} depends on the design"
    for gp in pack.good_practice:
        for e in gp.entries:
            for (jid, did), label in hypothetical.items():
                if e.design == label:
                    f = _finding(assessed[(jid, did)], gp.rule_id)
                    assert f is not None and not _reads_design(f)


def test_a_common_gap_in_africa_is_computed_from_the_individual_findings(
        ws: Workspace, packs: dict[str, HandoutSet]) -> None:
    pack = packs["africa"].pack
    assert pack.common_gaps, "the shipped African designs share at least one gap"
    assessed = _assessments(ws, "africa")
    for g in pack.common_gaps:
        statuses = {k: f.status for k, a in assessed.items() if (f := _finding(a, g.rule_id)) is not None}
        # Each common gap is one that reads no design fact, or a recorded design's: recount it from
        # the assessments of the designs it names.
        named = {r.label: (r.jurisdiction_id, r.design_id) for r in pack.counted + pack.hypothetical}
        assert len(g.gap_in) == g.gaps >= COMMON_MIN
        for label in g.gap_in:
            assert statuses[named[label]] == Status.gap
        for label in g.met_in:
            assert statuses[named[label]] == Status.met
        assert g.decided == g.gaps + len(g.met_in)
        assert g.decided_share == round(g.decided / g.applicable, 3)
    new_tech = next(g for g in pack.common_gaps if g.rule_id == "AML-NEW-TECH-FRAMEWORK-RATING")
    # This rule reads only the FATF R.15 rating: every African assessment counts, Kenya's too.
    found = {j: f.status for (j, _d), a in assessed.items() if (f := _finding(a, new_tech.rule_id)) is not None}
    gaps = sorted(j for j, s in found.items() if s == Status.gap)
    decided = sum(1 for s in found.values() if s in (Status.gap, Status.met))
    assert "KE" in gaps and new_tech.gaps == len(gaps) and new_tech.decided == decided
    assert new_tech.applicable == len(assessed)


def test_an_archetype_feature_is_never_credited_to_a_country(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(region_mod, "MAX_GOOD_PRACTICE", 10_000)  # every practice, not only those printed
    seen = 0
    for region in REGIONS:
        doc = build_handout_set(ws, region)[0]
        assessed = _assessments(ws, region)
        archetypes = {r.label: (r.jurisdiction_id, r.design_id) for r in doc.pack.counted + doc.pack.hypothetical
                      if r.archetype}
        for gp in doc.pack.good_practice:
            for e in gp.entries:
                if e.design not in archetypes:
                    continue
                seen += 1
                a = assessed[archetypes[e.design]]
                f = _finding(a, gp.rule_id)
                assert f is not None and f.status == Status.met
                own = {path_label(ev.path, None) for ev in f.evidence if ev.path.startswith("jurisdiction.")}
                assert {fact.label for fact in e.facts} <= own, (region, gp.rule_id, e.design)
    assert seen, "some archetype assessment meets a rule on the country's own facts"


@pytest.mark.parametrize("region", REGIONS)
def test_questions_come_from_the_findings(ws: Workspace, packs: dict[str, HandoutSet], region: str) -> None:
    pack = packs[region].pack
    rules = {r.id: r for r in ws.active_rules()}
    assessed = _assessments(ws, region)
    common = {g.rule_id: g for g in pack.common_gaps}
    assert pack.questions, region
    for q in pack.questions:
        assert q.rule_ids and q.principle_ids
        for rid in q.rule_ids:
            assert rid in rules
            assert rules[rid].principle in q.principle_ids
        if q.kind == "common_gap":
            assert q.rule_ids[0] in common and common[q.rule_ids[0]].rule_title in q.text
        elif q.kind == "open_choice":
            assert any(f.pending for a in assessed.values() for f in a.findings if f.rule_id in q.rule_ids)
        else:
            assert q.kind == "missing_data"
            assert all(any(f.rule_id == rid and f.status == Status.unknown for a in assessed.values() for f in a.findings)
                       for rid in q.rule_ids)
    texts = [q.text for doc in packs.values() for q in doc.pack.questions]
    assert len(set(texts)) == len(texts), "a question repeated across regions is canned, not drawn from data"


def test_the_heatmap_shows_every_area_of_the_catalogue(ws: Workspace, packs: dict[str, HandoutSet]) -> None:
    areas = {p.area.value for p in ws.principles.values()}
    for region, doc in packs.items():
        assert set(doc.areas) == areas, region
        svg = str(heatmap_svg(doc))
        for title in doc.area_titles:
            assert title.split(" ")[0] in svg
        assert len(doc.heatmap) == sum(len(s.designs) for s in doc.pack.statuses)


def test_the_pack_is_a_pure_function_of_the_assessments(ws: Workspace) -> None:
    members = [(ws.profiles[j], [(api.fact_table(ws, j, d)[1], api.assess(j, d, ws)) for d in designs_for(ws, j)])
               for j in region_members(ws, "americas")]
    cited: list[tuple[str | None, str]] = []

    def title(ident: str | None, jid: str) -> str | None:
        cited.append((ident, jid))
        return f"title of {ident}" if ident else None

    pack = build_regional_pack(members, label=path_label, source_title=title)
    assert pack == build_regional_pack(members, label=path_label, source_title=title)
    assert isinstance(pack, RegionalPack)
    us = next(s for s in pack.statuses if s.jurisdiction_id == "US")
    us_status = ws.profiles["US"].cbdc_status
    assert us_status is not None
    assert us.status == "prohibited" and us.source_title == f"title of {us_status.source_ref}"
    # A discontinued design that was really issued is a design of the region, counted in full.
    ec = next(s for s in pack.statuses if s.jurisdiction_id == "EC")
    assert not ec.planned and ec.designs and not any(d.hypothetical for d in ec.designs)
    assert any(r.jurisdiction_id == "EC" for r in pack.counted)
    assert ("US" in {j for _i, j in cited})


def test_handouts_cli_writes_the_pack_as_json(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["handouts", "--region", "cis", "--format", "json", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "handouts-cis.json").read_text(encoding="utf-8"))
    assert data["kind"] == "handouts"
    assert {s["jurisdiction_id"] for s in data["pack"]["statuses"]} >= {"RU", "KZ"}
    assert data["pack"]["questions"]


def test_the_html_pack_has_its_sections(tmp_path: Path) -> None:
    pipeline.handouts("europe", tmp_path, fmt="html")
    html = (tmp_path / "handouts-europe.html").read_text(encoding="utf-8")
    for anchor in ('id="status"', 'id="heatmap"', 'id="regional-summary"', 'id="questions"', 'id="sources"'):
        assert anchor in html
    assert "Denmark" in html and "decided not to issue" in html
    assert "@page landscape" in html
    # The print-only heat-map table has one cell per row and area, like the SVG.
    doc = build_handout_set(api.workspace(), "europe")[0]
    assert html.count('<td class="center heat ') == len(doc.heatmap) * len(doc.areas)


def test_a_design_the_country_really_ran_is_not_called_hypothetical(packs: dict[str, HandoutSet]) -> None:
    pages = {p.jurisdiction.id: p for p in packs["americas"].pages}
    ec = pages["EC"].jurisdiction.cbdc_status_line
    assert ec and "actually ran" in ec and "hypothetical, not as" not in ec
    ca = pages["CA"].jurisdiction.cbdc_status_line  # no design of its own: the archetype is a hypothetical
    assert ca and "hypothetical, not as the country's plan" in ca
