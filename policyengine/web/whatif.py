"""What-if: a design's choices edited, validated as the loader validates a design, re-assessed.

The choices a workshop changes (wallet tiers and their limits, channels, offline use and its
limit, the privacy model, cross-border links, remuneration, the holding limit) are
:class:`Choices`. :func:`apply_choices` turns edited choices into a new :class:`Design`
through the same pydantic model the loader uses, so an edit the loader would refuse is
refused here too, with ``field: message`` lines. A changed fact records where it came from:
source ``what-if``, today's date and a note; an unchanged one keeps its recorded source.
:func:`compare` says which findings changed status and which facts they read changed.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any, Iterable, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .. import i18n
from ..facts import FactTable
from ..i18n import N_, _
from ..models import Assessment, Design
from ..models.common import MAX_AMOUNT, NO_LIMIT, Fact, Money
from ..models.design import (
    MAX_CHANNELS,
    MAX_TIERS,
    Channel,
    CrossBorder,
    IdentityRequirement,
    KycTier,
    Offline,
    PrivacyModel,
    Remuneration,
    check_slug,
)
from ..models.rule import Status
from ..problems import PolicyEngineError
from ..render.documents import label_of, term
from ..render.format import number

#: The source id of every fact a what-if changed (a proposal, not a published document).
WHATIF_SOURCE = "what-if"

#: An amount in the design's currency, ``none`` (no such limit, as the design files write it),
#: or ``None`` (not recorded).
Amount = Annotated[float, Field(ge=0, le=MAX_AMOUNT)] | Literal["none"] | None


class WhatIfInvalid(PolicyEngineError):
    """An edited design the loader would refuse; ``problems`` are ``field: message`` lines."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class TierChoice(BaseModel):
    """One wallet tier as the editor shows it: amounts in the design's currency."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    id: str = Field(max_length=64)
    identity: IdentityRequirement | None = None
    bank_account_required: bool | None = None
    balance_limit: Amount = None
    per_transaction_limit: Amount = None
    daily_limit: Amount = None
    monthly_limit: Amount = None

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        return check_slug(value)


class Choices(BaseModel):
    """The design choices a what-if may change; ``None`` is 'not recorded'."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    kyc_tiers: list[TierChoice] | None = Field(default=None, max_length=MAX_TIERS)
    channels: list[Channel] | None = Field(default=None, max_length=MAX_CHANNELS)
    offline: Offline | None = None
    offline_limit: Amount = None
    privacy_model: PrivacyModel | None = None
    cross_border: CrossBorder | None = None
    remuneration: Remuneration | None = None
    holding_limit: Amount = None


#: Reader-facing names of the choices (and of a tier's fields), for messages and the editor.
LABELS: dict[str, str] = {
    "kyc_tiers": N_("Wallet tiers"),
    "channels": N_("Channels"),
    "offline": N_("Offline payments"),
    "offline_limit": N_("Offline limit"),
    "privacy_model": N_("Privacy model"),
    "cross_border": N_("Cross-border links"),
    "remuneration": N_("Remuneration"),
    "holding_limit": N_("Holding limit"),
    "id": N_("Tier id"),
    "identity": N_("Identity required"),
    "bank_account_required": N_("Bank account required"),
    "balance_limit": N_("Balance limit"),
    "per_transaction_limit": N_("Per-transaction limit"),
    "daily_limit": N_("Daily limit"),
    "monthly_limit": N_("Monthly limit"),
}
TIER_AMOUNTS = ("balance_limit", "per_transaction_limit", "daily_limit", "monthly_limit")
#: Where each choice lives in a design (dotted attribute path).
PATHS = {"kyc_tiers": "kyc_tiers", "channels": "channels", "offline": "offline", "offline_limit": "offline_limit",
         "privacy_model": "privacy.model", "cross_border": "interop.cross_border", "remuneration": "remuneration",
         "holding_limit": "holding_limit"}


def _get(design: Design, dotted: str) -> Fact[Any] | None:
    obj: Any = design
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj  # type: ignore[no-any-return]


def _amount(money: Money | str | None) -> Amount:
    if isinstance(money, Money):
        return money.amount
    return "none" if money == NO_LIMIT else None


def choices_of(design: Design) -> Choices:
    """The recorded design's choices, as the editor starts from."""
    tiers = _get(design, "kyc_tiers")
    values: dict[str, Any] = {}
    for name, dotted in PATHS.items():
        fact = _get(design, dotted)
        if fact is None or name == "kyc_tiers":
            continue
        values[name] = _amount(fact.value) if name.endswith("_limit") else fact.value
    if tiers is not None:
        values["kyc_tiers"] = [TierChoice(id=t.id, identity=t.identity, bank_account_required=t.bank_account_required,
                                          **{a: _amount(getattr(t, a)) for a in TIER_AMOUNTS}) for t in tiers.value]
    return Choices(**values)


#: The message of each kind of refusal, in the page's language (pydantic's ``type`` of error; its
#: ``ctx`` fills the placeholders). The JSON API, a machine interface, keeps pydantic's English.
ERROR_MESSAGES: dict[str, str] = {
    "float_parsing": N_("enter a number, such as 120000 or 0.5"),
    "float_type": N_("enter a number, such as 120000 or 0.5"),
    "finite_number": N_("enter a finite number"),
    "greater_than_equal": N_("must be %(ge)s or more"),
    "greater_than": N_("must be more than %(gt)s"),
    "less_than_equal": N_("must be %(le)s or less"),
    "less_than": N_("must be less than %(lt)s"),
    "enum": N_("choose one of the values offered"),
    "literal_error": N_("choose one of the values offered"),
    "too_long": N_("at most %(max_length)s entries"),
    "string_too_long": N_("at most %(max_length)s characters"),
    "string_too_short": N_("at least %(min_length)s characters"),
    "missing": N_("this field is required"),
    "bool_parsing": N_("choose yes or no"),
    "extra_forbidden": N_("a what-if cannot change this field"),
}
#: Messages of the models' own checks that a what-if form can meet (``value_error``).
VALUE_ERRORS = (N_("use lower-case letters, digits, '-' and '_' only"),)


def _message(err: Any) -> str:
    """An error as the page's reader reads it; pydantic's own English in English (the API's)."""
    if i18n.language() == "en":
        return str(err["msg"])
    if err["type"] == "value_error":
        inner = str(err.get("ctx", {}).get("error", "")) or str(err["msg"])
        return _(inner)
    template = ERROR_MESSAGES.get(err["type"])
    if template is None:
        return str(err["msg"])
    ctx = {k: number(v, i18n.language(), 2) if isinstance(v, (int, float)) and not isinstance(v, bool) else v
           for k, v in (err.get("ctx") or {}).items()}
    return _(template) % ctx if "%(" in template else _(template)


def _problems(exc: ValidationError, prefix: str = "") -> list[str]:
    out = []
    errors = exc.errors()
    for err in errors:
        # an amount-or-none field: one message for the amount branch, naming the other answer
        loc = [str(p) for p in err["loc"] if p not in ("value", "amount") and not str(p).startswith(("constrained-", "literal["))]
        unioned = any(str(p).startswith("literal[") for p in err["loc"])
        if unioned:
            continue
        field = ".".join(([prefix] if prefix else []) + loc) or "design"
        if any(str(p).startswith("constrained-") for p in err["loc"]):  # the amount branch of a limit
            out.append(f"{field}: " + _("%(problem)s (or none: there is no such limit)", problem=_message(err)))
        else:
            out.append(f"{field}: {_message(err)}")
    return out


def parse_choices(data: Any) -> Choices:
    """Choices from a JSON body or a parsed form; raises :class:`WhatIfInvalid`."""
    try:
        return Choices.model_validate(data)
    except ValidationError as exc:
        raise WhatIfInvalid(_problems(exc)) from None


def _fact(value: Any, today: str) -> dict[str, Any]:
    return {"value": value, "source": WHATIF_SOURCE, "as_of": today,
            "note": _("Changed in a what-if (policyengine serve); not a published design choice.")}


def _money(amount: Amount, currency: str) -> dict[str, Any] | str | None:
    if amount is None or amount == NO_LIMIT:
        return amount
    return {"amount": amount, "currency": currency}


def _tiers(choices: list[TierChoice], recorded: list[KycTier], currency: str) -> list[dict[str, Any]]:
    by_id = {t.id: t for t in recorded}
    out = []
    for c in choices:
        base: dict[str, Any] = by_id[c.id].model_dump(mode="json", exclude_none=True) if c.id in by_id else {"id": c.id}
        for name in ("identity", "bank_account_required"):
            value = getattr(c, name)
            base.pop(name, None)
            if value is not None:
                base[name] = value.value if hasattr(value, "value") else value
        for name in TIER_AMOUNTS:
            base.pop(name, None)
            money = _money(getattr(c, name), currency)
            if money is not None:
                base[name] = money
        out.append(base)
    return out


def whatif_name(recorded: str) -> str:
    """The name of a what-if of the design named ``recorded``, in the current language."""
    return _("%(name)s (what-if)") % {"name": recorded}


def apply_choices(design: Design, choices: Choices, currency: str, today: dt.date | None = None) -> Design:
    """The recorded design with the edited choices: changed facts sourced ``what-if``, the id
    ``<id>-whatif``; validated by the :class:`Design` model. Raises :class:`WhatIfInvalid`."""
    date = (today or dt.date.today()).isoformat()
    recorded = choices_of(design)
    data = design.model_dump(mode="json", exclude_none=True)
    ids = [t.id for t in choices.kyc_tiers or []]
    if len(set(ids)) != len(ids):
        raise WhatIfInvalid([f"kyc_tiers: {_('two wallet tiers have the same id')}"])
    for name, dotted in PATHS.items():
        new, old = getattr(choices, name), getattr(recorded, name)
        if new == old:
            continue
        head, _dot, leaf = dotted.rpartition(".")
        where = data.setdefault(head, {}) if head else data
        if new is None:
            where.pop(leaf, None)
            continue
        if name == "kyc_tiers":
            old_tiers = _get(design, "kyc_tiers")
            value: Any = _tiers(new, old_tiers.value if old_tiers else [], currency)
        elif name in ("holding_limit", "offline_limit"):
            value = _money(new, currency)
        elif name == "channels":
            value = [c.value for c in new]
        else:
            value = new.value
        where[leaf] = _fact(value, date)
    if not design.id.endswith("-whatif"):
        data["id"] = f"{design.id}-whatif"
        data["name"] = whatif_name(design.name)
    try:
        return Design.model_validate(data)
    except ValidationError as exc:
        raise WhatIfInvalid(_problems(exc)) from None


class FactChange(BaseModel):
    """One choice changed by the what-if, as a person reads it."""

    field: str
    label: str
    before: str
    after: str


class FindingChange(BaseModel):
    """A finding whose status the what-if changed, and the facts it read that changed."""

    rule_id: str
    rule_title: str
    area: str
    severity: str
    before: Status
    after: Status
    why: list[str] = Field(default_factory=list, description="'fact: before -> after' for each fact read that changed")
    missing: list[str] = Field(default_factory=list, description="Facts still missing after the change (unknown)")


class Comparison(BaseModel):
    """What a what-if changed: its facts, and the findings that moved."""

    changed_facts: list[FactChange]
    changed_findings: list[FindingChange]
    unchanged: int = Field(description="Findings whose status stayed the same")


def _show(value: Any) -> str:
    """A choice's value as the page's reader reads it: numbers in the language's conventions
    (Babel, as the documents write them), enumerated values by their labels. In English (the
    JSON API's language) enumerated values and booleans stay as the design file writes them."""
    english = i18n.language() == "en"
    if value is None:
        return _("not recorded")
    if type(value) is str and value == NO_LIMIT:  # a limit recorded as none (not an enum's none)
        return _("no limit")
    if isinstance(value, bool) and not english:
        return _("yes") if value else _("no")
    if isinstance(value, float):
        return number(value, i18n.language(), 0 if value == math.floor(value) else 2)
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value) or _("none")
    if isinstance(value, BaseModel):
        return ", ".join(f"{k}={_show(v)}" for k, v in value.model_dump(exclude_none=True).items())
    if hasattr(value, "value"):
        return str(value.value) if english else term(str(value.value))
    return str(value)


def fact_changes(before: Choices, after: Choices) -> list[FactChange]:
    out = []
    for name in PATHS:
        old, new = getattr(before, name), getattr(after, name)
        if old == new:
            continue
        if name == "kyc_tiers":
            olds = {t.id: t for t in old or []}
            news = {t.id: t for t in new or []}
            for tid in list(olds) + [t for t in news if t not in olds]:
                o, n = olds.get(tid), news.get(tid)
                if o == n:
                    continue
                fields = [f for f in TierChoice.model_fields if f != "id" and getattr(o, f, None) != getattr(n, f, None)]
                for f in fields or ["id"]:
                    out.append(FactChange(field=f"kyc_tiers.{tid}.{f}",
                                          label=_("Tier %(tier)s: %(field)s") % {"tier": tid, "field": _(LABELS[f])},
                                          before=_show(getattr(o, f, None)) if o else _("no such tier"),
                                          after=_show(getattr(n, f, None)) if n else _("removed")))
            continue
        out.append(FactChange(field=name, label=_(LABELS[name]), before=_show(old), after=_show(new)))
    return out


def compare(recorded: Assessment, whatif: Assessment, before: Choices, after: Choices,
            tables: "tuple[FactTable, FactTable] | None" = None) -> Comparison:
    """The findings whose status differs between the recorded design and the what-if; for
    each, the facts it read (or lacked) whose value the what-if changed, with the conclusions
    of the ruleset that changed with them. ``tables``: the two designs' fact tables."""
    old = {f.rule_id: f for f in recorded.findings}
    shown_before: dict[str, str] = {}
    shown_after: dict[str, str] = {}
    if tables is not None:
        shown_before = {p: fv.display for p, fv in tables[0].facts.items()}
        shown_after = {p: fv.display for p, fv in tables[1].facts.items()}
    for name, value in recorded.derived.items():
        shown_before[f"derived.{name}"] = _show_derived(value)
    for name, value in whatif.derived.items():
        shown_after[f"derived.{name}"] = _show_derived(value)
    moved = {p for p in set(shown_before) | set(shown_after) if shown_before.get(p) != shown_after.get(p)}
    changed = []
    for f in whatif.findings:
        b = old.get(f.rule_id)
        if b is None or b.status == f.status:
            continue
        read = {e.path for e in b.evidence} | {e.path for e in f.evidence} | set(b.missing) | set(f.missing)
        why = [_("%(fact)s: %(before)s \u2192 %(after)s") % {
                   "fact": label_of(path), "before": shown_before.get(path, _("not recorded")),
                   "after": shown_after.get(path, _("not recorded"))}
               for path in sorted(read & moved)]
        changed.append(FindingChange(rule_id=f.rule_id, rule_title=f.rule_title, area=f.area.value,
                                     severity=f.severity.value, before=b.status, after=f.status, why=why,
                                     missing=list(f.missing)))
    return Comparison(changed_facts=fact_changes(before, after), changed_findings=changed,
                      unchanged=len(whatif.findings) - len(changed))


def _show_derived(value: bool | None) -> str:
    return _("unknown") if value is None else (_("yes") if value else _("no"))


def design_yaml(design: Design, jurisdiction_id: str) -> str:
    """The what-if as a design file; a header says which facts are proposals to be sourced."""
    data = design.model_dump(mode="json", exclude_none=True)
    data = {k: v for k, v in data.items() if v != {}}
    header = "\n".join("# " + line for line in _(
        "A what-if of a design, made with policyengine serve. Facts with source 'what-if' are proposals,\n"
        "not published choices: before this file joins a workspace (jurisdictions/%(jid)s/designs/%(id)s.yaml),\n"
        "cite a bibliography entry for each of them; `policyengine validate` lists the ones left."
    ).split("\n")) % {"jid": jurisdiction_id, "id": design.id}
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when present: ten times faster
    body = yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)
    return header + "\n" + body


def changed_paths(items: Iterable[FactChange]) -> list[str]:
    return [c.field for c in items]
