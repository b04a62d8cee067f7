"""Flatten a jurisdiction profile and a design into one table of facts, keyed by path.

This is the only input the evaluators see. Money is converted to USD here, with the
jurisdiction's dated exchange rate, and the evidence keeps the amount as published. A money
fact that cannot be converted (no rate) is kept as *unresolved*, naming the rate it needs, so
the rule reports ``unknown`` and says which fact would resolve it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from pydantic import ValidationError

from . import input_errors
from .evidence import stale_flag
from .i18n import _, ngettext
from .i18n import format as fmt
from .i18n.deferred import L_, Items
from .models.common import NO_LIMIT, Fact, Money
from .models.design import Design, DesignStatus, KycTier
from .models.jurisdiction import JurisdictionProfile
from .models.semantics import UNLIMITED, is_unlimited
from .paths import PathInfo, base_catalogue

RATE_PATH = "jurisdiction.exchange_rate_per_usd"


#: How a fact reads (:attr:`FactValue.form`): its value as a number, share, year, list or text;
#: an amount as published, converted to USD, or waiting for a rate; a count of wallet tiers.
FORMS = ("value", "percent", "year", "money", "converted", "unresolved", "tiers", "assumed", "held")


@dataclass(frozen=True)
class FactValue:
    """One fact as the engine sees it, with what a reader needs to trust it.

    The table holds raw values only (it is cached and shared by documents in every language):
    :attr:`display` formats the value when it is read, in the language text is being produced
    in, from :attr:`form` and :attr:`detail` (the published amount, the rate, the tier names)."""

    path: str
    value: Any  # None only when unresolved
    source: str | None = None
    locator: str | None = None
    as_of: str | None = None
    needs: tuple[str, ...] = ()  # facts that would resolve an unresolved value
    kind: str | None = None  # evidence kind of the source (law, official, international, academic, press)
    state: str | None = None  # pending or decided_against
    checked: str | None = None  # when an operational status was last checked
    note: str | None = None
    stale: str | None = None  # the stale flag of an operational status, when it is stale
    held_back: str | None = None  # why a recorded fact is not used (dated after the design ended)
    form: str = "value"  # one of FORMS
    detail: tuple[Any, ...] = ()  # what the form needs besides the value

    @property
    def resolved(self) -> bool:
        return self.value is not None

    @property
    def display(self) -> str:
        """The value as a reader of the current language reads it."""
        return describe(self.form, self.value, self.detail)


def describe(form: str, value: Any, detail: tuple[Any, ...] = ()) -> str:
    """A fact's display: see :class:`FactValue`."""
    if form == "percent":
        return display_value(value, percent=True)
    if form == "year":
        return display_value(value, year=True)
    if form == "money":
        currency, published = detail
        return fmt.amount(published, currency)
    if form == "converted":
        currency, published, rate, as_of = detail
        # Translators: an amount as published, then converted at the central bank's rate, e.g.
        # "NGN 120,000 (USD 80 at 1,500 NGN/USD, 31 January 2025)".
        return _("%(amount)s (%(usd)s at %(rate)s %(currency)s/USD, %(date)s)",
                 amount=fmt.amount(published, currency), usd=fmt.amount(round(value), "USD"),
                 rate=display_value(rate), currency=currency, date=fmt.date(as_of) if as_of else _("undated"))
    if form == "unresolved":
        currency, published = detail
        return _("%(amount)s (no USD rate)", amount=fmt.amount(published, currency))
    if form == "tiers":
        return ngettext("%(num)s tier: %(names)s", "%(num)s tiers: %(names)s", value,
                        num=fmt.number(value), names=fmt.items(detail))
    if form == "assumed":
        return _("yes (assumed: not stated otherwise)")
    if form == "held":  # a recorded value the rules do not read: shown as recorded
        return describe(*detail)
    return display_value(value)


@dataclass
class FactTable:
    facts: dict[str, FactValue] = field(default_factory=dict)

    def get(self, path: str) -> FactValue | None:
        return self.facts.get(path)

    def value(self, path: str) -> Any:
        fact = self.facts.get(path)
        return None if fact is None else fact.value

    def with_derived(self, derived: dict[str, bool]) -> "FactTable":
        out = FactTable(dict(self.facts))
        for name, value in derived.items():
            out.facts[f"derived.{name}"] = FactValue(f"derived.{name}", value, "derived")
        return out


def plain(value: Any) -> Any:
    """Enum members become their values, so facts are plain data."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def display_value(value: Any, percent: bool = False, year: bool = False) -> str:
    """The value as a reader of the current language reads it (:mod:`policyengine.i18n.format`);
    a year (``year``) is a label and is never grouped (2021). The items of a list are
    enumerated values (keys such as ``smartphone_app``), joined by ``, `` for the documents to
    turn into words (:func:`policyengine.render.documents.display_text`). A limit recorded as
    none reads "no limit"."""
    if is_unlimited(value):
        return _("no limit")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (int, float)):
        if year:
            return fmt.year(value)
        return fmt.percentage(value) if percent else fmt.decimal(value)
    if isinstance(value, list):
        return ", ".join(display_value(v) for v in value) if value else _("(none)")
    return str(value)


def form_of(path: str, info: PathInfo | None) -> str:
    """How a plain fact reads: a share in percent, a year, or a value."""
    if info is not None and info.percent:
        return "percent"
    return "year" if path.endswith("_year") else "value"


def _provenance(fact: Fact[Any] | None, kinds: dict[str, str] | None = None) -> dict[str, Any]:
    """The source, locator, date, evidence kind and state a fact carries, as FactValue keyword arguments."""
    if not fact:
        return {}
    out: dict[str, Any] = dict(source=fact.source_ref, locator=fact.locator, as_of=fact.as_of)
    if kinds is not None:
        out.update(kind=kinds.get(fact.source_ref), state=plain(fact.state), checked=fact.checked, note=fact.note)
    return out


def _money(path: str, money: Money | str, rate: Fact[float] | None, local: str, fact: Fact[Any] | None,
           kinds: dict[str, str] | None = None) -> FactValue:
    src = _provenance(fact, kinds)
    if not isinstance(money, Money):  # recorded as none: the source says there is no such limit
        return FactValue(path, UNLIMITED, **src)
    published = (money.currency, money.amount)
    if money.currency == "USD":
        return FactValue(path, float(money.amount), form="money", detail=published, **src)
    if money.currency == local and rate is not None and rate.value > 0:
        usd = money.amount / rate.value
        return FactValue(path, usd, form="converted", detail=(*published, rate.value, rate.as_of), **src)
    return FactValue(path, None, needs=(RATE_PATH,), form="unresolved", detail=published, **src)


def _resolve(model: Any, dotted: str) -> Any:
    obj = model
    for part in dotted.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def _tier_facts(path: str, tiers: list[KycTier], fact: Fact[Any] | None, rate: Fact[float] | None,
                local: str, kinds: dict[str, str] | None = None) -> dict[str, FactValue]:
    src = _provenance(fact, kinds)
    out = {path: FactValue(path, len(tiers), form="tiers", detail=tuple(t.name or t.id for t in tiers), **src)}
    complete = f"{path}_complete"
    out[complete] = FactValue(complete, True, form="assumed", **src)
    for i, tier in enumerate(tiers):
        for name in KycTier.model_fields:
            value = getattr(tier, name)
            if value is None:
                continue
            p = f"{path}.{i}.{name}"
            if isinstance(value, Money) or (type(value) is str and value == NO_LIMIT):  # not identity: none
                out[p] = _money(p, value, rate, local, fact, kinds)
            else:
                value = plain(value)
                out[p] = FactValue(p, value, **src)
    return out


def build(profile: JurisdictionProfile, design: Design, kinds: dict[str, str] | None = None,
          today: dt.date | None = None) -> FactTable:
    """The fact table of one (jurisdiction, design) pair. ``kinds`` maps source ids to their
    evidence kind (see policyengine.evidence); operational statuses are dated against ``today``."""
    table = FactTable()
    today = today or dt.date.today()
    rate = profile.exchange_rate_per_usd
    local = profile.currency  # the rate converts the jurisdiction's currency, whatever the design says
    ended = design.ended.value if design.ended else None
    for path, info in base_catalogue().items():
        root, _, rest = path.partition(".")
        model = profile if root == "jurisdiction" else design
        raw = _resolve(model, rest)
        if raw is None:
            continue
        fact = raw if isinstance(raw, Fact) else None
        if ended and fact is not None and fact.earlier and root == "jurisdiction" and path not in _CONTEXT:
            fact = fact.value_at(ended)  # a discontinued design meets the country as it was then
        value = fact.value if fact else raw
        value = plain(value) if not isinstance(value, Money) else value
        src = _provenance(fact, kinds)
        # An archetype describes no live system, a discontinued design a system that ran: neither goes stale.
        live = root == "jurisdiction" or (design.jurisdiction and design.status != DesignStatus.discontinued)
        if fact is not None and kinds is not None and live:
            src["stale"] = stale_flag(path, fact.checked, fact.as_of, today)
        if info.kind == "money":
            table.facts[path] = _money(path, value, rate, local, fact, kinds)
        elif info.kind == "items":
            table.facts.update(_tier_facts(path, list(value), fact, rate, local, kinds))  # type: ignore[arg-type]
        elif info.kind == "list":
            items = plain(list(value))
            table.facts[path] = FactValue(path, items, **src)
        else:
            table.facts[path] = FactValue(path, value, form=form_of(path, info), **src)
    if ended:
        for path, fv in list(table.facts.items()):
            if (path.startswith("jurisdiction.") and path not in _CONTEXT and fv.as_of
                    and dated_after(fv.as_of, ended)):
                # A discontinued design is judged against the country as it was: a fact recorded for
                # a later date (a law, a digital ID, a payment system that came after) is shown,
                # flagged, and not used: the rules that read it stay unknown.
                table.facts[path] = replace(fv, value=None, needs=(), form="held", detail=(fv.form, fv.value, fv.detail),
                                            held_back=f"not used: dated after the design ended ({ended})")
    return table


#: Jurisdiction facts that are context, not judged: the country's stance on a CBDC today, and the
#: exchange rate (amounts are converted with the profile's rate whatever its date).
_CONTEXT = frozenset({"jurisdiction.cbdc_status", "jurisdiction.exchange_rate_per_usd"})


def dated_after(as_of: str, ended: str) -> bool:
    """Whether a date (YYYY, YYYY-MM or YYYY-MM-DD) falls wholly after the period ``ended`` closes:
    ``2018-06`` is not after ``2018`` (it may be within it), ``2019`` is."""
    first = [int(p) for p in as_of.split("-")]
    last = [int(p) for p in ended.split("-")]
    start = (first + [1, 1])[:3]
    end = last + [12, 31][len(last) - 1:] if len(last) < 3 else last
    return tuple(start) > tuple(end[:3])


def from_example(facts: dict[str, Any]) -> FactTable:
    """The fact table of a rule example: plain values, money already in USD."""
    table = FactTable()
    catalogue = base_catalogue()
    for path, value in sorted(facts.items(), key=lambda kv: kv[0].endswith("_complete")):
        info: PathInfo | None = catalogue.get(path)
        if info is not None and info.kind == "items":
            tiers = [KycTier.model_validate(_usd_money(t)) for t in value]
            table.facts.update(_tier_facts(path, tiers, None, None, "USD"))
        elif info is not None and info.kind == "money" and value == NO_LIMIT:
            table.facts[path] = FactValue(path, UNLIMITED, "example")
        elif info is not None and info.kind == "money":
            amount = value["amount"] if isinstance(value, dict) else value
            table.facts[path] = FactValue(path, float(amount), "example", form="money", detail=("USD", amount))
        elif path.startswith("derived."):
            continue  # derived facts are concluded, never given
        else:
            table.facts[path] = FactValue(path, value, "example", form=form_of(path, info))
    return table


def example_value_problem(path: str, value: Any) -> str | None:
    """Why ``value`` cannot stand for ``path`` in a rule example, or ``None`` if it can: the
    shapes :func:`from_example` accepts, so ``validate`` refuses what ``test`` would fail on."""
    info = base_catalogue().get(path)
    if info is None:
        return None
    if value is None:
        return L_("%(path)s is null: leave it out of the example to make it missing", path=path)
    kind = info.kind
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    found = repr(value)
    if kind == "bool" and not isinstance(value, bool):
        return L_("%(path)s is true or false (found %(found)s)", path=path, found=found)
    if kind == "number" and not number:
        return L_("%(path)s is a number (found %(found)s)", path=path, found=found)
    if kind == "text" and not isinstance(value, str):
        return L_("%(path)s is text (found %(found)s)", path=path, found=found)
    if kind == "enum" and value not in info.values:
        return L_("%(value)s is not a value of %(path)s (valid: %(valid)s)", value=found, path=path,
                  valid=Items(info.values))
    if kind == "list" and (not isinstance(value, list) or any(v not in info.values for v in value)):
        return L_("%(path)s is a list of %(valid)s (found %(found)s)", path=path, valid=Items(info.values), found=found)
    if kind == "money" and value == NO_LIMIT:
        return None if info.unlimited else L_("%(path)s cannot be recorded as none; give an amount in USD", path=path)
    if kind == "money":
        amount = value.get("amount") if isinstance(value, dict) else value
        if isinstance(value, dict) and (set(value) - {"amount", "currency"} or value.get("currency", "USD") != "USD"):
            return L_("%(path)s in an example is an amount in USD, a number or {amount, currency: USD}, or none "
                      "(found %(found)s)", path=path, found=found)
        if isinstance(amount, bool) or not isinstance(amount, (int, float)) or amount < 0:
            return L_("%(path)s is an amount in USD, a number of at least 0, or none (no limit) (found %(found)s)",
                      path=path, found=found)
    if kind == "items":
        if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
            return L_("%(path)s is a list of mappings, one per item (found %(found)s)", path=path, found=found)
        for i, tier in enumerate(value):
            try:
                KycTier.model_validate(_usd_money(tier))
            except ValidationError as exc:
                err = exc.errors(include_url=False)[0]
                where = ".".join(str(p) for p in err["loc"] if not str(p).startswith(("function", "Money")))
                field = f"{path}.{i}.{where}"
                return L_("%(where)s: %(problem)s", where=field, problem=input_errors.message(err))
    return None


def _usd_money(tier: dict[str, Any]) -> dict[str, Any]:
    out = dict(tier)
    for key in ("balance_limit", "per_transaction_limit", "daily_limit", "monthly_limit"):
        if isinstance(out.get(key), (int, float)):
            out[key] = {"amount": out[key], "currency": "USD"}
    return out
