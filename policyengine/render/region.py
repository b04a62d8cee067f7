"""The regional workshop pack: where each jurisdiction of a region stands, what the region's
designs have in common, and the questions the findings raise (issue 11).

Pure functions from the assessments to a :class:`RegionalPack`; no workspace, no file. The
caller (:func:`policyengine.render.documents.build_handout_set`) passes the profiles, the
designs with their assessments, and two resolvers (a fact path's label, a source's title).

Which assessments the regional summary counts:

- every **recorded design** of a jurisdiction of the region, whatever its status (a discontinued
  design such as Ecuador's dinero electronico is a real design with real lessons);
- for a jurisdiction with no design that is still studying one, the **archetype** assessment,
  but only its findings that read the country's own facts (a rule that read only the archetype's
  design facts says something about the archetype, not about the country: counting it would make
  the archetype's features look like a regional pattern, and name a country for a practice that
  is the archetype's);
- for a jurisdiction that **decided not to issue**, stopped, or prohibits a retail CBDC, the
  archetype assessment is hypothetical (what it would look like *if it were to issue*): it is
  shown as such on its page and in the heat-map, and the summary counts only its findings that
  read no design fact at all (its FATF rating on new technologies, say), which hold whatever the
  country decides about a CBDC. A design-dependent gap (no legal basis to issue, no offline
  option) is never counted against a country that chose not to issue: that was the complaint
  about Kenya in issue 10.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

from pydantic import BaseModel, ConfigDict, Field

from ..i18n import N_, _
from ..i18n import format as fmt
from ..models import Assessment, Design, JurisdictionProfile
from ..models.finding import Finding
from ..models.rule import SEVERITY_ORDER, Severity, Status

#: Statuses under which a retail CBDC is not the jurisdiction's plan: its assessment is hypothetical.
NOT_PLANNED: Final = frozenset({"decided_not_to_issue", "discontinued", "prohibited"})

#: Design statuses of a design that really ran or runs: never a hypothetical, whatever the
#: country decided since (Ecuador's dinero electronico, Switzerland's wholesale Helvetia pilot).
RAN: Final = frozenset({"pilot", "launched", "discontinued"})


def is_hypothetical(profile: JurisdictionProfile, design: Design) -> bool:
    """The design is assessed for a country that does not plan a retail CBDC, and never ran: the
    archetype, or a study or proposal it did not pursue."""
    planned = not (profile.cbdc_status and profile.cbdc_status.value.value in NOT_PLANNED)
    return not planned and (design.jurisdiction is None or design.status.value not in RAN)


def is_private(design: Design) -> bool:
    """A real design issued by a bank or non-bank (a stablecoin, e-money): whatever the country
    decided about a CBDC does not bear on it."""
    return design.jurisdiction is not None and design.issuer.value != "central_bank"


STATUS_LABELS: Final = {
    "launched": N_("issuing"),
    "pilot": N_("piloting"),
    "research": N_("researching"),
    "decided_not_to_issue": N_("decided not to issue"),
    "discontinued": N_("stopped (discontinued)"),
    "prohibited": N_("prohibited"),
}
#: A gap is "common" when at least this many counted designs of the region have it.
COMMON_MIN: Final = 2
MAX_COMMON_GAPS: Final = 8
MAX_GOOD_PRACTICE: Final = 8
MAX_FACTS_PER_PRACTICE: Final = 2
#: Questions drawn from each source: common gaps, open design choices, missing data.
MAX_GAP_QUESTIONS: Final = 3
MAX_CHOICE_QUESTIONS: Final = 2
MAX_MISSING_QUESTIONS: Final = 2
#: Facts that only say whether a rule applies; they never explain why a rule is met.
_SCOPE_FACTS: Final = frozenset({"design.kind", "design.status", "design.issuer"})

#: One jurisdiction of the region: its profile and each design assessed for it (its own designs,
#: or the default archetype when it has none).
Member = tuple[JurisdictionProfile, Sequence[tuple[Design, Assessment]]]
PathLabel = Callable[[str, "Design | None"], str]
#: A source id and the jurisdiction citing it -> the source's title (None for a non-document source).
SourceTitle = Callable[[str | None, str], "str | None"]


class PackModel(BaseModel):
    # Infinity and NaN written as json writes them, so pydantic's JSON is json's (render.pipeline.to_json).
    model_config = ConfigDict(frozen=True, extra="forbid", ser_json_inf_nan="constants")


class DesignRef(PackModel):
    jurisdiction_id: str
    jurisdiction_name: str
    design_id: str
    design_name: str
    design_status: str
    archetype: bool
    hypothetical: bool = Field(description="An archetype assessed for a jurisdiction that does not plan a retail CBDC")

    @property
    def label(self) -> str:
        if self.hypothetical:
            return _("%(jurisdiction)s (country facts only; no retail CBDC planned)") % dict(
                jurisdiction=self.jurisdiction_name)
        if self.archetype:
            return _("%(jurisdiction)s (archetype)") % dict(jurisdiction=self.jurisdiction_name)
        return _("%(jurisdiction)s, %(design)s") % dict(jurisdiction=self.jurisdiction_name, design=self.design_name)


class StatusEntry(PackModel):
    """Where one jurisdiction stands on a retail CBDC, as its authorities have said."""

    jurisdiction_id: str
    jurisdiction_name: str
    status: str | None = Field(description="launched, pilot, research, decided_not_to_issue, discontinued, prohibited; "
                                           "None when the profile records none")
    status_label: str
    as_of: str | None = None
    source_title: str | None = None
    locator: str | None = None
    note: str | None = Field(default=None, description="What the authority decided, in the profile's words")
    planned: bool = Field(description="False when the jurisdiction decided not to issue, stopped or prohibits it")
    designs: list[DesignRef]
    assessed_as: str = Field(description="How the pack assesses it, in words")


class CommonGap(PackModel):
    """A rule that is a gap in several of the region's counted designs."""

    rule_id: str
    rule_title: str
    principle_id: str
    area: str
    severity: str
    gaps: int
    decided: int = Field(description="Counted designs where the rule could be decided (met or gap)")
    applicable: int = Field(description="Counted designs where the rule applies (met, gap or unknown)")
    decided_share: float | None = Field(description="decided / applicable: the data coverage of this count")
    gap_in: list[str] = Field(description="Designs with the gap")
    met_in: list[str] = Field(description="Designs of the region that meet the rule")
    recommendation: str | None = None


class PracticeFact(PackModel):
    label: str
    value: str
    source_title: str | None = None
    as_of: str | None = None


class PracticeEntry(PackModel):
    design: str
    facts: list[PracticeFact] = Field(description="The facts the rule read that made it met")


class GoodPractice(PackModel):
    """A rule met in the region, with who meets it and the facts that made it met."""

    rule_id: str
    rule_title: str
    principle_id: str
    area: str
    severity: str
    met: int
    gap_elsewhere: int = Field(description="Counted designs of the region where the same rule is a gap")
    entries: list[PracticeEntry]


class Question(PackModel):
    kind: str = Field(description="common_gap, open_choice or missing_data: what the question comes from")
    text: str
    rule_ids: list[str]
    principle_ids: list[str]


class RegionalPack(PackModel):
    """The regional summary of a workshop pack, computed from the individual findings."""

    statuses: list[StatusEntry] = Field(default_factory=list)
    counted: list[DesignRef] = Field(
        default_factory=list, description="Recorded designs, and archetype assessments of jurisdictions still studying one")
    hypothetical: list[DesignRef] = Field(
        default_factory=list,
        description="Archetype assessments of jurisdictions that do not plan a retail CBDC: shown as "
                    "'if it were to issue'; the summary counts only their findings that read no design fact")
    summary: str = ""
    common_gaps: list[CommonGap] = Field(default_factory=list)
    more_common_gaps: int = 0
    good_practice: list[GoodPractice] = Field(default_factory=list)
    more_good_practice: int = 0
    questions: list[Question] = Field(default_factory=list)


def _status_label(status: str | None) -> str:
    return _(STATUS_LABELS[status]) if status in STATUS_LABELS else _("no status recorded")


def _own_facts(f: Finding) -> bool:
    """The finding read at least one of the jurisdiction's own facts (read or missing)."""
    return any(e.path.startswith("jurisdiction.") for e in f.evidence) or \
        any(p.startswith("jurisdiction.") for p in f.missing)


def _reads_no_design(f: Finding) -> bool:
    """The finding holds whatever the design: it read (or missed) no design fact."""
    return not any(e.path.startswith("design.") for e in f.evidence) and \
        not any(p.startswith("design.") for p in f.missing)


def _counted_findings(ref: DesignRef, a: Assessment) -> list[Finding]:
    if ref.hypothetical:
        return [f for f in a.findings if _reads_no_design(f)]
    if ref.archetype:
        return [f for f in a.findings if _own_facts(f)]
    return list(a.findings)


def _status_entry(profile: JurisdictionProfile, refs: list[DesignRef], source_title: SourceTitle) -> StatusEntry:
    fact = profile.cbdc_status
    status = fact.value.value if fact else None
    planned = status not in NOT_PLANNED
    if any(r.hypothetical for r in refs):
        assessed = _("its archetype assessment is shown only as what it would look like if it were to issue; "
                     "the summary counts only its findings on country facts that no design changes")
    elif all(r.archetype for r in refs):
        assessed = _("no design recorded: the archetype is assessed, and only the findings on the country's "
                     "own facts are counted")
    else:
        assessed = _("its recorded designs are assessed and counted")
    return StatusEntry(jurisdiction_id=profile.id, jurisdiction_name=profile.name, status=status,
                       status_label=_status_label(status), as_of=fact.as_of if fact else None,
                       source_title=source_title(fact.source_ref, profile.id) if fact else None,
                       locator=fact.locator if fact else None, note=fact.note if fact and not planned else None,
                       planned=planned, designs=refs, assessed_as=assessed)


def _names(refs: list[DesignRef]) -> list[str]:
    return [r.label for r in refs]


def _common_gaps(rows: list[tuple[DesignRef, list[Finding]]]) -> list[CommonGap]:
    by_rule: dict[str, list[tuple[DesignRef, Finding]]] = {}
    for ref, findings in rows:
        for f in findings:
            by_rule.setdefault(f.rule_id, []).append((ref, f))
    out = []
    for rule_id, seen in by_rule.items():
        gap_in = [r for r, f in seen if f.status == Status.gap]
        if len(gap_in) < COMMON_MIN:
            continue
        met_in = [r for r, f in seen if f.status == Status.met]
        applicable = [r for r, f in seen if f.status in (Status.gap, Status.met, Status.unknown)]
        decided = len(gap_in) + len(met_in)
        first = next(f for _r, f in seen if f.status == Status.gap)
        out.append(CommonGap(rule_id=rule_id, rule_title=first.rule_title, principle_id=first.principle_id,
                             area=first.area.value, severity=first.severity.value, gaps=len(gap_in), decided=decided,
                             applicable=len(applicable),
                             decided_share=round(decided / len(applicable), 3) if applicable else None,
                             gap_in=_names(gap_in), met_in=_names(met_in), recommendation=first.recommendation))
    return sorted(out, key=lambda g: (-g.gaps, SEVERITY_ORDER[Severity(g.severity)], g.rule_id))


def _practice_facts(f: Finding, ref: DesignRef, design: Design, label: PathLabel,
                    source_title: SourceTitle) -> list[PracticeFact]:
    from .documents import display_text  # documents builds on this module

    facts = []
    for e in f.evidence:
        if e.path.startswith("derived.") or e.path in _SCOPE_FACTS:
            continue
        if ref.archetype and not e.path.startswith("jurisdiction."):
            continue  # the archetype's own features are not the country's practice
        facts.append(PracticeFact(label=label(e.path, design), value=display_text(e.display),
                                  source_title=source_title(e.source, ref.jurisdiction_id), as_of=e.as_of))
    return facts[:MAX_FACTS_PER_PRACTICE]


def _good_practice(rows: list[tuple[DesignRef, Design, list[Finding]]], label: PathLabel,
                   source_title: SourceTitle) -> list[GoodPractice]:
    by_rule: dict[str, list[tuple[DesignRef, Design, Finding]]] = {}
    for ref, design, findings in rows:
        for f in findings:
            by_rule.setdefault(f.rule_id, []).append((ref, design, f))
    out = []
    for rule_id, seen in by_rule.items():
        entries = []
        for ref, design, f in seen:
            if f.status != Status.met:
                continue
            facts = _practice_facts(f, ref, design, label, source_title)
            if facts:  # a practice is named by the facts that made it met, or not at all
                entries.append(PracticeEntry(design=ref.label, facts=facts))
        if not entries:
            continue
        first = seen[0][2]
        out.append(GoodPractice(rule_id=rule_id, rule_title=first.rule_title, principle_id=first.principle_id,
                                area=first.area.value, severity=first.severity.value, met=len(entries),
                                gap_elsewhere=sum(1 for _r, _d, f in seen if f.status == Status.gap),
                                entries=entries))
    # What a peer can learn first: met here, a gap next door; then the weightiest rules.
    return sorted(out, key=lambda g: (g.gap_elsewhere == 0, SEVERITY_ORDER[Severity(g.severity)], -g.met, g.rule_id))


def _join(names: list[str]) -> str:
    return fmt.clauses(names)


def _gap_questions(gaps: list[CommonGap]) -> list[Question]:
    out = []
    for g in gaps[:MAX_GAP_QUESTIONS]:
        if g.met_in:
            text = _("%(rule)s is a gap in %(n)d of the %(decided)d assessments of the region that could decide it "
                     "(%(designs)s), while %(peers)s meet it. What stands in the way, and what could the others "
                     "take from the approach of those that meet it?") % dict(
                rule=g.rule_title, n=g.gaps, decided=g.decided, designs=_join(g.gap_in), peers=_join(g.met_in))
        else:
            text = _("%(rule)s is a gap in %(n)d of the %(decided)d assessments of the region that could decide it "
                     "(%(designs)s), and none of the region's assessments meets it. What stands in the way, and could the "
                     "region's authorities address it together?") % dict(
                rule=g.rule_title, n=g.gaps, decided=g.decided, designs=_join(g.gap_in))
        out.append(Question(kind="common_gap", text=text, rule_ids=[g.rule_id], principle_ids=[g.principle_id]))
    return out


def _grouped(rows: list[tuple[DesignRef, Design, list[Finding]]], paths: Callable[[Finding], list[str]],
             ) -> list[tuple[str, Design, list[DesignRef], list[Finding]]]:
    """Fact path -> the designs and findings that name it; most designs, then most rules first."""
    seen: dict[str, tuple[Design, list[DesignRef], dict[str, Finding]]] = {}
    for ref, design, findings in rows:
        for f in findings:
            for p in paths(f):
                if p.startswith("derived."):
                    continue  # a derivation's own inputs are named where it is read
                if ref.archetype and not p.startswith("jurisdiction."):
                    continue  # the archetype's design facts are not the country's to publish or decide
                entry = seen.setdefault(p, (design, [], {}))
                if ref not in entry[1]:
                    entry[1].append(ref)
                entry[2].setdefault(f.rule_id, f)
    out = [(p, d, refs, list(fs.values())) for p, (d, refs, fs) in seen.items()]
    return sorted(out, key=lambda x: (-len(x[2]), -len(x[3]), x[0]))


def _rule_list(findings: list[Finding]) -> str:
    ordered = sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.rule_id))
    # Translators: a rule's title and its id, e.g. "Offline payments are possible (INCL-OFFLINE)".
    return _join([_("%(title)s (%(rule)s)", title=f.rule_title, rule=f.rule_id) for f in ordered[:3]])


def _choice_questions(rows: list[tuple[DesignRef, Design, list[Finding]]], label: PathLabel,
                      asked: set[str]) -> list[Question]:
    """Open design choices, leaving out one whose rules a common-gap question already asks about."""
    out: list[Question] = []
    for path, design, refs, findings in _grouped(rows, lambda f: list(f.pending)):
        if len(out) == MAX_CHOICE_QUESTIONS:
            break
        if {f.rule_id for f in findings} <= asked:
            continue
        text = _("%(fact)s is recorded as not decided yet in %(designs)s, and it decides %(n)d rule(s): %(rules)s. "
                 "What would settle it, on what evidence, and by when?") % dict(
            fact=label(path, design), designs=_join(_names(refs)), n=len(findings), rules=_rule_list(findings))
        out.append(Question(kind="open_choice", text=text, rule_ids=sorted(f.rule_id for f in findings),
                            principle_ids=sorted({f.principle_id for f in findings})))
    return out


def _missing_questions(rows: list[tuple[DesignRef, Design, list[Finding]]], label: PathLabel,
                       counted: int) -> list[Question]:
    out = []
    unknown = [(ref, d, [f for f in fs if f.status == Status.unknown]) for ref, d, fs in rows]
    for path, design, refs, findings in _grouped(unknown, lambda f: list(f.missing))[:MAX_MISSING_QUESTIONS]:
        text = _("%(fact)s is not recorded for %(n)d of the region's %(total)d assessments (%(designs)s), which leaves "
                 "%(k)d rule(s) undecided: %(rules)s. Who holds this information, and could it be published?") % dict(
            fact=label(path, design), n=len(refs), total=counted, designs=_join(_names(refs)),
                 k=len(findings), rules=_rule_list(findings))
        out.append(Question(kind="missing_data", text=text, rule_ids=sorted(f.rule_id for f in findings),
                            principle_ids=sorted({f.principle_id for f in findings})))
    return out


def build_regional_pack(members: Sequence[Member], *, label: PathLabel, source_title: SourceTitle) -> RegionalPack:
    """The regional summary of ``members`` (each a profile and its assessed designs)."""
    statuses: list[StatusEntry] = []
    rows: list[tuple[DesignRef, Design, list[Finding]]] = []
    counted: list[DesignRef] = []
    hypothetical: list[DesignRef] = []
    for profile, assessed in members:
        refs = []
        for design, a in assessed:
            archetype = design.jurisdiction is None
            ref = DesignRef(jurisdiction_id=profile.id, jurisdiction_name=profile.name, design_id=design.id,
                            design_name=design.name, design_status=design.status.value, archetype=archetype,
                            hypothetical=is_hypothetical(profile, design))
            refs.append(ref)
            (hypothetical if ref.hypothetical else counted).append(ref)
            rows.append((ref, design, _counted_findings(ref, a)))
        statuses.append(_status_entry(profile, refs, source_title))
    gaps = _common_gaps([(ref, fs) for ref, _d, fs in rows])
    practice = _good_practice(rows, label, source_title)
    gap_questions = _gap_questions(gaps)
    asked = {r for q in gap_questions for r in q.rule_ids}
    questions = (gap_questions + _choice_questions(rows, label, asked)
                 + _missing_questions(rows, label, len(rows)))
    recorded = sum(1 for r in counted if not r.archetype)
    counts = dict(recorded=recorded, archetypes=len(counted) - recorded, left=len(hypothetical), min=COMMON_MIN)
    if hypothetical:
        summary = _("The summary counts %(recorded)d recorded design(s) in full, and %(archetypes)d archetype "
                    "assessment(s) of jurisdictions still without a design only on their findings that read the "
                    "country's own facts. For the %(left)d hypothetical assessment(s) of jurisdictions that do not "
                    "plan a retail CBDC, only the findings that depend on no design are counted. A gap is common "
                    "when %(min)d or more of the region's assessments have it.") % counts
    else:
        summary = _("The summary counts %(recorded)d recorded design(s) in full, and %(archetypes)d archetype "
                    "assessment(s) of jurisdictions still without a design only on their findings that read the "
                    "country's own facts. A gap is common when %(min)d or more of the region's assessments "
                    "have it.") % counts
    return RegionalPack(statuses=statuses, counted=counted, hypothetical=hypothetical, summary=summary,
                        common_gaps=gaps[:MAX_COMMON_GAPS], more_common_gaps=max(0, len(gaps) - MAX_COMMON_GAPS),
                        good_practice=practice[:MAX_GOOD_PRACTICE],
                        more_good_practice=max(0, len(practice) - MAX_GOOD_PRACTICE), questions=questions)
