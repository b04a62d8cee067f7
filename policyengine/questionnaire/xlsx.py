"""The questionnaire as an Excel workbook, and reading a filled one back.

One sheet per authority (printable on its own: A4 landscape, one page wide, the header row
repeated), an "About" sheet with the instructions and the country team's name, a hidden
"Lists" sheet with the sources an answer may cite, and a hidden "_questionnaire" sheet that
records which questions were on which sheet, so an edited-away sheet is noticed on import.
Everything a reader reads is in the questionnaire's language; the keys the importer reads (the
question ids, the sheet names, 'declared', the Status values, yes/no and the choices) stay as
they are, and the header row is recognised in any of the shipped languages.
Answer cells carry data validation (a list of choices, a range of numbers); the importer
checks everything again, because validation in Excel is easy to paste past.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..i18n import N_, _
from ..i18n.deferred import L_
from ..load import Workspace
from .authorities import AUTHORITIES
from .build import CONFIRMED, DECLARED, TO_CONFIRM, AnswerKind, Question, Questionnaire

#: Columns of an authority sheet, in order: (key, header, width).
COLUMNS = (
    ("id", N_("Question id"), 18), ("rank", N_("Rank"), 6), ("question", N_("Question"), 28),
    ("means", N_("What it means"), 40), ("allowed", N_("Allowed answer"), 24),
    ("waits_for", N_("Findings waiting for it"), 30), ("answer", N_("ANSWER"), 16),
    ("source", N_("Source (bibliography id, or 'declared')"), 24), ("locator", N_("Page / section"), 14),
    ("as_of", N_("True as of (YYYY-MM-DD)"), 14), ("status", N_("Status"), 12),
    ("suggested", N_("Why suggested"), 36), ("note", N_("Note"), 24),
)
COL = {key: i + 1 for i, (key, _header, _width) in enumerate(COLUMNS)}
HEADER_ROW = 4
FIRST_ROW = HEADER_ROW + 1
META_SHEET = "_questionnaire"
LISTS_SHEET = "Lists"
ABOUT_SHEET = "About"
TEAM_CELL = "B6"
#: A filled questionnaire is untrusted input: a size and a row budget bound the work it can cause.
MAX_WORKBOOK_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000


def letter(key: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(COL[key])


def workbook_bytes(ws: Workspace, q: Questionnaire) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    about = wb.active
    about.title = ABOUT_SHEET
    rows = [
        (_("Questionnaire: %(jurisdiction)s, %(design)s", jurisdiction=q.jurisdiction_name, design=q.design_name), None),
        (_("Jurisdiction %(jurisdiction)s, design %(design)s (%(status)s); ruleset %(ruleset)s %(version)s",
           jurisdiction=q.jurisdiction_id, design=q.design_id, status=q.design_status, ruleset=q.ruleset_name,
           version=q.ruleset_version), None),
        (_("Today's score: %(score)s.", score=q.score.label), None),
        (_("Each sheet holds the questions for one authority, ranked by how many findings the answer would "
           "decide (rank 1 first). Fill ANSWER, Source and 'True as of' for what you can answer; leave the "
           "rest empty."), None),
        ("", None),
        (_("Country team (its name is recorded as the source of 'declared' answers):"), ""),
        (_("Source: the id of a bibliography entry (see the list in the cell), or 'declared' when the country "
           "team states the answer without a published document."), None),
        (_("A suggested answer has Status '%(to_confirm)s': check it, then set Status to '%(confirmed)s' or "
           "change it.", to_confirm=TO_CONFIRM, confirmed=CONFIRMED), None),
        (_("Import the filled workbook with: %(command)s", command="policyengine answers FILE --workspace DIR"), None),
    ]
    for i, (text, value) in enumerate(rows, start=1):
        about.cell(row=i, column=1, value=text)
        if value is not None:
            about.cell(row=i, column=2, value=value or None).fill = PatternFill("solid", fgColor="FFF2CC")
    about["A1"].font = Font(bold=True, size=14)
    about.column_dimensions["A"].width = 70
    about.column_dimensions["B"].width = 30

    lists = wb.create_sheet(LISTS_SHEET)
    ids = [DECLARED] + sorted(ws.source_ids(q.jurisdiction_id))
    for i, ident in enumerate(ids, start=1):
        lists.cell(row=i, column=1, value=ident)
    lists.sheet_state = "hidden"
    sources_range = f"{LISTS_SHEET}!$A$1:$A${len(ids)}"

    meta = wb.create_sheet(META_SHEET)
    meta.append(["format_version", q.format_version])
    meta.append(["jurisdiction", q.jurisdiction_id])
    meta.append(["design", q.design_id])
    meta.append(["sheet", "question id"])

    header_fill = PatternFill("solid", fgColor="DDDDDD")
    answer_fill = PatternFill("solid", fgColor="FFF2CC")
    wrap = Alignment(wrap_text=True, vertical="top")
    for group in q.groups:
        authority = AUTHORITIES[group.id]
        sheet = wb.create_sheet(authority.sheet)
        title = sheet.cell(row=1, column=1, value=f"{group.title}: {q.jurisdiction_name}, {q.design_name}")
        title.font = Font(bold=True, size=13)
        sheet.cell(row=2, column=1, value=_("Questions about %(holds)s.", holds=group.holds))
        for key, header, width in COLUMNS:
            cell = sheet.cell(row=HEADER_ROW, column=COL[key], value=_(header))
            cell.font = Font(bold=True)
            cell.fill = header_fill
            cell.alignment = wrap
            sheet.column_dimensions[letter(key)].width = width
        source_dv = DataValidation(type="list", formula1=sources_range, allow_blank=True, errorStyle="warning",
                                   error=_("Not in the bibliography: the import will refuse it unless it is added."),
                                   prompt=_("A bibliography id, or 'declared'"), showInputMessage=True,
                                   showErrorMessage=True)
        status_dv = DataValidation(type="list", formula1=f'"{TO_CONFIRM},{CONFIRMED}"', allow_blank=True)
        sheet.add_data_validation(source_dv)
        sheet.add_data_validation(status_dv)
        for r, x in enumerate(group.questions, start=FIRST_ROW):
            values: dict[str, Any] = {"id": x.id, "rank": x.rank, "question": x.label, "means": x.description,
                      "allowed": x.allowed_text, "waits_for": ", ".join(x.waits_for),
                      "suggested": _("%(reason)s Source: %(source)s.", reason=x.candidate.reason,
                                     source=x.candidate.source_title) if x.candidate else None}
            if x.options:
                values["means"] = _("%(meaning)s Design choice: %(options)s", meaning=x.description, options="; ".join(
                    _("%(option)s: met %(met)s, gaps %(gaps)s", option=o.display, met=", ".join(o.meets) or "-",
                      gaps=", ".join(o.gaps) or "-") for o in x.options))
            if x.candidate:
                # The suggestion's citation is the fact it was inferred from, not a source for the
                # answer itself: the Source cell stays for whoever confirms it.
                values.update(answer=_cell_value(x, x.candidate.value), status=TO_CONFIRM)
            for key, value in values.items():
                if value is not None:
                    sheet.cell(row=r, column=COL[key], value=value)
            for key in COL:
                sheet.cell(row=r, column=COL[key]).alignment = wrap
            for key in ("answer", "source", "locator", "as_of", "status", "note"):
                sheet.cell(row=r, column=COL[key]).fill = answer_fill
            dv = answer_validation(x)
            sheet.add_data_validation(dv)
            dv.add(f"{letter('answer')}{r}")
            source_dv.add(f"{letter('source')}{r}")
            status_dv.add(f"{letter('status')}{r}")
            meta.append([authority.sheet, x.id])
        sheet.freeze_panes = f"C{FIRST_ROW}"
        sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    meta.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell_value(x: Question, value: Any) -> Any:
    if x.kind == AnswerKind.yes_no:
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(value)
    return value


def answer_validation(x: Question) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    prompt = x.allowed_text[:250]
    if x.kind in (AnswerKind.yes_no, AnswerKind.choice) and len(",".join(x.allowed)) < 250:
        return DataValidation(type="list", formula1='"' + ",".join(x.allowed) + '"', allow_blank=True,
                              prompt=prompt, showInputMessage=True, showErrorMessage=True,
                              error=_("Allowed: %(allowed)s", allowed=prompt))
    if x.kind in (AnswerKind.percent, AnswerKind.number, AnswerKind.amount, AnswerKind.year) and not x.none_allowed:
        kind = "whole" if x.kind == AnswerKind.year else "decimal"
        if x.maximum is not None:
            return DataValidation(type=kind, operator="between", formula1=str(int(x.minimum or 0)),
                                  formula2=str(int(x.maximum)), allow_blank=True, prompt=prompt,
                                  showInputMessage=True, showErrorMessage=True, error=_("Allowed: %(allowed)s", allowed=prompt))
        return DataValidation(type=kind, operator="greaterThanOrEqual", formula1=str(int(x.minimum or 0)),
                              allow_blank=True, prompt=prompt, showInputMessage=True, showErrorMessage=True,
                              error=_("Allowed: %(allowed)s", allowed=prompt))
    return DataValidation(type="textLength", operator="lessThanOrEqual", formula1="500", allow_blank=True,
                          prompt=prompt, showInputMessage=True, showErrorMessage=True,
                          error=_("Allowed: %(allowed)s", allowed=prompt))


# --- reading a filled workbook -------------------------------------------------------------------

@dataclass(frozen=True)
class RawAnswer:
    """One row of a filled questionnaire, as found, with where each field is."""

    id: str
    fields: dict[str, Any]
    where: dict[str, str]  # field -> "Sheet!G7" or "file.yaml:12"
    row_where: str


@dataclass
class RawForm:
    jurisdiction: str | None
    design: str | None
    country_team: str | None
    team_where: str
    answers: list[RawAnswer]
    problems: list[tuple[str, str, str]]  # (where, field, message)


def _known_headers() -> list[list[str]]:
    """The header row as written in each shipped language (a form is read whatever its language)."""
    from ..i18n.catalogues import LANGUAGES
    from ..i18n.localise import rendering

    rows = [[str(h) for _key, h, _width in COLUMNS]]
    for lang in LANGUAGES:
        with rendering(lang):
            rows.append([_(h) for _key, h, _width in COLUMNS])
    return rows


def read_workbook(path: Path) -> RawForm:
    from openpyxl import load_workbook

    size = path.stat().st_size
    if size > MAX_WORKBOOK_BYTES:
        return RawForm(None, None, None, "", [],
                       [(path.name, "", L_("the workbook is %(size)s bytes; the limit is %(limit)s", size=size,
                                           limit=MAX_WORKBOOK_BYTES))])
    wb = load_workbook(path, data_only=True, read_only=False)
    problems: list[tuple[str, str, str]] = []
    if META_SHEET not in wb.sheetnames:
        return RawForm(None, None, None, "", [],
                       [(f"{path.name}", "", L_("not a policyengine questionnaire: no sheet %(sheet)s",
                                                sheet=repr(META_SHEET)))])
    meta = wb[META_SHEET]
    info = {str(r[0].value): r[1].value for r in meta.iter_rows(min_row=1, max_row=3)}
    expected: dict[str, list[str]] = {}
    for row in meta.iter_rows(min_row=5):
        if row[0].value and row[1].value:
            expected.setdefault(str(row[0].value), []).append(str(row[1].value))
    team = wb[ABOUT_SHEET][TEAM_CELL].value if ABOUT_SHEET in wb.sheetnames else None
    answers: list[RawAnswer] = []
    for sheet_name, ids in expected.items():
        if sheet_name not in wb.sheetnames:
            problems.append((path.name, "", L_("the sheet %(sheet)s is missing (renamed or deleted?): its %(count)s "
                                               "question(s) cannot be read; restore it from the questionnaire",
                                               sheet=repr(sheet_name), count=len(ids))))
    for sheet_name in wb.sheetnames:
        if sheet_name in (META_SHEET, LISTS_SHEET, ABOUT_SHEET):
            continue
        sheet = wb[sheet_name]
        header = [c.value for c in sheet[HEADER_ROW]]
        if header[:len(COLUMNS)] not in _known_headers():
            problems.append((f"{sheet_name}!A{HEADER_ROW}", "", L_("the columns of this sheet were changed: keep the "
                                                                   "questionnaire's columns in their order")))
            continue
        if sheet.max_row > MAX_ROWS:
            problems.append((f"{sheet_name}!A{MAX_ROWS + 1}", "", L_("more than %(count)s rows: not a questionnaire "
                                                                     "sheet", count=MAX_ROWS)))
            continue
        for r in range(FIRST_ROW, sheet.max_row + 1):
            fields = {key: sheet.cell(row=r, column=COL[key]).value for key in COL}
            if all(fields[k] in (None, "") for k in ("id", "answer", "source", "as_of")):
                continue
            ref = f"'{sheet_name}'" if " " in sheet_name else sheet_name
            where = {key: f"{ref}!{letter(key)}{r}" for key in COL}
            answers.append(RawAnswer(id=str(fields["id"] or "").strip(), fields=fields, where=where,
                                     row_where=f"{ref}!A{r}"))
    return RawForm(str(info.get("jurisdiction") or "") or None, str(info.get("design") or "") or None,
                   str(team).strip() if team not in (None, "") else None, f"{ABOUT_SHEET}!{TEAM_CELL}",
                   answers, problems)
