"""Jurisdiction profile: what a country (or currency union) has today, fact by fact.

Every field below the identity block is an optional :class:`Fact`. A field left out is not
false: it is *unknown*, and any rule that needs it reports ``unknown`` and names it.
"""

from __future__ import annotations

from enum import Enum

from pydantic import Field, field_validator

from ..i18n.deferred import L_
from .common import BibliographyEntry, CurrencyCode, Fact, Percent, StrictModel, check_rate


class Region(str, Enum):
    """The six ITU regions."""

    africa = "africa"
    americas = "americas"
    arab_states = "arab_states"
    asia_pacific = "asia_pacific"
    cis = "cis"
    europe = "europe"


class JurisdictionKind(str, Enum):
    country = "country"
    currency_union = "currency_union"


class FatfRating(str, Enum):
    """FATF technical compliance rating of one Recommendation."""

    C = "C"
    LC = "LC"
    PC = "PC"
    NC = "NC"
    NA = "NA"


class FatfEffectiveness(str, Enum):
    """FATF effectiveness rating of one Immediate Outcome."""

    HE = "HE"
    SE = "SE"
    ME = "ME"
    LE = "LE"


class VaspRegime(str, Enum):
    """How the law treats virtual asset service providers."""

    licensed = "licensed"  # licensing or registration regime in force
    prohibited = "prohibited"
    in_preparation = "in_preparation"
    none = "none"  # neither regulated nor prohibited


class LegalFacts(StrictModel):
    """Legal and regulatory framework."""

    cbdc_legal_basis: Fact[bool] | None = Field(
        default=None, description="The central bank law expressly allows it to issue a digital currency")
    cbdc_legal_tender: Fact[bool] | None = Field(
        default=None, description="A digital form of the currency is legal tender")
    data_protection_law: Fact[bool] | None = Field(
        default=None, description="A comprehensive personal data protection law is in force")
    data_protection_law_name: Fact[str] | None = None
    data_protection_authority: Fact[bool] | None = Field(
        default=None, description="An independent data protection authority exists")
    e_money_regulation: Fact[bool] | None = Field(
        default=None, description="Issuers of e-money or mobile money are licensed and supervised")
    vasp_regime: Fact[VaspRegime] | None = None
    stablecoin_regime: Fact[bool] | None = Field(
        default=None, description="A specific regime for stablecoin issuers is in force")
    accessibility_law: Fact[bool] | None = Field(
        default=None, description="Payment services must meet accessibility requirements by law")


class AmlFacts(StrictModel):
    """AML/CFT standing, from FATF and FSRB assessments."""

    fatf_member: Fact[bool] | None = Field(default=None, description="Member of the FATF itself")
    fsrb: Fact[str] | None = Field(default=None, description="FATF-style regional body, e.g. GIABA, CFATF, APG")
    mutual_evaluation_year: Fact[int] | None = None
    increased_monitoring: Fact[bool] | None = Field(
        default=None, description="On the FATF list of jurisdictions under increased monitoring (grey list)")
    call_for_action: Fact[bool] | None = Field(
        default=None, description="On the FATF list of high-risk jurisdictions subject to a call for action")
    r1_rating: Fact[FatfRating] | None = Field(default=None, description="R.1 risk-based approach")
    r10_rating: Fact[FatfRating] | None = Field(default=None, description="R.10 customer due diligence")
    r15_rating: Fact[FatfRating] | None = Field(default=None, description="R.15 new technologies")
    r16_rating: Fact[FatfRating] | None = Field(default=None, description="R.16 wire transfers")
    io4_rating: Fact[FatfEffectiveness] | None = Field(default=None, description="IO.4 preventive measures")
    simplified_due_diligence: Fact[bool] | None = Field(
        default=None, description="Law or regulation allows tiered or simplified CDD for low-risk products")
    travel_rule_in_force: Fact[bool] | None = Field(
        default=None, description="Travel rule obligations for virtual asset transfers are in force")


class IdentityFacts(StrictModel):
    """Foundational identity."""

    national_id_system: Fact[str] | None = Field(default=None, description="Name of the foundational ID")
    id_coverage_pct: Fact[Percent] | None = Field(
        default=None, description="Share of adults (15+) holding the foundational ID")
    digital_authentication: Fact[bool] | None = Field(
        default=None, description="The ID system offers remote (digital) authentication to financial institutions")
    birth_registration_pct: Fact[Percent] | None = None
    open_standards: Fact[bool] | None = Field(
        default=None, description="The foundational ID system and its authentication services are built on open "
        "standards and interfaces, without dependence on one vendor")


class InclusionFacts(StrictModel):
    """Access and usage, mostly from the World Bank Global Findex and ITU indicators."""

    account_ownership_pct: Fact[Percent] | None = Field(
        default=None, description="Adults (15+) with an account at a financial institution or mobile money provider")
    account_ownership_women_pct: Fact[Percent] | None = None
    mobile_money_account_pct: Fact[Percent] | None = None
    digital_payments_pct: Fact[Percent] | None = Field(
        default=None, description="Adults who made or received a digital payment in the past year")
    mobile_phone_ownership_pct: Fact[Percent] | None = None
    internet_use_pct: Fact[Percent] | None = Field(default=None, description="Individuals using the Internet")
    electricity_access_pct: Fact[Percent] | None = None
    remittance_cost_pct: Fact[Percent] | None = Field(
        default=None, description="Average cost of sending USD 200 to the jurisdiction, percent")
    remittance_inflows_gdp_pct: Fact[Percent] | None = None


class PaymentsFacts(StrictModel):
    """Payment rails already in place."""

    instant_payment_system: Fact[bool] | None = None
    instant_payment_system_name: Fact[str] | None = None
    iso20022_rtgs: Fact[bool] | None = Field(default=None, description="The RTGS system uses ISO 20022 messages")
    iso20022_instant: Fact[bool] | None = Field(
        default=None, description="The instant payment system uses ISO 20022 messages")
    mobile_money_interoperable: Fact[bool] | None = None
    cross_border_fast_payment_link: Fact[bool] | None = Field(
        default=None, description="The domestic fast payment system is linked to another country's")


class TelecomFacts(StrictModel):
    """Telecommunications levers: the mobile channel a digital currency depends on."""

    ussd_access_regulated: Fact[bool] | None = Field(
        default=None, description="The telecom or payment regulator guarantees payment providers access to USSD "
        "and sets or caps what a session costs")
    sim_registration_mandatory: Fact[bool] | None = Field(
        default=None, description="Mobile SIM cards must be registered to a named, identified person")


class CbdcStatus(str, Enum):
    """Where the jurisdiction stands on a retail CBDC, as its authorities have said."""

    launched = "launched"
    pilot = "pilot"
    research = "research"
    decided_not_to_issue = "decided_not_to_issue"  # e.g. an authority said it is not a priority / will not issue
    discontinued = "discontinued"  # issued or piloted, then stopped
    prohibited = "prohibited"  # barred by law or executive order


class JurisdictionProfile(StrictModel):
    """Facts about one jurisdiction. ``id`` is the ISO 3166 alpha-2 code or a union code."""

    id: str = Field(description="ISO 3166-1 alpha-2 code (NG) or a union code (ECCU, EA)")
    name: str
    kind: JurisdictionKind = JurisdictionKind.country
    region: Region
    currency: CurrencyCode
    members: list[str] = Field(default_factory=list, description="Member states of a currency union")
    central_bank: str | None = None
    exchange_rate_per_usd: Fact[float] | None = Field(
        default=None, description="Units of the local currency per US dollar, used to convert design limits")
    cbdc_status: Fact[CbdcStatus] | None = Field(
        default=None, description="Where the jurisdiction stands on a retail CBDC, with its source")
    legal: LegalFacts = Field(default_factory=LegalFacts)
    aml: AmlFacts = Field(default_factory=AmlFacts)
    identity: IdentityFacts = Field(default_factory=IdentityFacts)
    inclusion: InclusionFacts = Field(default_factory=InclusionFacts)
    payments: PaymentsFacts = Field(default_factory=PaymentsFacts)
    telecom: TelecomFacts = Field(default_factory=TelecomFacts)
    sources: list[BibliographyEntry] = Field(
        default_factory=list, description="Documents cited by this profile and its designs only")

    @field_validator("exchange_rate_per_usd")
    @classmethod
    def _rate_is_usable(cls, value: Fact[float] | None) -> Fact[float] | None:
        if value is not None:
            for rate in [value.value] + [c.value for c in value.conflicts]:
                check_rate(rate)
        return value

    @field_validator("id")
    @classmethod
    def _id_is_safe(cls, value: str) -> str:
        # Used as a folder and file name: refuse anything that could leave the output folder.
        if not value.isascii() or not value.replace("_", "").isalnum() or not value.isupper():
            raise ValueError(L_("use upper-case letters and digits only, e.g. NG or ECCU"))
        return value
