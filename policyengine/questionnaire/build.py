"""Build the questionnaire of one design: the facts its assessment lacks, as questions.

Each question is a fact path that some unknown finding names as missing. Questions are grouped
by the authority that holds the answer (:mod:`.authorities`) and ranked by how much the answer
would change the picture: every value the path can take is tried with the engine's evaluator
(the same conditions the assessment runs) and the findings it would decide are counted,
weighted by severity. A fact the design has not settled yet (a design still in research,
proposal or pilot, or an archetype) is a *design choice*: its question lists each option with
the findings it would meet or leave as gaps.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .. import api
from ..engine import CompiledRuleset, WhatIf
from ..engine.logic import resolve_param
from ..explain import apply_changes
from ..facts import FactTable, display_value
from ..i18n import N_, _, content
from ..i18n import format as fmt
from ..load import Workspace
from ..models.condition import Compare
from ..models.design import Design, DesignStatus
from ..models.finding import ScoreSummary
from ..models.jurisdiction import JurisdictionProfile
from ..models.rule import Severity, Status
from ..models.semantics import UNLIMITED, is_unlimited, walk
from ..paths import PathInfo, base_catalogue
from .authorities import AUTHORITIES, authority_of

#: How much deciding one finding is worth, by its severity.
SEVERITY_WEIGHT = {Severity.high: 3, Severity.medium: 2, Severity.low: 1}
#: Designs whose facts may still be open choices rather than facts nobody has published.
UNSETTLED = {DesignStatus.research, DesignStatus.proposal, DesignStatus.pilot, DesignStatus.archetype}
DECLARED = "declared"
TO_CONFIRM = "to confirm"
CONFIRMED = "confirmed"


class AnswerKind(str, Enum):
    yes_no = "yes_no"
    choice = "choice"  # one of `allowed`
    choices = "choices"  # several of `allowed`, comma separated
    amount = "amount"  # an amount in `currency`
    percent = "percent"  # 0 to 100
    number = "number"  # zero or more
    year = "year"
    text = "text"


class QModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Option(QModel):
    """One answer to a design choice and what it would mean for the findings."""

    value: Any
    display: str
    meets: list[str] = Field(default_factory=list, description="Rules that would be met")
    gaps: list[str] = Field(default_factory=list, description="Rules that would be gaps")
    out_of_scope: list[str] = Field(default_factory=list, description="Rules that would no longer apply")


class Candidate(QModel):
    """A known or inferred answer, shown pre-filled and marked 'to confirm'."""

    value: Any
    display: str
    reason: str
    source: str
    source_title: str
    locator: str | None = None


class Question(QModel):
    id: str = Field(description="The fact path the answer is written to")
    rank: int = Field(description="1 = the answer that would change the most")
    authority: str
    label: str
    description: str
    kind: AnswerKind
    allowed: list[str] = Field(default_factory=list)
    currency: str | None = None
    none_allowed: bool = Field(default=False, description="An amount may be answered 'none': there is no such "
                                                           "limit (a limit left unanswered stays unknown)")
    minimum: float | None = None
    maximum: float | None = None
    weight: int = Field(description="Findings the most decisive answer would decide, weighted by severity "
                                    "(high 3, medium 2, low 1)")
    decides: int = Field(description="Findings the most decisive answer would decide")
    waits_for: list[str] = Field(description="Rules left unknown until this fact is known")
    design_choice: bool = False
    options: list[Option] = Field(default_factory=list)
    candidate: Candidate | None = None

    @property
    def allowed_text(self) -> str:
        return allowed_text(self)


class Group(QModel):
    id: str
    title: str
    holds: str
    questions: list[Question]


class NotAsked(QModel):
    path: str
    label: str
    reason: str
    rules: list[str]


class Questionnaire(QModel):
    kind: Literal["questionnaire"] = "questionnaire"
    format_version: int = 1
    jurisdiction_id: str
    jurisdiction_name: str
    design_id: str
    design_name: str
    design_status: str
    currency: str
    ruleset_name: str
    ruleset_version: str
    date: str | None = None
    score: ScoreSummary
    groups: list[Group]
    not_asked: list[NotAsked] = Field(default_factory=list)

    def questions(self) -> list[Question]:
        return sorted((q for g in self.groups for q in g.questions), key=lambda q: q.rank)


def allowed_text(q: Question) -> str:
    if q.kind == AnswerKind.yes_no:
        return _("yes or no")
    if q.kind == AnswerKind.choice:
        return _("one of: %(values)s", values=", ".join(q.allowed))
    if q.kind == AnswerKind.choices:
        return _("one or more, comma separated: %(values)s", values=", ".join(q.allowed))
    if q.kind == AnswerKind.amount and q.none_allowed:
        return _("an amount in %(currency)s, e.g. 50000, or none if there is no such limit", currency=q.currency)
    if q.kind == AnswerKind.amount:
        return _("an amount in %(currency)s, e.g. 50000", currency=q.currency)
    if q.kind == AnswerKind.percent:
        return _("a percentage, 0 to 100")
    if q.kind == AnswerKind.year:
        return _("a year, e.g. 2021")
    if q.kind == AnswerKind.number:
        return _("a number, zero or more")
    return _("text")


#: What a fact means, for the catalogue paths whose model field carries no description.
MEANING = {
    "jurisdiction.legal.data_protection_law_name": "The name of the data protection law in force",
    "jurisdiction.legal.vasp_regime": "How the law treats virtual asset service providers: licensed (a licensing or "
                                      "registration regime is in force), prohibited, in_preparation, or none",
    "jurisdiction.aml.mutual_evaluation_year": "The year the latest FATF or FSRB mutual evaluation was published",
    "jurisdiction.identity.birth_registration_pct": "Share of births registered, percent",
    "jurisdiction.inclusion.account_ownership_women_pct": "Women (15+) with an account at a financial institution or "
                                                          "mobile money provider, percent",
    "jurisdiction.inclusion.mobile_money_account_pct": "Adults (15+) with a mobile money account, percent",
    "jurisdiction.inclusion.mobile_phone_ownership_pct": "Adults (15+) who own a mobile phone, percent",
    "jurisdiction.inclusion.electricity_access_pct": "Population with access to electricity, percent",
    "jurisdiction.inclusion.remittance_inflows_gdp_pct": "Personal remittances received, as a percent of GDP",
    "jurisdiction.payments.instant_payment_system": "A domestic instant (fast) payment system is in operation",
    "jurisdiction.payments.instant_payment_system_name": "The name of the domestic instant payment system",
    "jurisdiction.payments.mobile_money_interoperable": "Mobile money accounts of different providers can pay each other",
    "design.architecture": "Who holds the relationship with users: direct (the central bank), intermediated "
                           "(banks and other providers), hybrid, or indirect",
    "design.access": "Whether holdings are accounts tied to an identity (account), bearer tokens (token), or both (hybrid)",
    "design.ledger": "The kind of ledger: centralised, or distributed ledger technology (dlt)",
    "design.legal_tender": "The digital currency is legal tender",
    "design.offline": "Whether payments can be made without a network connection: none, limited, or full",
    "design.offline_limit": "The most that can be held or paid offline",
    "design.remuneration": "Whether holdings earn interest: none, positive, or tiered",
    "design.programmability": "none; programmable_payments (conditional payments built on top); or programmable_money "
                              "(conditions carried by the money itself)",
    "design.channels": "How users reach it: smartphone_app, feature_phone_ussd, card, web, agent, wearable",
    "design.fees_to_individuals": "What individuals pay to use it: none, capped fees, or market fees",
    "design.aml.one_wallet_per_identity": "One person may hold only one wallet",
    "design.privacy.model": "Who sees what: transparent (the operator sees identities and transactions), pseudonymous "
                            "(the ledger holds pseudonyms, identities stay with intermediaries), tiered_anonymity "
                            "(small values anonymous, larger traceable), payer_anonymity, or cash_like_offline",
    "design.privacy.central_bank_sees_identities": "The central bank can see who holds and pays with each wallet",
    "design.interop.messaging_standard": "The payment message standard used: iso20022 or proprietary",
    "design.interop.cross_border": "Cross-border model (BIS multi-CBDC): none, compatible, interlinked, or single_mcbdc; "
                                   "global_ledger for a token that moves across borders on one shared ledger",
    "design.stablecoin.reserve_backing": "What backs the coins: full_high_quality, full_mixed, partial, or algorithmic",
    "design.stablecoin.redemption_at_par": "Holders can redeem at par, on demand",
    "design.stablecoin.issuer_licensed": "The issuer is licensed and supervised",
    "design.stablecoin.recovery_resolution_plan": "The issuer has a recovery and resolution plan",
    "design.security.business_continuity_plan": "A business continuity plan for the system exists and is tested",
    "design.security.availability_24x7": "The system is available around the clock, every day",
    "design.governance.public_consultation": "The public was consulted on the design",
}


# --- what a path accepts --------------------------------------------------------------------

def path_info(path: str) -> PathInfo | None:
    return base_catalogue().get(path)


def kind_of(info: PathInfo) -> AnswerKind:
    if info.kind == "bool":
        return AnswerKind.yes_no
    if info.kind == "enum":
        return AnswerKind.choice
    if info.kind == "list":
        return AnswerKind.choices
    if info.kind == "money":
        return AnswerKind.amount
    if info.kind == "number":
        if info.percent:
            return AnswerKind.percent
        return AnswerKind.year if info.path.endswith("_year") else AnswerKind.number
    return AnswerKind.text


def askable(path: str) -> str | None:
    """None when a questionnaire can ask for the path, else why it cannot."""
    if path.startswith("derived."):
        return _("concluded by the ruleset from other facts")
    info = path_info(path)
    if info is None:
        parts = path.split(".")
        if len(parts) > 3 and parts[-2].isdigit():
            return _("a field of one item of a list (e.g. a wallet tier): edit the list in the design file")
        return _("not a fact of the catalogue")
    if info.kind == "items":
        return _("a list of records (e.g. wallet tiers): describe it in the design file")
    if path in ("jurisdiction.id", "design.id", "design.jurisdiction"):
        return _("an identifier, not a fact")
    return None


# --- trying answers with the engine ----------------------------------------------------------

def _thresholds(ruleset: CompiledRuleset, path: str) -> list[float]:
    found: set[float] = set()
    conditions = [r.requires for r in ruleset.rules] + [r.applies_if for r in ruleset.rules if r.applies_if is not None]
    conditions += [d.when for d in ruleset.derivations.values()]
    for cond in conditions:
        for visit in walk(cond):
            node = visit.node
            if isinstance(node, Compare) and node.path == path:
                value = resolve_param(node.value, ruleset.params)
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    found.add(float(value))
    return sorted(found)


def trial_values(ruleset: CompiledRuleset, info: PathInfo, kind: AnswerKind) -> list[Any]:
    """The values worth trying: every choice, or both sides of every threshold the rules use."""
    if kind == AnswerKind.yes_no:
        return [True, False]
    if kind == AnswerKind.choice:
        return list(info.values)
    if kind == AnswerKind.choices:
        return [[v] for v in info.values]
    if kind == AnswerKind.text:
        return ["(answered)"]
    cuts = _thresholds(ruleset, info.path)
    low, high = (0.0, 100.0) if kind == AnswerKind.percent else (0.0, None)
    values: list[float] = []
    for t in cuts:
        step = 0.5 if kind == AnswerKind.percent else max(1.0, abs(t) * 0.01)
        values += [t - step, t, t + step]
    if not values:
        values = [low, 50.0] if kind == AnswerKind.percent else [low, 1.0]
    out = []
    for v in values:
        v = max(low, v)
        if high is not None:
            v = min(high, v)
        if v not in out:
            out.append(v)
    if kind == AnswerKind.amount and info.unlimited:
        return [*out, UNLIMITED]  # no such limit: above every amount (models.semantics)
    return out


@dataclass
class Trial:
    value: Any
    statuses: dict[str, Status]


def try_values(ruleset: CompiledRuleset, table: FactTable, path: str, values: list[Any],
               base: WhatIf | None = None) -> list[Trial]:
    """The reference statuses with each value at ``path`` (``base``: ``ruleset.what_if(table)``,
    made once per table, so that only what the answer can reach is evaluated again)."""
    base = base or ruleset.what_if(table)
    return [Trial(v, base.statuses_with(apply_changes(table, {path: v}), [path])) for v in values]


# --- candidates: known or inferred answers -----------------------------------------------------

@dataclass(frozen=True)
class Inference:
    """A candidate answer inferred from another recorded fact: always 'to confirm'."""

    target: str
    value: Any
    premise: str
    premise_values: tuple[Any, ...]
    reason: str


#: The few inferences the questionnaire offers. Each names the recorded fact it rests on, whose
#: source becomes the candidate's citation; none is ever written without the team confirming it.
INFERENCES: tuple[Inference, ...] = (
    Inference("design.security.breach_notification", True, "jurisdiction.legal.data_protection_law", (True,),
              N_("A comprehensive data protection law is in force; such laws usually oblige controllers to notify "
                 "personal data breaches. Confirm that the obligation covers the operators of this currency.")),
    Inference("design.privacy.data_retention_limited", True, "jurisdiction.legal.data_protection_law", (True,),
              N_("A comprehensive data protection law is in force; such laws usually limit how long personal data "
                 "is kept. Confirm that retention periods are set for this currency's transaction data.")),
    Inference("design.aml.suspicious_reporting", True, "jurisdiction.aml.fsrb", (),
              N_("The jurisdiction is assessed by a FATF-style regional body against the FATF Recommendations, "
                 "which require financial institutions to report suspicious transactions (R.20). Confirm that "
                 "the obligation covers every wallet provider of this currency.")),
)


def candidate_for(ws: Workspace, profile: JurisdictionProfile, table: FactTable, path: str) -> Candidate | None:
    for inf in INFERENCES:
        if inf.target != path:
            continue
        premise = table.get(inf.premise)
        if premise is None or premise.source is None:
            continue
        if inf.premise_values and premise.value not in inf.premise_values:
            continue
        entry = ws.source(premise.source, profile.id)
        return Candidate(value=inf.value, display=display_value(inf.value), source=premise.source,
                         source_title=entry.title if entry else premise.source, locator=premise.locator,
                         reason=_("%(reason)s (Inferred from: %(value)s for '%(fact)s'.)", reason=_(inf.reason),
                                  value=premise.display, fact=inf.premise))
    return None


# --- the questionnaire -----------------------------------------------------------------------

def _score(score: ScoreSummary) -> ScoreSummary:
    """The score with its sentence in the questionnaire's language."""
    from ..render.documents import score_text

    return score.model_copy(update={"label": score_text(score.met, score.gap, score.unknown)})


def _label(path: str) -> str:
    from ..render.documents import label_of

    return label_of(path)


def build(ws: Workspace, jurisdiction_id: str, design_id: str | None, *, date: str | None = None,
          only: str = "") -> Questionnaire:
    """The questionnaire of one design: the missing facts as ranked questions, by authority
    (``only``: the facts whose path starts so, e.g. ``design.``)."""
    profile, design, table = api.fact_table(ws, jurisdiction_id, design_id)
    assessment = api.assess(profile.id, design.id, ws)
    ruleset = api.ruleset_for(ws, design)
    severity = {r.id: r.severity for r in ruleset.rules}
    # Trials are compared with the same evaluator's statuses before any answer (not the
    # assessment's, which also marks unknown a met resting on evidence below a rule's standard:
    # an answer alone does not decide those).
    what_if = ruleset.what_if(table)
    waiting: dict[str, list[str]] = {}
    for f in assessment.findings:
        if f.status == Status.unknown:
            for path in f.missing:
                waiting.setdefault(path, []).append(f.rule_id)
    currency = design.currency or profile.currency
    unsettled = design.status in UNSETTLED or design.jurisdiction is None
    questions: list[Question] = []
    not_asked: list[NotAsked] = []
    for path, rules in sorted(waiting.items()):
        if not path.startswith(only):
            continue
        why_not = askable(path)
        if why_not is not None:
            if not path.startswith("derived."):
                not_asked.append(NotAsked(path=path, label=_label(path), reason=why_not, rules=sorted(rules)))
            continue
        info = path_info(path)
        assert info is not None
        questions.append(_question(ws, profile, design, table, ruleset, info, sorted(rules), what_if, severity,
                                   currency, unsettled))
    questions.sort(key=lambda q: (-q.weight, -sum(SEVERITY_WEIGHT[severity[r]] for r in q.waits_for), q.id))
    ranked = [q.model_copy(update={"rank": i}) for i, q in enumerate(questions, start=1)]
    groups = []
    for aid, authority in AUTHORITIES.items():
        mine = [q for q in ranked if q.authority == aid]
        if mine:
            groups.append(Group(id=aid, title=_(authority.title), holds=_(authority.holds), questions=mine))
    return Questionnaire(
        jurisdiction_id=profile.id, jurisdiction_name=profile.name, design_id=design.id, design_name=design.name,
        design_status=design.status.value, currency=currency, ruleset_name=ws.ruleset_name,
        ruleset_version=ws.ruleset_version, date=date, score=_score(assessment.overall or ScoreSummary()),
        groups=groups, not_asked=not_asked)


def design_choices(ws: Workspace, jurisdiction_id: str, design_id: str | None) -> list[Question]:
    """The questions of a design that are choices still open, most decisive first. A launched
    design has none, so nothing is tried for it; otherwise only its own facts are ranked."""
    design = api.find_design(ws, jurisdiction_id, design_id)
    if design.status not in UNSETTLED and design.jurisdiction is not None:
        return []
    return [q for q in build(ws, jurisdiction_id, design_id, only="design.").questions() if q.design_choice]


def _question(ws: Workspace, profile: JurisdictionProfile, design: Design, table: FactTable, ruleset: CompiledRuleset,
              info: PathInfo, waits_for: list[str], what_if: WhatIf, severity: dict[str, Severity],
              currency: str, unsettled: bool) -> Question:
    path = info.path
    kind = kind_of(info)
    trials = try_values(ruleset, table, path, trial_values(ruleset, info, kind), what_if)
    baseline = what_if.statuses
    unknown = [rid for rid, s in baseline.items() if s == Status.unknown]
    best_weight, best_count = 0, 0
    options = []
    for t in trials:
        decided = [rid for rid in unknown if t.statuses.get(rid, Status.unknown) != Status.unknown]
        weight = sum(SEVERITY_WEIGHT[severity[r]] for r in decided)
        if (weight, len(decided)) > (best_weight, best_count):
            best_weight, best_count = weight, len(decided)
        options.append(Option(
            value=t.value, display=_display(t.value, kind, info),
            meets=[r for r in decided if t.statuses[r] == Status.met],
            gaps=[r for r in decided if t.statuses[r] == Status.gap],
            out_of_scope=[r for r in decided if t.statuses[r] == Status.not_applicable]))
    design_choice = unsettled and path.startswith("design.")
    return Question(
        id=path, rank=0, authority=authority_of(path).id, label=_label(path),
        description=content.text("fact", path, "description", info.description or MEANING.get(path)) or _label(path),
        kind=kind,
        allowed=_allowed(kind, info), currency=currency if kind == AnswerKind.amount else None,
        none_allowed=kind == AnswerKind.amount and info.unlimited,
        minimum=MINIMUM.get(kind), maximum=MAXIMUM.get(kind),
        weight=best_weight, decides=best_count, waits_for=waits_for, design_choice=design_choice,
        options=options if design_choice else [],
        candidate=candidate_for(ws, profile, table, path))


MINIMUM = {AnswerKind.percent: 0.0, AnswerKind.number: 0.0, AnswerKind.amount: 0.0, AnswerKind.year: 1900.0}
MAXIMUM = {AnswerKind.percent: 100.0, AnswerKind.year: 2100.0}


def _allowed(kind: AnswerKind, info: PathInfo) -> list[str]:
    if kind in (AnswerKind.choice, AnswerKind.choices):
        return list(info.values)
    return ["yes", "no"] if kind == AnswerKind.yes_no else []


def _display(value: Any, kind: AnswerKind, info: PathInfo) -> str:
    if kind == AnswerKind.amount and is_unlimited(value):
        return display_value(value)
    if kind == AnswerKind.amount:
        return fmt.amount(round(value), "USD")
    if kind == AnswerKind.percent:
        return display_value(value, True)
    return display_value(value)


def today() -> str:
    return datetime.date.today().isoformat()
