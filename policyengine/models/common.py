"""Building blocks shared by every input model: facts with provenance, money, citations.

A *fact* is a value that carries where it comes from (``source``) and when it was true
(``as_of``). Every leaf of a jurisdiction profile or a design description is a fact, so any
finding can show the evidence it stands on. Sources disagree in the real world; a fact keeps
the alternatives in ``conflicts`` instead of silently picking one.
"""

from __future__ import annotations

import calendar
import datetime
import math
import re
from enum import Enum
from typing import Annotated, Generic, Literal, Protocol, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from typing_extensions import TypeAliasType

from ..i18n.deferred import L_

T = TypeVar("T")

#: Dates are kept as ISO strings (YYYY, YYYY-MM or YYYY-MM-DD): sources often give only a
#: year or a month, and YAML must not turn them into ``datetime`` objects.
ISO_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
#: Largest amount of money a design may state, in any currency (above the largest M2 on record).
MAX_AMOUNT = 1e15
#: Smallest and largest exchange rates, in units of a currency per US dollar (the dearest
#: currency, the Kuwaiti dinar, is about 0.3 per USD).
MIN_RATE, MAX_RATE = 1e-4, 1e9


_ISO_DATE = re.compile(ISO_DATE)


def real_date(value: str) -> str:
    """``value`` if it is a real YYYY, YYYY-MM or YYYY-MM-DD date (no 2026-02-30, no month 13)."""
    if not _ISO_DATE.fullmatch(value):
        raise ValueError(L_("use YYYY, YYYY-MM or YYYY-MM-DD"))
    parts = [int(p) for p in value.split("-")]
    try:
        datetime.date(parts[0] or 1, *(parts[1:] + [1, 1])[:2])
    except ValueError:
        raise ValueError(L_("%(date)s is not a date of the calendar", date=value)) from None
    return value


def period_end(value: str) -> str:
    """The last day of the period a YYYY, YYYY-MM or YYYY-MM-DD date names: ``2018`` ->
    ``2018-12-31``, ``2024-02`` -> ``2024-02-29``; a full date is its own end."""
    parts = value.split("-")
    if len(parts) == 3:
        return value
    month = int(parts[1]) if len(parts) == 2 else 12
    # calendar's year range is 1-9999; year 0 (which real_date lets through) has 365 days too
    last = calendar.monthrange(max(int(parts[0]), 1), month)[1]
    return f"{parts[0]}-{month:02d}-{last:02d}"


def dated_after(as_of: str, ended: str) -> bool:
    """Whether a date (YYYY, YYYY-MM or YYYY-MM-DD) falls wholly after the period ``ended`` closes:
    ``2018-06`` is not after ``2018`` (it may be within it), ``2019`` is."""
    first = [int(p) for p in as_of.split("-")]
    last = [int(p) for p in ended.split("-")]
    start = (first + [1, 1])[:3]
    end = last + [12, 31][len(last) - 1:] if len(last) < 3 else last
    return tuple(start) > tuple(end[:3])


IsoDate = Annotated[str, Field(pattern=ISO_DATE, description="YYYY, YYYY-MM or YYYY-MM-DD"), AfterValidator(real_date)]
Percent = Annotated[float, Field(ge=0, le=100, description="A percentage, 0 to 100")]
CurrencyCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code")]


class EvidenceKind(str, Enum):
    """What kind of document a bibliography entry is, for the evidence standard: a legal status
    must rest on a law, an evaluation on the issuer or an independent evaluator, and press or
    secondary reports may support a fact only where nothing better exists."""

    law = "law"  # a law, regulation or other legal instrument in force or as enacted
    official = "official"  # a publication of the issuer, a central bank, a ministry or a regulator
    international = "international"  # an international body or standard setter (FATF, IMF, World Bank, BIS, ITU)
    academic = "academic"  # peer-reviewed or working-paper research
    press = "press"  # press, blogs, law-firm notes and other secondary reports


class FactState(str, Enum):
    """A decided "not yet" is not an unknown: the value records today's position (usually
    ``false``), the state says that a decision is pending or was taken against."""

    pending = "pending"  # e.g. legislation before parliament, a consultation not yet concluded
    decided_against = "decided_against"  # e.g. the authority has said it will not issue


class StrictModel(BaseModel):
    """Base of every input model: unknown keys are errors, never silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)


class SourceRef(StrictModel):
    """Where a fact comes from: a bibliography entry and, optionally, where in it."""

    ref: str = Field(description="Id of an entry in rulesets/bibliography.yaml")
    locator: str | None = Field(default=None, description="Section, table, page or paragraph")


class ConflictingValue(StrictModel, Generic[T]):
    """Another value reported by another source, kept so reviewers see the disagreement."""

    value: T
    source: str | SourceRef
    as_of: IsoDate | None = None
    note: str | None = None


class _HasSource(Protocol):
    source: "str | SourceRef"


class _Sourced:
    """The bibliography id and locator of a ``source`` written as an id or as {ref, locator}
    (no field of its own: the models keep their fields in their order)."""

    @property
    def source_ref(self: _HasSource) -> str:
        return self.source if isinstance(self.source, str) else self.source.ref

    @property
    def locator(self: _HasSource) -> str | None:
        return None if isinstance(self.source, str) else self.source.locator


class EarlierValue(_Sourced, StrictModel, Generic[T]):
    """A value the fact had before the current one, with its own source and date: what a design
    that ended then is judged with (the profile keeps today's value for today's assessments)."""

    value: T
    source: str | SourceRef = Field(description="Bibliography id, or {ref, locator}")
    as_of: IsoDate = Field(description="Date the value was true or published (before the fact's own as_of)")
    note: str | None = None


class Fact(_Sourced, StrictModel, Generic[T]):
    """A value with its provenance.

    ``source`` is either a bibliography id (``cbn-enaira-faq``) or a mapping with ``ref`` and
    ``locator``. Free text is refused: a source must resolve to the bibliography so the
    annex of a toolkit can list it in full.
    """

    value: T
    source: str | SourceRef = Field(description="Bibliography id, or {ref, locator}")
    as_of: IsoDate | None = Field(default=None, description="Date the value was true or published")
    note: str | None = None
    conflicts: list[ConflictingValue[T]] = Field(default_factory=list)
    state: FactState | None = Field(
        default=None, description="pending or decided_against: a decided 'not yet', with its source")
    checked: IsoDate | None = Field(
        default=None, description="When an operational status (a channel is live, an app is available) was last checked")
    earlier: list[EarlierValue[T]] = Field(
        default_factory=list, description="Values the fact had before, each with its source and date: a discontinued "
                                          "design is judged with the one current when it ended")

    @field_validator("earlier")
    @classmethod
    def _earlier_before_now(cls, earlier: list[EarlierValue[T]], info: ValidationInfo) -> list[EarlierValue[T]]:
        as_of = info.data.get("as_of")
        if earlier and as_of is None:
            raise ValueError(L_("the fact needs its own as_of to keep earlier values"))
        for e in earlier:
            if as_of is not None and e.as_of[:len(as_of)] >= as_of[:len(e.as_of)]:
                raise ValueError(L_("a value as of %(earlier)s is not before the fact's own as_of (%(as_of)s)",
                                    earlier=e.as_of, as_of=as_of))
        return earlier

    def value_at(self, end: str) -> "Fact[T]":
        """The fact as it stood at the end of the period ``end``: itself when its date is within
        it, else the latest earlier value that is (carrying that value's source, date and note)."""
        if self.as_of is None or not dated_after(self.as_of, end):
            return self
        fitting = [e for e in self.earlier if not dated_after(e.as_of, end)]
        if not fitting:
            return self
        e = max(fitting, key=lambda e: e.as_of)
        return self.model_copy(update={"value": e.value, "source": e.source, "as_of": e.as_of, "note": e.note,
                                       "conflicts": [], "state": None, "checked": None, "earlier": []})


class Money(StrictModel):
    """An amount in a currency, as published. Rules compare amounts in USD; the assessment
    converts with the jurisdiction's dated exchange rate and keeps both in the evidence."""

    amount: Annotated[float, Field(ge=0, le=MAX_AMOUNT)]
    currency: CurrencyCode


#: How a limit is recorded as absent from the design ("there is no such limit"), as a source says.
NO_LIMIT = "none"
#: A limit (a cap on a balance, a payment, a holding): an amount, or ``none`` when a source says
#: there is no such limit. A limit left out is *not recorded* (unknown), never "no limit"
#: (docs/adr/0002-engine.md, "Presence of a fact").
Limit = TypeAliasType("Limit", Annotated[
    Money | Literal["none"],
    Field(description="An amount {amount, currency}, or none: the source states there is no such limit "
                      "(leave the field out when the limit is not known)"),
])


def check_rate(value: float) -> float:
    """An exchange rate: a finite number of units per US dollar, above 0."""
    if not math.isfinite(value) or value <= 0:
        raise ValueError(L_("an exchange rate must be above 0 (found %(found)s): it divides every amount", found=repr(value)))
    if not MIN_RATE <= value <= MAX_RATE:
        raise ValueError(L_("an exchange rate outside %(low)s to %(high)s per USD is not plausible (found %(found)s)",
                            low=format(MIN_RATE, "g"), high=format(MAX_RATE, "g"), found=repr(value)))
    return value


class Citation(StrictModel):
    """A citation of a principle or rule: a bibliography entry and where in it."""

    ref: str = Field(description="Id of an entry in rulesets/bibliography.yaml")
    section: str | None = Field(default=None, description="Section, article, recommendation or page")
    note: str | None = None


_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def check_slug(value: str) -> str:
    if not _SLUG.match(value):
        raise ValueError(L_("use lower-case letters, digits, '-' and '_' only"))
    return value


class BibliographyEntry(StrictModel):
    """One document that rules, principles and facts may cite."""

    id: str
    title: str
    publisher: str
    year: int = Field(ge=1900, le=2100)
    edition: str | None = None
    date: IsoDate | None = None
    url: str | None = None
    kind: str | None = Field(default=None, description="standard, guidance, law, report, dataset, article, web")
    evidence: EvidenceKind = Field(
        description="law, official, international, academic or press: what the entry can prove "
                    "(docs/adr/0005-evidence-standard.md)")
    licence_note: str | None = None

    _check_id = field_validator("id")(lambda cls, v: check_slug(v))
