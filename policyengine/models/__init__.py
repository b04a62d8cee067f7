"""Pydantic models at every boundary of policyengine: inputs (principles, rules, derivations,
parameters, jurisdiction profiles, designs) and outputs (findings, assessments)."""

from .common import BibliographyEntry, Citation, Fact, Money, SourceRef
from .condition import AllOf, AnyOf, Compare, Condition, ForAll, ForAny, NotOf, Op
from .design import Design, KycTier
from .finding import AreaSummary, Assessment, Evidence, Finding, ScoreSummary
from .jurisdiction import JurisdictionProfile, Region
from .rule import (
    Area,
    Derivation,
    DerivationExample,
    Example,
    Lifecycle,
    Parameter,
    Principle,
    Rule,
    RulesetInfo,
    Severity,
    Status,
)

__all__ = [
    "AllOf", "AnyOf", "Area", "AreaSummary", "Assessment", "ScoreSummary", "BibliographyEntry", "Citation",
    "Compare", "Condition", "Derivation", "DerivationExample", "Design", "Evidence", "Example",
    "Fact", "Finding", "ForAll", "ForAny", "JurisdictionProfile", "KycTier", "Lifecycle", "Money",
    "NotOf", "Op", "Parameter", "Principle", "Region", "Rule", "RulesetInfo", "Severity",
    "SourceRef", "Status",
]
