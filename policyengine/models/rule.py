"""Principles, rules, derivations, parameters: the content policy people edit, as data."""

from __future__ import annotations

import re
from enum import Enum
from typing import Any

from pydantic import Field, field_validator

from ..i18n.deferred import L_
from .common import Citation, EvidenceKind, IsoDate, StrictModel, check_slug, period_end
from .condition import Condition


class Area(str, Enum):
    aml = "aml"
    identity = "identity"
    privacy = "privacy"
    interoperability = "interoperability"
    inclusion = "inclusion"
    security = "security"
    governance = "governance"
    financial_stability = "financial_stability"
    operational_resilience = "operational_resilience"
    consumer_protection = "consumer_protection"
    programmability = "programmability"
    competition = "competition"
    telecommunications = "telecommunications"


class Coverage(str, Enum):
    automated = "automated"
    partial = "partial"
    manual = "manual"


class Severity(str, Enum):
    high = "high"
    medium = "medium"
    low = "low"


SEVERITY_ORDER = {Severity.high: 0, Severity.medium: 1, Severity.low: 2}


class Lifecycle(str, Enum):
    draft = "draft"
    active = "active"
    deprecated = "deprecated"


class Status(str, Enum):
    """Outcome of one rule for one jurisdiction and design."""

    gap = "gap"
    met = "met"
    unknown = "unknown"
    not_applicable = "not_applicable"


RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
PRINCIPLE_ID = re.compile(r"^[A-Z]+-[0-9]+$")


class Principle(StrictModel):
    """A high-level principle of one area, shaped like a compliance control."""

    id: str = Field(description="AREA-N, e.g. AML-3")
    area: Area
    title: str
    statement: str = Field(description="The principle in our own words (paraphrase; never copy FATF or ITU text)")
    citations: list[Citation] = Field(min_length=1)
    coverage: Coverage = Coverage.manual
    coverage_note: str | None = Field(default=None, description="What no rule checks yet")

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not PRINCIPLE_ID.match(value):
            raise ValueError(L_("a principle id is AREA-N, e.g. AML-3"))
        return value


class Example(StrictModel):
    """A rule's own test: a partial jurisdiction and design, and the expected outcome.

    ``facts`` maps paths to plain values (no sources needed); money is in USD.
    """

    name: str
    description: str | None = None
    facts: dict[str, Any] = Field(default_factory=dict)
    expect: Status
    missing: list[str] = Field(default_factory=list, description="For 'unknown': the facts reported missing")

    _check_name = field_validator("name")(lambda cls, v: check_slug(v))


class Rule(StrictModel):
    """One checkable requirement that serves a principle."""

    id: str = Field(description="AREA-TOPIC, upper case, e.g. AML-OFFLINE-LIMIT")
    title: str
    principle: str = Field(description="Id of the principle it serves")
    also_serves: list[str] = Field(default_factory=list)
    status: Lifecycle = Lifecycle.active
    severity: Severity
    applies_if: Condition | None = Field(default=None, description="Scope; empty means always")
    requires: Condition
    finding: str = Field(description="What a gap means, in one or two sentences")
    met: str | None = Field(default=None, description="What it means when the requirement is met")
    recommendation: str
    rationale: str
    citations: list[Citation] = Field(min_length=1)
    examples: list[Example] = Field(default_factory=list)
    since: str | None = Field(default=None, description="Ruleset version that introduced the rule")
    aliases: list[str] = Field(default_factory=list, description="Former ids of this rule")
    evidence: dict[str, list[EvidenceKind]] = Field(
        default_factory=dict,
        description="Kinds of source that may establish a fact this rule reads, by path, e.g. "
                    "{jurisdiction.legal.cbdc_legal_tender: [law]}; a fact resting on another kind "
                    "cannot make the rule met (docs/adr/0005-evidence-standard.md)")

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not RULE_ID.match(value):
            raise ValueError(L_("a rule id is upper case words joined by '-', e.g. AML-OFFLINE-LIMIT"))
        return value


class DerivationExample(StrictModel):
    name: str
    description: str | None = None
    facts: dict[str, Any] = Field(default_factory=dict)
    expect: bool | None = Field(description="true, false, or null for unknown")
    missing: list[str] = Field(default_factory=list)

    _check_name = field_validator("name")(lambda cls, v: check_slug(v))


class Derivation(StrictModel):
    """Concludes an intermediate fact ``derived.<id>`` (true, false or unknown) that rules may use."""

    id: str = Field(description="lower_snake_case name; rules read it as derived.<id>")
    title: str
    when: Condition
    rationale: str
    citations: list[Citation] = Field(min_length=1)
    examples: list[DerivationExample] = Field(default_factory=list)

    _check_id = field_validator("id")(lambda cls, v: check_slug(v))


class ParameterValue(StrictModel):
    since: IsoDate
    value: float
    citation: Citation


class Parameter(StrictModel):
    """A threshold taken from a standard, with the date each value took effect."""

    id: str
    title: str
    unit: str = Field(description="usd, percent, hours or count")
    values: list[ParameterValue] = Field(min_length=1)
    timeless: bool = Field(
        default=False, description="The value does not depend on a date (a judgement of this ruleset, a unit of "
                                   "measurement): a design that ended before its first 'since' is judged with it "
                                   "without a warning")

    _check_id = field_validator("id")(lambda cls, v: check_slug(v))

    def value_at(self, date: str | None) -> ParameterValue:
        """The value in force on ``date`` (a year or a month: at its end), the latest without one.
        Before the first value took effect, the first value (validate warns where a shipped
        design ended before it: :func:`~policyengine.validate.check_parameter_dates`)."""
        ordered = sorted(self.values, key=lambda v: v.since)
        if date is None:
            return ordered[-1]
        end = period_end(date)
        eligible = [v for v in ordered if v.since <= end]
        return eligible[-1] if eligible else ordered[0]


class RulesetInfo(StrictModel):
    name: str
    version: str
    title: str
    description: str | None = None
