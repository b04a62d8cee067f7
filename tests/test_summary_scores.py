"""Honest summaries: every score carries its data coverage and the range it could take."""

from __future__ import annotations

import re

import pytest

from policyengine import api
from policyengine.models import Assessment
from policyengine.models.finding import score_range, score_sentence
from policyengine.render import documents
from policyengine.render.documents import HandoutSet, HeatCell, HeatRow, Meta
from policyengine.render.svg import HATCH, heatmap_svg


def test_score_range_from_counts() -> None:
    r = score_range(met=34, gap=6, unknown=45)
    assert r == {"decided": 40, "applicable": 85, "score": 0.85, "coverage": 0.471,
                 "score_min": 0.4, "score_max": 0.929}


def test_score_range_when_nothing_applies_or_nothing_decided() -> None:
    assert score_range(0, 0, 0)["score"] is None and score_range(0, 0, 0)["coverage"] is None
    none_decided = score_range(0, 0, 4)
    assert none_decided["score"] is None
    assert (none_decided["coverage"], none_decided["score_min"], none_decided["score_max"]) == (0, 0, 1)
    assert score_sentence(0, 0, 4).startswith("no score: none of the 4 applicable rules")


def test_sentence_names_coverage_and_range() -> None:
    assert score_sentence(34, 6, 45) == ("85% met of the 47% of rules it could decide (40 of 85); "
                                         "could range 40%\u201393% once the unknowns are answered")
    assert score_sentence(3, 1, 0) == "75% met; every applicable rule decided (4 of 4)"


@pytest.fixture(scope="module")
def sand_dollar() -> Assessment:
    return api.assess("BS", "sand-dollar")


def test_assessment_overall_summary_adds_up(sand_dollar: Assessment) -> None:
    a = sand_dollar
    o = a.overall
    assert o is not None
    assert o.met == sum(s.met for s in a.summary) and o.unknown == sum(s.unknown for s in a.summary)
    assert o.applicable == o.met + o.gap + o.unknown == sum(1 for f in a.findings if f.status.value != "not_applicable")
    # Sand Dollar is "100% met" on the rules its facts decide, not on all of them: the coverage says
    # how many (a share that issue 10's fact-filling raises, so the test asserts only that it is < 1).
    assert o.score == 1.0 and o.coverage is not None and 0 < o.coverage < 1
    assert o.score_min == round(o.met / o.applicable, 3) and o.score_max == 1.0
    for s in a.summary:
        assert s.applicable == s.met + s.gap + s.unknown
        assert s.label and ("decided" in s.label or "decide" in s.label or s.applicable == 0)


def test_a_fully_decided_area_still_shows_its_share_decided() -> None:
    # Kenya (no design: the archetype) has areas whose every applicable rule is decided.
    toolkit = documents.build_toolkit(api.workspace(), "KE", "two-tier-token-retail")
    full = [a.counts for a in toolkit.areas if a.counts.coverage == 1 and a.counts.score is not None]
    assert full, "expected at least one fully decided area"
    assert all(c.score_label.endswith("(100% decided)") for c in full), [c.score_label for c in full]


def test_every_rendered_score_has_its_coverage_beside_it() -> None:
    ws = api.workspace()
    toolkit = documents.build_toolkit(ws, "BS", "sand-dollar")
    for counts in [toolkit.totals] + [a.counts for a in toolkit.areas]:
        if counts.score is not None:  # even when every rule is decided: a percentage never stands alone
            assert re.fullmatch(r"\d+% \(\d+% decided\)", counts.score_label), counts.score_label
        assert counts.range_label == "-" or "\u2013" in counts.range_label or counts.range_label.endswith("%")
    t = toolkit.totals
    assert f"Score: {score_sentence(t.met, t.gap, t.unknown)}." in toolkit.headline
    assert f"could decide ({t.met + t.gap} of {t.met + t.gap + t.unknown})" in t.summary


def _cell(coverage: float | None, gaps: int = 0) -> HeatCell:
    return HeatCell(area="aml", status="gap" if gaps else "met", gaps=gaps, high_gaps=0, met=2, unknown=3,
                    coverage=coverage)


def test_heatmap_hatches_low_coverage_cells_and_explains_it() -> None:
    doc = HandoutSet(meta=Meta(ruleset_name="r", ruleset_version="1"), region="africa", region_title="Africa",
                     areas=["aml", "identity"], area_titles=["AML/CFT", "Identity"],
                     heatmap=[HeatRow(jurisdiction_id="XX", jurisdiction_name="X", design_id="d", design_name="D",
                                      archetype=False, cells=[_cell(0.2), _cell(0.8, gaps=1)])],
                     pages=[], sources=[])
    svg = str(heatmap_svg(doc))
    assert svg.count(f'fill="{HATCH}"') == 2  # one hatched cell, one legend swatch
    assert "hatched: under half decided" in svg
    assert "20% of the applicable rules decided" in svg and "80% of the applicable rules decided" in svg
