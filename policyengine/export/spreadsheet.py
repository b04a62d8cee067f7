"""Findings as a table, one row each, for the people who sort and filter them in a spreadsheet.

Every row carries its evidence (each fact read, with its value as a person reads it and its
source) and the sources it rests on (the rule's citations and the facts' sources, resolved to
titles), so a row read on its own still says why. CSV is RFC 4180 (``\\r\\n`` line ends, quoted
where needed, UTF-8 with a byte-order mark so that Excel reads accents right); XLSX has a header
row, frozen panes, an autofilter and column widths a person can read.
"""

from __future__ import annotations

import csv
import io
from typing import Iterable

from pydantic import BaseModel, ConfigDict

from ..load import Workspace
from ..models import Assessment
from ..models.finding import Evidence, Finding


class FindingRow(BaseModel):
    """One finding, flattened to the cells of one spreadsheet row (fields in column order)."""

    model_config = ConfigDict(frozen=True)

    rule_id: str
    status: str
    severity: str
    area: str
    principle: str
    rule_title: str
    finding: str
    recommendation: str
    evidence: str
    missing_facts: str
    citations: str
    sources: str
    jurisdiction: str
    design: str
    ruleset: str


#: Column titles, in order, as the header row shows them.
COLUMNS: dict[str, str] = {
    "rule_id": "Rule", "status": "Status", "severity": "Severity", "area": "Area", "principle": "Principle",
    "rule_title": "Rule title", "finding": "Finding", "recommendation": "Recommendation", "evidence": "Evidence",
    "missing_facts": "Missing facts", "citations": "Citations", "sources": "Sources",
    "jurisdiction": "Jurisdiction", "design": "Design", "ruleset": "Ruleset",
}
#: Column widths (characters) in the XLSX; long text columns wrap.
WIDTHS: dict[str, int] = {
    "rule_id": 36, "status": 14, "severity": 10, "area": 16, "principle": 10, "rule_title": 40,
    "finding": 60, "recommendation": 60, "evidence": 70, "missing_facts": 32, "citations": 36, "sources": 60,
    "jurisdiction": 16, "design": 24, "ruleset": 20,
}
WRAPPED = {"rule_title", "finding", "recommendation", "evidence", "missing_facts", "citations", "sources"}


def _evidence_line(e: Evidence) -> str:
    where = ", ".join(part for part in (e.source, e.locator, f"as of {e.as_of}" if e.as_of else None) if part)
    return f"{e.path} = {e.display}" + (f" [{where}]" if where else "")


def _source_ids(f: Finding) -> list[str]:
    ids = [c.ref for c in f.citations] + [e.source for e in f.evidence if e.source and e.source != "derived"]
    return list(dict.fromkeys(ids))


def _source_line(ws: Workspace, jurisdiction: str, ident: str) -> str:
    entry = ws.source(ident, jurisdiction)
    if entry is None:
        return f"{ident}: (not in the bibliography)"
    when = entry.date or str(entry.year)
    return f"{ident}: {entry.title}, {entry.publisher}, {when}" + (f", {entry.url}" if entry.url else "")


def finding_rows(assessment: Assessment, ws: Workspace) -> list[FindingRow]:
    """One row per finding, in the assessment's order."""
    a = assessment
    rows = []
    for f in a.findings:
        rows.append(FindingRow(
            jurisdiction=f"{a.jurisdiction_id} {a.jurisdiction_name}", design=f"{a.design_id} ({a.design_name})",
            area=f.area.value, principle=f.principle_id, rule_id=f.rule_id, rule_title=f.rule_title,
            severity=f.severity.value, status=f.status.value, finding=f.text, recommendation=f.recommendation or "",
            evidence="\n".join(_evidence_line(e) for e in f.evidence), missing_facts="\n".join(f.missing),
            citations="\n".join(c.ref + (f" {c.section}" if c.section else "") for c in f.citations),
            sources="\n".join(_source_line(ws, a.jurisdiction_id, s) for s in _source_ids(f)),
            ruleset=f"{a.ruleset_name} {a.ruleset_version}"))
    return rows


def _cells(rows: Iterable[FindingRow]) -> Iterable[list[str]]:
    yield list(COLUMNS.values())
    for row in rows:
        data = row.model_dump()
        yield [data[key] for key in COLUMNS]


def _inert(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection): text starting with
    ``= + - @`` gets a leading apostrophe, which spreadsheets show as plain text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def findings_csv(assessment: Assessment, ws: Workspace) -> str:
    """The findings as CSV text (starting with a UTF-8 byte-order mark)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for cells in _cells(finding_rows(assessment, ws)):
        writer.writerow([_inert(c) for c in cells])
    return "\ufeff" + out.getvalue()


def findings_xlsx(assessment: Assessment, ws: Workspace) -> bytes:
    """The findings as an XLSX workbook: one sheet, a header row, frozen panes, an autofilter."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = "Findings"
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    keys = list(COLUMNS)
    rows = list(_cells(finding_rows(assessment, ws)))
    for r, cells in enumerate(rows, start=1):
        for c, value in enumerate(cells, start=1):
            # XML 1.0 cannot hold most control characters: drop them rather than fail the export
            cell = sheet.cell(row=r, column=c, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            if cell.data_type == "f":  # text that starts with '=' stays text, never a formula
                cell.data_type = "s"
            cell.alignment = wrap if keys[c - 1] in WRAPPED and r > 1 else top
    for c in range(1, len(keys) + 1):
        head = sheet.cell(row=1, column=c)
        head.font = Font(bold=True)
        head.fill = PatternFill("solid", fgColor="DDDDDD")
        sheet.column_dimensions[get_column_letter(c)].width = WIDTHS[keys[c - 1]]
    sheet.freeze_panes = "B2"  # the header row and the rule id stay in view while scrolling
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{len(rows)}"
    book.properties.title = f"Findings: {assessment.jurisdiction_name}, {assessment.design_name}"
    book.properties.creator = "policyengine"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
