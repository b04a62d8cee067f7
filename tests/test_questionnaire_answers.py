"""Importing a filled questionnaire: NG/eNaira end to end, and every way an answer is refused."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from policyengine import api
from policyengine.cli import main
from policyengine.load import shipped_root
from policyengine.models.rule import Status
from policyengine.questionnaire.answers import AnswersRefused
from policyengine.questionnaire.xlsx import COL, FIRST_ROW
from tests.questionnaire_support import without_facts

DATE = "2026-11-30"
TEAM_SOURCE = f"ng-country-team-{DATE}"
COMMENT = "# kept: a note of the country team that the import must not touch"


#: The facts these tests answer, taken out of the copy of the shipped NG files first: the
#: questionnaire asks them whatever the shipped content has recorded since (sources get found).
ASKED = {
    "designs/enaira.yaml": ["aml.sanctions_screening", "aml.risk_assessment_done", "programmability",
                            "privacy.impact_assessment_published", "privacy.data_retention_limited",
                            "security.business_continuity_plan"],
    "profile.yaml": ["inclusion.remittance_cost_pct"],
}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A country team's workspace: a copy of the shipped NG folder without the facts the tests
    answer, with a comment of its own."""
    ws = without_facts(tmp_path_factory.mktemp("base") / "ws", "NG", ASKED)
    folder = ws / "jurisdictions" / "NG"
    profile = folder / "profile.yaml"
    text = profile.read_text(encoding="utf-8").replace("legal:\n", f"{COMMENT}\nlegal:\n", 1)
    profile.write_text(text, encoding="utf-8")
    asked = {q.id for g in api.questionnaire("NG", "enaira", ws).groups for q in g.questions}
    assert {f"design.{f}" for f in ASKED["designs/enaira.yaml"]} | {"jurisdiction.inclusion.remittance_cost_pct"} <= asked
    return ws


@pytest.fixture(scope="module")
def form(base: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The NG/eNaira questionnaire of :func:`base`, written once."""
    out = tmp_path_factory.mktemp("form")
    api.write_questionnaire("NG", "enaira", out, ["xlsx", "yaml"], base)
    return out


@pytest.fixture()
def workspace(base: Path, tmp_path: Path) -> Path:
    """A fresh copy of :func:`base` for one test to write into."""
    ws = tmp_path / "ws"
    shutil.copytree(base, ws)
    return ws


def snapshot(ws: Path) -> dict[str, str]:
    return {str(p.relative_to(ws)): p.read_text(encoding="utf-8") for p in sorted(ws.rglob("*.yaml"))}


def row_of(sheet, question_id: str) -> int:  # type: ignore[no-untyped-def]
    for r in range(FIRST_ROW, sheet.max_row + 1):
        if sheet.cell(row=r, column=COL["id"]).value == question_id:
            return r
    raise AssertionError(f"{question_id} not on {sheet.title}")


def fill(sheet, question_id: str, **fields) -> str:  # type: ignore[no-untyped-def]
    """Type into a row as a person would; return the answer cell's reference."""
    r = row_of(sheet, question_id)
    for key, value in fields.items():
        sheet.cell(row=r, column=COL[key], value=value)
    return f"{sheet.cell(row=r, column=COL['answer']).column_letter}{r}"


def filled_workbook(form: Path, target: Path, edit=None) -> Path:  # type: ignore[no-untyped-def]
    wb = load_workbook(form / "NG-enaira-questionnaire.xlsx")
    wb["About"]["B6"] = "CBN eNaira"
    fill(wb["FIU"], "design.aml.sanctions_screening", answer="yes", source="declared", as_of=DATE)
    fill(wb["Data protection"], "design.privacy.impact_assessment_published", answer="no", source="declared",
         as_of=DATE, note="No privacy impact assessment published yet")
    fill(wb["CB payments"], "design.programmability", answer="programmable_payments", source="declared", as_of=DATE)
    # A suggestion confirmed, with the team as its source.
    fill(wb["Data protection"], "design.privacy.data_retention_limited", status="confirmed", source="declared",
         as_of=DATE)
    fill(wb["Finance ministry"], "jurisdiction.inclusion.remittance_cost_pct", answer=9.5,
         source="declared", as_of=DATE, locator="survey table 3")
    if edit:
        edit(wb)
    path = target / "filled.xlsx"
    wb.save(path)
    return path


def test_enaira_unknowns_become_met_or_gap_with_the_country_team_as_source(form: Path, workspace: Path,
                                                                           tmp_path: Path) -> None:
    before = api.assess("NG", "enaira", workspace)
    assert {f.rule_id: f.status for f in before.findings}["AML-SANCTIONS-SCREENING"] == Status.unknown
    original = snapshot(workspace)

    result = api.import_answers(filled_workbook(form, tmp_path), workspace)

    assert result.changed == 5 and result.sources_added == [TEAM_SOURCE]
    after = api.assess("NG", "enaira", workspace)
    status = {f.rule_id: f for f in after.findings}
    assert status["AML-SANCTIONS-SCREENING"].status == Status.met
    assert status["PRIV-DPIA-PUBLISHED"].status == Status.gap
    evidence = {e.path: e for f in after.findings for e in f.evidence}
    for path in ("design.aml.sanctions_screening", "design.privacy.impact_assessment_published",
                 "design.programmability", "design.privacy.data_retention_limited",
                 "jurisdiction.inclusion.remittance_cost_pct"):
        assert evidence[path].source == TEAM_SOURCE and evidence[path].as_of == DATE
    assert after.overall and before.overall
    assert after.overall.unknown < before.overall.unknown
    assert after.overall.coverage > before.overall.coverage  # type: ignore[operator]
    entry = api.workspace(workspace).source(TEAM_SOURCE, "NG")
    assert entry is not None and entry.title == "Declared by the CBN eNaira country team"
    assert entry.evidence is not None and entry.evidence.value == "official"

    # Nothing else changed: every original line is still there, in order; only lines were added.
    for name, text in snapshot(workspace).items():
        diff = [d for d in difflib.ndiff(original[name].splitlines(), text.splitlines()) if d[:1] in "-?"]
        assert diff == [], f"{name} lost or changed lines: {diff[:3]}"
    assert COMMENT in snapshot(workspace)["jurisdictions/NG/profile.yaml"]


def test_reimporting_the_same_file_changes_nothing(form: Path, workspace: Path, tmp_path: Path) -> None:
    filled = filled_workbook(form, tmp_path)
    api.import_answers(filled, workspace)
    once = snapshot(workspace)
    again = api.import_answers(filled, workspace)
    assert again.changed == 0 and again.files_changed == [] and again.sources_added == []
    assert snapshot(workspace) == once


def refused(form: Path, workspace: Path, tmp_path: Path, edit, partial: bool = False) -> list[str]:  # type: ignore[no-untyped-def]
    original = snapshot(workspace)
    with pytest.raises(AnswersRefused) as exc:
        api.import_answers(filled_workbook(form, tmp_path, edit), workspace, partial=partial)
    assert snapshot(workspace) == original, "a refused import must write nothing"
    return [str(p) for p in exc.value.problems]


def test_wrong_type_is_refused_with_its_cell(form: Path, workspace: Path, tmp_path: Path) -> None:
    cell = {}

    def edit(wb):  # type: ignore[no-untyped-def]
        cell["ref"] = fill(wb["FIU"], "design.aml.risk_assessment_done", answer="maybe", source="declared", as_of=DATE)

    problems = refused(form, workspace, tmp_path, edit)
    assert problems == [f"filled.xlsx: FIU!{cell['ref']}: answer: design.aml.risk_assessment_done: "
                        "expected yes or no, got 'maybe'"]


def test_out_of_range_is_refused(form: Path, workspace: Path, tmp_path: Path) -> None:
    def edit(wb):  # type: ignore[no-untyped-def]
        fill(wb["Statistics and ID"], "jurisdiction.identity.id_coverage_pct", answer=140, source="declared", as_of=DATE)

    (problem,) = refused(form, workspace, tmp_path, edit)
    assert problem.startswith("filled.xlsx: 'Statistics and ID'!G")
    assert problem.endswith("jurisdiction.identity.id_coverage_pct: 140 is out of range: a percentage is 0 to 100")


def test_a_choice_outside_the_allowed_values_is_refused(form: Path, workspace: Path, tmp_path: Path) -> None:
    def edit(wb):  # type: ignore[no-untyped-def]
        fill(wb["CB payments"], "design.programmability", answer="anonymous")

    (problem,) = refused(form, workspace, tmp_path, edit)
    assert "'anonymous' is not allowed; allowed: none, programmable_payments" in problem


def test_missing_source_is_refused(form: Path, workspace: Path, tmp_path: Path) -> None:
    def edit(wb):  # type: ignore[no-untyped-def]
        fill(wb["FIU"], "design.aml.risk_assessment_done", answer="no", as_of=DATE)

    (problem,) = refused(form, workspace, tmp_path, edit)
    assert ": source: design.aml.risk_assessment_done: give a source: a bibliography id, or 'declared'" in problem
    assert "FIU!H" in problem  # the source cell


def test_a_source_outside_the_bibliography_and_a_missing_date_are_refused(form: Path, workspace: Path,
                                                                          tmp_path: Path) -> None:
    def edit(wb):  # type: ignore[no-untyped-def]
        fill(wb["FIU"], "design.aml.risk_assessment_done", answer="no", source="ng-cbn-enaira-faqs", as_of=DATE)
        fill(wb["CB payments"], "design.security.business_continuity_plan", answer="no", source="declared",
             as_of=None)

    problems = refused(form, workspace, tmp_path, edit)
    assert any("'ng-cbn-enaira-faqs' is not in the bibliography" in p and "did you mean ng-cbn-enaira-faq" in p
               for p in problems)
    assert any("as_of: design.security.business_continuity_plan: give the date the answer is true" in p for p in problems)


def test_declared_answers_need_the_country_team(form: Path, workspace: Path, tmp_path: Path) -> None:
    def edit(wb):  # type: ignore[no-untyped-def]
        wb["About"]["B6"] = None

    problems = refused(form, workspace, tmp_path, edit)
    assert problems and all("About!B6: country_team: a declared answer needs the name" in p for p in problems)


def test_unknown_question_id_is_refused_with_its_line(form: Path, workspace: Path, tmp_path: Path) -> None:
    text = (form / "NG-enaira-questionnaire.yaml").read_text(encoding="utf-8")
    text = text.replace("country_team: null", 'country_team: "CBN eNaira"', 1)
    text += ('  - id: design.aml.travel_rules\n    answer: yes\n    source: declared\n    as_of: "2026-11-30"\n')
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("  - id: design.aml.travel_rules") + 1
    original = snapshot(workspace)
    with pytest.raises(AnswersRefused) as exc:
        api.import_answers(path, workspace)
    (problem,) = [str(p) for p in exc.value.problems]
    assert problem.startswith(f"answers.yaml:{line}: id: unknown question id 'design.aml.travel_rules' "
                              "(not a fact of the catalogue); did you mean design.aml.travel_rule,")
    assert snapshot(workspace) == original


def test_yaml_form_imports_like_the_workbook(form: Path, workspace: Path, tmp_path: Path) -> None:
    text = (form / "NG-enaira-questionnaire.yaml").read_text(encoding="utf-8")
    text = text.replace("country_team: null", 'country_team: "CBN eNaira"', 1)
    marker = "  - id: design.aml.sanctions_screening\n"
    head, tail = text.split(marker, 1)
    tail = tail.replace("    answer: null\n    source: null\n    locator: null\n    as_of: null\n",
                        f'    answer: no\n    source: declared\n    locator: null\n    as_of: "{DATE}"\n', 1)
    path = tmp_path / "answers.yaml"
    path.write_text(head + marker + tail, encoding="utf-8")
    result = api.import_answers(path, workspace)
    assert [(f.path, f.value, f.changed) for f in result.facts] == [("design.aml.sanctions_screening", False, True)]
    assert result.unconfirmed  # the suggestions nobody confirmed are listed, not written
    status = {f.rule_id: f.status for f in api.assess("NG", "enaira", workspace).findings}
    assert status["AML-SANCTIONS-SCREENING"] == Status.gap


def test_an_edited_away_sheet_is_refused(form: Path, workspace: Path, tmp_path: Path) -> None:
    asked = sum(len(g.questions) for g in api.questionnaire("NG", "enaira", workspace).groups if g.id == "mof")

    def edit(wb):  # type: ignore[no-untyped-def]
        del wb["Finance ministry"]

    problems = refused(form, workspace, tmp_path, edit)
    assert asked and problems == [f"filled.xlsx: the sheet 'Finance ministry' is missing (renamed or deleted?): its {asked} question(s) "
                        "cannot be read; restore it from the questionnaire"]


def test_partial_writes_the_valid_answers_and_lists_the_rest(form: Path, workspace: Path, tmp_path: Path) -> None:
    def edit(wb):  # type: ignore[no-untyped-def]
        fill(wb["FIU"], "design.aml.risk_assessment_done", answer="maybe", source="declared", as_of=DATE)

    result = api.import_answers(filled_workbook(form, tmp_path, edit), workspace, partial=True)
    assert result.changed == 5
    assert len(result.refused) == 1 and "expected yes or no, got 'maybe'" in result.refused[0]


def test_a_workspace_without_the_jurisdiction_gets_a_copy_first(form: Path, tmp_path: Path) -> None:
    ws = tmp_path / "empty-ws"
    ws.mkdir()
    shipped = snapshot(shipped_root() / "jurisdictions" / "NG")
    result = api.import_answers(filled_workbook(form, tmp_path), ws)
    own = (ws / "jurisdictions" / "NG").resolve()
    assert result.copied == [str(own / "profile.yaml"), str(own / "designs" / "enaira.yaml")]
    assert snapshot(shipped_root() / "jurisdictions" / "NG") == shipped, "the shipped files are never written"
    assert (shipped_root() / "jurisdictions" / "NG" / "designs" / "enaira.yaml").read_text(encoding="utf-8") \
        != (ws / "jurisdictions" / "NG" / "designs" / "enaira.yaml").read_text(encoding="utf-8")


def test_cli_refuses_bad_answers_with_exit_2_and_imports_good_ones(form: Path, workspace: Path, tmp_path: Path) -> None:
    def edit(wb):  # type: ignore[no-untyped-def]
        fill(wb["FIU"], "design.aml.risk_assessment_done", answer="maybe", source="declared", as_of=DATE)

    runner = CliRunner()
    bad = runner.invoke(main, ["answers", str(filled_workbook(form, tmp_path, edit)), "--workspace", str(workspace)])
    assert bad.exit_code == 2
    assert "expected yes or no, got 'maybe'" in bad.output and "nothing was written" in bad.output
    assert "Traceback" not in bad.output
    good = runner.invoke(main, ["answers", str(filled_workbook(form, tmp_path)), "--workspace", str(workspace)])
    assert good.exit_code == 0, good.output
    assert f"added source {TEAM_SOURCE}" in good.output and "5 fact(s) written" in good.output


def test_a_damaged_or_foreign_file_is_refused_without_a_traceback(workspace: Path, tmp_path: Path) -> None:
    junk = tmp_path / "answers.xlsx"
    junk.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(AnswersRefused) as exc:
        api.import_answers(junk, workspace)
    assert "cannot read the workbook" in str(exc.value.problems[0])
    other = tmp_path / "other.yaml"
    other.write_text("rules: []\n", encoding="utf-8")
    with pytest.raises(AnswersRefused) as exc:
        api.import_answers(other, workspace)
    assert str(exc.value.problems[0]) == "other.yaml:1: not a questionnaire: no 'questions' list"


def test_an_answer_that_contradicts_a_sourced_fact_keeps_the_old_one_as_a_conflict(form: Path, workspace: Path,
                                                                                   tmp_path: Path) -> None:
    text = (form / "NG-enaira-questionnaire.yaml").read_text(encoding="utf-8")
    text = text.replace("country_team: null", 'country_team: "CBN eNaira"', 1)
    before = api.workspace(workspace).profiles["NG"].legal.cbdc_legal_tender
    assert before is not None and isinstance(before.value, bool)
    answer = "no" if before.value else "yes"  # the opposite of what the sources say
    text += f'  - id: jurisdiction.legal.cbdc_legal_tender\n    answer: {answer}\n    source: declared\n    as_of: "{DATE}"\n'
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    api.import_answers(path, workspace)
    fact = api.workspace(workspace).profiles["NG"].legal.cbdc_legal_tender
    assert fact is not None and fact.value is (not before.value) and fact.source_ref == TEAM_SOURCE

    def ref(source):  # type: ignore[no-untyped-def]
        return source if isinstance(source, str) else source.ref

    # The value recorded before comes first, then the conflicts it already carried.
    assert [(c.value, ref(c.source)) for c in fact.conflicts] == [
        (before.value, before.source_ref), *((c.value, ref(c.source)) for c in before.conflicts)]
    once = snapshot(workspace)
    assert api.import_answers(path, workspace).changed == 0 and snapshot(workspace) == once


@pytest.mark.parametrize("as_of", ["2026-02-30", "2025-13"])
def test_a_date_that_is_not_in_the_calendar_is_refused(form: Path, workspace: Path, tmp_path: Path,
                                                      as_of: str) -> None:
    def edit(wb):  # type: ignore[no-untyped-def]
        fill(wb["CB payments"], "design.security.business_continuity_plan", answer="no", source="declared",
             as_of=as_of)

    (problem,) = refused(form, workspace, tmp_path, edit)
    assert "as_of: design.security.business_continuity_plan: give the date the answer is true" in problem
    assert f"got {as_of}, which is not a date of the calendar" in problem


def test_a_french_workbook_reads_in_french_and_imports_like_the_english_one(workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "fr"
    api.write_questionnaire("NG", "enaira", out, ["xlsx"], workspace, lang="fr")
    path = out / "NG-enaira-questionnaire.fr.xlsx"
    wb = load_workbook(path)
    about = [wb["About"].cell(row=r, column=1).value for r in range(1, 10)]
    assert about[0] == "Questionnaire\u00a0: Nigeria, eNaira"  # French typography: a no-break space before the colon
    assert any(isinstance(t, str) and t.startswith("Chaque feuille regroupe les questions") for t in about)
    sheet = wb["FIU"]
    assert sheet.cell(row=4, column=COL["answer"]).value == "RÉPONSE"
    assert sheet.cell(row=4, column=COL["id"]).value == "Identifiant de la question"
    # The keys stay: question ids, 'declared', yes/no; a French form imports as the English one does.
    fill(sheet, "design.aml.sanctions_screening", answer="oui", source="declared", as_of=DATE)  # as the form says
    wb["About"]["B6"] = "NG country team"
    wb.save(path)
    result = api.import_answers(path, workspace, partial=True)
    assert result.changed == 1
    status = {f.rule_id: f.status for f in api.assess("NG", "enaira", workspace).findings}
    assert status["AML-SANCTIONS-SCREENING"] == Status.met


@pytest.mark.parametrize("lang", ["fr", "ar", "zh"])
def test_the_yaml_form_speaks_the_questionnaire_language_and_stays_valid_yaml(tmp_path: Path, lang: str) -> None:
    import yaml

    api.write_questionnaire("NG", "enaira", tmp_path, ["yaml"], lang=lang)
    text = (tmp_path / f"NG-enaira-questionnaire.{lang}.yaml").read_text(encoding="utf-8")
    head = text.split("questionnaire: 1", 1)[0]
    assert "The facts the assessment is missing" not in head and "Import with" not in head
    assert all(line.startswith("#") or not line.strip() for line in head.splitlines())
    doc = yaml.safe_load(text)
    assert doc["jurisdiction"] == "NG" and doc["questions"] and "answer" in doc["questions"][0]
