"""Numbers, years, percentages, amounts and dates as a reader of one language writes them.

Every document formats through this module (registered as Jinja filters by
:func:`policyengine.render.environment.make_environment`), and this module formats through
Babel's CLDR data, never by hand: a year stays ``2021`` (not ``2,021``), a share is ``47%`` in
English and ``47 %`` in French, and an amount carries its currency. The locale is the
document's language (``Meta.lang``), so a translated handout gets its own conventions.
"""

from __future__ import annotations

import datetime
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

DEFAULT_LOCALE = "en"
#: International English as the FATF, IMF and World Bank write it ("31 December 2025").
_LOCALE_OF = {"en": "en_GB"}
#: What a missing value prints as, in every format.
NONE = "-"


def locale_of(lang: str | None) -> Locale:
    """The Babel locale of a language code (``en``, ``fr``, ``pt_BR``); English if unknown."""
    try:
        code = lang or DEFAULT_LOCALE
        return Locale.parse(_LOCALE_OF.get(code, code).replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(_LOCALE_OF[DEFAULT_LOCALE])


def number(value: Any, lang: str | None = None, digits: int = 0) -> str:
    """``12345`` -> ``12,345``; at most ``digits`` decimals."""
    if value is None or isinstance(value, bool):
        return NONE if value is None else str(value)
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=locale_of(lang))


def year(value: Any, lang: str | None = None) -> str:
    """A year is a label, not a quantity: never grouped (``2021``)."""
    if value is None:
        return NONE
    return str(int(value)) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def percent(value: Any, lang: str | None = None) -> str:
    """A share between 0 and 1 as a whole percentage (``0.4706`` -> ``47%``)."""
    if value is None:
        return NONE
    return format_percent(value, locale=locale_of(lang))


def amount(value: Any, currency: str, lang: str | None = None) -> str:
    """An amount with its ISO currency code (``120000, NGN`` -> ``NGN 120,000``); decimals only
    when the amount has them. The code, not a symbol: ``$`` is ambiguous across the region."""
    if value is None:
        return NONE
    pattern = "\u00a4\u00a4\u00a0#,##0" + ("" if float(value).is_integer() else ".00")
    return format_currency(value, currency, format=pattern, locale=locale_of(lang), currency_digits=False)


def date(value: Any, lang: str | None = None) -> str:
    """``2025-12-31`` -> ``31 December 2025`` (``en``: CLDR long format); ``2025-12`` ->
    ``December 2025``; a bare year or anything else is printed as given."""
    if value is None:
        return NONE
    text = str(value)
    loc = locale_of(lang)
    try:
        if len(text) == 10:
            return format_date(datetime.date.fromisoformat(text), format="long", locale=loc)
        if len(text) == 7 and text[4] == "-":
            d = datetime.date(int(text[:4]), int(text[5:7]), 1)
            return format_date(d, format="LLLL y", locale=loc)
    except ValueError:
        return text
    return text


FILTERS = {"num": number, "year": year, "pct": percent, "amount": amount, "date": date}


def filters_for(lang: str | None) -> dict[str, Any]:
    """The filters bound to one language (a template writes ``{{ x|pct }}``)."""

    def bind(func: Any) -> Any:
        if func is amount:
            return lambda v, currency: amount(v, currency, lang)
        return lambda v, *args: func(v, lang, *args)

    return {name: bind(func) for name, func in FILTERS.items()}
