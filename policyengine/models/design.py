"""Design description: one digital currency design, real or an archetype.

The identity block (id, kind, issuer, status, currency) is plain data; everything a rule may
examine is an optional :class:`Fact`, so each carries its source and date and may be missing.
Amounts are :class:`Money` in the currency as published; a limit may instead be recorded as
``none`` (the source says there is no such limit), which is not the same as leaving it out.
"""

from __future__ import annotations

from enum import Enum

from pydantic import Field, field_validator, model_validator

from ..i18n.deferred import L_
from .common import CurrencyCode, Fact, IsoDate, Limit, StrictModel, check_slug

#: Budgets on untrusted input, not engine limits: no design has come near them (the most
#: tiers seen is 5), and the engine is compiled for the longest tier list in the workspace
#: (tested up to 14 with the shipped rules, see ADR 0002).
MAX_TIERS = 12
MAX_CHANNELS = 40
MAX_LIST_ITEMS = MAX_TIERS


class DesignKind(str, Enum):
    retail_cbdc = "retail_cbdc"
    wholesale_cbdc = "wholesale_cbdc"
    stablecoin = "stablecoin"
    e_money = "e_money"
    tokenised_deposit = "tokenised_deposit"


class Issuer(str, Enum):
    """Who issues the liability: decides whether FATF's virtual-asset rules apply.

    FATF's glossary excludes digital representations of fiat currency from "virtual asset",
    so a central bank issue is fiat; a private stablecoin may be a virtual asset.
    """

    central_bank = "central_bank"
    bank = "bank"
    nonbank = "nonbank"


class DesignStatus(str, Enum):
    research = "research"
    proposal = "proposal"
    pilot = "pilot"
    launched = "launched"
    discontinued = "discontinued"
    archetype = "archetype"


class Architecture(str, Enum):
    direct = "direct"
    intermediated = "intermediated"
    hybrid = "hybrid"
    indirect = "indirect"


class Access(str, Enum):
    account = "account"
    token = "token"
    hybrid = "hybrid"


class Ledger(str, Enum):
    centralised = "centralised"
    dlt = "dlt"


class IdentityRequirement(str, Enum):
    """What a user must prove to open a wallet of a tier, weakest first."""

    none = "none"
    phone_number = "phone_number"
    id_number = "id_number"  # an ID number given, checked against a register
    verified_id = "verified_id"  # identity document verified (remote or in person)
    full_cdd = "full_cdd"  # full customer due diligence, e.g. address proof, bank account


class Offline(str, Enum):
    none = "none"
    limited = "limited"
    full = "full"


class PrivacyModel(str, Enum):
    transparent = "transparent"  # operator sees identities and transactions
    pseudonymous = "pseudonymous"  # ledger holds pseudonyms; identities with intermediaries
    tiered_anonymity = "tiered_anonymity"  # small values anonymous, larger traceable
    payer_anonymity = "payer_anonymity"
    cash_like_offline = "cash_like_offline"


class Remuneration(str, Enum):
    none = "none"
    positive = "positive"
    tiered = "tiered"


class Programmability(str, Enum):
    none = "none"
    programmable_payments = "programmable_payments"
    programmable_money = "programmable_money"


class CrossBorder(str, Enum):
    """How the design carries payments across borders.

    ``compatible``, ``interlinked`` and ``single_mcbdc`` are the BIS multi-CBDC models (BIS Papers 115);
    ``global_ledger`` is a single-currency token that itself moves across borders on one ledger shared
    by users in many jurisdictions (a stablecoin such as USDC or EURC on public blockchains): no link
    between national systems, no currency conversion in the transfer.
    """

    none = "none"
    compatible = "compatible"
    interlinked = "interlinked"
    single_mcbdc = "single_mcbdc"
    global_ledger = "global_ledger"


class Channel(str, Enum):
    smartphone_app = "smartphone_app"
    feature_phone_ussd = "feature_phone_ussd"
    card = "card"
    web = "web"
    agent = "agent"
    wearable = "wearable"


class Messaging(str, Enum):
    iso20022 = "iso20022"
    proprietary = "proprietary"


class Fees(str, Enum):
    none = "none"
    capped = "capped"
    market = "market"


class ReserveBacking(str, Enum):
    full_high_quality = "full_high_quality"
    full_mixed = "full_mixed"
    partial = "partial"
    algorithmic = "algorithmic"


class KycTier(StrictModel):
    """One wallet tier: what identity it needs and what it may hold and move."""

    id: str
    name: str | None = None
    holder: str = Field(default="individual", description="individual or business")
    identity: IdentityRequirement | None = None
    bank_account_required: bool | None = None
    balance_limit: Limit | None = None
    per_transaction_limit: Limit | None = None
    daily_limit: Limit | None = None
    monthly_limit: Limit | None = None

    _check_id = field_validator("id")(lambda cls, v: check_slug(v))


class AmlFeatures(StrictModel):
    transaction_monitoring: Fact[bool] | None = Field(
        default=None, description="Intermediaries or the operator monitor transactions for suspicious activity")
    suspicious_reporting: Fact[bool] | None = Field(
        default=None, description="Intermediaries must report suspicious transactions to the FIU")
    intermediaries_supervised: Fact[bool] | None = Field(
        default=None, description="Wallet providers are licensed and supervised for AML/CFT")
    one_wallet_per_identity: Fact[bool] | None = None
    limits_across_wallets: Fact[bool] | None = Field(
        default=None, description="Holding and transaction caps apply per person across all of their wallets")
    travel_rule: Fact[bool] | None = Field(
        default=None, description="Originator and beneficiary information travels with transfers")
    risk_assessment_done: Fact[bool] | None = Field(
        default=None, description="An ML/TF risk assessment of the design was carried out before launch")
    sanctions_screening: Fact[bool] | None = Field(
        default=None, description="Wallets and transfers are screened against targeted financial sanctions lists")
    record_retention_years: Fact[float] | None = Field(
        default=None, description="How long transaction records are kept, in years")
    remote_onboarding: Fact[bool] | None = Field(
        default=None, description="Wallets can be opened remotely using a digital ID")


class PrivacyFeatures(StrictModel):
    model: Fact[PrivacyModel] | None = None
    pii_on_ledger: Fact[bool] | None = Field(default=None, description="Personal data is written on the ledger")
    ledger_public: Fact[bool] | None = Field(default=None, description="Anyone can read the ledger's transactions")
    central_bank_sees_identities: Fact[bool] | None = None
    impact_assessment_published: Fact[bool] | None = Field(
        default=None, description="A data protection impact assessment was published")
    dpa_opinion_published: Fact[bool] | None = Field(
        default=None, description="The data protection authority's opinion on the design is public")
    data_retention_limited: Fact[bool] | None = Field(
        default=None, description="Retention periods for transaction data are set and limited")


class InteropFeatures(StrictModel):
    messaging_standard: Fact[Messaging] | None = None
    domestic_interoperability: Fact[bool] | None = Field(
        default=None, description="Payments to and from bank accounts and mobile money are possible")
    cross_border: Fact[CrossBorder] | None = None
    open_api: Fact[bool] | None = Field(default=None, description="Published APIs for intermediaries and third parties")
    instant_settlement: Fact[bool] | None = Field(
        default=None, description="Payments settle with finality within seconds")
    binding_rulebook: Fact[bool] | None = Field(
        default=None, description="The conditions for using the CBDC, including when a payment becomes final, are set "
        "in a rulebook or agreement that binds every participant (wholesale and multi-CBDC platforms)")
    fees_disclosed: Fact[bool] | None = Field(
        default=None, description="Total cost, FX rate and expected delivery time are shown before a cross-border payment")
    fx_rate_shown: Fact[bool] | None = Field(
        default=None, description="The exchange rate is shown before a cross-border payment")


class SecurityFeatures(StrictModel):
    independent_security_audit: Fact[bool] | None = Field(
        default=None, description="The system was tested or audited by an independent party")
    business_continuity_plan: Fact[bool] | None = None
    availability_24x7: Fact[bool] | None = None
    strong_authentication: Fact[bool] | None = Field(
        default=None, description="Payments above low values require two-factor authentication")
    breach_notification: Fact[bool] | None = Field(
        default=None, description="Operators must notify authorities and users of data breaches")


class GovernanceFeatures(StrictModel):
    objectives_published: Fact[bool] | None = Field(
        default=None, description="The issuer published the policy objectives the design serves")
    public_consultation: Fact[bool] | None = None
    cash_continuity_commitment: Fact[bool] | None = Field(
        default=None, description="The issuer has committed to keep providing cash")
    evaluation_published: Fact[bool] | None = Field(
        default=None, description="An evaluation of the pilot or launch was published")
    government_payments: Fact[bool] | None = Field(
        default=None, description="Government transfers (G2P) or tax payments can be made with it")
    # Not tax or other payments to the government (government_payments covers both directions).
    g2p_transfers: Fact[bool] | None = Field(
        default=None, description="Government transfers to people (wages, benefits, aid) paid in it")
    literacy_programme: Fact[bool] | None = Field(
        default=None, description="A public awareness or financial literacy programme accompanies it")
    usage_indicators_published: Fact[bool] | None = Field(
        default=None, description="The issuer publishes adoption and usage indicators: wallets opened or active, "
        "number and value of transactions")


class StablecoinFeatures(StrictModel):
    reserve_backing: Fact[ReserveBacking] | None = None
    redemption_at_par: Fact[bool] | None = None
    reserve_disclosure: Fact[bool] | None = Field(default=None, description="Reserves are disclosed and audited regularly")
    issuer_licensed: Fact[bool] | None = None
    recovery_resolution_plan: Fact[bool] | None = None
    governance_accountability: Fact[bool] | None = Field(
        default=None, description="A governance body is identified that is legally responsible for every function "
        "of the arrangement (issuance, reserves, transfers, wallets), including those run by third parties")


class Design(StrictModel):
    """One digital currency design. ``jurisdiction`` is empty for a reusable archetype."""

    id: str
    name: str
    jurisdiction: str | None = Field(default=None, description="Jurisdiction id, or empty for an archetype")
    kind: DesignKind
    issuer: Issuer
    status: DesignStatus
    ended: Fact[IsoDate] | None = Field(
        default=None, description="When a discontinued design stopped running: facts about the jurisdiction dated "
        "after it are not used to judge it (it is judged against the country as it was)")
    currency: CurrencyCode | None = Field(default=None, description="Currency of the limits; the jurisdiction's by default")
    summary: str | None = None
    architecture: Fact[Architecture] | None = None
    access: Fact[Access] | None = None
    ledger: Fact[Ledger] | None = None
    legal_tender: Fact[bool] | None = None
    kyc_tiers: Fact[list[KycTier]] | None = None
    kyc_tiers_complete: Fact[bool] | None = Field(
        default=None, description="False when kyc_tiers records only some of the design's tiers: rules then "
        "never conclude that no tier has a feature (assumed true when kyc_tiers is given and this is not)")
    holding_limit: Fact[Limit] | None = Field(default=None, description="Cap on what one individual may hold")
    offline: Fact[Offline] | None = None
    offline_limit: Fact[Limit] | None = None
    remuneration: Fact[Remuneration] | None = None
    programmability: Fact[Programmability] | None = None
    channels: Fact[list[Channel]] | None = None
    fees_to_individuals: Fact[Fees] | None = None
    no_bank_account_needed: Fact[bool] | None = Field(
        default=None, description="A person without a bank account can open a wallet")
    non_nationals_can_onboard: Fact[bool] | None = Field(
        default=None, description="Residents and visitors who are not nationals can open a wallet")
    accessibility_standard: Fact[bool] | None = Field(
        default=None, description="Wallets meet a published accessibility standard (e.g. WCAG)")
    complaints_redress: Fact[bool] | None = Field(
        default=None, description="A complaints and dispute-resolution process is defined")
    unauthorised_payment_refund: Fact[bool] | None = Field(
        default=None, description="Users are refunded for payments they did not authorise, unless they acted "
        "fraudulently or with gross negligence (a payment services law or the scheme rules say so)")
    convertible_at_par: Fact[bool] | None = Field(
        default=None, description="Holders can convert the currency one for one into cash and bank deposits, "
        "and back, on demand (singleness of money)")
    intermediary_compensation_defined: Fact[bool] | None = Field(
        default=None, description="How intermediaries are paid for distributing the currency is set out: fees they "
        "may charge (and caps on them) or compensation from the issuer")
    nonbank_intermediaries: Fact[bool] | None = Field(
        default=None, description="Licensed non-bank payment providers (e-money and mobile money issuers, payment "
        "institutions) may distribute wallets, not only banks")
    aml: AmlFeatures = Field(default_factory=AmlFeatures)
    privacy: PrivacyFeatures = Field(default_factory=PrivacyFeatures)
    interop: InteropFeatures = Field(default_factory=InteropFeatures)
    stablecoin: StablecoinFeatures = Field(default_factory=StablecoinFeatures)
    security: SecurityFeatures = Field(default_factory=SecurityFeatures)
    governance: GovernanceFeatures = Field(default_factory=GovernanceFeatures)

    _check_id = field_validator("id")(lambda cls, v: check_slug(v))

    @model_validator(mode="after")
    def _ended_only_when_discontinued(self) -> "Design":
        if self.ended is not None and self.status != DesignStatus.discontinued:
            raise ValueError(L_("ended: only a discontinued design has an end date (status is %(status)s)",
                                 status=self.status.value))
        return self

    @field_validator("kyc_tiers")
    @classmethod
    def _tiers_bounded(cls, fact):  # type: ignore[no-untyped-def]
        if fact is not None and len(fact.value) > MAX_TIERS:
            raise ValueError(L_("at most %(count)s wallet tiers (an input budget; no design has more than 5)", count=MAX_TIERS))
        return fact

    @field_validator("channels")
    @classmethod
    def _channels_bounded(cls, fact):  # type: ignore[no-untyped-def]
        if fact is not None and len(fact.value) > MAX_CHANNELS:
            raise ValueError(L_("at most %(count)s channels (an input budget)", count=MAX_CHANNELS))
        return fact
