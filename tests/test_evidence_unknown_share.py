"""The unknown share in `coverage`, and the status line of a country that decided not to issue."""

from __future__ import annotations

import json

from click.testing import CliRunner

from policyengine import api
from policyengine.authoring.coverage import UnknownShare, coverage, coverage_table
from policyengine.cli import main
from policyengine.models.rule import Status
from policyengine.render.documents import build_handout, build_toolkit
from tests.conftest import DESIGN, PROFILE


def test_unknown_share_is_unknown_over_decided_plus_unknown() -> None:
    assert UnknownShare("XX", "coin", met=3, gap=1, unknown=4).share == 0.5
    assert UnknownShare("XX", "coin", met=0, gap=0, unknown=0).share is None


def test_coverage_reports_each_design_and_the_average(make_ws) -> None:
    root = make_ws()
    ws = api.workspace(root)
    report = coverage(ws)
    (u,) = report.unknown_share
    a = api.assess("XX", "coin", ws, include_drafts=True)
    counts = {s: sum(1 for f in a.findings if f.status == s) for s in Status}
    assert (u.met, u.gap, u.unknown) == (counts[Status.met], counts[Status.gap], counts[Status.unknown])
    assert u.met + u.gap + u.unknown > 0
    assert report.average_unknown_share == u.share
    data = report.to_dict()
    assert data["unknown_share"][0]["share"] == u.share and data["average_unknown_share"] == u.share
    assert f"XX/coin: {u.share:.0%}" in coverage_table(report)


def test_coverage_cli_json_carries_the_share(make_ws) -> None:
    result = CliRunner().invoke(main, ["coverage", "--format", "json", "--workspace", str(make_ws())])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["unknown_share"][0]["design_id"] == "coin" and "average_unknown_share" in data


def test_a_country_that_decided_not_to_issue_says_so_before_any_score(make_ws) -> None:
    profile = PROFILE.replace("sources:", 'cbdc_status: {value: decided_not_to_issue, source: xx-cb, as_of: "2023-06-02"}\nsources:')
    # A proposal the country did not pursue is a hypothetical (a design it piloted is not: below).
    design = DESIGN.replace("status: pilot", "status: proposal")
    root = make_ws({"jurisdictions/XX/profile.yaml": profile, "jurisdictions/XX/designs/coin.yaml": design})
    ws = api.workspace(root)
    toolkit = build_toolkit(ws, "XX", "coin")
    assert toolkit.jurisdiction.cbdc_status == "decided_not_to_issue"
    assert toolkit.jurisdiction.cbdc_status_line == (
        "Testland has decided not to issue a retail CBDC for now (2 June 2023): the design below is "
        "assessed as a hypothetical, not as the country's plan.")
    handout = build_handout(ws, "XX")
    assert handout.page.jurisdiction.cbdc_status_line == toolkit.jurisdiction.cbdc_status_line
    assert "jurisdiction.cbdc_status" in [r.path for r in handout.page.key_facts]


def test_a_design_the_country_ran_before_deciding_is_not_called_hypothetical(make_ws) -> None:
    profile = PROFILE.replace("sources:", 'cbdc_status: {value: discontinued, source: xx-cb, as_of: "2018"}\nsources:')
    ws = api.workspace(make_ws({"jurisdictions/XX/profile.yaml": profile}))  # coin is a pilot
    line = build_toolkit(ws, "XX", "coin").jurisdiction.cbdc_status_line
    assert line == ("Testland has discontinued its retail CBDC (2018). What follows assesses a design it actually "
                    "ran or runs, not a hypothetical.")
    assert build_handout(ws, "XX").page.jurisdiction.cbdc_status_line == line


def test_a_private_stablecoin_of_a_country_that_prohibits_a_cbdc_is_not_called_its_cbdc(make_ws) -> None:
    # USDC in the United States: the CBDC decision is stated, then the reader is told that what follows
    # is a privately issued currency, neither a hypothetical CBDC nor "a design the country ran".
    from policyengine.render.brief import build_brief

    profile = PROFILE.replace("sources:", 'cbdc_status: {value: prohibited, source: xx-cb, as_of: "2025-01-23"}\nsources:')
    coin = DESIGN.replace("kind: retail_cbdc", "kind: stablecoin").replace("issuer: central_bank", "issuer: nonbank")
    coin = coin.replace("status: pilot", "status: launched")
    proposal = DESIGN.replace("id: coin", "id: plan").replace("status: pilot", "status: proposal")
    ws = api.workspace(make_ws({"jurisdictions/XX/profile.yaml": profile, "jurisdictions/XX/designs/coin.yaml": coin,
                                "jurisdictions/XX/designs/plan.yaml": proposal}))
    line = build_toolkit(ws, "XX", "coin").jurisdiction.cbdc_status_line
    assert line == ("A retail CBDC is prohibited in Testland (23 January 2025). What follows assesses a privately issued "
                    "currency (a stablecoin or e-money), not a CBDC.")
    assert build_handout(ws, "XX").page.jurisdiction.cbdc_status_line == line
    assert build_brief(ws, "XX", "coin").jurisdiction.cbdc_status_line == line
    # A CBDC proposal of the same country that it did not pursue is still a hypothetical.
    plan = build_toolkit(ws, "XX", "plan").jurisdiction.cbdc_status_line
    assert plan is not None and "assessed as a hypothetical" in plan
    assert build_brief(ws, "XX", "plan").jurisdiction.cbdc_status_line == plan


def test_a_launched_cbdc_has_no_status_line(make_ws) -> None:
    profile = PROFILE.replace("sources:", "cbdc_status: {value: launched, source: xx-cb}\nsources:")
    ws = api.workspace(make_ws({"jurisdictions/XX/profile.yaml": profile}))
    assert build_toolkit(ws, "XX", "coin").jurisdiction.cbdc_status_line is None


def test_the_gap_analysis_of_a_country_that_decided_not_to_issue_says_so_and_names_the_archetype(tmp_path) -> None:
    from policyengine.render import pipeline

    written = pipeline.gap("KE", [], tmp_path, fmt="md")
    (md,) = [p for p in written if p.suffix == ".md"]
    head = md.read_text(encoding="utf-8").split("## ", 1)[0]
    assert "(archetype used: Kenya has no design recorded)" in head
    assert "**Kenya has decided not to issue a retail CBDC for now (2 June 2023): the design below is assessed as a " \
           "hypothetical, not as the country's plan.**" in head
    # A country with its own design, compared with an archetype, is not told it has none.
    (ng,) = [p for p in pipeline.gap("NG", [], tmp_path, fmt="md") if p.suffix == ".md"]
    assert "has no design recorded" not in ng.read_text(encoding="utf-8").split("## ", 1)[0]
