"""The minister's brief: two A4 pages that say where a design stands and what to decide.

Built from the same assessments as the toolkit (STYLE 14: model first, then templates). What a
senior adviser puts on a governor's desk, and nothing the engine cannot back:

- **standing**: met / gap / unknown counts with the share of applicable rules the data could
  decide (never a lone percentage);
- **priorities** (three to five): the gaps, most severe first, grouped when one change of the
  design closes several of them, then the undecided design choices that block the most rules;
  each with what to do, who must act and by when (now / 6 months / 12 months by severity);
- **options**: where a gap has several confirmed remedies, or a design choice is still open,
  each alternative is run through the engine and its trade-off is what else it makes met or gap;
- **peers**: the same counts for the region's other shipped designs, and for each area the
  shipped design that meets the most rules (with names);
- **alternatives**, for a jurisdiction without a design of its own: the rails it already has
  (fast payments, mobile-money interoperability) and what the findings of a reference design say.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

from pydantic import Field

from .. import api
from ..explain import apply_changes, options
from ..facts import FactTable
from ..i18n import N_, _, ngettext
from ..i18n import format as fmt
from ..load import Workspace
from ..models import Assessment, Design, JurisdictionProfile
from ..models.finding import Finding
from ..models.rule import SEVERITY_ORDER, Area, Severity, Status
from ..paths import base_catalogue
from . import documents as docs
from .documents import (
    AREA_TITLES,
    DEFAULT_ARCHETYPE,
    FINDINGS_REPORT_SCHEMA,
    REGION_TITLES,
    DocModel,
    JurisdictionView,
    Meta,
    SchemaRef,
    SourceEntry,
)
from .region import is_hypothetical, is_private

MAX_PRIORITIES = 5
MAX_OPTIONS = 2  # two decisions fit two A4 pages beside ten areas (KE printed on 3 with three)
MAX_CHOICES = 4
MAX_PEERS = 6

#: When to act, by severity of what is at stake (the roadmap's three horizons).
HORIZONS = ("now", "6 months", "12 months")
_WHEN = {"high": "now", "medium": "6 months", "low": "12 months"}


class Coverage(DocModel):
    """Counts of one assessment with the share of applicable rules the data could decide."""

    met: int
    gap: int
    unknown: int
    not_applicable: int
    high_gaps: int
    applicable: int = Field(description="Rules that apply: met + gap + unknown")
    decided: int = Field(description="Rules the recorded facts could decide: met + gap")
    coverage: float | None = Field(description="decided / applicable: how much of the picture the data shows")
    score: float | None = Field(description="met / decided; only meaningful next to `coverage`")


class AreaStanding(DocModel):
    area: str
    title: str
    counts: Coverage


class Standing(DocModel):
    counts: Coverage
    areas: list[AreaStanding]
    missing_facts: int = Field(description="Distinct facts whose absence leaves a rule unknown")


class Priority(DocModel):
    order: int
    kind: Literal["gap", "decision"] = Field(description="gap: a requirement not met; decision: a design choice still open")
    severity: str
    area: str
    title: str
    action: str = Field(description="What to do")
    change: list[str] = Field(default_factory=list, description="The change of facts that closes it, as a reader reads it")
    who: str = Field(description="Who must act")
    when: str = Field(description="now, 6 months or 12 months")
    rules: list[str] = Field(description="Rule ids this priority settles")
    met_by: list[str] = Field(default_factory=list, description="Shipped designs that already meet the lead rule")


class RoadmapStep(DocModel):
    horizon: str
    items: list[str]


class RuleName(DocModel):
    rule_id: str
    title: str


class Choice(DocModel):
    label: str
    change: list[str]
    closes: list[str] = Field(default_factory=list, description="Rules this choice makes met (ids)")
    opens: list[str] = Field(default_factory=list, description="Rules this choice makes a gap (ids)")
    closes_titles: list[str] = Field(default_factory=list)
    opens_titles: list[str] = Field(default_factory=list)
    met: int = Field(description="Rules met with this choice (all rules)")
    gap: int = Field(description="Gaps left with this choice (all rules)")


class Option(DocModel):
    kind: Literal["remedy", "decision"]
    question: str
    rules: list[str]
    choices: list[Choice]


class PeerRow(DocModel):
    jurisdiction_id: str
    jurisdiction_name: str
    design_id: str
    design_name: str
    status: str
    this: bool = Field(description="The design this brief is about")
    counts: Coverage


class BestPractice(DocModel):
    area: str
    title: str
    design_name: str
    jurisdiction_name: str
    met: int
    gap: int
    unknown: int


class Rail(DocModel):
    label: str
    value: str
    source_title: str | None = None
    as_of: str | None = None


class Alternatives(DocModel):
    """The no-design view: should the jurisdiction issue, and what else reaches the objectives."""

    cbdc_status: str | None = None
    cbdc_status_source: str | None = None
    rails: list[Rail] = Field(description="Payment rails and inclusion facts already in place")
    points: list[str] = Field(description="What the facts and the reference design's findings say, in sentences")


class BriefDesign(DocModel):
    id: str
    name: str
    status: str
    archetype: bool
    summary: str | None = None


class Brief(DocModel):
    """Two A4 pages for a governor or a minister."""

    schema_: SchemaRef = FINDINGS_REPORT_SCHEMA
    kind: Literal["brief"] = "brief"
    meta: Meta
    jurisdiction: JurisdictionView
    design: BriefDesign
    own_design: bool = Field(description="False when the jurisdiction has no design and a reference archetype is assessed")
    standing: Standing
    headline: str
    priorities: list[Priority]
    roadmap: list[RoadmapStep]
    options: list[Option]
    peers: list[PeerRow]
    best_practice: list[BestPractice]
    alternatives: Alternatives | None = None
    sources: list[SourceEntry]


# --- counting --------------------------------------------------------------------------------

def coverage_of(findings: list[Finding]) -> Coverage:
    c = {s.value: 0 for s in Status}
    high = 0
    for f in findings:
        c[f.status.value] += 1
        if f.status == Status.gap and f.severity == Severity.high:
            high += 1
    decided = c["met"] + c["gap"]
    applicable = decided + c["unknown"]
    return Coverage(met=c["met"], gap=c["gap"], unknown=c["unknown"], not_applicable=c["not_applicable"],
                    high_gaps=high, applicable=applicable, decided=decided,
                    coverage=round(decided / applicable, 4) if applicable else None,
                    score=round(c["met"] / decided, 4) if decided else None)


# --- who acts ---------------------------------------------------------------------------------

def _who(path: str | None, area: str, profile: JurisdictionProfile, design: Design) -> str:
    bank = profile.central_bank or _("the central bank")
    issuer = bank if design.issuer.value == "central_bank" else _("the issuer, under its supervisor")
    if path:
        if path.startswith("jurisdiction.aml."):
            return _("AML/CFT authorities (financial intelligence unit, supervisors), with the Ministry of Finance")
        if path.startswith("jurisdiction.legal."):
            return _("Ministry of Finance and the legislature")
        if path.startswith("jurisdiction.identity."):
            return _("National identity authority")
        if path.startswith(("jurisdiction.inclusion.", "jurisdiction.payments.")):
            return _("%(bank)s (payments and financial inclusion)", bank=bank)
        if path.startswith("design.privacy."):
            return _("%(issuer)s, with the data protection authority", issuer=issuer)
        if path.startswith("design.aml."):
            return _("%(issuer)s, with the AML/CFT supervisor", issuer=issuer)
        if path.startswith("design."):
            return _("%(issuer)s (design team)", issuer=issuer)
    by_area = {"aml": N_("AML/CFT authorities, with the Ministry of Finance"), "identity": N_("National identity authority"),
               "privacy": N_("Data protection authority, with the issuer"), "governance": N_("Board of the issuer")}
    return _(by_area[area]) if area in by_area else _("%(issuer)s (design team)", issuer=issuer)


# --- building --------------------------------------------------------------------------------

class _Ctx:
    def __init__(self, ws: Workspace, profile: JurisdictionProfile, design: Design, table: FactTable,
                 assessment: Assessment) -> None:
        self.ws = ws
        self.profile = profile
        self.design = design
        self.table = table
        self.assessment = assessment
        self.ruleset = api.ruleset_for(ws, design)
        self.base = {f.rule_id: f.status for f in assessment.findings}
        self.titles = {f.rule_id: f.rule_title for f in assessment.findings}
        self.sources = docs._Sources(ws, profile.id)  # noqa: SLF001 - one collector for the document

    def label(self, path: str) -> str:
        return docs.path_label(path, self.design)

    def change_text(self, changes: dict[str, Any]) -> list[str]:
        from ..explain import _current, _display_change  # noqa: PLC0415 - the explainer's own wording

        # Translators: a change of one fact, e.g. "R.15 new technologies: PC → C".
        return [_("%(fact)s: %(current)s \u2192 %(proposed)s", fact=self.label(p), current=_words(_current(self.table, p)),
                  proposed=_words(_display_change(p, v, self.table)))
                for p, v in changes.items()]

    def run(self, changes: dict[str, Any]) -> dict[str, Status]:
        """Every rule's status after ``changes``, through the same assessment as the brief's own
        counts (evidence standard included). A proposed value is hypothetical, like a rule's
        example, so it is marked as one: no source kind can be asked of it."""
        changed = apply_changes(self.table, changes)
        for path in changes:
            if path in changed.facts:
                changed.facts[path] = dataclasses.replace(changed.facts[path], source="example")
        return self.ruleset.statuses(changed)

    def choice(self, label: str, changes: dict[str, Any]) -> Choice:
        after = self.run(changes)
        closes = sorted(r for r, s in after.items() if s == Status.met and self.base.get(r) != Status.met)
        opens = sorted(r for r, s in after.items() if s == Status.gap and self.base.get(r) != Status.gap)
        counts = {s: sum(1 for v in after.values() if v == s) for s in (Status.met, Status.gap)}
        return Choice(label=label, change=self.change_text(changes), closes=closes, opens=opens,
                      closes_titles=[self.titles.get(r, r) for r in closes], opens_titles=[self.titles.get(r, r) for r in opens],
                      met=counts[Status.met], gap=counts[Status.gap])

    def remedies(self, rule_id: str) -> list[dict[str, Any]]:
        """Confirmed closing changes of a gap, smallest first (each re-run through the engine)."""
        rule = next(r for r in self.ruleset.rules if r.id == rule_id)
        out: list[dict[str, Any]] = []
        for changes in sorted(options(rule.requires, True, self.table, self.ruleset), key=len):
            if changes and changes not in out and self.run(changes).get(rule_id) == Status.met:
                out.append(changes)
        return out


def _words(value: str) -> str:
    """Enum values as words: ``feature_phone_ussd`` -> ``feature phone USSD``; ``(missing)`` and
    every enumerated value in the document's language (:func:`~policyengine.render.documents.change_words`)."""
    return docs.change_words(value)


def _sev_key(f: Finding) -> tuple[int, int, str]:
    return (SEVERITY_ORDER[f.severity], list(Area).index(f.area), f.rule_id)


def _met_by(rule_id: str, peers: dict[tuple[str, str], Assessment], skip: tuple[str, str]) -> list[str]:
    out = []
    for key, a in peers.items():
        if key == skip:
            continue
        if any(f.rule_id == rule_id and f.status == Status.met for f in a.findings):
            # Translators: a design and the jurisdiction it belongs to, e.g. "eNaira (Nigeria)".
            out.append(_("%(design)s (%(jurisdiction)s)", design=a.design_name, jurisdiction=a.jurisdiction_name))
    return out


def _gap_priorities(ctx: _Ctx, peers: dict[tuple[str, str], Assessment]) -> list[Priority]:
    """Gaps, most severe first. Each gap takes the confirmed remedy that closes the most other
    gaps too; a gap already closed by an earlier priority's change joins it, and remedies that
    change the same list (channels) are merged, so one decision settles several gaps."""
    gaps = sorted(ctx.assessment.by_status(Status.gap), key=_sev_key)
    open_ids = {f.rule_id for f in gaps}
    groups: list[tuple[list[Finding], dict[str, Any], set[str]]] = []
    for f in gaps:
        home = next((g for g in groups if f.rule_id in g[2]), None)
        if home is not None:
            home[0].append(f)
            continue
        remedies = ctx.remedies(f.rule_id)
        if not remedies:
            groups.append(([f], {}, {f.rule_id}))
            continue
        scored = []
        for i, ch in enumerate(remedies):
            tried = ctx.choice("", ch)
            scored.append((len(set(tried.closes) & open_ids) - len(tried.opens), -i, ch))
        change = max(scored, key=lambda t: (t[0], t[1]))[2]
        path = next(iter(change)) if len(change) == 1 else None
        target = next((g for g in groups if path is not None and list(g[1]) == [path]
                       and isinstance(g[1][path], list) and isinstance(change[path], list)), None)
        if target is not None and path is not None:
            target[1][path] = target[1][path] + [v for v in change[path] if v not in target[1][path]]
            target[0].append(f)
            target[2].update(ctx.choice("", target[1]).closes)
            continue
        groups.append(([f], dict(change), set(ctx.choice("", change).closes) | {f.rule_id}))
    out = []
    skip = (ctx.profile.id, ctx.design.id)
    for fs, change, _closes in groups:
        lead = fs[0]
        path = next(iter(change), None)
        title = lead.rule_title if len(fs) == 1 else ngettext("%(title)s (and %(num)s related gap)",
                                                              "%(title)s (and %(num)s related gaps)", len(fs) - 1,
                                                              title=lead.rule_title)
        out.append(Priority(
            order=0, kind="gap", severity=lead.severity.value, area=lead.area.value, title=title,
            action=lead.recommendation or lead.text, change=ctx.change_text(change) if change else [],
            who=_who(path, lead.area.value, ctx.profile, ctx.design), when=_WHEN[lead.severity.value],
            rules=[f.rule_id for f in fs], met_by=_met_by(lead.rule_id, peers, skip)[:3]))
    return out


def _decisions(ctx: _Ctx) -> list[tuple[str, list[str], str]]:
    """Open design choices (missing ``design.*`` facts), by the severity and number of rules they block."""
    blocked: dict[str, list[Finding]] = {}
    for f in ctx.assessment.by_status(Status.unknown):
        for p in f.missing:
            if p.startswith("design."):
                blocked.setdefault(p, []).append(f)
    ranked = sorted(blocked.items(), key=lambda kv: (min(SEVERITY_ORDER[f.severity] for f in kv[1]), -len(kv[1]), kv[0]))
    out = []
    for path, fs in ranked:
        worst = min((f.severity for f in fs), key=lambda s: SEVERITY_ORDER[s])
        out.append((path, sorted(f.rule_id for f in fs), worst.value))
    return out


def _decision_choices(ctx: _Ctx, path: str) -> list[Choice]:
    info = base_catalogue().get(path)
    if info is None:
        return []
    if info.kind == "bool":
        values: list[Any] = [True, False]
    elif info.kind == "enum":
        values = list(info.values)
    else:
        return []
    choices = [ctx.choice(docs.term_label(str(v)) if not isinstance(v, bool) else (_("yes") if v else _("no")), {path: v})
               for v in values]
    return sorted(choices, key=lambda c: (c.gap, -c.met, c.label))[:MAX_CHOICES]


def _decision_priority(ctx: _Ctx, path: str, rules: list[str], severity: str, peers: dict[tuple[str, str], Assessment],
                       ) -> Priority:
    label = ctx.label(path)
    return Priority(
        order=0, kind="decision", severity=severity, area=_area_of(ctx, rules[0]),
        title=(_("Decide and publish: %(choice)s", choice=label.lower()) if ctx.design.jurisdiction is not None
               else _("If a CBDC is pursued, decide: %(choice)s", choice=label.lower())),
        action=ngettext("Settle this design choice and record it: %(num)s rule cannot be assessed until it is known.",
                        "Settle this design choice and record it: %(num)s rules cannot be assessed until it is known.",
                        len(rules), num=len(rules)),
        who=_who(path, _area_of(ctx, rules[0]), ctx.profile, ctx.design),
        when="now" if severity == "high" else "6 months", rules=rules)


def _area_of(ctx: _Ctx, rule_id: str) -> str:
    return next(f.area.value for f in ctx.assessment.findings if f.rule_id == rule_id)


def _roadmap(priorities: list[Priority], ctx: _Ctx, taken: set[str]) -> list[RoadmapStep]:
    steps: dict[str, list[str]] = {h: [] for h in HORIZONS}
    for p in priorities:
        steps[p.when].append(_("%(what)s (%(who)s)", what=p.title, who=p.who))
    rest = [f for f in sorted(ctx.assessment.by_status(Status.gap), key=_sev_key) if f.rule_id not in taken]
    for f in rest:
        steps[_WHEN[f.severity.value]].append(_("%(what)s (%(who)s)", what=f.rule_title,
                                                 who=_who(None, f.area.value, ctx.profile, ctx.design)))
    missing = docs._missing(ctx.assessment.findings)  # noqa: SLF001
    outside = [m for m in missing if not m.path.startswith("design.")]
    if outside:
        steps["12 months"].append(
            ngettext("Record the %(num)s missing fact about the jurisdiction (first: %(first)s)",
                     "Record the %(num)s missing facts about the jurisdiction (first: %(first)s)", len(outside),
                     first=fmt.items(ctx.label(m.path).lower() for m in outside[:3])))
    return [RoadmapStep(horizon=h, items=items) for h, items in steps.items()]


def _peer_rows(ws: Workspace, profile: JurisdictionProfile, design: Design,
               assessments: dict[tuple[str, str], Assessment]) -> list[PeerRow]:
    rows = []
    for (jid, did), a in assessments.items():
        p = ws.profiles[jid]
        if p.region != profile.region and (jid, did) != (profile.id, design.id):
            continue
        d = api.find_design(ws, jid, did)
        rows.append(PeerRow(jurisdiction_id=jid, jurisdiction_name=p.name, design_id=did, design_name=d.name,
                            status=d.status.value, this=(jid, did) == (profile.id, design.id),
                            counts=coverage_of(a.findings)))
    rows.sort(key=lambda r: (not r.this, -r.counts.met, r.counts.gap, r.jurisdiction_id))
    return rows[:MAX_PEERS]


def _best_practice(ws: Workspace, assessments: dict[tuple[str, str], Assessment], areas: list[str]) -> list[BestPractice]:
    out = []
    for area in areas:
        ranked = []
        for (jid, _did), a in assessments.items():
            if a.jurisdiction_id != jid or ws.design(jid, a.design_id) is None:
                continue
            c = coverage_of([f for f in a.findings if f.area.value == area])
            ranked.append((-c.met, c.gap, c.unknown, a.jurisdiction_id, a, c))
        if not ranked:
            continue
        *_rest, a, c = min(ranked, key=lambda t: t[:4])
        out.append(BestPractice(area=area, title=_(AREA_TITLES[area]), design_name=a.design_name,
                                jurisdiction_name=a.jurisdiction_name, met=c.met, gap=c.gap, unknown=c.unknown))
    return out


_RAILS = ("jurisdiction.payments.instant_payment_system", "jurisdiction.payments.instant_payment_system_name",
          "jurisdiction.payments.iso20022_instant", "jurisdiction.payments.mobile_money_interoperable",
          "jurisdiction.payments.cross_border_fast_payment_link", "jurisdiction.inclusion.account_ownership_pct",
          "jurisdiction.inclusion.mobile_money_account_pct", "jurisdiction.inclusion.mobile_phone_ownership_pct",
          "jurisdiction.inclusion.remittance_cost_pct")


def _alternatives(ctx: _Ctx) -> Alternatives:
    t = ctx.table
    rails = []
    for path in _RAILS:
        fv = t.get(path)
        if fv is None or fv.source is None:
            continue
        rails.append(Rail(label=ctx.label(path), value=fv.display, source_title=ctx.sources.title(fv.source), as_of=fv.as_of))
    name = ctx.profile.name
    points = []
    ips = t.value("jurisdiction.payments.instant_payment_system")
    ips_name = t.value("jurisdiction.payments.instant_payment_system_name")
    mm = t.value("jurisdiction.payments.mobile_money_interoperable")
    if ips is True:
        called = f" ({ips_name})" if ips_name else ""
        points.append(_("%(name)s already runs an instant payment system%(called)s: fast retail payments, often given "
                        "as a reason to issue, are already served; a CBDC would have to add what this system cannot.",
                        name=name, called=called))
    elif ips is False:
        points.append(_("%(name)s has no instant payment system recorded: building one is the alternative to weigh "
                        "first against a retail CBDC for fast, cheap payments.", name=name))
    if mm is True:
        points.append(_("Mobile-money wallets are interoperable: payments between providers already work, so "
                        "interoperability alone is no reason to issue."))
    elif mm is False:
        points.append(_("Mobile-money wallets are not interoperable: mandating interoperability reaches "
                        "many users sooner than a new currency would."))
    c = coverage_of(ctx.assessment.findings)
    points.append(ngettext(
        "Assessed against the facts of %(name)s, the reference design (%(design)s) meets %(met)s rules and leaves "
        "%(num)s gap (%(high)s high); %(unknown)s of %(applicable)s applicable rules stay unknown for lack of data. "
        "The gaps below are what %(name)s would have to close before issuing.",
        "Assessed against the facts of %(name)s, the reference design (%(design)s) meets %(met)s rules and leaves "
        "%(num)s gaps (%(high)s high); %(unknown)s of %(applicable)s applicable rules stay unknown for lack of data. "
        "The gaps below are what %(name)s would have to close before issuing.", c.gap,
        name=name, design=ctx.design.name, met=c.met, high=c.high_gaps, unknown=c.unknown, applicable=c.applicable))
    status = ctx.profile.cbdc_status
    return Alternatives(cbdc_status=docs.term(status.value.value) if status else None,
                        cbdc_status_source=ctx.sources.title(status.source_ref) if status else None,
                        rails=rails, points=points)


def _headline(name: str, design: str, c: Coverage, missing: int) -> str:
    if not c.applicable:
        return _("No rule applies to %(design)s yet.", design=design)
    standing = ngettext("%(design)s meets %(met)s requirements and has %(num)s gap (%(high)s high severity).",
                        "%(design)s meets %(met)s requirements and has %(num)s gaps (%(high)s high severity).", c.gap,
                        design=design, met=c.met, high=c.high_gaps)
    data = ngettext("The recorded facts decide %(decided)s of %(applicable)s applicable rules; the other %(unknown)s "
                    "wait on %(num)s missing fact, so the picture for %(name)s is partial.",
                    "The recorded facts decide %(decided)s of %(applicable)s applicable rules; the other %(unknown)s "
                    "wait on %(num)s missing facts, so the picture for %(name)s is partial.", missing,
                    decided=c.decided, applicable=c.applicable, unknown=c.unknown, name=name)
    # Translators: two sentences of the brief's headline, one after the other.
    return _("%(standing)s %(data)s", standing=standing, data=data)


def build_brief(ws: Workspace, jurisdiction_id: str, design_id: str | None, *, date: str | None = None) -> Brief:
    profile = api.find_profile(ws, jurisdiction_id)
    own_designs = ws.designs.get(profile.id, {})
    own = bool(own_designs)
    did = design_id if design_id is not None else (None if own else DEFAULT_ARCHETYPE)
    _profile, design, table = api.fact_table(ws, profile.id, did)
    assessment = api.assess(profile.id, design.id, ws)
    ctx = _Ctx(ws, profile, design, table, assessment)
    own = own and design.jurisdiction is not None
    peers: dict[tuple[str, str], Assessment] = {(p.jurisdiction_id, p.design_id): api.assess(p.jurisdiction_id, p.design_id, ws)
                                                for p in api.shipped_pairs(ws)}
    peers.setdefault((profile.id, design.id), assessment)
    areas = docs._areas_of(ws)  # noqa: SLF001

    gap_items = _gap_priorities(ctx, peers)
    priorities = gap_items[:MAX_PRIORITIES]
    decisions = _decisions(ctx)
    for path, rules, sev in decisions:
        if len(priorities) >= MAX_PRIORITIES or (len(priorities) >= 3 and sev != "high"):
            break
        priorities.append(_decision_priority(ctx, path, rules, sev, peers))
    priorities.sort(key=lambda p: (HORIZONS.index(p.when), SEVERITY_ORDER[Severity(p.severity)], p.kind != "gap"))
    priorities = [p.model_copy(update={"order": i}) for i, p in enumerate(priorities, start=1)]
    taken = {r for p in priorities if p.kind == "gap" for r in p.rules}

    opts: list[Option] = []
    for p in gap_items:
        if len(opts) >= MAX_OPTIONS:
            break
        remedies = ctx.remedies(p.rules[0])
        if len(remedies) > 1:
            opts.append(Option(kind="remedy", question=_("How to close: %(rule)s", rule=ctx.titles[p.rules[0]]), rules=p.rules,
                               choices=[ctx.choice(_("Option %(letter)s", letter=chr(65 + i)), ch)
                                        for i, ch in enumerate(remedies[:MAX_CHOICES])]))
    for path, rules, _sev in decisions:
        if len(opts) >= MAX_OPTIONS:
            break
        choices = _decision_choices(ctx, path)
        if len(choices) > 1:
            opts.append(Option(kind="decision", question=_("Open choice: %(choice)s", choice=ctx.label(path).lower()),
                               rules=rules, choices=choices))

    counts = coverage_of(assessment.findings)
    missing = docs._missing(assessment.findings)  # noqa: SLF001
    standing = Standing(counts=counts, missing_facts=len(missing),
                        areas=[AreaStanding(area=a, title=_(AREA_TITLES[a]),
                                            counts=coverage_of([f for f in assessment.findings if f.area.value == a]))
                               for a in areas])
    alternatives = _alternatives(ctx) if not own else None
    return Brief(
        meta=docs._meta(ws, date),  # noqa: SLF001
        jurisdiction=docs._jurisdiction_view(profile, own and not is_hypothetical(profile, design),  # noqa: SLF001
                                             is_private(design)),
        design=BriefDesign(id=design.id, name=design.name, status=design.status.value,
                           archetype=design.jurisdiction is None, summary=design.summary),
        own_design=own, standing=standing, headline=_headline(profile.name, design.name, counts, len(missing)),
        priorities=priorities, roadmap=_roadmap(priorities, ctx, taken), options=opts,
        peers=_peer_rows(ws, profile, design, peers), best_practice=_best_practice(ws, peers, areas),
        alternatives=alternatives, sources=ctx.sources.entries())


__all__ = ["Brief", "REGION_TITLES", "build_brief", "coverage_of"]
