"""`policyengine principles`: the high-level principles as a publication, generated from the
principles, rules and bibliography and from the assessments of the shipped designs."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from policyengine import api
from policyengine.cli import main
from policyengine.models import Assessment
from policyengine.models.rule import Status
from policyengine.publications import render
from policyengine.publications.principles import build_principles

sys.path.insert(0, str(Path(__file__).parent))
from publications_support import compare_golden, copy_rulesets  # noqa: E402
from render_support import UPDATE  # noqa: E402


@pytest.fixture(scope="module")
def ws():
    return api.workspace()


@pytest.fixture(scope="module")
def doc(ws):
    return build_principles(ws)


@pytest.fixture(scope="module")
def assessments(ws):
    return api.assess_all(ws)


@pytest.fixture(scope="module")
def rendered(ws, tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("principles")
    render.principles(out, ws=ws)
    return {p.name: p.read_bytes() for p in out.iterdir()}


@pytest.mark.parametrize("name", ["principles.md", "principles.html", "principles.json"])
def test_golden(rendered, name):
    compare_golden(name, rendered[name], UPDATE)


def test_every_principle_appears_once_by_area(doc, ws):
    ids = [p.id for a in doc.areas for p in a.principles]
    assert sorted(ids) == sorted(ws.principles) and len(ids) == len(set(ids))
    for area in doc.areas:
        assert {p.area for p in area.principles} == {area.area}


def test_checks_list_exactly_the_active_rules_of_the_principle(doc, ws):
    checked = 0
    for p in (p for a in doc.areas for p in a.principles):
        want = {r.id for r in ws.active_rules() if r.principle == p.id}
        assert {c.rule_id for c in p.checks} == want, p.id
        assert len(p.checks) == len(want)
        for c in p.checks:
            rule = ws.rules[c.rule_id]
            assert (c.title, c.severity) == (rule.title, rule.severity.value)
        checked += bool(want)
    assert checked == doc.totals.principles_checked > 0


def test_a_draft_rule_is_not_listed_as_a_check(tmp_path):
    root = copy_rulesets(tmp_path / "ws")
    path = root / "rulesets/rules/inclusion/INCL-BASIC-PHONE-CHANNEL.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nstatus: active\n", "\nstatus: draft\n"), encoding="utf-8")
    doc = build_principles(api.workspace(root))
    incl3 = next(p for a in doc.areas for p in a.principles if p.id == "INCL-3")
    assert "INCL-BASIC-PHONE-CHANNEL" not in {c.rule_id for c in incl3.checks}
    assert incl3.checks  # the principle's other rules are still listed


def test_why_comes_from_the_rules_rationales(doc, ws):
    for p in (p for a in doc.areas for p in a.principles):
        for reason in p.why:
            assert ws.rules[reason.rule_id].principle == p.id
            assert reason.text == " ".join(ws.rules[reason.rule_id].rationale.split())


def test_standards_resolve_to_the_bibliography(doc, ws):
    for p in (p for a in doc.areas for p in a.principles):
        assert [s.ref for s in p.standards] == [c.ref for c in ws.principles[p.id].citations]
        for s in p.standards:
            entry = ws.bibliography[s.ref]
            assert s.found and (s.title, s.publisher, s.year) == (entry.title, entry.publisher, entry.year)
    annex = {s.id for s in doc.sources}
    assert {s.ref for p in (p for a in doc.areas for p in a.principles) for s in p.standards} <= annex


def test_good_practice_names_designs_that_meet_the_rule(doc, ws):
    practices = [g for a in doc.areas for p in a.principles for g in p.good_practice]
    assert practices
    assessments: dict[tuple[str, str], Assessment] = {}  # each design assessed once, not once per practice
    for g in practices:
        key = (g.design.jurisdiction_id, g.design.design_id)
        if key not in assessments:
            assessments[key] = api.assess(*key, ws)
        assessment = assessments[key]
        finding = next(f for f in assessment.findings if f.rule_id == g.rule_id)
        assert finding.status == Status.met and g.how == finding.text
        assert g.evidence and {e.path for e in g.evidence} <= {e.path for e in finding.evidence}


def test_every_met_finding_of_the_shipped_designs_is_good_practice(doc, assessments):
    listed = {(g.rule_id, g.design.jurisdiction_id, g.design.design_id)
              for a in doc.areas for p in a.principles for g in p.good_practice}
    met = {(f.rule_id, a.jurisdiction_id, a.design_id) for a in assessments for f in a.findings
           if f.status == Status.met}
    assert listed == met
    nigeria = api.assess("NG", "enaira")
    one = next(f for f in nigeria.findings if f.status == Status.met)
    assert (one.rule_id, "NG", "enaira") in listed


def test_common_gaps_count_the_designs_with_a_gap(doc, assessments):
    assert doc.common_gaps
    for g in doc.common_gaps:
        statuses = [f.status for a in assessments for f in a.findings if f.rule_id == g.rule_id]
        assert g.gaps == statuses.count(Status.gap) == len(g.designs) > 0
        assert g.decided == statuses.count(Status.gap) + statuses.count(Status.met)
        assert g.assessed == len(assessments)
    counts = [g.gaps for g in doc.common_gaps]
    assert counts == sorted(counts, reverse=True)


def test_versioned_and_citable(doc, ws, rendered):
    assert doc.meta.ruleset_version == ws.ruleset_version and ws.ruleset_name in doc.cite_as
    md = rendered["principles.md"].decode()
    assert f"version {ws.ruleset_version}" in md and "**Cite as:**" in md
    assert not re.search(r"20\d\d-\d\d-\d\dT", md)  # no timestamp


def test_date_only_when_given(tmp_path, ws):
    """The date given is printed as the document's language writes dates (1 March 2026)."""
    render.principles(tmp_path, ws=ws, fmt="md", date="2026-03-01")
    assert "1 March 2026" in (tmp_path / "principles.md").read_text()


def test_since_a_folder_shows_an_added_rule_and_a_changed_principle(tmp_path, ws):
    base = copy_rulesets(tmp_path / "base")
    (base / "rulesets/rules/inclusion/INCL-LITERACY-PROGRAMME.yaml").unlink()
    shutil.rmtree(base / "rulesets/guidance")  # an older version, before the guidance named the rule
    principles = base / "rulesets/principles/inclusion.yaml"
    text = principles.read_text(encoding="utf-8")
    principles.write_text(text.replace("Pair the launch with outreach", "Pair the launch with some outreach"),
                          encoding="utf-8")
    doc = build_principles(ws, since=str(base))
    c = doc.changes
    assert c is not None
    assert [r.id for r in c.rules_added] == ["INCL-LITERACY-PROGRAMME"] and not c.rules_removed
    assert [(p.id, p.fields) for p in c.principles_changed] == [("INCL-6", ["statement"])]
    assert c.findings_added == c.designs_assessed  # the new rule concludes something for every design
    out = tmp_path / "out"
    render.principles(out, ws=ws, fmt="md", since=str(base))
    md = (out / "principles.md").read_text()
    assert "## Changes since" in md and "`INCL-LITERACY-PROGRAMME`" in md.split("## Changes since")[1].split("\n## ")[0]


def test_since_an_unknown_revision_is_refused(tmp_path):
    result = CliRunner().invoke(main, ["principles", "--since", "no-such-rev-x", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "no-such-rev-x" in result.output and "Traceback" not in result.output
    assert not list(tmp_path.iterdir())


def test_cli_writes_the_formats_and_refuses_other_languages(tmp_path):
    runner = CliRunner()
    done = runner.invoke(main, ["principles", "--out", str(tmp_path), "--format", "md"])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "principles.md").is_file()
    refused = runner.invoke(main, ["principles", "--out", str(tmp_path / "sw"), "--lang", "sw"])
    assert refused.exit_code == 2 and "'sw' is not one of 'ar', 'zh', 'en', 'fr', 'ru', 'es'" in refused.output
    assert not (tmp_path / "sw").exists()


def test_html_headings_are_in_order(rendered):
    html = rendered["principles.html"].decode()
    levels = [int(n) for n in re.findall(r"<h([1-6])[ >]", html)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))
    for landmark in ("<header>", "<nav ", "<main>", "<footer>"):
        assert landmark in html


def test_rendering_is_deterministic(tmp_path, ws):
    render.principles(tmp_path / "a", ws=ws)
    render.principles(tmp_path / "b", ws=ws)
    for name in ("principles.md", "principles.html", "principles.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    shutil.rmtree(tmp_path / "a")
