"""`assess --format csv|xlsx`: one row per finding, with its evidence and sources, that a
spreadsheet opens as text (never as a formula)."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from policyengine import api
from policyengine.cli import main
from policyengine.export.spreadsheet import COLUMNS, WIDTHS, findings_csv, findings_xlsx
from policyengine.models.rule import Status


@pytest.fixture(scope="module")
def ws():
    return api.workspace()


@pytest.fixture(scope="module")
def ng(ws):
    return api.assess("NG", "enaira", ws)


def _rows(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def test_csv_has_one_row_per_finding_with_evidence_and_sources(ws, ng) -> None:
    rows = _rows(findings_csv(ng, ws))
    assert len(rows) == len(ng.findings) >= 100
    assert list(rows[0]) == list(COLUMNS.values())
    assert [r["Rule"] for r in rows] == [f.rule_id for f in ng.findings]
    gap = next(f for f in ng.findings if f.status == Status.gap and f.evidence)
    row = next(r for r in rows if r["Rule"] == gap.rule_id)
    assert row["Status"] == "gap" and row["Finding"] == gap.text and row["Recommendation"] == (gap.recommendation or "")
    # each fact read, with its value as shown and its source; each source resolved to its title
    for e in gap.evidence:
        assert f"{e.path} = {e.display}" in row["Evidence"]
    cited = ws.source(gap.citations[0].ref, "NG")
    assert cited is not None and f"{cited.id}: {cited.title}" in row["Sources"]
    sourced = [e for e in gap.evidence if e.source and e.source != "derived"]
    for e in sourced:
        entry = ws.source(e.source, "NG")
        assert entry is not None and f"{e.source}: {entry.title}" in row["Sources"]
    unknown = next((f for f in ng.findings if f.status == Status.unknown), None)
    if unknown is not None:
        assert next(r for r in rows if r["Rule"] == unknown.rule_id)["Missing facts"] == "\n".join(unknown.missing)


def test_text_that_looks_like_a_formula_stays_text(ws, ng) -> None:
    first = ng.findings[0].model_copy(update={"text": "=HYPERLINK(\"http://x\")", "recommendation": "+1\x07"})
    evil = ng.model_copy(update={"findings": [first]})
    row = _rows(findings_csv(evil, ws))[0]
    assert row["Finding"] == "'=HYPERLINK(\"http://x\")" and row["Recommendation"].startswith("'+1")
    sheet = load_workbook(io.BytesIO(findings_xlsx(evil, ws))).active
    cell = sheet.cell(row=2, column=list(COLUMNS).index("finding") + 1)
    assert cell.data_type == "s" and cell.value == "=HYPERLINK(\"http://x\")"
    assert sheet.cell(row=2, column=list(COLUMNS).index("recommendation") + 1).value == "+1"  # control character dropped


def test_xlsx_has_a_header_frozen_panes_a_filter_and_widths(ws, ng) -> None:
    book = load_workbook(io.BytesIO(findings_xlsx(ng, ws)))
    sheet = book.active
    assert sheet.title == "Findings"
    header = [c.value for c in sheet[1]]
    assert header == list(COLUMNS.values()) and all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == f"A1:O{len(ng.findings) + 1}"
    assert sheet.max_row == len(ng.findings) + 1
    assert sheet.column_dimensions["G"].width == WIDTHS["finding"] and sheet.cell(row=2, column=7).alignment.wrap_text
    # the same cells as the CSV
    csv_rows = _rows(findings_csv(ng, ws))
    for r, row in enumerate(csv_rows, start=2):
        assert [sheet.cell(row=r, column=c).value or "" for c in range(1, len(COLUMNS) + 1)] == list(row.values())


def test_cli_writes_csv_to_stdout_and_xlsx_to_a_file(tmp_path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["assess", "NG", "-d", "enaira", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert len(_rows(result.stdout)) == len(api.assess("NG", "enaira").findings)
    target = tmp_path / "ng.xlsx"
    result = runner.invoke(main, ["assess", "NG", "-d", "enaira", "--format", "xlsx", "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert load_workbook(target).active.max_row > 100
    result = runner.invoke(main, ["assess", "NG", "-d", "enaira", "--format", "xlsx", "--fail-on", "gap"])
    assert result.exit_code == 1 and result.stdout_bytes.startswith(b"PK")  # a zip, and --fail-on still counts
