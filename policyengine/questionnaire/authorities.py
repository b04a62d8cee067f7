"""Who holds the answer to each fact: ONE table, from the sections of the path catalogue.

A country team sends each authority only its own questions, so every fact path of the
catalogue (:mod:`policyengine.paths`) maps to exactly one authority. The table is keyed by
path prefix (a section of the catalogue such as ``design.aml``) with a few exact paths that
belong elsewhere than their section; the longest prefix wins. ``test_questionnaire_build``
checks that every catalogue path lands somewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import N_
from ..paths import base_catalogue


@dataclass(frozen=True)
class Authority:
    id: str
    title: str
    holds: str  # what this authority is asked about, for the group's introduction
    sheet: str  # the workbook sheet name (Excel allows 31 characters)


AUTHORITIES: dict[str, Authority] = {a.id: a for a in (
    Authority("cb-legal", N_("Central bank, legal department"),
              N_("the legal basis and legal tender status of the currency, and the financial regulation in force"), "CB legal"),
    Authority("cb-payments", N_("Central bank, payments department"),
              N_("the design of the digital currency, its operation and security, and the payment systems"), "CB payments"),
    Authority("fiu", N_("Financial intelligence unit (AML/CFT)"),
              N_("AML/CFT obligations, their supervision and the country's FATF standing"), "FIU"),
    Authority("dpa", N_("Data protection authority"),
              N_("the data protection law and how personal data is handled"), "Data protection"),
    Authority("telecom", N_("Telecom regulator"),
              N_("mobile phone and internet use, USSD access and SIM registration"), "Telecom"),
    Authority("mof", N_("Ministry of finance"),
              N_("government payments, remittances and public programmes"), "Finance ministry"),
    Authority("stats-id", N_("Statistics office and identity agency"),
              N_("identity coverage and the survey figures on access to financial services"), "Statistics and ID"),
)}

#: path prefix -> authority id. Sections first, then the exact paths that belong elsewhere.
AUTHORITY_OF_PREFIX: dict[str, str] = {
    "jurisdiction": "cb-legal",
    "jurisdiction.legal": "cb-legal",
    "jurisdiction.legal.data_protection_law": "dpa",
    "jurisdiction.legal.data_protection_law_name": "dpa",
    "jurisdiction.legal.data_protection_authority": "dpa",
    "jurisdiction.legal.accessibility_law": "cb-legal",
    "jurisdiction.exchange_rate_per_usd": "cb-payments",
    "jurisdiction.cbdc_status": "cb-payments",
    "jurisdiction.aml": "fiu",
    "jurisdiction.identity": "stats-id",
    "jurisdiction.inclusion": "stats-id",
    "jurisdiction.inclusion.mobile_phone_ownership_pct": "telecom",
    "jurisdiction.inclusion.internet_use_pct": "telecom",
    "jurisdiction.inclusion.electricity_access_pct": "stats-id",
    "jurisdiction.inclusion.remittance_cost_pct": "mof",
    "jurisdiction.inclusion.remittance_inflows_gdp_pct": "mof",
    "jurisdiction.payments": "cb-payments",
    "jurisdiction.telecom": "telecom",
    "design": "cb-payments",
    "design.legal_tender": "cb-legal",
    "design.aml": "fiu",
    "design.privacy": "dpa",
    "design.security.breach_notification": "dpa",
    "design.security": "cb-payments",
    "design.governance": "cb-payments",
    "design.governance.government_payments": "mof",
    "design.governance.g2p_transfers": "mof",
    "design.governance.literacy_programme": "mof",
    "design.stablecoin": "cb-legal",
    "design.interop": "cb-payments",
}


def authority_of(path: str) -> Authority:
    """The authority that holds the answer for a fact path (tier items follow their list)."""
    parts = path.split(".")
    for n in range(len(parts), 0, -1):
        prefix = ".".join(parts[:n])
        if prefix in AUTHORITY_OF_PREFIX:
            return AUTHORITIES[AUTHORITY_OF_PREFIX[prefix]]
    raise KeyError(f"no authority for {path}")


def unmapped_paths() -> list[str]:
    """Catalogue paths with no authority (should be none)."""
    out = []
    for path in base_catalogue():
        try:
            authority_of(path)
        except KeyError:
            out.append(path)
    return out
