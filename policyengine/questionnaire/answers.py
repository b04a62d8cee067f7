"""Import a filled questionnaire: validate every answer, then write the facts, with their
provenance, into the workspace's own profile and design files.

Nothing else in those files changes: the write goes through ruamel.yaml's round-trip mode,
which keeps comments, key order, quoting and layout (the shipped files round-trip byte for
byte), and only the answered keys are added or replaced. All answers are validated before
anything is written; a bad answer is refused with its cell (``FIU!G7``) or line. With
``partial`` the valid answers are written and the refused ones listed. After writing, the
workspace is loaded and validated again; if it no longer loads, the files are restored.
Importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import datetime
import functools
import io
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..i18n.deferred import L_, Items, shown
from ..load import Workspace, load_valid_workspace
from ..models.common import ISO_DATE, NO_LIMIT, real_date
from ..models.design import Design
from ..models.jurisdiction import JurisdictionProfile
from ..paths import base_catalogue, nearest
from ..problems import InvalidWorkspace, PolicyEngineError, Problem
from ..render.files import write_text
from ..yamlio import YamlError, read_yaml
from .build import CONFIRMED, DECLARED, TO_CONFIRM, AnswerKind, askable, kind_of, path_info
from .xlsx import RawAnswer, RawForm, read_workbook

MAX_TEXT = 500
#: The fields a question of the YAML form may have (the rest of the form is for reading).
YAML_FIELDS = {"id", "rank", "authority", "question", "means", "allowed", "currency", "waits_for", "suggested_because",
               "suggestion_cites", "answer", "source", "locator", "as_of", "status", "note"}


@dataclass(frozen=True)
class AnswerProblem:
    """One refused answer: ``where`` is ``file.yaml:12`` or ``file.xlsx: FIU!G7``."""

    where: str
    field: str
    message: str

    def __str__(self) -> str:
        """``where: field: message``, the message in the language active now."""
        message = shown(self.message)
        return f"{self.where}: {self.field}: {message}" if self.field else f"{self.where}: {message}"


class AnswersRefused(PolicyEngineError):
    """Some answers are invalid; ``problems`` names each with its cell or line."""

    def __init__(self, problems: list[AnswerProblem]) -> None:
        self.problems = problems
        super().__init__(L_("%(count)s answer problem(s); nothing was written", count=len(problems)))


class WrittenFact(BaseModel):
    model_config = ConfigDict(frozen=True)

    path: str
    value: Any
    source: str
    file: str
    changed: bool = Field(description="False when the file already held exactly this fact")


class ImportResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    jurisdiction_id: str
    design_id: str
    facts: list[WrittenFact]
    refused: list[str] = Field(default_factory=list, description="Problems of the answers not written (--partial)")
    unconfirmed: list[str] = Field(default_factory=list, description="Suggested answers left 'to confirm': not written")
    copied: list[str] = Field(default_factory=list, description="Shipped files copied into the workspace first")
    sources_added: list[str] = Field(default_factory=list)
    files_changed: list[str] = Field(default_factory=list)

    @property
    def changed(self) -> int:
        return sum(1 for f in self.facts if f.changed)


@dataclass
class Valid:
    path: str
    value: Any  # plain data as written in YAML (Money as a mapping)
    source: str  # bibliography id
    locator: str | None
    as_of: str
    note: str | None
    declared: bool
    where: str


@dataclass
class Checked:
    valid: list[Valid] = field(default_factory=list)
    problems: list[AnswerProblem] = field(default_factory=list)
    unconfirmed: list[str] = field(default_factory=list)  # suggested answers nobody confirmed: skipped


# --- reading --------------------------------------------------------------------------------

def read_form(path: Path) -> RawForm:
    """A filled questionnaire, xlsx or YAML, as raw answers with their locations."""
    if not path.is_file():
        raise AnswersRefused([AnswerProblem(str(path), "", L_("no such file"))])
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            return read_workbook(path)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            if isinstance(exc, PolicyEngineError):
                raise
            raise AnswersRefused([AnswerProblem(str(path), "", L_("cannot read the workbook: %(reason)s",
                                                                 reason=str(exc)))]) from None
    return read_yaml_form(path)


def read_yaml_form(path: Path) -> RawForm:
    try:
        doc = read_yaml(path)
    except YamlError as exc:
        raise AnswersRefused([AnswerProblem(f"{exc.file}:{exc.line}", "", exc.message)]) from None
    data = doc.data
    name = path.name
    if not isinstance(data, dict) or "questions" not in data:
        return RawForm(None, None, None, "", [], [(f"{name}:1", "", L_("not a questionnaire: no 'questions' list"))])
    problems: list[tuple[str, str, str]] = []
    answers: list[RawAnswer] = []
    questions = data.get("questions") or []
    if not isinstance(questions, list):
        problems.append((f"{name}:{doc.line_of(('questions',))}", "questions", L_("must be a list")))
        questions = []
    for i, item in enumerate(questions):
        if not isinstance(item, dict) or set(item) - YAML_FIELDS:
            if isinstance(item, dict):
                extra = Items(sorted(str(k) for k in set(item) - YAML_FIELDS))
                problems.append((f"{name}:{doc.line_of(('questions', i))}", "questions",
                                 L_("unknown field(s): %(fields)s", fields=extra)))
                continue
            problems.append((f"{name}:{doc.line_of(('questions', i))}", "questions", L_("each question is a mapping")))
            continue
        where = {k: f"{name}:{doc.line_of(('questions', i, k))}" for k in
                 ("id", "answer", "source", "locator", "as_of", "status", "note")}
        answers.append(RawAnswer(id=str(item.get("id") or "").strip(), fields=dict(item), where=where,
                                 row_where=f"{name}:{doc.line_of(('questions', i))}"))
    team = data.get("country_team")
    return RawForm(str(data.get("jurisdiction") or "") or None, str(data.get("design") or "") or None,
                   str(team).strip() if team not in (None, "") else None,
                   f"{name}:{doc.line_of(('country_team',))}", answers, problems)


# --- validating -----------------------------------------------------------------------------

def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("%", "").replace("\u00a0", "").replace(" ", "")
        try:
            return float(text)
        except ValueError:
            return None
    return None


def _date(value: Any) -> str | None:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int) and 1900 <= value <= 2100:
        return str(value)
    if isinstance(value, str) and re.fullmatch(ISO_DATE, value.strip()):
        try:
            return real_date(value.strip())  # a date of the calendar: no 2026-02-30, no month 13
        except ValueError:
            return None
    return None


def _date_problem(ident: str, value: Any) -> str:
    """The refusal of an answer's date: missing, not a date of the calendar, or not a date."""
    if _blank(value):
        return L_("%(id)s: give the date the answer is true, as YYYY-MM-DD (or YYYY-MM, YYYY)", id=ident)
    text = str(value).strip()
    if re.fullmatch(ISO_DATE, text):
        return L_("%(id)s: give the date the answer is true, as YYYY-MM-DD (or YYYY-MM, YYYY), got %(found)s, which "
                  "is not a date of the calendar", id=ident, found=text)
    return L_("%(id)s: give the date the answer is true, as YYYY-MM-DD (or YYYY-MM, YYYY), got %(found)s",
              id=ident, found=repr(value))


#: Answers that record a limit as none (no such limit).
NONE_ANSWERS = ("none", "no limit", "unlimited")


@functools.lru_cache(maxsize=1)
def _yes_no_words() -> tuple[frozenset[str], frozenset[str]]:
    """yes/no as typed in a form of any shipped language (a French form says 'oui ou non')."""
    from ..i18n import gettext
    from ..i18n.catalogues import UN_LANGUAGES
    from ..i18n.localise import rendering

    yes, no = {"yes", "true", "y"}, {"no", "false", "n"}
    for lang in UN_LANGUAGES:
        with rendering(lang):
            yes.add(gettext("yes").strip().lower())
            no.add(gettext("no").strip().lower())
    return frozenset(yes - no), frozenset(no - yes)


def parse_value(path: str, raw: Any, currency: str) -> tuple[Any, str | None]:
    """The value to write for one answer, or an error message."""
    info = path_info(path)
    assert info is not None
    kind = kind_of(info)
    if kind == AnswerKind.yes_no:
        if isinstance(raw, bool):
            return raw, None
        text = str(raw).strip().lower()
        yes, no = _yes_no_words()
        if text in yes:
            return True, None
        if text in no:
            return False, None
        return None, L_("expected yes or no, got %(found)s", found=repr(raw))
    if kind in (AnswerKind.choice, AnswerKind.choices):
        items = [p.strip() for p in str(raw).split(",")] if kind == AnswerKind.choices else [str(raw).strip()]
        items = [p for p in items if p]
        for item in items:
            if item not in info.values:
                near = nearest(item, info.values)
                if near:
                    return None, L_("%(value)s is not allowed; allowed: %(allowed)s; did you mean %(near)s?",
                                    value=repr(item), allowed=Items(info.values), near=Items(near))
                return None, L_("%(value)s is not allowed; allowed: %(allowed)s", value=repr(item),
                                allowed=Items(info.values))
        if not items:
            return None, L_("give at least one value")
        return (items if kind == AnswerKind.choices else items[0]), None
    if kind == AnswerKind.amount and info.unlimited and str(raw).strip().lower() in NONE_ANSWERS:
        return NO_LIMIT, None  # written `value: none`: the source says there is no such limit
    if kind in (AnswerKind.amount, AnswerKind.percent, AnswerKind.number, AnswerKind.year):
        number = _number(raw)
        if number is None:
            if kind == AnswerKind.amount and info.unlimited:
                return None, L_("expected an amount, or none if there is no such limit, got %(found)s", found=repr(raw))
            return None, L_("expected a number, got %(found)s", found=repr(raw))
        if number < 0:
            return None, L_("%(number)s is out of range: it must be zero or more", number=format(number, "g"))
        if kind == AnswerKind.percent and number > 100:
            return None, L_("%(number)s is out of range: a percentage is 0 to 100", number=format(number, "g"))
        if kind == AnswerKind.year:
            if not number.is_integer() or not 1900 <= number <= 2100:
                return None, L_("%(number)s is out of range: a year from 1900 to 2100", number=format(number, "g"))
            return int(number), None
        if kind == AnswerKind.amount:
            return {"amount": int(number) if number.is_integer() else number, "currency": currency}, None
        return (int(number) if number.is_integer() else number), None
    text = str(raw).strip()
    if len(text) > MAX_TEXT:
        return None, L_("at most %(max_length)s characters", max_length=MAX_TEXT)
    return text, None


def check(ws: Workspace, form: RawForm, jurisdiction_id: str, currency: str, file: str = "") -> Checked:
    out = Checked()

    def refuse(where: str, fieldname: str, message: str) -> None:
        if "!" in where and file:  # a cell of the workbook: name the workbook too
            where = f"{file}: {where}"
        out.problems.append(AnswerProblem(where, fieldname, message))

    for where, fieldname, message in form.problems:
        refuse(where, fieldname, message)
    known_sources = ws.source_ids(jurisdiction_id)
    seen: dict[str, str] = {}
    for a in form.answers:
        f = a.fields
        if _blank(f.get("answer")):
            continue  # not answered
        why_not = askable(a.id) if a.id else L_("no question id")
        if why_not is not None:
            near = nearest(a.id, [p for p in base_catalogue() if askable(p) is None]) if a.id else []
            refuse(a.where.get("id", a.row_where), "id",
                   L_("unknown question id %(id)s (%(why)s); did you mean %(near)s?", id=repr(a.id), why=why_not,
                      near=Items(near)) if near
                   else L_("unknown question id %(id)s (%(why)s)", id=repr(a.id), why=why_not))
            continue
        if a.id in seen:
            refuse(a.where.get("id", a.row_where), "id",
                   L_("%(id)s is answered twice (also at %(where)s)", id=a.id, where=seen[a.id]))
            continue
        seen[a.id] = a.where.get("answer", a.row_where)
        status = str(f.get("status") or "").strip().lower()
        if status == TO_CONFIRM:
            out.unconfirmed.append(f"{a.where.get('status', a.row_where)}: {a.id} (set the status to {CONFIRMED!r} to import it)")
            continue
        if status not in ("", CONFIRMED):
            refuse(a.where.get("status", a.row_where), "status",
                   L_("use %(confirmed)s or leave empty, got %(found)s", confirmed=repr(CONFIRMED), found=repr(status)))
            continue
        value, error = parse_value(a.id, f.get("answer"), currency)
        if error:
            refuse(a.where.get("answer", a.row_where), "answer", L_("%(id)s: %(problem)s", id=a.id, problem=error))
            continue
        as_of = _date(f.get("as_of"))
        if as_of is None:
            refuse(a.where.get("as_of", a.row_where), "as_of", _date_problem(a.id, f.get("as_of")))
            continue
        source = str(f.get("source") or "").strip()
        declared = source.lower() in (DECLARED, "declared by the country team")
        if not source:
            refuse(a.where.get("source", a.row_where), "source",
                   L_("%(id)s: give a source: a bibliography id, or %(declared)s if the country team declares it",
                      id=a.id, declared=repr(DECLARED)))
            continue
        if declared:
            if not form.country_team:
                refuse(form.team_where or a.row_where, "country_team",
                       L_("a declared answer needs the name of the country team that declares it"))
                continue
            source = declared_source_id(jurisdiction_id, as_of)
        elif source not in known_sources:
            near = nearest(source, known_sources)
            refuse(a.where.get("source", a.row_where), "source",
                   L_("%(id)s: %(source)s is not in the bibliography (add it to the profile's sources, or use "
                      "%(declared)s); did you mean %(near)s?", id=a.id, source=repr(source), declared=repr(DECLARED),
                      near=Items(near)) if near
                   else L_("%(id)s: %(source)s is not in the bibliography (add it to the profile's sources, or use "
                           "%(declared)s)", id=a.id, source=repr(source), declared=repr(DECLARED)))
            continue
        locator = None if _blank(f.get("locator")) else str(f.get("locator")).strip()
        note = None if _blank(f.get("note")) else str(f.get("note")).strip()
        too_long = [k for k, text in (("locator", locator), ("note", note)) if text and len(text) > MAX_TEXT]
        if too_long:
            refuse(a.where.get(too_long[0], a.row_where), too_long[0],
                   L_("%(id)s: %(problem)s", id=a.id, problem=L_("at most %(max_length)s characters", max_length=MAX_TEXT)))
            continue
        out.valid.append(Valid(a.id, value, source, locator, as_of, note, declared, a.where.get("answer", a.row_where)))
    return out


def declared_source_id(jurisdiction_id: str, as_of: str) -> str:
    return f"{jurisdiction_id.lower()}-country-team-{as_of}"


# --- writing --------------------------------------------------------------------------------

def _yaml() -> Any:
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def _fact_node(v: Valid) -> Any:
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    node = CommentedMap()
    if isinstance(v.value, dict):
        money = CommentedMap(v.value)
        money.fa.set_flow_style()
        node["value"] = money
    else:
        node["value"] = v.value
    if v.locator:
        src = CommentedMap([("ref", v.source), ("locator", v.locator)])
        src.fa.set_flow_style()
        node["source"] = src
    else:
        node["source"] = v.source
    node["as_of"] = DoubleQuotedScalarString(v.as_of)
    if v.note:
        node["note"] = v.note
    return node


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node


def _set(doc: Any, keys: list[str], v: Valid) -> bool:
    """Put the fact at ``keys`` in the round-trip document; False when it is already there."""
    from ruamel.yaml.comments import CommentedMap

    target = doc
    for k in keys[:-1]:
        if not isinstance(target.get(k), dict):
            target[k] = CommentedMap()
        target = target[k]
    new = _fact_node(v)
    old = target.get(keys[-1])
    if isinstance(old, dict) and "value" in old:
        # A fact already recorded from another source is not lost: it is kept beside the answer
        # as a conflicting value, as any disagreement between sources is (never silently resolved).
        carried = list(old.get("conflicts") or [])
        if _ref(old.get("source")) != v.source:
            previous = CommentedMap((k, old[k]) for k in ("value", "source", "as_of", "note") if k in old)
            if not any(_plain(c) == _plain(previous) for c in carried):
                carried.insert(0, previous)
        if carried:
            from ruamel.yaml.comments import CommentedSeq

            new["conflicts"] = CommentedSeq(carried)
        if old.get("earlier"):  # the values of earlier periods stay with the fact
            new["earlier"] = old["earlier"]
    if old is not None and _plain(old) == _plain(new):
        return False
    target[keys[-1]] = new
    return True


def _ref(source: Any) -> str:
    return str(source.get("ref")) if isinstance(source, dict) else str(source)


def _declared_entry(jurisdiction_id: str, team: str, as_of: str) -> Any:
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    return CommentedMap([
        ("id", declared_source_id(jurisdiction_id, as_of)),
        ("title", f"Declared by the {team} country team"),
        ("publisher", team),
        ("year", int(as_of[:4])),
        ("date", DoubleQuotedScalarString(as_of)),
        ("kind", "report"),
        ("evidence", "official"),
    ])


@dataclass
class Target:
    path: Path
    text: str
    doc: Any


def _still_valid(path: Path, text: str, model: type[Any], root: Path) -> None:
    """The changed file must still load as its model; otherwise nothing is written."""
    from pydantic import ValidationError

    from ..load import validation_problems
    from ..yamlio import parse_yaml

    try:
        doc = parse_yaml(text, path)
    except YamlError as exc:
        raise InvalidWorkspace([Problem(str(exc.file), exc.line, "", exc.message)]) from None
    try:
        model.model_validate(doc.data)
    except ValidationError as exc:
        raise InvalidWorkspace(validation_problems(exc, doc, root)) from None


def import_answers(file: Path, workspace_root: Path, *, partial: bool = False) -> ImportResult:
    """Validate a filled questionnaire and write its answers into ``workspace_root``."""
    form = read_form(file)
    if form.jurisdiction is None and form.problems:  # not a questionnaire at all: say that first
        raise AnswersRefused([AnswerProblem(where, name, message) for where, name, message in form.problems])
    ws = load_valid_workspace(workspace_root)
    if not form.jurisdiction or form.jurisdiction not in ws.profiles:
        raise AnswersRefused([AnswerProblem(str(file), "jurisdiction",
                                            L_("the questionnaire names no jurisdiction of the workspace (%(found)s)",
                                               found=repr(form.jurisdiction)))])
    jid = form.jurisdiction
    profile = ws.profiles[jid]
    design = ws.design(jid, form.design or "")
    if design is None:
        raise AnswersRefused([AnswerProblem(str(file), "design", L_("no design %(design)s for %(jurisdiction)s in the "
                                                                    "workspace", design=repr(form.design), jurisdiction=jid))])
    checked = check(ws, form, jid, design.currency or profile.currency, file.name)
    if checked.problems and not partial:
        raise AnswersRefused(checked.problems)
    design_answers = [v for v in checked.valid if v.path.startswith("design.")]
    if design_answers and design.jurisdiction is None:
        raise AnswersRefused([AnswerProblem(v.where, "id", L_("%(path)s: %(design)s is an archetype, not a design of "
                                                              "%(jurisdiction)s: create the jurisdiction's own design file "
                                                              "first", path=v.path, design=repr(design.id), jurisdiction=jid))
                              for v in design_answers])

    folder = workspace_root.resolve() / "jurisdictions" / jid
    copied: list[str] = []
    shipped_profile = ws.origin("profile", jid)
    profile_path = folder / "profile.yaml"
    design_path = folder / "designs" / f"{design.id}.yaml"
    design_origin = ws.origin("design", f"{jid}/{design.id}")
    if not profile_path.is_file() and shipped_profile is not None:
        profile_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shipped_profile.doc.file, profile_path)
        copied.append(str(profile_path))
    if design_answers and not design_path.is_file() and design_origin is not None:
        design_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(design_origin.doc.file, design_path)
        copied.append(str(design_path))

    y = _yaml()
    targets: dict[str, Target] = {}

    def target(kind: str) -> Target:
        if kind not in targets:
            path = profile_path if kind == "jurisdiction" else design_path
            text = path.read_text(encoding="utf-8")
            targets[kind] = Target(path, text, y.load(text))
        return targets[kind]

    facts: list[WrittenFact] = []
    for v in checked.valid:
        root, _, rest = v.path.partition(".")
        t = target(root)
        changed = _set(t.doc, rest.split("."), v)
        facts.append(WrittenFact(path=v.path, value=v.value, source=v.source, file=str(t.path), changed=changed))
    sources_added: list[str] = []
    declared_dates = sorted({v.as_of for v in checked.valid if v.declared})
    if declared_dates:
        from ruamel.yaml.comments import CommentedSeq

        pdoc = target("jurisdiction").doc
        if not isinstance(pdoc.get("sources"), list):
            pdoc["sources"] = CommentedSeq()
        have = {str(s.get("id")) for s in pdoc["sources"] if isinstance(s, dict)}
        for as_of in declared_dates:
            ident = declared_source_id(jid, as_of)
            if ident not in have:
                pdoc["sources"].append(_declared_entry(jid, form.country_team or "", as_of))
                sources_added.append(ident)
    files_changed: list[str] = []
    rendered: dict[Path, str] = {}
    for kind, t in targets.items():
        buf = io.StringIO()
        y.dump(t.doc, buf)
        if buf.getvalue() != t.text:
            _still_valid(t.path, buf.getvalue(), JurisdictionProfile if kind == "jurisdiction" else Design,
                         workspace_root)
            rendered[t.path] = buf.getvalue()
    for path, text in rendered.items():
        write_text(path, text)
        files_changed.append(str(path))
    return ImportResult(jurisdiction_id=jid, design_id=design.id, facts=facts,
                        refused=[str(p) for p in checked.problems], unconfirmed=checked.unconfirmed, copied=copied,
                        sources_added=sources_added, files_changed=files_changed)
