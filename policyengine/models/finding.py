"""Outputs of an assessment: findings with their evidence, and summaries."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .common import Citation
from .rule import Area, Severity, Status


class OutputModel(BaseModel):
    model_config = ConfigDict(frozen=True)


class Evidence(OutputModel):
    """One fact a rule read: its path, value and provenance."""

    path: str
    value: Any = None
    display: str = Field(description="The value as a person reads it, e.g. 'NGN 120,000 (USD 78.24)'")
    source: str | None = Field(default=None, description="Bibliography id")
    locator: str | None = None
    as_of: str | None = None
    evidence_kind: str | None = Field(
        default=None, description="law, official, international, academic or press (of the source)")
    state: str | None = Field(default=None, description="pending or decided_against: a decided 'not yet'")
    checked: str | None = Field(default=None, description="When an operational status was last checked")
    flags: list[str] = Field(
        default_factory=list,
        description="What a reader must know before relying on it: 'press report', 'pending: ...', "
                    "'stale: ...', 'below the evidence standard: ...'")


class Finding(OutputModel):
    rule_id: str
    rule_title: str
    principle_id: str
    area: Area
    severity: Severity
    status: Status
    text: str = Field(description="The finding text for a gap, the met text otherwise")
    recommendation: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list, description="Facts whose absence left the rule unknown")
    derived_used: list[str] = Field(default_factory=list)
    pending: list[str] = Field(
        default_factory=list, description="Facts read that record a decided 'not yet' (pending or decided against)")
    below_standard: list[str] = Field(
        default_factory=list, description="Facts whose source is not of a kind the rule accepts; they cannot make it met")
    citations: list[Citation] = Field(default_factory=list)


class AreaSummary(OutputModel):
    area: Area
    gap: int = 0
    met: int = 0
    unknown: int = 0
    not_applicable: int = 0
    high_gaps: int = 0
    pending: int = Field(default=0, description="Decided findings resting on a pending or decided-against fact")
    score: float | None = Field(default=None, description="met / (met + gap), when any was decided")


class Assessment(OutputModel):
    jurisdiction_id: str
    jurisdiction_name: str
    design_id: str
    design_name: str
    ruleset_name: str
    ruleset_version: str
    findings: list[Finding]
    derived: dict[str, bool | None] = Field(default_factory=dict)
    summary: list[AreaSummary] = Field(default_factory=list)

    def by_status(self, status: Status) -> list[Finding]:
        return [f for f in self.findings if f.status == status]
