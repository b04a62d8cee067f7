"""The toolkit's executive summary: what a reader must know first, written in sentences.

One pure function, :func:`executive_summary`, turns an assessment and the toolkit's action
plan, missing data and open design choices into four short blocks: where the design stands
(counts, with the share of applicable rules the data could decide beside any share met), the
top priorities by severity with what to do about each, what is still undecided, and which
missing facts would decide the most rules. Nothing in it is canned: every sentence is chosen
and filled from the findings, and every number goes through Babel (:mod:`.format`).
"""

from __future__ import annotations

from collections import Counter

from ..i18n import N_, _, ngettext
from ..i18n import format as fmt
from ..models import Assessment
from ..models.finding import score_range
from ..models.rule import Status
from .documents import AREA_TITLES, ActionItem, ExecutiveSummary, MissingFact, OpenChoice

#: Priorities named in the summary; the action plan lists every gap.
MAX_PRIORITIES = 3
#: Missing facts and open choices named in one sentence.
MAX_NAMED = 3
#: Areas named where the undecided rules sit.
MAX_AREAS = 3
SEVERITY_WORDS = {"high": N_("high"), "medium": N_("medium"), "low": N_("low")}


def _series(words: list[str], more: str | None = None) -> str:
    """``a``, ``a and b``, ``a, b and c``; ``more`` (``4 other areas``) ends the series."""
    if more:
        words = [*words, more]
    return fmt.conjunction(words)


def _more(n: int, lang: str, area: bool = False) -> str | None:
    if n <= 0:
        return None
    if area:
        return ngettext("%(n)s other area", "%(n)s other areas", n) % {"n": fmt.number(n, lang)}
    return ngettext("%(n)s other choice", "%(n)s other choices", n) % {"n": fmt.number(n, lang)}


def _standing(a: Assessment, design: str, jurisdiction: str, archetype: bool, lang: str) -> list[str]:
    c = Counter(f.status for f in a.findings)
    met, gap, unknown, na = c[Status.met], c[Status.gap], c[Status.unknown], c[Status.not_applicable]
    r = score_range(met, gap, unknown)
    num = lambda n: fmt.number(n, lang)  # noqa: E731
    pct = lambda x: fmt.percent(x, lang)  # noqa: E731
    out = []
    if archetype:
        out.append(_("%(jurisdiction)s has no design of its own: this toolkit assesses %(design)s, a reusable "
                     "archetype, as the model the country could follow.") % {"jurisdiction": jurisdiction,
                                                                              "design": design})
    if not r["applicable"]:
        out.append(_("No rule of the ruleset applies to %(design)s (%(na)s are out of scope), so the toolkit "
                     "can say nothing about it yet.") % {"design": design, "na": num(na)})
        return out
    # Participles, not verbs, after each count: "1 met, 2 not met" reads right for any number.
    out.append(ngettext("%(design)s was checked against the one rule that applies to it: %(met)s met, %(gap)s not "
                        "met and %(unknown)s undecided for lack of recorded facts; a further %(na)s out of scope "
                        "for this design.",
                        "%(design)s was checked against the %(applicable)s rules that apply to it: %(met)s met, "
                        "%(gap)s not met and %(unknown)s undecided for lack of recorded facts; a further %(na)s out "
                        "of scope for this design.", r["applicable"])
               % {"design": design, "applicable": num(r["applicable"]), "met": num(met), "gap": num(gap),
                  "unknown": num(unknown), "na": num(na)})
    if not r["decided"]:
        out.append(_("The recorded facts decide none of these rules yet, so no share met can be given: once "
                     "the facts are recorded it could lie anywhere from %(low)s to %(high)s.")
                   % {"low": pct(r["score_min"]), "high": pct(r["score_max"])})
    elif not unknown:
        out.append(_("The recorded facts decide every one of these rules, and %(score)s of them are met.")
                   % {"score": pct(r["score"])})
    else:
        out.append(_("The data decide %(coverage)s of these rules (%(decided)s of %(applicable)s). Of those "
                     "decided, %(score)s are met; once every undecided rule is answered, the share met could "
                     "lie anywhere from %(low)s to %(high)s, so the undecided rules weigh more than the score.")
                   % {"coverage": pct(r["coverage"]), "decided": num(r["decided"]),
                      "applicable": num(r["applicable"]), "score": pct(r["score"]),
                      "low": pct(r["score_min"]), "high": pct(r["score_max"])})
    pending = sum(1 for f in a.findings if f.status in (Status.met, Status.gap) and f.pending)
    if pending:
        out.append(ngettext("%(n)s decided finding rests on a decision still pending or taken against; it "
                            "may change when that decision is settled.",
                            "%(n)s decided findings rest on a decision still pending or taken against; they "
                            "may change when that decision is settled.", pending) % {"n": num(pending)})
    return out


def _priority(a: ActionItem) -> str:
    text = _("%(title)s (%(severity)s severity, %(area)s). %(recommendation)s") % {
        "title": a.rule_title, "severity": _(SEVERITY_WORDS.get(a.severity, a.severity)),
        "area": _(AREA_TITLES.get(a.area, a.area)),
        "recommendation": a.recommendation.strip() or _("The rule gives no recommendation; see its reference page.")}
    if a.closing_change and a.closing_change_confirmed:
        changes = _series([_("%(fact)s from %(current)s to %(proposed)s")
                           % {"fact": c.label, "current": c.current, "proposed": c.proposed}
                           for c in a.closing_change])
        text += " " + _("Changing %(changes)s closes this gap (re-checked with the ruleset).") % {"changes": changes}
    return text


def _priorities(a: Assessment, actions: list[ActionItem], lang: str) -> tuple[str, list[str]]:
    gaps = [f for f in a.findings if f.status == Status.gap]
    decided = sum(1 for f in a.findings if f.status in (Status.met, Status.gap))
    if not gaps:
        if not decided:
            return _("No gap can be named until some rule is decided: the priority is the missing data below."), []
        return (_("No gap was found among the %(decided)s rules the data could decide: the priority is to settle "
                  "what is still undecided.") % {"decided": fmt.number(decided, lang)}), []
    sev = Counter(f.severity.value for f in gaps)
    shown = min(len(actions), MAX_PRIORITIES)
    more = len(actions) - shown
    if len(gaps) == 1:
        intro = _("The one gap is of %(severity)s severity; what to do about it:")
    elif not more:
        intro = _("The %(n)s gaps by severity: %(high)s high, %(medium)s medium and %(low)s low. What to do about each:")
    else:
        intro = ngettext("The %(n)s gaps by severity: %(high)s high, %(medium)s medium and %(low)s low. The %(shown)s "
                         "most severe, with what to do (the other %(more)s is in the action plan):",
                         "The %(n)s gaps by severity: %(high)s high, %(medium)s medium and %(low)s low. The %(shown)s "
                         "most severe, with what to do (the other %(more)s are in the action plan):", more)
    values = {"n": fmt.number(len(gaps), lang), "high": fmt.number(sev["high"], lang),
              "medium": fmt.number(sev["medium"], lang), "low": fmt.number(sev["low"], lang),
              "severity": _(SEVERITY_WORDS[gaps[0].severity.value]), "shown": fmt.number(shown, lang),
              "more": fmt.number(more, lang)}
    return intro % values, [_priority(x) for x in actions[:shown]]


def _undecided(a: Assessment, design: str, choices: list[OpenChoice], lang: str) -> list[str]:
    unknown = [f for f in a.findings if f.status == Status.unknown]
    if not unknown:
        return []
    by_area = Counter(f.area.value for f in unknown).most_common()
    areas = [_("%(area)s (%(n)s)") % {"area": _(AREA_TITLES.get(area, area)), "n": fmt.number(n, lang)}
             for area, n in by_area[:MAX_AREAS]]
    out = [_("The %(n)s undecided rules sit mostly in %(areas)s.")
           % {"n": fmt.number(len(unknown), lang), "areas": _series(areas, _more(len(by_area) - MAX_AREAS, lang, area=True))}]
    if choices:
        labels = [c.label for c in choices[:MAX_NAMED]]
        out.append(_("Part of this is for %(design)s to decide, not to find out: it has still to choose %(choices)s; "
                     "what each option would meet or open is set out under Design choices still open.")
                   % {"design": design, "choices": _series(labels, _more(len(choices) - MAX_NAMED, lang))})
    return out


def _missing(missing: list[MissingFact], lang: str) -> list[str]:
    if not missing:
        return []
    named = [ngettext("%(fact)s (%(n)s rule waiting)", "%(fact)s (%(n)s rules waiting)", len(m.rules))
             % {"fact": m.label, "n": fmt.number(len(m.rules), lang)} for m in missing[:MAX_NAMED]]
    return [ngettext("One fact is missing: %(facts)s.",
                     "%(n)s facts are missing; those that would decide the most rules are %(facts)s.", len(missing))
            % {"n": fmt.number(len(missing), lang), "facts": _series(named)}]


def executive_summary(a: Assessment, *, design: str, jurisdiction: str, archetype: bool,
                      actions: list[ActionItem], missing: list[MissingFact], open_choices: list[OpenChoice],
                      lang: str = "en") -> ExecutiveSummary:
    """The summary of one assessment, in sentences; ``actions`` in the action plan's order
    (most severe first), ``missing`` with the facts blocking the most rules first."""
    intro, items = _priorities(a, actions, lang)
    return ExecutiveSummary(standing=_standing(a, design, jurisdiction, archetype, lang), priorities_intro=intro,
                            priorities=items, undecided=_undecided(a, design, open_choices, lang),
                            missing=_missing(missing, lang))
