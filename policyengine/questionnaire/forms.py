"""The questionnaire as files: HTML to print (A4, one authority per printed section), the YAML
form for editors, and the Excel workbook (:mod:`.xlsx`). All are built in memory first and then
written atomically, like every other document."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..load import Workspace
from ..render.environment import make_environment, render
from ..render.files import safe_join, write_bytes, write_text
from .build import TO_CONFIRM, Question, Questionnaire

FORMATS = ("html", "xlsx", "yaml")

YAML_HEADER = """\
# Questionnaire: {name}, {design} ({code}/{design_id}); ruleset {ruleset} {version}.
# The facts the assessment is missing, as questions, ranked by how much each answer would change
# the findings (rank 1 first). Fill `answer`, `source` and `as_of` for the questions you can answer:
#   answer:  as `allowed` says (yes/no, one of the choices, a number)
#   source:  the id of a bibliography entry, or `declared` when the country team states it without
#            a published document (then fill `country_team` below: the team is recorded as the source)
#   locator: the page, section or article of the source (optional)
#   as_of:   the date the answer is true, YYYY-MM-DD (or YYYY-MM, YYYY)
# A suggested answer has `status: to confirm`: check it, then set `status: confirmed` (or change
# the answer). Questions left without an answer are skipped. Import with:
#   policyengine answers THIS_FILE --workspace DIR
"""


def _scalar(value: Any) -> str:
    """A YAML scalar: JSON's quoting is valid YAML and keeps ``yes``, ``NO`` and dates as strings."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def yaml_text(q: Questionnaire) -> str:
    out = [YAML_HEADER.format(name=q.jurisdiction_name, design=q.design_name, code=q.jurisdiction_id,
                              design_id=q.design_id, ruleset=q.ruleset_name, version=q.ruleset_version)]
    out += [f"questionnaire: {q.format_version}", f"jurisdiction: {_scalar(q.jurisdiction_id)}",
            f"design: {_scalar(q.design_id)}", "country_team: null   # e.g. \"CBN eNaira\": needed for declared answers",
            f"# today's score: {q.score.label}", "questions:"]
    for group in q.groups:
        out.append(f"  # --- {group.title}: {group.holds}")
        for x in group.questions:
            out += _yaml_question(x)
    if q.not_asked:
        out.append("# Also missing, not asked here (record them in the design or profile file):")
        out += [f"#   {n.path}: {n.reason} (waiting: {', '.join(n.rules)})" for n in q.not_asked]
    return "\n".join(out) + "\n"


def _yaml_question(x: Question) -> list[str]:
    lines = [f"  - id: {x.id}", f"    rank: {x.rank}", f"    authority: {x.authority}",
             f"    question: {_scalar(x.label)}", f"    means: {_scalar(x.description)}",
             f"    allowed: {_scalar(x.allowed_text)}"]
    if x.currency:
        lines.append(f"    currency: {x.currency}")
    lines.append(f"    waits_for: {_scalar(x.waits_for)}")
    for o in x.options:
        lines.append(f"    # option {o.display}: met {', '.join(o.meets) or '-'}; gaps {', '.join(o.gaps) or '-'}"
                     + (f"; no longer applies {', '.join(o.out_of_scope)}" if o.out_of_scope else ""))
    c = x.candidate
    if c is not None:
        lines.append(f"    suggested_because: {_scalar(c.reason)}")
        lines.append(f"    suggestion_cites: {_scalar(c.source)}" + (f"  # {c.locator}" if c.locator else ""))
    lines += [f"    answer: {_scalar(c.value if c else None)}", "    source: null", "    locator: null", "    as_of: null"]
    if c is not None:
        lines.append(f"    status: {_scalar(TO_CONFIRM)}")
    lines.append("    note: null")
    return lines


def html_text(ws: Workspace, q: Questionnaire, lang: str = "en") -> str:
    return render(make_environment(ws, lang), "questionnaire/questionnaire.html", doc=q)


def file_stem(q: Questionnaire, lang: str = "en") -> str:
    return f"{q.jurisdiction_id}-{q.design_id}-questionnaire" + ("" if lang == "en" else f".{lang}")


def write(ws: Workspace, q: Questionnaire, out: Path, formats: list[str], lang: str = "en") -> list[Path]:
    """Render every asked format in memory, then write them (atomically) into ``out``."""
    from .xlsx import workbook_bytes

    stem = file_stem(q, lang)
    rendered: dict[Path, bytes] = {}
    for fmt in formats:
        target = safe_join(out, f"{stem}.{fmt}")
        if fmt == "html":
            rendered[target] = html_text(ws, q, lang).encode("utf-8")
        elif fmt == "yaml":
            rendered[target] = yaml_text(q).encode("utf-8")
        elif fmt == "xlsx":
            rendered[target] = workbook_bytes(ws, q)
    written = []
    for path, data in rendered.items():
        written.append(write_text(path, data.decode("utf-8")) if path.suffix != ".xlsx" else write_bytes(path, data))
    return written
