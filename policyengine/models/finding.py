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


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.0%}"


def score_range(met: int, gap: int, unknown: int) -> dict[str, Any]:
    """The score with what it rests on: how many applicable rules were decided, and the range
    the score could take once every unknown is answered (all met .. all gap).

    A score alone overstates: "100% met" of 5 decided rules out of 95 says little. Every
    summary carries these numbers so that no percentage is shown without its coverage.
    """
    decided = met + gap
    applicable = decided + unknown
    return {
        "decided": decided,
        "applicable": applicable,
        "score": round(met / decided, 3) if decided else None,
        "coverage": round(decided / applicable, 3) if applicable else None,
        "score_min": round(met / applicable, 3) if applicable else None,
        "score_max": round((met + unknown) / applicable, 3) if applicable else None,
    }


def score_sentence(met: int, gap: int, unknown: int) -> str:
    """``85% met of the 40% of rules it could decide (34 of 85); could range 40%-92% ...``."""
    r = score_range(met, gap, unknown)
    if not r["applicable"]:
        return "no rule applies"
    if not r["decided"]:
        return (f"no score: none of the {r['applicable']} applicable rules could be decided; "
                f"could range {_pct(r['score_min'])}\u2013{_pct(r['score_max'])} once the unknowns are answered")
    if not unknown:
        return f"{_pct(r['score'])} met; every applicable rule decided ({r['decided']} of {r['applicable']})"
    return (f"{_pct(r['score'])} met of the {_pct(r['coverage'])} of rules it could decide "
            f"({r['decided']} of {r['applicable']}); could range {_pct(r['score_min'])}\u2013{_pct(r['score_max'])} "
            "once the unknowns are answered")


class ScoreSummary(OutputModel):
    """Counts of one set of findings, the score, its data coverage and the range it could take."""

    gap: int = 0
    met: int = 0
    unknown: int = 0
    not_applicable: int = 0
    high_gaps: int = 0
    pending: int = Field(default=0, description="Decided findings resting on a pending or decided-against fact")
    score: float | None = Field(default=None, description="met / (met + gap), when any was decided")
    decided: int = Field(default=0, description="met + gap")
    applicable: int = Field(default=0, description="met + gap + unknown (rules in scope)")
    coverage: float | None = Field(default=None, description="decided / applicable: the data coverage of the score")
    score_min: float | None = Field(default=None, description="met / applicable: the score if every unknown were a gap")
    score_max: float | None = Field(default=None, description="(met + unknown) / applicable: if every unknown were met")
    label: str = Field(default="", description="The score in words, with its coverage and range")


class AreaSummary(OutputModel):
    area: Area
    gap: int = 0
    met: int = 0
    unknown: int = 0
    not_applicable: int = 0
    high_gaps: int = 0
    pending: int = Field(default=0, description="Decided findings resting on a pending or decided-against fact")
    score: float | None = Field(default=None, description="met / (met + gap), when any was decided")
    decided: int = Field(default=0, description="met + gap")
    applicable: int = Field(default=0, description="met + gap + unknown (rules in scope)")
    coverage: float | None = Field(default=None, description="decided / applicable: the data coverage of the score")
    score_min: float | None = Field(default=None, description="met / applicable: the score if every unknown were a gap")
    score_max: float | None = Field(default=None, description="(met + unknown) / applicable: if every unknown were met")
    label: str = Field(default="", description="The score in words, with its coverage and range")


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
    overall: ScoreSummary | None = Field(default=None, description="Every area together")
    judged_at: str | None = Field(
        default=None, description="The date the design is judged at (thresholds in force then): the --date "
                                  "asked for, or the end of a discontinued design; none: today")

    def by_status(self, status: Status) -> list[Finding]:
        return [f for f in self.findings if f.status == status]
