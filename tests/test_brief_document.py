"""The minister's brief: what it says is backed by the engine, and it prints on two A4 pages."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from policyengine import api
from policyengine.cli import main
from policyengine.models.rule import Status
from policyengine.render import pipeline
from policyengine.render.brief import HORIZONS, build_brief, coverage_of
from policyengine.render.pdf import find_renderer
from tests.questionnaire_support import without_facts


@pytest.fixture(scope="module")
def ws():  # type: ignore[no-untyped-def]
    return api.workspace()


#: NG facts taken out of a copy of the shipped files for the brief these tests read: the gaps they
#: decide (the R.15 rating, what the central bank sees, programmability) outrank the channel gaps
#: and the open offline choice the tests are about, and sources keep being found.
NG_FACTS_OUT = {
    "profile.yaml": ["aml.r15_rating"],
    "designs/enaira.yaml": ["programmability", "privacy.central_bank_sees_identities"],
}


@pytest.fixture(scope="module")
def ng_ws(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return api.workspace(without_facts(tmp_path_factory.mktemp("ng"), "NG", NG_FACTS_OUT))


@pytest.fixture(scope="module")
def ng(ng_ws):  # type: ignore[no-untyped-def]
    return build_brief(ng_ws, "NG", "enaira")


@pytest.fixture(scope="module")
def ke(ws):  # type: ignore[no-untyped-def]
    return build_brief(ws, "KE", None)


def test_standing_counts_are_the_assessment_with_its_coverage(ng_ws, ng) -> None:  # type: ignore[no-untyped-def]
    a = api.assess("NG", "enaira", ng_ws)
    c = ng.standing.counts
    assert (c.met, c.gap, c.unknown) == (len(a.by_status(Status.met)), len(a.by_status(Status.gap)),
                                         len(a.by_status(Status.unknown)))
    assert c.decided == c.met + c.gap and c.applicable == c.decided + c.unknown
    assert c.coverage == round(c.decided / c.applicable, 4)
    assert sum(x.counts.applicable for x in ng.standing.areas) == c.applicable
    assert f"{c.decided} of {c.applicable}" in ng.headline


def test_priorities_say_what_who_and_when(ng_ws, ng) -> None:  # type: ignore[no-untyped-def]
    assert 3 <= len(ng.priorities) <= 5
    assert [p.order for p in ng.priorities] == list(range(1, len(ng.priorities) + 1))
    gaps = {f.rule_id: f for f in api.assess("NG", "enaira", ng_ws).by_status(Status.gap)}
    high = [r for r, f in gaps.items() if f.severity.value == "high"]
    assert high and all(any(r in p.rules and p.when == "now" for p in ng.priorities) for r in high)
    for p in ng.priorities:
        assert p.who and p.action and p.when in HORIZONS
        if p.kind == "gap":
            assert set(p.rules) <= set(gaps)
    # the three channel gaps of eNaira are one decision: add channels
    channels = next(p for p in ng.priorities if any("Channels" in c for c in p.change))
    assert len(channels.rules) >= 2
    horizons = [s.horizon for s in ng.roadmap]
    assert horizons == list(HORIZONS)
    assert any(p.title in item for s in ng.roadmap for item in s.items for p in ng.priorities)


def test_options_are_confirmed_by_the_engine(ng_ws, ng) -> None:  # type: ignore[no-untyped-def]
    assert ng.options, "eNaira has an open choice (offline) and gaps with several remedies"
    for o in ng.options:
        assert len(o.choices) >= 2
        if o.kind == "remedy":
            assert all(o.rules[0] in ch.closes for ch in o.choices)
    base = coverage_of(api.assess("NG", "enaira", ng_ws).findings)
    offline = next(o for o in ng.options if "offline" in o.question)
    # a choice that closes rules and opens none ends with more met and no more gaps than today
    assert any(not ch.opens for ch in offline.choices)
    for ch in offline.choices:
        if not ch.opens:
            assert ch.met == base.met + len(ch.closes) and ch.gap <= base.gap


def test_peers_are_the_region_and_best_practice_names_designs(ng_ws, ng) -> None:  # type: ignore[no-untyped-def]
    assert ng.peers[0].this and ng.peers[0].design_id == "enaira"
    assert {p.jurisdiction_id for p in ng.peers} <= {j for j, p in ng_ws.profiles.items() if p.region.value == "africa"}
    assert any(p.jurisdiction_id == "GH" for p in ng.peers)
    names = {d.name for designs in ng_ws.designs.values() for d in designs.values()}
    assert ng.best_practice and all(b.design_name in names for b in ng.best_practice)


def test_a_jurisdiction_without_a_design_gets_the_should_we_issue_view(ke) -> None:  # type: ignore[no-untyped-def]
    assert not ke.own_design and ke.design.archetype
    alt = ke.alternatives
    assert alt is not None
    assert any(r.value == "PesaLink" for r in alt.rails)
    assert any("instant payment system (PesaLink)" in p for p in alt.points)
    assert any("interoperable" in p for p in alt.points)


def test_rendered_brief_has_no_lone_percentage_no_grouped_year_no_entity(tmp_path: Path, ws) -> None:  # type: ignore[no-untyped-def]
    paths = pipeline.brief("NG", "enaira", tmp_path, ws=ws)
    assert sorted(p.name for p in paths) == ["NG-enaira-brief.html", "NG-enaira-brief.json", "NG-enaira-brief.md"]
    md = (tmp_path / "NG-enaira-brief.md").read_text()
    for m in re.finditer(r"\d+%", md):
        before = md[max(0, m.start() - 20):m.start()]
        assert re.search(r"\d+ of \d+ \($", before), f"percentage without its coverage: ...{before}{m.group()}"
    assert "&amp;" not in md and not re.search(r"\b2,0\d\d\b", md)
    # facts are named by their labels and values, not by their paths
    assert "design.kyc_tiers" not in md and "design.privacy.model" not in md
    assert "Privacy model: transparent" in md


def test_cli_brief_and_bad_input(tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["brief", "KE", "--out", str(tmp_path), "--format", "md"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "KE-brief.md").is_file()
    r = CliRunner().invoke(main, ["brief", "XX", "--out", str(tmp_path)])
    assert r.exit_code == 2 and "no jurisdiction 'XX'" in r.output and "Traceback" not in r.output


def _pages(pdf: Path) -> int:
    info = shutil.which("pdfinfo")
    if info:
        out = subprocess.run([info, str(pdf)], capture_output=True, text=True, check=True).stdout
        return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))  # type: ignore[union-attr]
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


@pytest.mark.skipif(find_renderer() is None, reason="Chromium is not installed (make test installs it with apt-get)")
@pytest.mark.parametrize("jurisdiction,design", [("NG", "enaira"), ("KE", None), ("GH", "ecedi")])
def test_brief_pdf_is_at_most_two_a4_pages(tmp_path: Path, ws, jurisdiction: str, design: str | None) -> None:  # type: ignore[no-untyped-def]
    [pdf] = pipeline.brief(jurisdiction, design, tmp_path, ws=ws, fmt="pdf")
    n = _pages(pdf)
    assert 1 <= n <= 2, f"{pdf.name} prints on {n} A4 pages"


@pytest.mark.parametrize("jurisdiction,design", [("NG", "enaira"), ("BS", "sand-dollar"), ("KE", "two-tier-token-retail")])
def test_trade_offs_are_measured_from_the_assessment_itself(ws, jurisdiction: str, design: str) -> None:  # type: ignore[no-untyped-def]
    """With no change, the re-run gives exactly the assessment's statuses (evidence standard
    included), so 'closes' and 'opens' are the effect of the option and nothing else."""
    from policyengine.render.brief import _Ctx

    profile, d, table = api.fact_table(ws, jurisdiction, design)
    ctx = _Ctx(ws, profile, d, table, api.assess(jurisdiction, design, ws))
    assert ctx.run({}) == ctx.base
