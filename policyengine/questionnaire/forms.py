"""The questionnaire as files: HTML to print (A4, one authority per printed section), the YAML
form for editors, and the Excel workbook (:mod:`.xlsx`). All are built in memory first and then
written atomically, like every other document."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..i18n import N_, _
from ..load import Workspace
from ..render.environment import make_environment, render
from ..render.files import safe_join, write_bytes, write_text
from .build import TO_CONFIRM, Question, Questionnaire

FORMATS = ("html", "xlsx", "yaml")

#: The form's opening comment, in the questionnaire's language; each line is written after "# ", so
#: no translation can turn a line of it into YAML. The keys it names stay as they are.
YAML_HEADER = N_("""\
Questionnaire: %(name)s, %(design)s (%(code)s/%(design_id)s); ruleset %(ruleset)s %(version)s.
The facts the assessment is missing, as questions, ranked by how much each answer would change
the findings (rank 1 first). Fill `answer`, `source` and `as_of` for the questions you can answer:
  answer:  as `allowed` says (yes/no, one of the choices, a number)
  source:  the id of a bibliography entry, or `declared` when the country team states it without
           a published document (then fill `country_team` below: the team is recorded as the source)
  locator: the page, section or article of the source (optional)
  as_of:   the date the answer is true, YYYY-MM-DD (or YYYY-MM, YYYY)
A suggested answer has `status: to confirm`: check it, then set `status: confirmed` (or change
the answer). Questions left without an answer are skipped. Import with:
  policyengine answers THIS_FILE --workspace DIR""")


def _comment(text: str, indent: str = "") -> list[str]:
    """``text`` as YAML comment lines (every line of it, whatever a translation holds)."""
    return [f"{indent}# {line}".rstrip() for line in text.splitlines()]


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
    out = _comment(_(YAML_HEADER, name=q.jurisdiction_name, design=q.design_name, code=q.jurisdiction_id,
                     design_id=q.design_id, ruleset=q.ruleset_name, version=q.ruleset_version)) + [""]
    out += [f"questionnaire: {q.format_version}", f"jurisdiction: {_scalar(q.jurisdiction_id)}",
            f"design: {_scalar(q.design_id)}", "country_team: null"]
    out += _comment(_("country_team: the team's name, e.g. \"CBN eNaira\"; needed for declared answers"))
    out += _comment(_("Today's score: %(score)s.", score=q.score.label))
    out.append("questions:")
    for group in q.groups:
        out += _comment(f"--- {group.title}: {group.holds}", "  ")
        for x in group.questions:
            out += _yaml_question(x)
    if q.not_asked:
        out += _comment(_("Also missing, not asked here (record them in the design or profile file):"))
        out += _comment("\n".join(_("  %(path)s: %(reason)s (waiting: %(rules)s)", path=n.path, reason=n.reason,
                                     rules=", ".join(n.rules)) for n in q.not_asked))
    return "\n".join(out) + "\n"


def _yaml_question(x: Question) -> list[str]:
    lines = [f"  - id: {x.id}", f"    rank: {x.rank}", f"    authority: {x.authority}",
             f"    question: {_scalar(x.label)}", f"    means: {_scalar(x.description)}",
             f"    allowed: {_scalar(x.allowed_text)}"]
    if x.currency:
        lines.append(f"    currency: {x.currency}")
    lines.append(f"    waits_for: {_scalar(x.waits_for)}")
    for o in x.options:
        text = _("option %(option)s: met %(met)s; gaps %(gaps)s", option=o.display, met=", ".join(o.meets) or "-",
                 gaps=", ".join(o.gaps) or "-")
        if o.out_of_scope:
            text = _("%(option)s; no longer applies %(rules)s", option=text, rules=", ".join(o.out_of_scope))
        lines += _comment(text, "    ")
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
