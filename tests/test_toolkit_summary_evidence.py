"""The toolkit reads as guidance: an executive summary written from the findings, and the
evidence once, in an annex the findings link to (issue 13).

The summary is checked against the assessment it is built from (NG/eNaira, launched, with
gaps; EA/digital euro, a proposal with open choices; KE, a country without a design, through
the reference archetype) and on hand-made assessments for the cases no shipped design shows.
The annex is checked for what it promises: each fact once, every link of every format
pointing at an id of the same document, and no field path left in the text a reader sees.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policyengine import api
from policyengine.i18n import format as fmt
from policyengine.load import Workspace
from policyengine.models import Assessment
from policyengine.models.finding import Finding, score_range
from policyengine.models.rule import Area, Severity, Status
from policyengine.render import pdf, pipeline
from policyengine.render.documents import DEFAULT_ARCHETYPE, TIERS_ANCHOR, Toolkit, build_toolkit
from policyengine.render.executive import MAX_PRIORITIES, executive_summary

CASES = (("NG", "enaira"), ("EA", "digital-euro"), ("KE", DEFAULT_ARCHETYPE))


@pytest.fixture(scope="module")
def ws() -> Workspace:
    return api.workspace()


@pytest.fixture(scope="module")
def toolkits(ws: Workspace) -> dict[str, tuple[Toolkit, Assessment]]:
    return {j: (build_toolkit(ws, j, d), api.assess(j, d, ws)) for j, d in CASES}


def _counts(a: Assessment) -> dict[Status, int]:
    return {s: sum(1 for f in a.findings if f.status == s) for s in Status}


@pytest.mark.parametrize("jid", [j for j, _ in CASES])
def test_summary_states_the_standing_with_its_coverage(toolkits: dict[str, tuple[Toolkit, Assessment]],
                                                       jid: str) -> None:
    t, a = toolkits[jid]
    c = _counts(a)
    r = score_range(c[Status.met], c[Status.gap], c[Status.unknown])
    text = " ".join(t.summary.standing)
    assert (f"the {r['applicable']} rules that apply to it: {c[Status.met]} met, {c[Status.gap]} not met "
            f"and {c[Status.unknown]} undecided") in text
    assert f"a further {c[Status.not_applicable]} out of scope" in text
    # the share met never stands alone: the share decided is in the same sentence
    share = next(s for s in t.summary.standing if "% are met" in s)
    assert f"decide {fmt.percent(r['coverage'])} of these rules ({r['decided']} of {r['applicable']})" in share
    assert f"{fmt.percent(r['score'])} are met" in share
    assert f"from {fmt.percent(r['score_min'])} to {fmt.percent(r['score_max'])}" in share
    pending = sum(1 for f in a.findings if f.status in (Status.met, Status.gap) and f.pending)
    assert (f"{pending} decided finding" in text) == bool(pending)


@pytest.mark.parametrize("jid", [j for j, _ in CASES])
def test_summary_priorities_are_the_most_severe_gaps_with_what_to_do(
        toolkits: dict[str, tuple[Toolkit, Assessment]], jid: str) -> None:
    t, a = toolkits[jid]
    gaps = [f for f in a.findings if f.status == Status.gap]
    assert len(t.summary.priorities) == min(len(gaps), MAX_PRIORITIES)
    for item, action in zip(t.summary.priorities, t.actions, strict=False):
        assert item.startswith(action.rule_title)
        assert action.recommendation.strip() in item
        assert f"({action.severity} severity" in item
        confirmed = bool(action.closing_change) and action.closing_change_confirmed
        assert ("closes this gap" in item) == bool(confirmed)
        for change in action.closing_change if confirmed else []:
            assert f"{change.label} from {change.current} to {change.proposed}" in item
    if gaps:
        high = sum(1 for f in gaps if f.severity == Severity.high)
        assert f"{high} high" in t.summary.priorities_intro or len(gaps) == 1
        if len(gaps) > MAX_PRIORITIES:
            assert f"the other {len(gaps) - MAX_PRIORITIES} " in t.summary.priorities_intro
    else:
        assert t.summary.priorities_intro.startswith("No gap was found")


@pytest.mark.parametrize("jid", [j for j, _ in CASES])
def test_summary_names_where_the_unknowns_sit_and_the_missing_facts(
        toolkits: dict[str, tuple[Toolkit, Assessment]], jid: str) -> None:
    t, a = toolkits[jid]
    unknown = [f for f in a.findings if f.status == Status.unknown]
    assert unknown, "every shipped case has undecided rules; the test would prove nothing otherwise"
    top_area = max(Area, key=lambda ar: (sum(1 for f in unknown if f.area == ar), -list(Area).index(ar)))
    first = t.summary.undecided[0]
    assert f"The {len(unknown)} undecided rules sit mostly in" in first
    assert top_area.value in {ar for ar, title in _titles().items() if title in first}
    missing = " ".join(t.summary.missing)
    assert f"{len(t.missing)} facts are missing" in missing
    assert t.missing[0].label in missing and f"({len(t.missing[0].rules)} rules waiting)" in missing
    if t.open_choices:
        assert t.open_choices[0].label in " ".join(t.summary.undecided)
    else:
        assert len(t.summary.undecided) == 1


def _titles() -> dict[str, str]:
    from policyengine.render.documents import AREA_TITLES

    return AREA_TITLES


def test_summary_of_the_three_cases_differ_where_the_designs_do(toolkits: dict[str, tuple[Toolkit, Assessment]]) -> None:
    ng, ea, ke = (toolkits[j][0] for j in ("NG", "EA", "KE"))
    assert ng.open_choices == [] and "still to choose" not in " ".join(ng.summary.undecided)
    assert ea.open_choices and "still to choose" in " ".join(ea.summary.undecided)
    assert ke.summary.standing[0].startswith("Kenya has no design of its own")
    assert ke.design.name in ke.summary.standing[0]
    assert not any("has no design of its own" in s for s in ng.summary.standing + ea.summary.standing)


def _finding(rule: str, status: Status, severity: Severity = Severity.medium, area: Area = Area.aml,
             pending: list[str] | None = None) -> Finding:
    return Finding(rule_id=rule, rule_title=f"Title of {rule}", principle_id="AML-1", area=area, severity=severity,
                   status=status, text="t", pending=pending or [])


def _assessment(findings: list[Finding]) -> Assessment:
    return Assessment(jurisdiction_id="XX", jurisdiction_name="Testland", design_id="d", design_name="D",
                      ruleset_name="r", ruleset_version="0", findings=findings)


def test_summary_when_everything_is_decided_and_met() -> None:
    a = _assessment([_finding("A-ONE", Status.met), _finding("A-TWO", Status.met),
                     _finding("A-THREE", Status.not_applicable)])
    s = executive_summary(a, design="D", jurisdiction="Testland", archetype=False, actions=[], missing=[],
                          open_choices=[])
    assert s.standing[1] == "The recorded facts decide every one of these rules, and 100% of them are met."
    assert s.priorities_intro.startswith("No gap was found among the 2 rules")
    assert s.priorities == [] and s.undecided == [] and s.missing == []


def test_summary_when_nothing_is_decided_gives_no_share() -> None:
    a = _assessment([_finding("A-ONE", Status.unknown), _finding("A-TWO", Status.unknown, area=Area.privacy)])
    s = executive_summary(a, design="D", jurisdiction="Testland", archetype=False, actions=[], missing=[],
                          open_choices=[])
    assert "decide none of these rules yet, so no share met can be given" in s.standing[1]
    assert "from 0% to 100%" in s.standing[1]
    assert s.priorities_intro.startswith("No gap can be named")
    assert s.undecided == ["The 2 undecided rules sit mostly in AML/CFT (1) and Privacy and data protection (1)."]


def test_summary_counts_pending_decisions_and_a_single_gap() -> None:
    a = _assessment([_finding("A-ONE", Status.gap, Severity.high, pending=["design.x"]),
                     _finding("A-TWO", Status.met, pending=["design.y"]), _finding("A-THREE", Status.met)])
    s = executive_summary(a, design="D", jurisdiction="Testland", archetype=False, actions=[], missing=[],
                          open_choices=[])
    assert "2 decided findings rest on a decision still pending" in " ".join(s.standing)
    assert s.priorities_intro == "The one gap is of high severity; what to do about it:"


# --- the Evidence annex ----------------------------------------------------------------------

def test_each_decided_finding_links_to_annex_entries_that_name_it(toolkits: dict[str, tuple[Toolkit, Assessment]]) -> None:
    for t, _a in toolkits.values():
        entries = {e.anchor: e for e in t.evidence}
        assert len(entries) == len(t.evidence), "a fact appears twice in the annex"
        decided = [f for ch in t.chapters for p in ch.principles for f in p.findings if f.status in ("met", "gap")]
        assert decided
        for f in decided:
            assert f.evidence_links, f"{f.rule_id} links to no evidence"
            for link in f.evidence_links:
                if link.anchor == TIERS_ANCHOR:
                    assert t.design.tiers and f.rule_id in t.tiers_used_by
                else:
                    assert f.rule_id in entries[link.anchor].used_by, (f.rule_id, link.anchor)


@pytest.fixture(scope="module")
def rendered(ws: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("toolkits")
    for jid, design in CASES:
        pipeline.toolkit(jid, design, out, ws=ws)
    return out


def _ids_and_links(text: str, html: bool) -> tuple[list[str], list[str]]:
    ids = re.findall(r'\sid="([^"]+)"', text)
    links = re.findall(r'href="#([^"]+)"', text) if html else re.findall(r"\]\(#([^)]+)\)", text)
    return ids, links


@pytest.mark.parametrize("ext", ["md", "html"])
def test_every_internal_link_resolves_and_each_fact_is_shown_once(rendered: Path, ext: str) -> None:
    for page in sorted(rendered.glob(f"*-toolkit.{ext}")):
        text = page.read_text(encoding="utf-8")
        ids, links = _ids_and_links(text, ext == "html")
        assert len(ids) == len(set(ids)), f"{page.name}: duplicate ids"
        evidence_links = [x for x in links if x.startswith("ev-")]
        assert len(evidence_links) > 20, f"{page.name}: the findings do not link to the evidence"
        dangling = sorted(set(links) - set(ids))
        assert not dangling, f"{page.name}: links to no anchor: {dangling[:5]}"
        # the tier table is printed once, in the annex
        assert text.count("Identity required") <= 1, page.name


@pytest.mark.parametrize("ext", ["md", "html"])
def test_no_field_path_is_left_in_the_text(rendered: Path, ext: str) -> None:
    for page in sorted(rendered.glob(f"*-toolkit.{ext}")):
        text = page.read_text(encoding="utf-8")
        text = re.sub(r'(id|href)="[^"]*"', "", text)
        text = re.sub(r"\]\([^)]*\)", "]", text)
        paths = re.findall(r"\b(?:design|jurisdiction)\.[a-z_]+(?:\.[a-z0-9_]+)+", text)
        assert not paths, f"{page.name}: {sorted(set(paths))[:5]}"
        assert "KYC tier 1" not in text, page.name


@pytest.mark.skipif(pdf.find_renderer() is None, reason="needs Chromium (.ci/run installs it)")
def test_pdf_links_land_on_destinations(ws: Workspace, tmp_path: Path) -> None:
    """Chromium turns the HTML anchors into named destinations: every link of the PDF to a
    place inside it names one that exists, the findings' links to the annex included."""
    (target,) = pipeline.toolkit("NG", "enaira", tmp_path, ws=ws, fmt="pdf")
    data = target.read_bytes()
    used = set(re.findall(rb"/Dest /([^\s/>\]]+)", data))
    defined = set(re.findall(rb"/([^\s/>\[\]]+)\s*\[\d+ 0 R /XYZ", data))
    assert sum(1 for u in used if u.startswith(b"ev-")) > 20
    assert sum(1 for u in used if u.startswith(b"finding-")) > 50
    assert not used - defined, sorted(used - defined)[:5]
