"""Every shipped jurisdiction and design renders in every format; every region's handouts render.
No counts of rules or jurisdictions are hard-coded: content grows while this suite stands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from policyengine import api
from policyengine.cli import main
from policyengine.models.jurisdiction import Region
from policyengine.render import documents, pipeline

WS = api.workspace()
PAIRS = [(p.jurisdiction_id, p.design_id) for p in api.shipped_pairs(WS)]


@pytest.mark.parametrize("jid,design", PAIRS, ids=[f"{j}/{d}" for j, d in PAIRS])
def test_every_shipped_toolkit_renders(tmp_path: Path, jid: str, design: str) -> None:
    written = pipeline.toolkit(jid, design, tmp_path, ws=WS, rules_base="../rules/")
    assert sorted(p.suffix for p in written) == [".html", ".json", ".md"]
    data = json.loads((tmp_path / f"{jid}-{design}-toolkit.json").read_text(encoding="utf-8"))
    doc = documents.Toolkit.model_validate(data)
    a = api.assess(jid, design, WS)
    assert len(doc.rules) == len(a.findings)  # every finding appears in a chapter
    assert sum(len(p.findings) for ch in doc.chapters for p in ch.principles) == len(a.findings)
    assert [x.severity for x in doc.actions] == sorted((x.severity for x in doc.actions),
                                                       key=["high", "medium", "low"].index)
    html = (tmp_path / f"{jid}-{design}-toolkit.html").read_text(encoding="utf-8")
    md = (tmp_path / f"{jid}-{design}-toolkit.md").read_text(encoding="utf-8")
    areas = {f.rule_id: f.area.value for f in a.findings}
    for f in doc.rules:  # every finding links to its rule's reference page (docs layout: <area>/<ID>.md)
        assert f"(../rules/{areas[f.rule_id]}/{f.rule_id}.md)" in md
        assert f'href="../rules/{areas[f.rule_id]}/{f.rule_id}.md"' in html
        assert f'id="{f.anchor}"' in html


@pytest.mark.parametrize("jid", sorted(WS.profiles))
def test_every_shipped_jurisdiction_gap_and_handout(tmp_path: Path, jid: str) -> None:
    designs = documents.designs_for(WS, jid)
    pipeline.gap(jid, designs + [documents.DEFAULT_ARCHETYPE], tmp_path, ws=WS)
    pipeline.handout(jid, tmp_path, ws=WS)
    gap = documents.GapAnalysis.model_validate_json((tmp_path / f"{jid}-gap-analysis.json").read_bytes())
    assert [d.id for d in gap.designs] == list(dict.fromkeys(designs + [documents.DEFAULT_ARCHETYPE]))
    assert gap.best in {d.id for d in gap.designs}
    for row in gap.principles:
        assert len(row.cells) == len(gap.designs)


@pytest.mark.parametrize("region", [r.value for r in Region if documents.region_members(WS, r.value)])
def test_every_region_handouts(tmp_path: Path, region: str) -> None:
    seen: list[str] = []
    written = pipeline.handouts(region, tmp_path, ws=WS, progress=seen.append)
    members = documents.region_members(WS, region)
    assert seen == members
    for jid in members:
        assert (tmp_path / f"handout-{jid}.html").is_file()
    html = (tmp_path / f"handouts-{region}.html").read_text(encoding="utf-8")
    assert html.count('<section class="page handout-page') == len(members)
    assert "<svg" in html and "</svg>" in html
    assert len(written) == 3 * (len(members) + 1)


def test_cli_commands(tmp_path: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(main, ["toolkit", "NG", "--design", "enaira", "--out", str(tmp_path), "--format", "md"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "NG-enaira-toolkit.md").is_file()
    r = runner.invoke(main, ["gap", "NG", "--design", "enaira", "--design", "two-tier-token-retail",
                             "--out", str(tmp_path), "--format", "json"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(main, ["handouts", "--region", "africa", "--out", str(tmp_path / "h"), "--format", "html"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "h" / "handouts-africa.html").is_file()


def test_unknown_design_and_region_are_usage_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(main, ["toolkit", "NG", "--design", "enaria", "--out", str(tmp_path)])
    assert r.exit_code == 2 and "did you mean" in r.output
    r = runner.invoke(main, ["handouts", "--region", "atlantis", "--out", str(tmp_path)])
    assert r.exit_code == 2 and "no region" in r.output
    assert not any(tmp_path.iterdir())


def test_date_is_printed_only_when_given(tmp_path: Path) -> None:
    pipeline.toolkit("NG", "enaira", tmp_path / "a", ws=WS, fmt="md")
    pipeline.toolkit("NG", "enaira", tmp_path / "b", ws=WS, fmt="md", date="2026-03-01")
    a = (tmp_path / "a" / "NG-enaira-toolkit.md").read_text(encoding="utf-8")
    b = (tmp_path / "b" / "NG-enaira-toolkit.md").read_text(encoding="utf-8")
    assert "1 March 2026" in b and "1 March 2026" not in a  # the date as Babel writes it (en: CLDR long)
