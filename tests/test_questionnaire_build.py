"""The questionnaire: the missing facts of a design as questions, by authority, ranked by what
each answer would decide, with design choices as options and suggestions to confirm."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from policyengine import api
from policyengine.explain import apply_changes
from policyengine.load import Workspace
from policyengine.models.rule import Status
from policyengine.paths import base_catalogue
from policyengine.questionnaire import forms
from policyengine.questionnaire.authorities import AUTHORITIES, authority_of, unmapped_paths
from policyengine.questionnaire.build import SEVERITY_WEIGHT, AnswerKind, Questionnaire
from policyengine.questionnaire.xlsx import COL, FIRST_ROW, META_SHEET, workbook_bytes
from tests.browser_support import HTML_VALIDATOR, NO_HTML_VALIDATOR
from tests.questionnaire_support import without_facts

#: The NG facts these tests expect to be asked (a choice, a suggestion to confirm, a percentage),
#: taken out of a copy of the shipped files so that sources found later do not change the tests.
ASKED = {
    "designs/enaira.yaml": ["offline", "programmability", "aml.sanctions_screening", "aml.risk_assessment_done",
                            "privacy.data_retention_limited"],
    "profile.yaml": ["inclusion.remittance_cost_pct"],
}


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return api.workspace(without_facts(tmp_path_factory.mktemp("ng"), "NG", ASKED))


@pytest.fixture(scope="module")
def enaira(ws) -> Questionnaire:  # type: ignore[no-untyped-def]
    return api.questionnaire("NG", "enaira", ws)


def test_every_catalogue_path_has_one_authority() -> None:
    assert unmapped_paths() == []
    assert authority_of("design.aml.travel_rule").id == "fiu"
    assert authority_of("jurisdiction.legal.data_protection_law").id == "dpa"
    assert authority_of("jurisdiction.legal.cbdc_legal_basis").id == "cb-legal"
    assert authority_of("jurisdiction.inclusion.internet_use_pct").id == "telecom"
    assert {a.id for a in AUTHORITIES.values()} >= {authority_of(p).id for p in base_catalogue()}


def test_questions_are_the_facts_unknown_findings_wait_for(ws, enaira: Questionnaire) -> None:  # type: ignore[no-untyped-def]
    a = api.assess("NG", "enaira", ws)
    waiting: dict[str, set[str]] = {}
    for f in a.findings:
        if f.status == Status.unknown:
            for p in f.missing:
                waiting.setdefault(p, set()).add(f.rule_id)
    asked = {q.id: q for q in enaira.questions()}
    not_asked = {n.path for n in enaira.not_asked}
    facts = {p for p in waiting if not p.startswith("derived.")}
    assert set(asked) | not_asked == facts and not set(asked) & not_asked
    for q in asked.values():
        assert set(q.waits_for) == waiting[q.id]
        assert q.authority == authority_of(q.id).id
        # every question says what it means (the label is now the path's own description where
        # it has one, so the two may read the same)
        assert q.description or q.id.endswith("_name")
    # Tier items cannot be answered in a form: they are listed, with the reason.
    assert any(n.path.startswith("design.kyc_tiers.") for n in enaira.not_asked)


def test_ranked_by_weighted_findings_decided(enaira: Questionnaire) -> None:
    qs = enaira.questions()
    assert [q.rank for q in qs] == list(range(1, len(qs) + 1))
    weights = [q.weight for q in qs]
    assert weights == sorted(weights, reverse=True)
    assert qs[0].weight > qs[-1].weight


def test_the_durable_engine_confirms_what_the_top_answer_decides(ws, enaira: Questionnaire) -> None:  # type: ignore[no-untyped-def]
    """The rank comes from trying each value; the durable-rules engine must agree on the count."""
    ruleset = api.compile_ruleset(ws)
    severity = {r.id: r.severity for r in ruleset.rules}
    _, _, table = api.fact_table(ws, "NG", "enaira")
    base, _ = ruleset.run_engine(table)
    unknown = {r.id for r in ruleset.rules if base.get(r.id, Status.unknown) == Status.unknown}
    top = enaira.questions()[0]
    best = (0, 0)
    assert top.kind == AnswerKind.choice, "NG/eNaira's most decisive fact is a choice (offline)"
    for value in top.allowed:
        statuses, _ = ruleset.run_engine(apply_changes(table, {top.id: value}))
        decided = [r for r in unknown if statuses.get(r, Status.unknown) != Status.unknown]
        best = max(best, (sum(SEVERITY_WEIGHT[severity[r]] for r in decided), len(decided)))
    assert best == (top.weight, top.decides)
    assert top.decides >= 2


def test_archetype_facts_are_design_choices_with_options(ws) -> None:  # type: ignore[no-untyped-def]
    q = api.questionnaire("NG", "two-tier-token-retail", ws)
    choices = [x for x in q.questions() if x.design_choice]
    assert choices and all(x.id.startswith("design.") for x in choices)
    assert not any(x.design_choice for x in q.questions() if x.id.startswith("jurisdiction."))
    with_effect = [x for x in choices if any(o.meets or o.gaps for o in x.options)]
    assert with_effect
    x = with_effect[0]
    assert len(x.options) >= 2 and {str(o.display) for o in x.options}
    # A launched design's missing facts are facts nobody published, not choices.
    assert not any(x.design_choice for x in api.questionnaire("NG", "enaira", ws).questions())


def test_suggestions_are_inferred_to_confirm_and_cited(enaira: Questionnaire) -> None:
    by_id = {q.id: q for q in enaira.questions()}
    retention = by_id["design.privacy.data_retention_limited"]
    assert retention.candidate is not None and retention.candidate.value is True
    assert retention.candidate.source == "ng-kpmg-2023-ndpa-review"  # the data protection law fact's source
    assert "Confirm" in retention.candidate.reason
    assert by_id["design.aml.risk_assessment_done"].candidate is None


def test_allowed_answers_follow_the_catalogue(enaira: Questionnaire) -> None:
    by_id = {q.id: q for q in enaira.questions()}
    assert by_id["design.programmability"].kind == AnswerKind.choice
    assert "programmable_payments" in by_id["design.programmability"].allowed
    pct = by_id["jurisdiction.inclusion.remittance_cost_pct"]
    assert (pct.kind, pct.minimum, pct.maximum) == (AnswerKind.percent, 0, 100)
    assert by_id["design.aml.sanctions_screening"].allowed == ["yes", "no"]


def test_workbook_has_a_printable_sheet_per_authority_and_validated_answer_cells(ws, enaira: Questionnaire) -> None:  # type: ignore[no-untyped-def]
    wb = load_workbook(io.BytesIO(workbook_bytes(ws, enaira)))
    for g in enaira.groups:
        sheet = wb[AUTHORITIES[g.id].sheet]
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4 == "9"  # A4
        assert sheet.print_title_rows
        ids = [sheet.cell(row=r, column=COL["id"]).value for r in range(FIRST_ROW, FIRST_ROW + len(g.questions))]
        assert ids == [q.id for q in g.questions]
        answer_col = sheet.cell(row=FIRST_ROW, column=COL["answer"]).column_letter
        validated = {str(c) for dv in sheet.data_validations.dataValidation for c in dv.sqref.ranges
                     if dv.sqref and str(c).startswith(answer_col)}
        assert {f"{answer_col}{r}" for r in range(FIRST_ROW, FIRST_ROW + len(g.questions))} <= validated
    assert wb[META_SHEET].sheet_state == "hidden"
    fiu = wb["FIU"]
    row = next(r for r in range(FIRST_ROW, fiu.max_row + 1) if fiu.cell(row=r, column=1).value == "design.aml.sanctions_screening")
    dv = next(d for d in fiu.data_validations.dataValidation if f"G{row}" in {str(c) for c in d.sqref.ranges})
    assert dv.type == "list" and dv.formula1 == '"yes,no"'


def test_html_and_yaml_carry_the_same_questions(ws, enaira: Questionnaire) -> None:  # type: ignore[no-untyped-def]
    html = forms.html_text(ws, enaira)
    text = forms.yaml_text(enaira)
    for q in enaira.questions():
        assert f'id="q-{q.id}"' in html
        assert f"  - id: {q.id}\n" in text
    for g in enaira.groups:
        assert f'id="group-{g.id}"' in html
    assert "break-before: page" in html and "size: A4" in html
    assert "could range" in html  # today's score with its coverage


def test_cli_writes_every_format(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from policyengine.cli import main

    result = CliRunner().invoke(main, ["questionnaire", "NG", "--design", "enaira", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "NG-enaira-questionnaire.html", "NG-enaira-questionnaire.xlsx", "NG-enaira-questionnaire.yaml"]
    assert "question(s) for" in result.output


def test_toolkit_of_an_unsettled_design_presents_its_open_choices(ws, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from policyengine.render import documents, pipeline

    archetype = documents.build_toolkit(ws, "NG", "two-tier-token-retail")
    assert archetype.open_choices
    choice = next(c for c in archetype.open_choices if c.path == "design.interop.cross_border")
    by_value = {o.value: o for o in choice.options}
    assert "INTEROP-XB-COEXISTENCE" in by_value["compatible"].meets
    assert "INTEROP-XB-COEXISTENCE" in by_value["none"].out_of_scope
    assert documents.build_toolkit(ws, "NG", "enaira").open_choices == []  # launched: unpublished, not undecided
    pipeline.toolkit("NG", "two-tier-token-retail", tmp_path, ws=ws)
    md = next(tmp_path.glob("*.md")).read_text(encoding="utf-8")
    assert "### Design choices still open" in md and "| compatible |" in md



@pytest.mark.skipif(HTML_VALIDATOR is None, reason=NO_HTML_VALIDATOR)
def test_questionnaire_and_open_choices_html_pass_the_validator(ws, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    from policyengine.render import pipeline

    api.write_questionnaire("NG", "enaira", tmp_path, ["html"], ws)
    api.write_questionnaire("NG", "two-tier-token-retail", tmp_path, ["html"], ws)
    pipeline.toolkit("NG", "two-tier-token-retail", tmp_path, ws=ws, fmt="html")
    files = sorted(str(p) for p in tmp_path.glob("*.html"))
    assert len(files) == 3
    result = subprocess.run([str(HTML_VALIDATOR), "--log", "INFO", *files], capture_output=True, text=True, timeout=300)
    report = result.stdout + result.stderr
    assert result.returncode == 0, f"the Nu validator found errors:\n{report}"
