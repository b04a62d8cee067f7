"""The questionnaire in the browser: answer the missing facts, validated as the file import is.

The questions are the ones ``policyengine questionnaire`` asks (:func:`policyengine.api.questionnaire`);
the answers a form sends are checked by the same function that checks a filled xlsx or YAML
(:func:`policyengine.questionnaire.answers.check`), so the web refuses what ``policyengine
answers`` would refuse, with the same messages. A valid set of answers is given back as the
YAML form that ``policyengine answers FILE --workspace DIR`` imports; with ``--writable`` it is
imported into the workspace directly (:func:`policyengine.api.import_answers`) and the server
reloads the workspace, so the findings show the answers at once.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .. import api
from ..i18n import N_, _
from ..problems import InvalidWorkspace
from ..questionnaire.answers import AnswerProblem, AnswersRefused, ImportResult, check
from ..questionnaire.build import Questionnaire
from ..questionnaire.xlsx import RawAnswer, RawForm
from .state import Server

#: The fields of one answer in the form (``a-<n>-<field>``), as in the YAML form.
FIELDS = ("answer", "source", "locator", "as_of", "note")
MAX_FIELD = 500
#: The fields a refused answer names, as the form labels them (the file's keys in the terminal).
FIELD_LABELS = {"answer": N_("Answer"), "source": N_("Source"), "locator": N_("Page or section"),
                "as_of": N_("True as of (YYYY-MM-DD)"), "note": N_("Note"), "country_team": N_("Country team")}


def problem_text(p: AnswerProblem) -> str:
    """A refused answer as the page shows it: where, the form's label of the field, the message."""
    if not p.field or p.field == "country_team":  # its place already names the country team
        return _("%(where)s: %(problem)s", where=p.where, problem=p.message)
    label = _(FIELD_LABELS[p.field]) if p.field in FIELD_LABELS else p.field
    # Translators: a refused answer on the questionnaire page: "question 3 (design.offline): Answer: ..."
    return _("%(where)s: %(field)s: %(problem)s", where=p.where, field=label, problem=p.message)


@dataclass
class Outcome:
    """What became of a submitted form: problems, or the answers (and, writable, the import)."""

    problems: list[str] = field(default_factory=list)
    answered: int = 0
    yaml_text: str = ""
    imported: ImportResult | None = None
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # what the form held, to show it again


def questionnaire(server: Server, jurisdiction_id: str, design_id: str) -> Questionnaire:
    server.design(jurisdiction_id, design_id)
    with server.lock:
        return api.questionnaire(jurisdiction_id, design_id, server.ws)


def _form_yaml(q: Questionnaire, team: str | None, rows: list[dict[str, Any]]) -> str:
    data = {"questionnaire": q.format_version, "jurisdiction": q.jurisdiction_id, "design": q.design_id,
            "country_team": team, "questions": rows}
    header = _("# Answers to the questionnaire of %(name)s, %(design)s, entered in policyengine serve.\n"
               "# Import them with: policyengine answers THIS-FILE --workspace YOUR-WORKSPACE\n") % {
        "name": q.jurisdiction_name, "design": q.design_name}
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return header + yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)


def submit(server: Server, q: Questionnaire, pairs: list[tuple[str, str]]) -> Outcome:
    """Check the answers of a submitted form; import them when the server is writable."""
    form: dict[str, str] = {}
    for key, value in pairs:
        form[key] = value.strip()[:MAX_FIELD + 1]
    out = Outcome()
    team = form.get("country_team") or None
    questions = q.questions()
    answers: list[RawAnswer] = []
    rows: list[dict[str, Any]] = []
    for n, question in enumerate(questions):
        values = {f: form.get(f"a-{n}-{f}", "") for f in FIELDS}
        out.values[question.id] = values
        if not values["answer"]:
            continue
        where = {f: _("question %(n)d (%(id)s)") % {"n": n + 1, "id": question.id} for f in (*FIELDS, "id", "status")}
        fields = {"id": question.id, **{f: (v or None) for f, v in values.items()}}
        answers.append(RawAnswer(id=question.id, fields=fields, where=where, row_where=where["id"]))
        rows.append(fields)
    out.answered = len(answers)
    if not answers:
        out.problems.append(_("no question was answered"))
        return out
    raw = RawForm(q.jurisdiction_id, q.design_id, team, _("country team"), answers, [])
    design = server.design(q.jurisdiction_id, q.design_id)
    currency = server.currency(q.jurisdiction_id, design)
    checked = check(server.ws, raw, q.jurisdiction_id, currency)
    out.problems = [problem_text(p) for p in checked.problems]
    if out.problems:
        return out
    out.yaml_text = _form_yaml(q, team, rows)
    if server.writable:
        with tempfile.TemporaryDirectory(prefix="policyengine-answers-") as tmp:
            path = Path(tmp) / f"{q.jurisdiction_id}-{q.design_id}-answers.yaml"
            path.write_text(out.yaml_text, encoding="utf-8")
            with server.lock:
                try:
                    out.imported = api.import_answers(path, server.ws.root)
                except AnswersRefused as exc:  # refused at import (a file changed since the check)
                    out.problems = [problem_text(p) for p in exc.problems]
                    return out
                except InvalidWorkspace as exc:
                    out.problems = [_("the workspace would not load with these answers; nothing was written."),
                                    *(str(p) for p in exc.problems)]
                    return out
                server.reload()
    return out


def today() -> str:
    return dt.date.today().isoformat()
