"""Lint warnings: things that are valid but probably wrong, kept apart from errors.

:func:`lint` returns :class:`~policyengine.problems.Problem` entries of level ``warning`` with
the file and line, like every other check:

- a figure (a number, an amount, a list of limits) whose ``as_of`` is older than
  ``max_age_years`` (stale data: look for a newer source); yes/no facts and names are dated by
  when they took effect, which does not make them stale;
- a rule citation with no ``section`` (a reviewer cannot find the passage);
- a ``high`` severity rule without a real recommendation (blank or still a placeholder);
- a design amount in a currency that is neither USD nor the jurisdiction's, so it cannot be
  converted with the jurisdiction's exchange rate and every rule on it reports ``unknown``;
- a rule that still carries scaffold placeholders (``TODO``);
- the evidence standard (docs/adr/0005-evidence-standard.md): a fact whose source is not of a
  kind a rule reading it accepts (e.g. a legal status resting on the central bank's FAQ, not on
  a law); facts resting on press reports (one warning per document, listing them); an
  operational status (a channel is live, a link is running) not re-checked for over a year; a
  pending or decided-against fact with no note saying what is pending.

Nothing here raises or prints; ``api.validate`` adds these to its problems.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterator

from ..evidence import PRESS, STATUS_MAX_AGE_DAYS, accepted_text, is_operational, status_age_days
from ..i18n.deferred import L_, Items, worded
from ..load import Origin, Workspace
from ..models.rule import Rule, Severity
from ..problems import Problem, relative
from ..validate import fact_mappings

DEFAULT_MAX_AGE_YEARS = 5


def _warn(ws: Workspace, origin: Origin, loc: tuple[Any, ...], field: str, message: str) -> Problem:
    return Problem(relative(origin.doc.file, ws.root), origin.line(*loc), field, message, "warning")


def _as_date(text: str) -> dt.date | None:
    from ..evidence import as_date

    return as_date(text)


def _money(data: Any, loc: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every amount (``{amount, currency}``) under a money key, with its currency."""
    if isinstance(data, dict):
        if "amount" in data and isinstance(data.get("currency"), str):
            yield loc, data["currency"]
            return
        for k, v in data.items():
            yield from _money(v, loc + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _money(v, loc + (i,))


def _documents(ws: Workspace) -> Iterator[tuple[str | None, Origin]]:
    """(jurisdiction id or None for an archetype, origin) of every profile and design."""
    for jid in sorted(ws.profiles):
        origin = ws.origin("profile", jid)
        if origin:
            yield jid, origin
    for jid in sorted(ws.designs):
        for did in sorted(ws.designs[jid]):
            origin = ws.origin("design", f"{jid}/{did}")
            if origin:
                yield jid, origin
    for did in sorted(ws.archetypes):
        origin = ws.origin("design", f"/{did}")
        if origin:
            yield None, origin


def stale_facts(ws: Workspace, max_age_years: float, today: dt.date) -> list[Problem]:
    out = []
    limit = dt.timedelta(days=round(365.25 * max_age_years))
    for _, origin in _documents(ws):
        for loc, fact in fact_mappings(origin.doc.data):
            as_of = fact.get("as_of")
            if not isinstance(as_of, str) or isinstance(fact.get("value"), (bool, str)):
                continue  # a law's enactment date or a name does not go stale; statistics and limits do
            when = _as_date(as_of)
            if when is not None and today - when > limit:
                years = today.year - when.year
                out.append(_warn(ws, origin, loc + ("as_of",), ".".join(map(str, loc)),
                                 L_("this fact is from %(as_of)s, %(years)s years ago (older than %(limit)s): "
                                    "look for a newer source, or keep it and say why in a note",
                                    as_of=as_of, years=years, limit=format(max_age_years, "g"))))
    return out


def _placeholder(text: str | None) -> bool:
    return text is None or not text.strip() or text.strip().upper().startswith("TODO")


def rule_warnings(ws: Workspace, rule: Rule) -> list[Problem]:
    origin = ws.origin("rule", rule.id)
    if origin is None:
        return []
    out = []
    for i, c in enumerate(rule.citations):
        if not c.section or not c.section.strip():
            out.append(_warn(ws, origin, ("citations", i), "citations",
                             L_("the citation of %(ref)s has no section: add the recommendation, article or page "
                                "so a reviewer can find the passage", ref=repr(c.ref))))
    if rule.severity == Severity.high and _placeholder(rule.recommendation):
        out.append(_warn(ws, origin, ("recommendation",), "recommendation",
                         L_("a high-severity rule needs a concrete recommendation: what closes the gap")))
    todo = [k for k, v in _strings(origin.doc.data, ()) if "TODO" in v]
    if todo:
        out.append(_warn(ws, origin, todo[0], ".".join(map(str, todo[0])),
                         L_("still has %(count)s placeholder(s) from `policyengine new rule` (TODO): "
                            "replace them before making the rule active", count=len(todo))))
    return out


def _strings(data: Any, loc: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield from _strings(v, loc + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _strings(v, loc + (i,))


def currency_warnings(ws: Workspace) -> list[Problem]:
    out = []
    for jid, origin in _documents(ws):
        profile = ws.profiles.get(jid) if jid is not None else None
        if profile is None or origin.doc.file.name == "profile.yaml":
            continue  # no jurisdiction, or its profile is invalid (its errors are reported)
        for loc, currency in _money(origin.doc.data, ()):
            if currency in ("USD", profile.currency):
                continue
            out.append(_warn(ws, origin, loc + ("currency",), ".".join(map(str, loc)),
                             L_("an amount in %(currency)s, but %(jurisdiction)s's exchange rate is for "
                                "%(rate_currency)s per USD: it cannot be converted, so rules on it report unknown; "
                                "give it in %(rate_currency)s or USD (and say in a note which was published)",
                                currency=currency, jurisdiction=jid, rate_currency=profile.currency)))
    return out


def _path_of(origin: Origin, loc: tuple[Any, ...]) -> str:
    """The catalogue path of a fact at ``loc`` of a profile or design document."""
    root = "jurisdiction" if origin.doc.file.name == "profile.yaml" else "design"
    return ".".join([root, *map(str, loc)])


def _source_ref(fact: dict[str, Any]) -> str | None:
    source = fact.get("source")
    ref = source.get("ref") if isinstance(source, dict) else source
    return ref if isinstance(ref, str) else None


def evidence_warnings(ws: Workspace, today: dt.date) -> list[Problem]:
    """Facts below the evidence standard: kinds rules do not accept, press, stale statuses, bare states."""
    from ..evidence import kinds_of

    required: dict[str, list[tuple[str, list[str]]]] = {}
    for rid in sorted(ws.rules):
        for path, kinds_accepted in ws.rules[rid].evidence.items():
            required.setdefault(path, []).append((rid, [k.value for k in kinds_accepted]))
    out = []
    for jid, origin in _documents(ws):
        kinds = kinds_of(ws, jid)
        press: list[tuple[tuple[Any, ...], str]] = []
        historical = isinstance(origin.doc.data, dict) and origin.doc.data.get("status") == "discontinued"
        for loc, fact in fact_mappings(origin.doc.data):
            path = _path_of(origin, loc)
            ref = _source_ref(fact)
            kind = kinds.get(ref) if ref else None
            field = ".".join(map(str, loc))
            for rid, accepted in required.get(path, []):
                if kind is not None and kind not in accepted and not fact.get("state"):
                    article = "an" if kind[0] in "aeiou" else "a"
                    english = (f"rests on {ref!r}, {article} {kind} source, but {rid} accepts only "
                               f"{accepted_text(accepted)}: the rule cannot be met on it; cite the instrument itself")
                    out.append(_warn(ws, origin, loc + ("source",), field, worded(
                        L_("rests on %(ref)s, a source of kind %(kind)s, but %(rule)s accepts only %(accepted)s: "
                           "the rule cannot be met on it; cite the instrument itself", ref=repr(ref), kind=kind,
                           rule=rid, accepted=Items(accepted, either=True)), english)))
            if kind == PRESS:
                press.append((loc, path))
            # An archetype describes no live system, and a discontinued design a system that ran:
            # neither goes stale.
            if is_operational(path) and jid is not None and not (path.startswith("design.") and historical):
                checked = fact.get("checked") if isinstance(fact.get("checked"), str) else None
                as_of = fact.get("as_of") if isinstance(fact.get("as_of"), str) else None
                age = status_age_days(checked, as_of, today)
                if age is None or age > STATUS_MAX_AGE_DAYS:
                    if checked:
                        message = L_("an operational status (last checked %(date)s) goes stale after %(days)s days: "
                                     "re-check it and record the date under `checked:`", date=checked,
                                     days=STATUS_MAX_AGE_DAYS)
                    elif as_of:
                        message = L_("an operational status (dated %(date)s) goes stale after %(days)s days: "
                                     "re-check it and record the date under `checked:`", date=as_of,
                                     days=STATUS_MAX_AGE_DAYS)
                    else:
                        message = L_("an operational status (undated) goes stale after %(days)s days: "
                                     "re-check it and record the date under `checked:`", days=STATUS_MAX_AGE_DAYS)
                    out.append(_warn(ws, origin, loc + (("checked",) if checked else ("value",)), field, message))
            if fact.get("state") and not (isinstance(fact.get("note"), str) and fact["note"].strip()):
                out.append(_warn(ws, origin, loc + ("state",), field,
                                 L_("a %(state)s fact needs a note saying what is pending or decided, and by whom",
                                    state=str(fact["state"]))))
        if press:
            loc, _ = press[0]
            names = Items([p.split(".", 1)[1] for _, p in press[:12]] + (["..."] if len(press) > 12 else []))
            out.append(_warn(ws, origin, loc + ("source",), ".".join(map(str, loc)),
                             L_("%(count)s fact(s) rest on press or secondary reports (%(names)s): the toolkit marks "
                                "them 'press report'; cite a law, official or international source where one exists",
                                count=len(press), names=names)))
    return out


def lint(ws: Workspace, max_age_years: float = DEFAULT_MAX_AGE_YEARS, today: dt.date | None = None) -> list[Problem]:
    """Every lint warning of a loaded workspace, sorted by file and line."""
    today = today or dt.date.today()
    problems = stale_facts(ws, max_age_years, today)
    for rid in sorted(ws.rules):
        problems += rule_warnings(ws, ws.rules[rid])
    problems += currency_warnings(ws)
    problems += evidence_warnings(ws, today)
    return sorted(set(problems))
