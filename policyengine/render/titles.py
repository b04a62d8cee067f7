"""The names of areas, statuses and regions, in one light module.

The terminal's ``assess`` table and the documents show the same words; importing them from here
costs nothing, where importing :mod:`policyengine.render.documents` (Jinja, the document models)
cost a one-shot ``assess`` about 0.12 s.
"""

from __future__ import annotations

from ..i18n import N_

AREA_TITLES = {
    "aml": N_("AML/CFT"),
    "identity": N_("Identity"),
    "privacy": N_("Privacy and data protection"),
    "interoperability": N_("Interoperability"),
    "inclusion": N_("Financial inclusion"),
    "security": N_("Security and resilience"),
    "governance": N_("Governance"),
    "financial_stability": N_("Financial stability and monetary impact"),
    "operational_resilience": N_("Operational resilience"),
    "consumer_protection": N_("Consumer protection"),
    "programmability": N_("Programmability and fungibility"),
    "competition": N_("Intermediaries and competition"),
    "telecommunications": N_("Telecommunications"),
}
STATUS_LABELS = {"gap": N_("gap"), "met": N_("met"), "unknown": N_("unknown"), "not_applicable": N_("n/a"),
                 "not_checked": N_("not checked")}
REGION_TITLES = {"africa": N_("Africa"), "americas": N_("Americas"), "arab_states": N_("Arab States"),
                 "asia_pacific": N_("Asia-Pacific"), "cis": N_("CIS"), "europe": N_("Europe")}
