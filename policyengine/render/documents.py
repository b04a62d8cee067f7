"""Document models: what a toolkit, a gap analysis and a handout say, built from assessments.

Rendering goes in stages (STYLE 14): first every document model is built from the assessments
(pydantic models, validated as they are built), then templates turn the models into Markdown
and HTML and the models themselves are dumped as JSON. Nothing is written until every document
of a run has been built, so a failure half-way leaves no partial output set.

The models hold plain strings (statuses, severities, areas), so the JSON output is easy to read
and its schema (``schemas/findings-report.schema.json``) is generated from these classes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated, Any, Callable, Final, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from .. import api
from ..facts import FactTable
from ..i18n import N_, _, content, language, ngettext
from ..i18n import format as fmt
from ..i18n.format import percent
from ..load import Workspace
from ..models import Assessment, Design, JurisdictionProfile
from ..models.common import Fact
from ..models.finding import Evidence, Finding, score_range
from ..models.rule import SEVERITY_ORDER, Area, Severity, Status
from ..paths import base_catalogue
from .region import RegionalPack, build_regional_pack, is_hypothetical, is_private
from .titles import AREA_TITLES as AREA_TITLES  # re-exported: the documents' vocabulary
from .titles import REGION_TITLES as REGION_TITLES
from .titles import STATUS_LABELS as STATUS_LABELS

#: The ``$schema`` of every JSON document written (the ``$id`` of schemas/findings-report.schema.json).
FINDINGS_REPORT_SCHEMA: Final = "urn:policyengine:schema:findings-report:1"
#: First field of each top-level document: JSON output names its schema (dumped by alias).
SchemaRef = Annotated[Literal["urn:policyengine:schema:findings-report:1"], Field(alias="$schema")]

#: The design used in a handout for a jurisdiction that has no design of its own.
DEFAULT_ARCHETYPE = "two-tier-token-retail"

SECTION_TITLES = {"": N_("General"), "legal": N_("Legal and regulatory framework"), "aml": N_("AML/CFT standing"),
                  "identity": N_("Identity"), "inclusion": N_("Access and inclusion"), "payments": N_("Payment systems"),
                  "telecom": N_("Telecommunications")}
#: The brief's three horizons (keys of its roadmap), as a reader reads them.
HORIZON_LABELS = {"now": N_("now"), "6 months": N_("6 months"), "12 months": N_("12 months")}
#: Sources that are not documents: facts the engine concluded itself, or rule examples.
_NOT_DOCUMENTS = {"derived", "example"}

_WORDS = {"aml": "AML", "cbdc": "CBDC", "id": "ID", "pii": "personal data", "usd": "USD", "fatf": "FATF",
          "vasp": "VASP", "cdd": "CDD", "api": "API", "rtgs": "RTGS", "fsrb": "FSRB", "kyc": "KYC",
          "iso20022": "ISO 20022", "24x7": "24x7", "pct": "(%)", "e": "e-", "interop": "interoperability",
          "nonbank": "non-bank", "ussd": "USSD", "sms": "SMS", "qr": "QR", "nfc": "NFC", "dlt": "DLT",
          "mcbdc": "mCBDC"}


class DocModel(BaseModel):
    # Infinity and NaN written as json writes them, so pydantic's JSON is json's (render.pipeline.to_json).
    model_config = ConfigDict(frozen=True, extra="forbid", ser_json_inf_nan="constants")


@lru_cache(maxsize=4096)
def humanize(name: str) -> str:
    """``account_ownership_pct`` -> ``Account ownership (%)``; ``r10_rating`` -> ``R.10 rating``."""
    words = []
    for w in name.split("_"):
        m = re.fullmatch(r"(r|io)(\d+)", w)
        if m:
            words.append(f"{m.group(1).upper()}.{m.group(2)}")
        else:
            words.append(_WORDS.get(w, w))
    text = " ".join(words).replace("e- ", "e-")
    return text[:1].upper() + text[1:]


_SECTION_NAMES = {"privacy": N_("Privacy"), "interop": N_("Interoperability"), "stablecoin": N_("Stablecoin"),
                  "security": N_("Security"), "governance": N_("Governance"), "aml": N_("AML/CFT"), "legal": N_("Legal"),
                  "identity": N_("Identity"), "inclusion": N_("Inclusion"), "payments": N_("Payments"),
                  "telecom": N_("Telecommunications")}
#: Longest catalogue description used as a label; longer ones are explanations, not names.
_MAX_LABEL = 64


def path_label(path: str, design: Design | None = None) -> str:
    """A reader's label for a fact path, never the path itself.

    A wallet tier is named by its own name in the design ("Tier 0: balance limit", not the
    index); other paths take the path catalogue's description when it is a short name ("R.15
    new technologies", "A person without a bank account can open a wallet"), else the last part
    humanised, prefixed by its section when that alone would be ambiguous ("Privacy: model").
    """
    parts = path.split(".")
    if len(parts) >= 4 and parts[1] == "kyc_tiers" and parts[2].isdigit():
        index = int(parts[2])
        tiers = design.kyc_tiers.value if design is not None and design.kyc_tiers is not None else []
        name = (tiers[index].name or tiers[index].id) if index < len(tiers) else _("KYC tier %(n)s", n=index + 1)
        field = content.text("fact", f"design.kyc_tiers.{parts[3]}", "label", humanize(parts[3]).lower())
        # Translators: a wallet tier's field, e.g. "Tier 0: balance limit" (the tier's name, then the field).
        return _("%(tier)s: %(field)s", tier=name, field=field)
    return content.text("fact", path, "label", english_label(path)) or path


@lru_cache(maxsize=4096)
def english_label(path: str) -> str:
    """The English label of a fact path (the ``msgid`` of its entry in the content catalogue);
    English, from the path and the fixed path catalogue alone, so it is computed once per path."""
    parts = path.split(".")
    if len(parts) >= 4 and parts[1] == "kyc_tiers" and parts[2].isdigit():
        return humanize(parts[3]).lower()
    if parts[0] == "derived":
        return f"{humanize(parts[-1])} (derived)"
    info = base_catalogue().get(path)
    if info is not None and info.description and len(info.description) <= _MAX_LABEL \
            and not info.description.startswith(("False when", "ISO 4217")) and "e.g." not in info.description:
        return info.description
    label = humanize(parts[-1])
    if parts[0] == "design" and len(parts) >= 3 and parts[-2] in _SECTION_NAMES:
        section = _SECTION_NAMES[parts[-2]]
        return f"{section} {label.lower()}" if "_" not in parts[-1] else f"{label} ({section})"
    return label


@lru_cache(maxsize=1)
def _enum_values() -> frozenset[str]:
    from ..i18n.content import value_entries

    return frozenset(ctx.split(":")[1] for ctx, _e, _f, _l in value_entries())


def display_text(display: str) -> str:
    """A fact's display in the document's language: enumerated values (``dlt``, ``phone_number``,
    a list of them) become words; everything else (numbers, names, amounts) is data, as is."""
    if language() == "en":
        return display
    parts = display.split(", ")
    if not all(p in _enum_values() for p in parts):
        head, sep, rest = display.partition(" (")
        return term(head) + sep + rest if head in _enum_values() else display
    return fmt.items(term(p) for p in parts)


_CHANGE_MARKERS = {"(missing)": N_("(missing)"), "(remove)": N_("(remove)")}


def _word(value: str) -> str:
    """One enumerated value as a word in the sentence: its translation, else humanised
    (``feature_phone_ussd`` -> ``feature phone USSD``)."""
    text = term(value)
    if text != value.replace("_", " ") or not value.islower():
        return text  # translated, or a code such as PC or LC
    h = humanize(value)
    return h if h[1:2].isupper() else h[:1].lower() + h[1:]


def change_words(display: str) -> str:
    """A value of a closing change (``smartphone_app, card``, ``(missing)``) as a reader reads it,
    in the document's language; numbers, amounts and names stay as they are."""
    if display in _CHANGE_MARKERS:
        return _(_CHANGE_MARKERS[display])
    parts = display.split(", ")
    if all(p in _enum_values() for p in parts):
        return fmt.items(_word(p) for p in parts)
    return display_text(display)


def term_label(value: str) -> str:
    """An enumerated value as a label (capitalised): its translation, else :func:`humanize`."""
    english = value.replace("_", " ")
    text = term(value)
    return text[:1].upper() + text[1:] if text != english else humanize(value)


_FLAGS = (
    (re.compile(r"press report"), N_("press report")),
    (re.compile(r"pending: (?P<note>.+)"), N_("pending: %(note)s")),
    (re.compile(r"pending"), N_("pending")),
    (re.compile(r"decided against: (?P<note>.+)"), N_("decided against: %(note)s")),
    (re.compile(r"decided against"), N_("decided against")),
    (re.compile(r"stale: an operational status with no date; re-check it"),
     N_("stale: an operational status with no date; re-check it")),
    (re.compile(r"stale: operational status last checked (?P<date>.+)"), N_("stale: operational status last checked %(date)s")),
    (re.compile(r"stale: operational status as of (?P<date>.+), not re-checked since"),
     N_("stale: operational status as of %(date)s, not re-checked since")),
    (re.compile(r"not used: dated after the design ended \((?P<date>.+)\)"),
     N_("not used: dated after the design ended (%(date)s)")),
    (re.compile(r"below the evidence standard: this rule needs a source of kind (?P<needed>.+), this one is (?P<kind>.+)"),
     N_("below the evidence standard: this rule needs a source of kind %(needed)s, this one is %(kind)s")),
)


def flag_text(flag: str) -> str:
    """An evidence flag (worded by the engine in English, its date as ISO) in the document's
    language, its date as the language writes dates."""
    for pattern, message in _FLAGS:
        m = pattern.fullmatch(flag)
        if m:
            english = language() == "en"
            parts = {k: " / ".join(term(w) for w in v.split(" or ")) if k in ("needed", "kind") and not english
                     else fmt.date(v) if k == "date" else v for k, v in m.groupdict().items()}
            return _(message, **parts)
    return flag


def term(value: str) -> str:
    """An enumerated value (a design's kind or status, a tier's identity level, a severity) as a
    reader reads it, in the document's language (``value:<value>:label`` in the content catalogue)."""
    return content.text("value", value, "label", value.replace("_", " ")) or value


def label_of(path: str) -> str:
    """:func:`path_label` without a design (a wallet tier is then named by its position)."""
    return path_label(path)


# --- shared pieces ---------------------------------------------------------------------------

class Meta(DocModel):
    generator: str = "policyengine"
    ruleset_name: str
    ruleset_version: str
    date: str | None = Field(default=None, description="Date printed on the document (only when --date is given)")
    lang: str = "en"


class SourceEntry(DocModel):
    id: str
    title: str
    publisher: str | None = None
    year: int | None = None
    date: str | None = None
    url: str | None = None
    found: bool = Field(default=True, description="False when the id is in no bibliography")


class FactRow(DocModel):
    section: str
    path: str
    label: str
    value: str
    source: str | None = None
    source_title: str | None = None
    locator: str | None = None
    as_of: str | None = None
    note: str | None = None


class CitationRef(DocModel):
    ref: str
    title: str
    section: str | None = None


class EvidenceRow(DocModel):
    path: str
    label: str
    value: str
    flags: list[str] = Field(default_factory=list, exclude=True,
                             description="Already said in `value`; kept apart for the Evidence annex, not written")
    source: str | None = None
    source_title: str | None = None
    as_of: str | None = None


class EvidenceLink(DocModel):
    """A finding's pointer to the Evidence annex entry of one fact it rests on."""

    anchor: str = Field(description="Id of the entry in the Evidence annex")
    label: str


class EvidenceEntry(DocModel):
    """One fact of the Evidence annex: shown once, with its source and date, and the findings resting on it."""

    anchor: str = Field(description="Id of the entry inside the document")
    group: Literal["jurisdiction", "design", "derived"]
    section: str = ""
    path: str
    label: str
    value: str
    source: str | None = None
    source_title: str | None = None
    locator: str | None = None
    as_of: str | None = None
    note: str | None = None
    flags: list[str] = Field(default_factory=list, description="What a reader must know before relying on it")
    used_by: list[str] = Field(default_factory=list, description="Rule ids of the decided findings that rest on this fact")


class ChangeRow(DocModel):
    path: str
    label: str
    current: str
    proposed: str


class FindingView(DocModel):
    rule_id: str
    rule_title: str
    principle_id: str
    area: str
    severity: str
    status: str
    text: str
    recommendation: str | None = None
    evidence: list[EvidenceRow] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    missing_labels: list[str] = Field(default_factory=list, description="The missing facts by their names, in order")
    evidence_links: list[EvidenceLink] = Field(
        default_factory=list, description="The Evidence annex entries of the facts used (toolkit)")
    citations: list[CitationRef] = Field(default_factory=list)
    rule_ref: str = Field(description="Link to the rule's reference entry (Markdown)")
    anchor: str = Field(description="Id of the finding inside the HTML document")


class PrincipleView(DocModel):
    id: str
    title: str
    statement: str
    coverage: str
    findings: list[FindingView]


class Counts(DocModel):
    gap: int = 0
    met: int = 0
    unknown: int = 0
    not_applicable: int = 0
    high_gaps: int = 0
    medium_gaps: int = 0
    low_gaps: int = 0
    score: float | None = Field(default=None, description="met / (met + gap), when any was decided")
    score_label: str = Field(default="-", description="The score with its data coverage beside it, e.g. '85% (47% decided)'")
    decided: int = Field(default=0, description="met + gap")
    applicable: int = Field(default=0, description="met + gap + unknown")
    coverage: float | None = Field(default=None, description="decided / applicable: the data coverage of the score")
    coverage_label: str = "-"
    score_min: float | None = Field(default=None, description="The score if every unknown were a gap")
    score_max: float | None = Field(default=None, description="The score if every unknown were met")
    range_label: str = Field(default="-", description="score_min..score_max, e.g. '40%\u201393%'")
    summary: str = Field(default="", description="The score in words, with its coverage and range")


class AreaCounts(DocModel):
    area: str
    title: str
    counts: Counts


class ActionItem(DocModel):
    order: int
    severity: str
    rule_id: str
    rule_title: str
    area: str
    principle_id: str
    recommendation: str
    closing_change: list[ChangeRow] = Field(default_factory=list)
    closing_change_confirmed: bool | None = None
    rule_ref: str
    anchor: str


class MissingFact(DocModel):
    path: str
    label: str
    rules: list[str]


class ChoiceOption(DocModel):
    value: str
    meets: list[str] = Field(default_factory=list)
    gaps: list[str] = Field(default_factory=list)
    out_of_scope: list[str] = Field(default_factory=list)


class OpenChoice(DocModel):
    """A fact the design has not settled yet, with what each answer would mean for the findings."""

    path: str
    label: str
    rules: list[str]
    options: list[ChoiceOption]


class Chapter(DocModel):
    area: str
    title: str
    counts: Counts
    principles: list[PrincipleView]
    unchecked: list[CitationRef] = Field(default_factory=list, description="Principles of this area no active rule checks yet")


class JurisdictionView(DocModel):
    id: str
    name: str
    kind: str
    region: str
    region_title: str
    currency: str
    central_bank: str | None = None
    members: list[str] = Field(default_factory=list)
    cbdc_status: str | None = Field(default=None, description="Where the jurisdiction stands on a retail CBDC")
    cbdc_status_line: str | None = Field(
        default=None, description="Said on every page that scores a design for a country that decided not to issue")


class TierRow(DocModel):
    name: str
    holder: str
    identity: str
    bank_account_required: str
    balance_limit: str
    per_transaction_limit: str
    daily_limit: str
    monthly_limit: str


class DesignView(DocModel):
    id: str
    name: str
    kind: str
    issuer: str
    status: str
    archetype: bool
    summary: str | None = None
    facts: list[FactRow]
    tiers: list[TierRow] = Field(default_factory=list)
    tiers_source: str | None = None
    ended: str | None = Field(default=None, description="End date of a discontinued design: it is judged as it was then")


class RuleIndexEntry(DocModel):
    rule_id: str
    rule_title: str
    principle_id: str
    severity: str
    status: str
    rule_ref: str
    anchor: str


class ExecutiveSummary(DocModel):
    """The opening of a toolkit, in sentences built from the findings (:mod:`.executive`)."""

    standing: list[str] = Field(description="Where the design stands: counts, data coverage, share met and its range")
    priorities_intro: str = Field(description="The gaps by severity, or that none was found")
    priorities: list[str] = Field(default_factory=list, description="The most severe gaps, each with what to do")
    undecided: list[str] = Field(default_factory=list, description="What the data cannot decide yet, and the open choices")
    missing: list[str] = Field(default_factory=list, description="The missing facts that would decide the most rules")


class Toolkit(DocModel):
    """The national policy toolkit of one jurisdiction and one design."""

    schema_: SchemaRef = FINDINGS_REPORT_SCHEMA
    kind: Literal["toolkit"] = "toolkit"
    meta: Meta
    jurisdiction: JurisdictionView
    design: DesignView
    totals: Counts
    areas: list[AreaCounts]
    headline: list[str]
    summary: ExecutiveSummary = Field(description="The executive summary, written in sentences from the findings")
    tiers_used_by: list[str] = Field(
        default_factory=list, description="Decided findings that read the wallet tiers (the tier table of the Evidence annex)")
    situation: list[FactRow]
    chapters: list[Chapter]
    actions: list[ActionItem]
    missing: list[MissingFact]
    open_choices: list[OpenChoice] = Field(
        default_factory=list, description="Missing facts of an unsettled design (research, proposal, pilot, "
        "archetype) that are choices still to make, each with what every option would mean")
    evidence: list[EvidenceEntry] = Field(
        default_factory=list, description="Every fact the toolkit rests on, once (the Evidence annex); the wallet "
        "tiers are the design's tier table")
    sources: list[SourceEntry]
    rules: list[RuleIndexEntry] = Field(
        description="Every rule applied, in the order of the chapters (the findings are in `chapters`)")


class GapDesign(DocModel):
    id: str
    name: str
    kind: str
    status: str
    archetype: bool
    totals: Counts
    areas: list[AreaCounts]
    high_met: int = Field(description="High-severity rules this design meets")


class GapRow(DocModel):
    principle_id: str
    title: str
    area: str
    rules: list[str]
    cells: list[str] = Field(description="One status per design, in the order of `designs`")


class GapRuleRow(DocModel):
    rule_id: str
    rule_title: str
    principle_id: str
    severity: str
    cells: list[str]
    rule_ref: str


class GapAnalysis(DocModel):
    """Principles x design options for one jurisdiction."""

    schema_: SchemaRef = FINDINGS_REPORT_SCHEMA
    kind: Literal["gap"] = "gap"
    meta: Meta
    jurisdiction: JurisdictionView
    designs: list[GapDesign]
    areas: list[str]
    area_titles: list[str]
    principles: list[GapRow]
    rules: list[GapRuleRow]
    unchecked_principles: int
    best: str | None = Field(description="Id of the option that closes the most high-severity gaps")
    verdict: str
    sources: list[SourceEntry]


class HandoutDesign(DocModel):
    id: str
    name: str
    status: str
    archetype: bool
    summary: str | None = None
    totals: Counts
    areas: list[AreaCounts]
    gaps: list[FindingView]
    more_gaps: int
    missing: list[MissingFact]
    more_missing: int


class HandoutPage(DocModel):
    jurisdiction: JurisdictionView
    key_facts: list[FactRow]
    designs: list[HandoutDesign]


class Handout(DocModel):
    """One printable page (two at most) for one jurisdiction."""

    schema_: SchemaRef = FINDINGS_REPORT_SCHEMA
    kind: Literal["handout"] = "handout"
    meta: Meta
    page: HandoutPage
    sources: list[SourceEntry]


class HeatCell(DocModel):
    area: str
    status: str = Field(description="gap, met, unknown, not_applicable or not_checked: the worst status in the area")
    gaps: int
    high_gaps: int
    met: int
    unknown: int
    coverage: float | None = Field(default=None, description="Share of the area's applicable rules that could be decided")


class HeatRow(DocModel):
    jurisdiction_id: str
    jurisdiction_name: str
    design_id: str
    design_name: str
    archetype: bool
    hypothetical: bool = Field(
        default=False, description="An archetype assessed for a jurisdiction that does not plan a retail CBDC: "
        "what it would look like if it were to issue")
    cells: list[HeatCell]


class HandoutSet(DocModel):
    """The handouts of a region: a regional summary with its heat-map, then one page per jurisdiction."""

    schema_: SchemaRef = FINDINGS_REPORT_SCHEMA
    kind: Literal["handouts"] = "handouts"
    meta: Meta
    region: str
    region_title: str
    areas: list[str]
    area_titles: list[str]
    heatmap: list[HeatRow]
    pack: RegionalPack = Field(default_factory=RegionalPack,
                               description="Statuses, common gaps, good practice and questions for discussion")
    pages: list[HandoutPage]
    sources: list[SourceEntry]


@lru_cache(maxsize=1)
def document_adapter() -> TypeAdapter[Any]:
    """Every JSON document this package writes, told apart by ``kind``. Built on first use: the
    brief's model (:mod:`policyengine.render.brief`) is built on this module's pieces."""
    from .brief import Brief

    document = Annotated[Union[Toolkit, GapAnalysis, Handout, HandoutSet, Brief], Field(discriminator="kind")]
    return TypeAdapter(document)


def __getattr__(name: str) -> Any:
    if name == "DOCUMENT_ADAPTER":
        return document_adapter()
    raise AttributeError(name)


# --- builders --------------------------------------------------------------------------------

class _Sources:
    """Collects every source a document cites and resolves it against the bibliographies."""

    def __init__(self, ws: Workspace, jurisdiction: str | None) -> None:
        self.ws = ws
        self.jurisdiction = jurisdiction
        self.ids: set[str] = set()

    def title(self, ident: str | None) -> str | None:
        if not ident or ident in _NOT_DOCUMENTS:
            return None
        self.ids.add(ident)
        entry = self.ws.source(ident, self.jurisdiction)
        return entry.title if entry else ident

    def entries(self) -> list[SourceEntry]:
        out = []
        for ident in sorted(self.ids):
            e = self.ws.source(ident, self.jurisdiction)
            if e is None:
                out.append(SourceEntry(id=ident, title=ident, found=False))
            else:
                out.append(SourceEntry(id=e.id, title=e.title, publisher=e.publisher, year=e.year,
                                       date=e.date, url=e.url))
        return out


def _meta(ws: Workspace, date: str | None, lang: str | None = None) -> Meta:
    """The document's metadata; its language is the one being rendered unless given."""
    lang = lang or language()
    return Meta(ruleset_name=ws.ruleset_name, ruleset_version=ws.ruleset_version, date=date, lang=lang)


def _jurisdiction_view(p: JurisdictionProfile, own_design: bool = False,
                       private_design: bool = False) -> JurisdictionView:
    return JurisdictionView(id=p.id, name=p.name, kind=p.kind.value, region=p.region.value,
                            region_title=_(REGION_TITLES.get(p.region.value, p.region.value)),
                            currency=p.currency, central_bank=p.central_bank, members=list(p.members),
                            cbdc_status=p.cbdc_status.value.value if p.cbdc_status else None,
                            cbdc_status_line=_cbdc_status_line(p, own_design, private_design))


#: What a reader must be told before reading scores of a design the country does not plan.
_NOT_PLANNED = {
    "decided_not_to_issue": N_("%(name)s has decided not to issue a retail CBDC for now"),
    "discontinued": N_("%(name)s has discontinued its retail CBDC"),
    "prohibited": N_("A retail CBDC is prohibited in %(name)s"),
}


def _cbdc_status_line(p: JurisdictionProfile, own_design: bool = False, private_design: bool = False) -> str | None:
    """What the reader is told first; ``own_design`` when what follows is a design the country
    really ran or runs (Ecuador's dinero electronico, Switzerland's wholesale Helvetia), not the
    archetype: it is then not a hypothetical. ``private_design`` when what follows is a real
    privately issued currency of the jurisdiction (a stablecoin such as USDC): the CBDC decision
    does not bear on it, and the reader is told it is not a CBDC."""
    status = p.cbdc_status.value.value if p.cbdc_status else None
    if status not in _NOT_PLANNED or p.cbdc_status is None:
        return None
    said = _(_NOT_PLANNED[status], name=p.name)
    if own_design and private_design:
        if p.cbdc_status.as_of:
            return _("%(position)s (%(as_of)s). What follows assesses a privately issued currency (a stablecoin or "
                     "e-money), not a CBDC.", position=said, as_of=fmt.date(p.cbdc_status.as_of))
        return _("%(position)s. What follows assesses a privately issued currency (a stablecoin or e-money), not a CBDC.",
                 position=said)
    if own_design:
        if p.cbdc_status.as_of:
            return _("%(position)s (%(as_of)s). What follows assesses a design it actually ran or runs, not a hypothetical.",
                     position=said, as_of=fmt.date(p.cbdc_status.as_of))
        return _("%(position)s. What follows assesses a design it actually ran or runs, not a hypothetical.", position=said)
    if p.cbdc_status.as_of:
        return _("%(position)s (%(as_of)s): the design below is assessed as a hypothetical, not as the country's plan.",
                 position=said, as_of=fmt.date(p.cbdc_status.as_of))
    return _("%(position)s: the design below is assessed as a hypothetical, not as the country's plan.", position=said)


def _fact_note(model: Any, dotted: str) -> str | None:
    obj = model
    for part in dotted.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj.note if isinstance(obj, Fact) else None


def _fact_rows(table: FactTable, root: str, model: Any, sources: _Sources) -> list[FactRow]:
    design = model if isinstance(model, Design) else None
    rows = []
    for path in base_catalogue():
        if not path.startswith(root + ".") or path in ("jurisdiction.id", "design.id", "design.jurisdiction"):
            continue
        if path == "design.kyc_tiers":
            continue  # shown as the tier table
        fv = table.get(path)
        if fv is None or fv.source is None:
            continue  # unsourced fields are the identity block, shown in the document's header
        rest = path[len(root) + 1:]
        section = rest.split(".")[0] if "." in rest else ""
        rows.append(FactRow(section=section, path=path, label=path_label(path, design), value=display_text(fv.display),
                            source=fv.source, source_title=sources.title(fv.source), locator=fv.locator,
                            as_of=fv.as_of, note=_fact_note(model, rest)))
    return rows


def _money(table: FactTable, path: str) -> str:
    fv = table.get(path)
    return fv.display if fv is not None else "-"


def _design_view(ws: Workspace, design: Design, table: FactTable, sources: _Sources) -> DesignView:
    tiers: list[TierRow] = []
    tiers_source = None
    if design.kyc_tiers is not None:
        tiers_source = sources.title(design.kyc_tiers.source_ref)
        for i, t in enumerate(design.kyc_tiers.value):
            base = f"design.kyc_tiers.{i}"
            tiers.append(TierRow(
                name=t.name or t.id, holder=t.holder,
                identity=t.identity.value if t.identity else "-",
                bank_account_required=("-" if t.bank_account_required is None
                                       else _("yes") if t.bank_account_required else _("no")),
                balance_limit=_money(table, f"{base}.balance_limit"),
                per_transaction_limit=_money(table, f"{base}.per_transaction_limit"),
                daily_limit=_money(table, f"{base}.daily_limit"),
                monthly_limit=_money(table, f"{base}.monthly_limit")))
    return DesignView(id=design.id, name=design.name, kind=design.kind.value, issuer=design.issuer.value,
                      status=design.status.value, archetype=design.jurisdiction is None, summary=design.summary,
                      facts=_fact_rows(table, "design", design, sources), tiers=tiers, tiers_source=tiers_source,
                      ended=design.ended.value if design.ended is not None else None)


def _rule_ref(rule_id: str, rules_base: str, area: str) -> str:
    """The rule's reference page, laid out as ``policyengine docs`` writes it
    (``<base><area>/<RULE-ID>.md``), so the link resolves from Markdown, HTML and PDF alike
    once the pages are generated at ``rules_base``. Without a base (the default) there is no
    link: a document handed to a minister must not carry links that point nowhere."""
    return f"{rules_base}{area}/{rule_id}.md" if rules_base else ""


def _anchor(rule_id: str) -> str:
    return "finding-" + rule_id.lower()


_TIER_ROW = re.compile(r"^design\.kyc_tiers\.\d+\.(\w+)$")
#: Id of the design's wallet tier table in the Evidence annex.
TIERS_ANCHOR = "ev-wallet-tiers"


def evidence_anchor(path: str) -> str:
    """Id of a fact's entry in the Evidence annex (the wallet tiers share the tier table's)."""
    if path == "design.kyc_tiers":
        return TIERS_ANCHOR
    return "ev-" + re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")


def _and_list(words: list[str]) -> str:
    return fmt.conjunction(words)


def _collapse_tiers(rows: list[EvidenceRow], flagged: set[str]) -> list[EvidenceRow]:
    """The wallet tiers are shown once, in the design's tier table: a finding's evidence names
    which of their fields the rule read in one row instead of repeating the table per rule.
    A tier fact with a flag (pending, conflicting...) keeps its own row: the table cannot say it."""
    rows_in = rows
    rows = [r for r in rows_in if r.path not in flagged]
    fields = list(dict.fromkeys(m.group(1) for r in rows if (m := _TIER_ROW.match(r.path))))
    if not fields:
        return rows_in
    whole = next((r for r in rows if r.path == "design.kyc_tiers"), None)
    tier_rows = [r for r in rows if _TIER_ROW.match(r.path)]
    first = whole or tier_rows[0]
    read = _and_list([humanize(f).lower() for f in fields])
    summary = EvidenceRow(path="design.kyc_tiers", label=_("Wallet tiers (%(fields)s)") % {"fields": read},
                          value=_("%(fields)s of each tier") % {"fields": read[:1].upper() + read[1:]},
                          source=first.source, source_title=first.source_title, as_of=first.as_of)
    out: list[EvidenceRow] = []
    for r in rows_in:
        if r.path not in flagged and (r.path == "design.kyc_tiers" or _TIER_ROW.match(r.path)):
            if summary not in out:
                out.append(summary)
            continue
        out.append(r)
    return out


def _evidence_row(e: Evidence, sources: _Sources, design: Design | None) -> EvidenceRow:
    return EvidenceRow(path=e.path, label=path_label(e.path, design),
                       value=display_text(e.display)
                       + (f" [{fmt.clauses(flag_text(f) for f in e.flags)}]" if e.flags else ""),
                       flags=[flag_text(f) for f in e.flags], source=e.source,
                       source_title=sources.title(e.source), as_of=e.as_of)


def _finding_view(ws: Workspace, f: Finding, sources: _Sources, rules_base: str,
                  design: Design | None = None, rows: dict[int, EvidenceRow] | None = None) -> FindingView:
    """``rows``: the rows already made for the evidence of this assessment's other findings,
    by evidence object (an assessment shares one Evidence per fact among the findings that
    read it; a row depends only on it, the design and the sources, so it is made once)."""
    made = {} if rows is None else rows
    evidence_rows = []
    for e in f.evidence:
        row = made.get(id(e))
        if row is None:
            row = made[id(e)] = _evidence_row(e, sources, design)
        evidence_rows.append(row)
    evidence = _collapse_tiers(evidence_rows, {e.path for e in f.evidence if e.flags})
    cites = [CitationRef(ref=c.ref, title=sources.title(c.ref) or c.ref, section=c.section) for c in f.citations]
    links = [EvidenceLink(anchor=evidence_anchor(e.path), label=e.label) for e in evidence]
    return FindingView(rule_id=f.rule_id, rule_title=f.rule_title, principle_id=f.principle_id, area=f.area.value,
                       severity=f.severity.value, status=f.status.value, text=f.text,
                       recommendation=f.recommendation, evidence=evidence, missing=list(f.missing),
                       missing_labels=[path_label(p, design) for p in f.missing], evidence_links=links,
                       citations=cites, rule_ref=_rule_ref(f.rule_id, rules_base, f.area.value), anchor=_anchor(f.rule_id))


def _counts(findings: list[Finding]) -> Counts:
    c = {s.value: 0 for s in Status}
    sev = {s.value: 0 for s in Severity}
    for f in findings:
        c[f.status.value] += 1
        if f.status == Status.gap:
            sev[f.severity.value] += 1
    r = score_range(c["met"], c["gap"], c["unknown"])
    score, coverage = r["score"], r["coverage"]
    if score is not None:
        # The share decided is shown even when it is all of them: a percentage never stands alone.
        score_label = _("%(score)s (%(coverage)s decided)", score=_pct(score), coverage=_pct(coverage))
    else:
        score_label = "-" if not r["applicable"] else _("%(score)s (%(coverage)s decided)", score="-", coverage=_pct(0))
    return Counts(gap=c["gap"], met=c["met"], unknown=c["unknown"], not_applicable=c["not_applicable"],
                  high_gaps=sev["high"], medium_gaps=sev["medium"], low_gaps=sev["low"], score=score,
                  score_label=score_label, decided=r["decided"], applicable=r["applicable"], coverage=coverage,
                  coverage_label=_pct(coverage),
                  score_min=r["score_min"], score_max=r["score_max"],
                  range_label=(_pct(r["score_min"]) if r["score_min"] == r["score_max"] else
                               f"{_pct(r['score_min'])}\u2013{_pct(r['score_max'])}") if r["applicable"] else "-",
                  summary=score_text(c["met"], c["gap"], c["unknown"]))


def _pct(x: float | None) -> str:
    """A share as a whole percentage in the document's language (``0.46`` -> ``46%``, ``46 %`` in French)."""
    return "-" if x is None else percent(x, language())


def score_text(met: int, gap: int, unknown: int) -> str:
    """:func:`~policyengine.models.finding.score_sentence` in the document's language."""
    r = score_range(met, gap, unknown)
    if not r["applicable"]:
        return _("no rule applies")
    if not r["decided"]:
        return _("no score: none of the %(applicable)s applicable rules could be decided; could range "
                 "%(low)s\u2013%(high)s once the unknowns are answered", applicable=r["applicable"],
                 low=_pct(r["score_min"]), high=_pct(r["score_max"]))
    if not unknown:
        return _("%(score)s met; every applicable rule decided (%(decided)s of %(applicable)s)", score=_pct(r["score"]),
                 decided=r["decided"], applicable=r["applicable"])
    return _("%(score)s met of the %(coverage)s of rules it could decide (%(decided)s of %(applicable)s); could range "
             "%(low)s\u2013%(high)s once the unknowns are answered", score=_pct(r["score"]), coverage=_pct(r["coverage"]),
             decided=r["decided"], applicable=r["applicable"], low=_pct(r["score_min"]), high=_pct(r["score_max"]))


def _areas_of(ws: Workspace) -> list[str]:
    """Areas that at least one active rule checks, in the catalogue's order (all if none)."""
    used = {ws.principles[r.principle].area.value for r in ws.active_rules() if r.principle in ws.principles}
    return [a.value for a in Area if a.value in used] or [a.value for a in Area]


def _area_counts(a: Assessment, areas: list[str]) -> list[AreaCounts]:
    return [AreaCounts(area=area, title=_(AREA_TITLES[area]), counts=_counts([f for f in a.findings if f.area.value == area]))
            for area in areas]


def _missing(findings: list[Finding], design: Design | None = None) -> list[MissingFact]:
    blocked: dict[str, set[str]] = {}
    for f in findings:
        if f.status == Status.unknown:
            for path in f.missing:
                if path.startswith("derived."):
                    continue  # a derivation's own missing facts are listed with it
                blocked.setdefault(path, set()).add(f.rule_id)
    return [MissingFact(path=p, label=path_label(p, design), rules=sorted(r)) for p, r in
            sorted(blocked.items(), key=lambda kv: (-len(kv[1]), kv[0]))]


def _by_severity(f: Finding) -> tuple[int, int, str]:
    return (SEVERITY_ORDER[f.severity], list(Area).index(f.area), f.rule_id)


def build_toolkit(ws: Workspace, jurisdiction_id: str, design_id: str | None, *, date: str | None = None,
                  rules_base: str = "") -> Toolkit:
    """The national policy toolkit of one jurisdiction and design."""
    profile, design, table = api.fact_table(ws, jurisdiction_id, design_id)
    a = api.assess(profile.id, design.id, ws)
    sources = _Sources(ws, profile.id)
    situation = _fact_rows(table, "jurisdiction", profile, sources)
    design_view = _design_view(ws, design, table, sources)
    rows: dict[int, EvidenceRow] = {}  # lives no longer than the assessment whose evidence it keys
    views = {f.rule_id: _finding_view(ws, f, sources, rules_base, design, rows) for f in a.findings}
    areas = _areas_of(ws)
    chapters = []
    checked = {r.principle for r in ws.active_rules()}
    for area in areas:
        in_area = [f for f in a.findings if f.area.value == area]
        principles = []
        for pid in sorted({f.principle_id for f in in_area}, key=_principle_key):
            pr = ws.principles.get(pid)
            for_p = [views[f.rule_id] for f in sorted((f for f in in_area if f.principle_id == pid), key=_by_severity)]
            for c in pr.citations if pr else []:
                sources.title(c.ref)
            principles.append(PrincipleView(id=pid, title=pr.title if pr else pid, statement=pr.statement if pr else "",
                                            coverage=pr.coverage.value if pr else "manual", findings=for_p))
        in_order = sorted(ws.principles.values(), key=lambda p: _principle_key(p.id))
        unchecked = [CitationRef(ref=p.id, title=p.title) for p in in_order
                     if p.area.value == area and p.id not in checked]
        chapters.append(Chapter(area=area, title=_(AREA_TITLES[area]), counts=_counts(in_area), principles=principles,
                                unchecked=unchecked))
    actions = []
    for i, f in enumerate(sorted(a.by_status(Status.gap), key=_by_severity), start=1):
        exp = api.explain(f.rule_id, profile.id, design.id, ws)
        actions.append(ActionItem(
            order=i, severity=f.severity.value, rule_id=f.rule_id, rule_title=f.rule_title, area=f.area.value,
            principle_id=f.principle_id, recommendation=f.recommendation or "",
            closing_change=[ChangeRow(path=c.path, label=path_label(c.path, design), current=change_words(c.current),
                                      proposed=change_words(c.proposed))
                            for c in exp.closing_change],
            closing_change_confirmed=exp.closing_change_confirmed if exp.closing_change else None,
            rule_ref=_rule_ref(f.rule_id, rules_base, f.area.value), anchor=_anchor(f.rule_id)))
    from .executive import executive_summary

    totals = _counts(a.findings)
    missing = _missing(a.findings, design)
    findings_in_order = [fv for ch in chapters for p in ch.principles for fv in p.findings]
    ordered = [RuleIndexEntry(rule_id=fv.rule_id, rule_title=fv.rule_title, principle_id=fv.principle_id,
                              severity=fv.severity, status=fv.status, rule_ref=fv.rule_ref, anchor=fv.anchor)
               for fv in findings_in_order]
    evidence, tiers_used_by = _evidence_annex(situation, design_view.facts, findings_in_order)
    choices = _open_choices(ws, profile.id, design)
    meta = _meta(ws, date)
    summary = executive_summary(a, design=design.name, jurisdiction=profile.name, archetype=design.jurisdiction is None,
                                actions=actions, missing=missing, open_choices=choices, lang=meta.lang)
    return Toolkit(meta=meta, jurisdiction=_jurisdiction_view(profile, not is_hypothetical(profile, design),
                                                               is_private(design)),
                   design=design_view,
                   totals=totals, areas=_area_counts(a, areas), headline=_headline(totals, missing), summary=summary,
                   tiers_used_by=tiers_used_by, situation=situation, chapters=chapters, actions=actions,
                   missing=missing, open_choices=choices, evidence=evidence, sources=sources.entries(), rules=ordered)


def _evidence_annex(situation: list[FactRow], design_facts: list[FactRow],
                    findings: list[FindingView]) -> tuple[list[EvidenceEntry], list[str]]:
    """Every fact the toolkit rests on, once: the profile's and the design's sourced facts (in
    the catalogue's order), then the facts only a finding read (the design's identity fields,
    a flagged wallet-tier value, the ruleset's own conclusions); each with the decided findings
    that rest on it. The wallet tiers are not entries: the design's tier table stands for them."""
    used: dict[str, list[str]] = {}
    flags: dict[str, list[str]] = {}
    only_read: dict[str, EvidenceRow] = {}
    listed = {r.path for r in situation} | {r.path for r in design_facts}
    for fv in findings:
        if fv.status not in ("met", "gap"):
            continue  # an unknown shows no evidence; an out-of-scope finding is not argued
        for e in fv.evidence:
            if fv.rule_id not in used.setdefault(e.path, []):
                used[e.path].append(fv.rule_id)
            for flag in e.flags:
                if flag not in flags.setdefault(e.path, []):
                    flags[e.path].append(flag)
            if e.path not in listed and e.path != "design.kyc_tiers":
                only_read.setdefault(e.path, e)

    def entry(group: Literal["jurisdiction", "design", "derived"], r: FactRow) -> EvidenceEntry:
        return EvidenceEntry(anchor=evidence_anchor(r.path), group=group, section=r.section, path=r.path,
                             label=r.label, value=r.value, source=r.source, source_title=r.source_title,
                             locator=r.locator, as_of=r.as_of, note=r.note, flags=flags.get(r.path, []),
                             used_by=used.get(r.path, []))

    entries = [entry("jurisdiction", r) for r in situation] + [entry("design", r) for r in design_facts]
    for path, e in sorted(only_read.items(), key=lambda kv: (kv[0].startswith("derived."), kv[0])):
        derived = e.source == "derived" or path.startswith("derived.")
        group: Literal["jurisdiction", "design", "derived"] = (
            "derived" if derived else "jurisdiction" if path.startswith("jurisdiction.") else "design")
        value = e.value[: -len(f" [{fmt.clauses(e.flags)}]")] if e.flags else e.value
        entries.append(EvidenceEntry(anchor=evidence_anchor(path), group=group, path=path, label=e.label,
                                     value=value, source=e.source, source_title=e.source_title, as_of=e.as_of,
                                     flags=flags.get(path, []), used_by=used.get(path, [])))
    return entries, used.get("design.kyc_tiers", [])


def _open_choices(ws: Workspace, jurisdiction_id: str, design: Design) -> list[OpenChoice]:
    """The design choices still open, from the questionnaire (which tries every option with the
    engine); none for a launched or discontinued design, whose missing facts are unpublished."""
    from ..questionnaire.build import UNSETTLED, design_choices

    if design.status not in UNSETTLED and design.jurisdiction is not None:
        return []
    return [OpenChoice(path=q.id, label=q.label, rules=q.waits_for,
                       options=[ChoiceOption(value=o.display, meets=o.meets, gaps=o.gaps, out_of_scope=o.out_of_scope)
                                for o in q.options])
            for q in design_choices(ws, jurisdiction_id, design.id)]


def _principle_key(pid: str) -> tuple[str, int]:
    head, _sep, num = pid.rpartition("-")
    return (head, int(num)) if num.isdigit() else (pid, 0)


def _headline(t: Counts, missing: list[MissingFact]) -> list[str]:
    checked = t.gap + t.met + t.unknown
    lines = [ngettext("Rules applied to this design: %(checked)s (%(met)s met, %(num)s gap, %(unknown)s unknown); "
                      "%(na)s out of scope.",
                      "Rules applied to this design: %(checked)s (%(met)s met, %(num)s gaps, %(unknown)s unknown); "
                      "%(na)s out of scope.", t.gap, checked=checked, met=t.met, unknown=t.unknown, na=t.not_applicable),
             _("Score: %(summary)s.", summary=t.summary)]
    if t.gap:
        lines.append(_("Gaps by severity: %(high)s high, %(medium)s medium, %(low)s low.",
                       high=t.high_gaps, medium=t.medium_gaps, low=t.low_gaps))
    else:
        lines.append(_("No gap was found among the rules that could be decided."))
    if t.unknown:
        lines.append(ngettext("%(num)s conclusion cannot be drawn for lack of data; facts missing: %(missing)s "
                              "(see Missing data).",
                              "%(num)s conclusions cannot be drawn for lack of data; facts missing: %(missing)s "
                              "(see Missing data).", t.unknown, missing=len(missing)))
    return lines


_RANK = {"gap": 4, "unknown": 3, "met": 2, "not_applicable": 1, "not_checked": 0}


def _worst(statuses: list[str]) -> str:
    return max(statuses, key=lambda s: _RANK[s]) if statuses else "not_checked"


def build_gap(ws: Workspace, jurisdiction_id: str, design_ids: list[str], *, date: str | None = None,
              rules_base: str = "") -> GapAnalysis:
    """Principles x design options for one jurisdiction, with scores and the best option."""
    profile = api.find_profile(ws, jurisdiction_id)
    ids = list(dict.fromkeys(design_ids)) or sorted(ws.designs.get(profile.id, {})) or [DEFAULT_ARCHETYPE]
    designs = [api.find_design(ws, profile.id, d) for d in ids]
    assessments = [api.assess(profile.id, d.id, ws) for d in designs]
    sources = _Sources(ws, profile.id)
    areas = _areas_of(ws)
    status_of = [{f.rule_id: f for f in a.findings} for a in assessments]
    rule_ids = sorted({f.rule_id for a in assessments for f in a.findings},
                      key=lambda r: (_principle_key(_principle_of(assessments, r)), r))
    rules = []
    for rid in rule_ids:
        any_f = next(s[rid] for s in status_of if rid in s)
        for c in any_f.citations:
            sources.title(c.ref)
        rules.append(GapRuleRow(rule_id=rid, rule_title=any_f.rule_title, principle_id=any_f.principle_id,
                                severity=any_f.severity.value, rule_ref=_rule_ref(rid, rules_base, any_f.area.value),
                                cells=[s[rid].status.value if rid in s else "not_checked" for s in status_of]))
    rows = []
    for pid in sorted({r.principle_id for r in rules}, key=_principle_key):
        mine = [r for r in rules if r.principle_id == pid]
        pr = ws.principles.get(pid)
        rows.append(GapRow(principle_id=pid, title=pr.title if pr else pid, area=pr.area.value if pr else "",
                           rules=[r.rule_id for r in mine],
                           cells=[_worst([r.cells[i] for r in mine]) for i in range(len(designs))]))
    rows.sort(key=lambda r: (areas.index(r.area) if r.area in areas else len(areas), _principle_key(r.principle_id)))
    gap_designs = []
    for d, a in zip(designs, assessments, strict=True):
        high_met = sum(1 for f in a.findings if f.status == Status.met and f.severity == Severity.high)
        gap_designs.append(GapDesign(id=d.id, name=d.name, kind=d.kind.value, status=d.status.value,
                                     archetype=d.jurisdiction is None, totals=_counts(a.findings),
                                     areas=_area_counts(a, areas), high_met=high_met))
    best, verdict = _verdict(gap_designs)
    checked = {r.principle for r in ws.active_rules()}
    return GapAnalysis(meta=_meta(ws, date), jurisdiction=_jurisdiction_view(profile), designs=gap_designs,
                       areas=areas, area_titles=[_(AREA_TITLES[a]) for a in areas], principles=rows, rules=rules,
                       unchecked_principles=sum(1 for p in ws.principles if p not in checked),
                       best=best, verdict=verdict, sources=sources.entries())


def _principle_of(assessments: list[Assessment], rule_id: str) -> str:
    for a in assessments:
        for f in a.findings:
            if f.rule_id == rule_id:
                return f.principle_id
    return ""


def _verdict(designs: list[GapDesign]) -> tuple[str | None, str]:
    """The option that meets the most high-severity rules (ties: fewest high gaps, then fewest
    unknown, then the order given on the command line)."""
    if not designs:
        return None, _("No design was compared.")
    ranked = sorted(range(len(designs)), key=lambda i: (-designs[i].high_met, designs[i].totals.high_gaps,
                                                        designs[i].totals.unknown, i))
    top = designs[ranked[0]]
    if len(designs) == 1:
        return top.id, _("Only one option was assessed: %(name)s (high-severity rules met: %(met)s; high-severity "
                         "gaps left open: %(gaps)s).", name=top.name, met=top.high_met, gaps=top.totals.high_gaps)
    best = (top.high_met, top.totals.high_gaps)
    tied = [designs[i] for i in ranked if (designs[i].high_met, designs[i].totals.high_gaps) == best]
    if len(tied) > 1:
        names = fmt.items(d.name for d in tied)
        return top.id, _("No option stands out on high-severity gaps: %(names)s each meet %(met)s high-severity "
                         "rules and leave %(gaps)s open; %(first)s is listed first because it has the fewest unknowns.",
                         names=names, met=top.high_met, gaps=top.totals.high_gaps, first=top.name)
    return top.id, _("%(name)s closes the most high-severity gaps (high-severity rules met: %(met)s; high-severity "
                     "gaps left open: %(gaps)s).", name=top.name, met=top.high_met, gaps=top.totals.high_gaps)


def designs_for(ws: Workspace, jurisdiction_id: str) -> list[str]:
    """The jurisdiction's own designs, or the default archetype when it has none."""
    return sorted(ws.designs.get(jurisdiction_id, {})) or [DEFAULT_ARCHETYPE]


#: Facts shown on a handout, when the profile has them: the few that frame the findings.
KEY_FACTS = (
    "jurisdiction.cbdc_status", "jurisdiction.exchange_rate_per_usd", "jurisdiction.legal.cbdc_legal_tender",
    "jurisdiction.legal.data_protection_law",
    "jurisdiction.aml.increased_monitoring", "jurisdiction.identity.id_coverage_pct",
    "jurisdiction.inclusion.account_ownership_pct", "jurisdiction.inclusion.mobile_phone_ownership_pct",
    "jurisdiction.inclusion.internet_use_pct", "jurisdiction.inclusion.remittance_cost_pct",
    "jurisdiction.payments.instant_payment_system",
)
MAX_HANDOUT_GAPS = 5
MAX_HANDOUT_MISSING = 5


def build_handout_page(ws: Workspace, jurisdiction_id: str, sources: _Sources, rules_base: str,
                       areas: list[str]) -> tuple[HandoutPage, list[tuple[Design, Assessment]]]:
    profile = api.find_profile(ws, jurisdiction_id)
    pairs = []
    hds = []
    key_facts: list[FactRow] = []
    for did in designs_for(ws, profile.id):
        _profile, design, table = api.fact_table(ws, profile.id, did)
        a = api.assess(profile.id, design.id, ws)
        pairs.append((design, a))
        if not key_facts:
            rows = {r.path: r for r in _fact_rows(table, "jurisdiction", profile, sources)}
            key_facts = [rows[p] for p in KEY_FACTS if p in rows]
        gaps = sorted(a.by_status(Status.gap), key=_by_severity)
        missing = _missing(a.findings, design)
        hds.append(HandoutDesign(
            id=design.id, name=design.name, status=design.status.value, archetype=design.jurisdiction is None,
            summary=design.summary, totals=_counts(a.findings), areas=_area_counts(a, areas),
            gaps=[_finding_view(ws, f, sources, rules_base, design) for f in gaps[:MAX_HANDOUT_GAPS]],
            more_gaps=max(0, len(gaps) - MAX_HANDOUT_GAPS),
            missing=missing[:MAX_HANDOUT_MISSING], more_missing=max(0, len(missing) - MAX_HANDOUT_MISSING)))
    real = [d for d, _a in pairs if not is_hypothetical(profile, d)]
    return HandoutPage(jurisdiction=_jurisdiction_view(profile, bool(real), bool(real) and all(map(is_private, real))),
                       key_facts=key_facts, designs=hds), pairs


def build_handout(ws: Workspace, jurisdiction_id: str, *, date: str | None = None, lang: str = "en",
                  rules_base: str = "") -> Handout:
    sources = _Sources(ws, jurisdiction_id)
    page, _pairs = build_handout_page(ws, jurisdiction_id, sources, rules_base, _areas_of(ws))
    return Handout(meta=_meta(ws, date, lang), page=page, sources=sources.entries())


def region_members(ws: Workspace, region: str) -> list[str]:
    return sorted(j for j, p in ws.profiles.items() if p.region.value == region)


def _heat_cell(a: Assessment, area: str) -> HeatCell:
    fs = [f for f in a.findings if f.area.value == area]
    c = _counts(fs)
    return HeatCell(area=area, status=_worst([f.status.value for f in fs]), gaps=c.gap, high_gaps=c.high_gaps,
                    met=c.met, unknown=c.unknown, coverage=c.coverage)


def _heat_areas(ws: Workspace) -> list[str]:
    """Every area of the catalogue, in order, so that the regional heat-map shows each of them
    (a column no rule checks yet reads "-", not checked); the areas of the rules when the
    catalogue is empty."""
    present = {p.area.value for p in ws.principles.values()}
    return [a.value for a in Area if a.value in present] or _areas_of(ws)


def build_handout_set(ws: Workspace, region: str, *, date: str | None = None, lang: str = "en",
                      rules_base: str = "", progress: Callable[[str], None] | None = None
                      ) -> tuple[HandoutSet, list[Handout]]:
    """The regional set (summary, heat-map, every page) and one handout per jurisdiction."""
    areas = _areas_of(ws)
    heat_areas = _heat_areas(ws)
    members = region_members(ws, region)
    all_sources = _Sources(ws, None)
    pages: list[HandoutPage] = []
    singles: list[Handout] = []
    heat: list[HeatRow] = []
    assessed = []
    for jid in members:
        own = _Sources(ws, jid)
        page, pairs = build_handout_page(ws, jid, own, rules_base, areas)
        pages.append(page)
        singles.append(Handout(meta=_meta(ws, date, lang), page=page, sources=own.entries()))
        all_sources.ids |= own.ids
        profile = ws.profiles[jid]
        assessed.append((profile, pairs))
        for design, a in pairs:
            heat.append(HeatRow(jurisdiction_id=jid, jurisdiction_name=page.jurisdiction.name, design_id=design.id,
                                design_name=design.name, archetype=design.jurisdiction is None,
                                hypothetical=is_hypothetical(profile, design),
                                cells=[_heat_cell(a, area) for area in heat_areas]))
        if progress:
            progress(jid)
    def source_title(ident: str | None, jid: str) -> str | None:
        cited = _Sources(ws, jid)
        title = cited.title(ident)
        all_sources.ids |= cited.ids
        return title

    pack = build_regional_pack(assessed, label=path_label, source_title=source_title)
    entries = []
    for ident in sorted(all_sources.ids):
        owner = next((j for j in members if any(s.id == ident for s in ws.profiles[j].sources)), None)
        e = ws.source(ident, owner)
        entries.append(SourceEntry(id=ident, title=ident, found=False) if e is None else
                       SourceEntry(id=e.id, title=e.title, publisher=e.publisher, year=e.year, date=e.date, url=e.url))
    doc = HandoutSet(meta=_meta(ws, date, lang), region=region, region_title=_(REGION_TITLES.get(region, region)),
                     areas=heat_areas, area_titles=[_(AREA_TITLES[a]) if a in AREA_TITLES else humanize(a) for a in heat_areas],
                     heatmap=heat, pack=pack, pages=pages, sources=entries)
    return doc, singles


def findings_report_schema() -> dict[str, Any]:
    """The JSON Schema of every JSON document this package writes."""
    schema = document_adapter().json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": FINDINGS_REPORT_SCHEMA,
            "$comment": "generated from policyengine/render/documents.py; do not edit. "
                        "Regenerate: policyengine schema --out schemas",
            "title": "policyengine findings report (toolkit, gap analysis, handout, handout set, brief)", **schema}


def findings_report_schema_text() -> str:
    import json

    return json.dumps(findings_report_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # pragma: no cover - regenerates the committed schema
    import sys
    from pathlib import Path

    from .files import write_text

    write_text(Path(sys.argv[1] if len(sys.argv) > 1 else "schemas/findings-report.schema.json"),
               findings_report_schema_text())
