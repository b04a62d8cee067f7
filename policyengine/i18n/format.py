"""Numbers, years, percentages, amounts, dates and lists as a reader of one language writes them.

The one place the package formats a value for a reader: documents (as Jinja filters, registered
by :func:`policyengine.render.environment.make_environment`), fact displays
(:mod:`policyengine.facts`), the questionnaire and the publications all call it, and it formats
through Babel's CLDR data, never by hand: a year stays ``2021`` (not ``2,021``), a share is
``47%`` in English and ``47 %`` in French, an amount carries its currency code, and the items
of a list are separated as the language separates them (``، `` in Arabic, ``、`` in Chinese).

``lang`` is a language code (``en``, ``fr``, ``ar``, ``en-XA``); ``None`` means the language
text is being produced in (:func:`policyengine.i18n.language`), so a value formatted inside
``rendering("fr")`` reads as French. The pseudo-locale ``en-XA`` writes English words with
the grouping and decimal signs of ``en_DE`` (``1.234,5``, ``47 %``), so that a number formatted
by hand (``1,234.5``) stands out in a pseudo-localised document.
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from typing import Any, Callable, Iterable

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal, format_percent
from markupsafe import Markup

DEFAULT_LOCALE = "en"
#: International English as the FATF, IMF and World Bank write it ("31 December 2025"); the
#: pseudo-locale: English words, continental number signs (a hand-formatted number shows).
_LOCALE_OF = {"en": "en_GB", "en-XA": "en_DE"}
#: What a missing value prints as, in every format.
NONE = "-"
#: How items are separated where no conjunction is meant (a set of values, a run of names):
#: CLDR's list patterns have no such style for every language, so the comma and the semicolon
#: of the scripts that have their own are given here.
_COMMA = {"ar": "\u060c ", "zh": "\u3001"}
_SEMICOLON = {"ar": "\u061b ", "zh": "\uff1b"}
_COLON = {"zh": "\uff1a"}
_STOP = {"zh": "\u3002"}
#: The comma between the parts of a phrase (a region, a currency, a bank), not items of a list.
_PART = {"ar": "\u060c ", "zh": "\uff0c"}
#: Brackets around a remark that follows a word: full-width in Chinese, which takes no space before them.
_OPEN = {"zh": "\uff08"}
_CLOSE = {"zh": "\uff09"}
#: The space between sentences: none after a full-width full stop.
_SPACE = {"zh": ""}


def _lang(lang: str | None) -> str:
    if lang is not None:
        return lang
    from . import language

    return language()


@lru_cache(maxsize=32)
def _parse(code: str) -> Locale:
    try:
        return Locale.parse(_LOCALE_OF.get(code, code).replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(_LOCALE_OF[DEFAULT_LOCALE])


def locale_of(lang: str | None = None) -> Locale:
    """The Babel locale of a language code (``en``, ``fr``, ``pt_BR``); English if unknown."""
    return _parse(_lang(lang) or DEFAULT_LOCALE)


def _base(lang: str | None) -> str:
    return _lang(lang).split("-")[0].split("_")[0]


#: Values already formatted, by kind, language and value (its type and spelling too: ``1``,
#: ``1.0`` and ``True`` are equal keys in Python, ``-0.0`` and ``0.0`` as well). Babel looks
#: up its locale data and parses the pattern on every call, and a batch of documents formats
#: the same dates, shares and amounts thousands of times. Bounded (emptied when full).
_FORMATTED: dict[tuple[Any, ...], str] = {}
_MAX_FORMATTED = 8192


def _remembered(kind: str, value: Any, lang: str | None, extra: Any, make: Callable[[str], str]) -> str:
    code = _lang(lang) or DEFAULT_LOCALE
    try:
        key = (kind, code, type(value), value, repr(value), extra)
        found = _FORMATTED.get(key)
    except TypeError:  # not hashable: formatted each time
        return make(code)
    if found is None:
        if len(_FORMATTED) >= _MAX_FORMATTED:
            _FORMATTED.clear()
        found = _FORMATTED[key] = make(code)
    return found


def number(value: Any, lang: str | None = None, digits: int = 0) -> str:
    """``12345`` -> ``12,345`` (``12 345`` in French); at most ``digits`` decimals."""
    if value is None or isinstance(value, bool):
        return NONE if value is None else str(value)
    return _remembered("num", value, lang, digits, lambda code: _number(value, code, digits))


def _number(value: Any, lang: str, digits: int) -> str:
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=locale_of(lang))


def decimal(value: Any, lang: str | None = None) -> str:
    """A measured quantity: whole numbers as :func:`number`, others with two decimals
    (``1234.5`` -> ``1,234.50``)."""
    if isinstance(value, float) and not value.is_integer():
        return format_decimal(value, format="#,##0.00", locale=locale_of(lang))
    return number(int(value) if isinstance(value, float) else value, lang)


def year(value: Any, lang: str | None = None) -> str:
    """A year is a label, not a quantity: never grouped (``2021``)."""
    if value is None:
        return NONE
    return str(int(value)) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def percent(value: Any, lang: str | None = None, digits: int = 0) -> str:
    """A share between 0 and 1 as a percentage (``0.4706`` -> ``47%``, ``47 %`` in French)."""
    if value is None:
        return NONE
    return _remembered("pct", value, lang, digits, lambda code: _percent(value, code, digits))


def _percent(value: Any, lang: str, digits: int) -> str:
    loc = locale_of(lang)
    pattern = loc.percent_formats[None].pattern  # the sign's place and spacing are the locale's
    if digits:
        head, zero, tail = pattern.rpartition("0")
        pattern = head + zero + "." + "#" * digits + tail
    return format_percent(value, format=pattern, locale=loc)


def percentage(value: Any, lang: str | None = None) -> str:
    """A value already in percent (a fact such as ``account_ownership_pct = 45.3``) with the
    language's percent sign and its placement (``45.3%``, ``45,3 %``)."""
    if value is None:
        return NONE
    return percent(value / 100, lang, digits=2)


def amount(value: Any, currency: str, lang: str | None = None) -> str:
    """An amount with its ISO currency code (``120000, NGN`` -> ``NGN 120,000``); decimals only
    when the amount has them. The code, not a symbol: ``$`` is ambiguous across the region."""
    if value is None:
        return NONE
    return _remembered("amount", value, lang, currency, lambda code: _amount(value, currency, code))


def _amount(value: Any, currency: str, lang: str) -> str:
    pattern = "\u00a4\u00a4\u00a0#,##0" + ("" if float(value).is_integer() else ".00")
    return format_currency(value, currency, format=pattern, locale=locale_of(lang), currency_digits=False)


def date(value: Any, lang: str | None = None) -> str:
    """``2025-12-31`` -> ``31 December 2025`` (``en``: CLDR long format); ``2025-12`` ->
    ``December 2025``; a bare year or anything else is printed as given."""
    if value is None:
        return NONE
    if isinstance(value, datetime.date):
        value = value.isoformat()
    text = str(value)
    return _remembered("date", text, lang, None, lambda code: _date(text, code))


def _date(text: str, lang: str) -> str:
    loc = locale_of(lang)
    try:
        if len(text) == 10:
            return format_date(datetime.date.fromisoformat(text), format="long", locale=loc)
        if len(text) == 7 and text[4] == "-":
            d = datetime.date(int(text[:4]), int(text[5:7]), 1)
            return format_skeleton("yMMMM", d, locale=loc)  # the locale's month-year (``diciembre de 2025``)
    except ValueError:
        return text
    return text


def conjunction(items: Iterable[str], lang: str | None = None) -> str:
    """Items joined as a sentence joins them (``a, b and c``; ``a وb وc``; ``a、b和c``)."""
    values = [str(i) for i in items]
    return format_list(values, style="standard", locale=locale_of(lang)) if values else ""


def comma(lang: str | None = None) -> str:
    """The separator of items listed without a conjunction (``, ``; ``، ``; ``、``)."""
    return _COMMA.get(_base(lang), ", ")


def semicolon(lang: str | None = None) -> str:
    """The separator of items that hold commas themselves (``; ``; ``؛ ``; ``；``)."""
    return _SEMICOLON.get(_base(lang), "; ")


def colon(lang: str | None = None) -> str:
    """The separator of a label from what it labels (``: ``; ``：`` in Chinese)."""
    return _COLON.get(_base(lang), ": ")


def stop(lang: str | None = None) -> str:
    """The full stop that ends a list (``.``; ``。`` in Chinese)."""
    return _STOP.get(_base(lang), ".")


def _join(sep: str, values: Iterable[Any]) -> str:
    parts = list(values)
    if any(isinstance(v, Markup) for v in parts):  # HTML already escaped: keep it, escape the rest
        return Markup(sep).join(parts)
    return sep.join(str(v) for v in parts)


def items(values: Iterable[Any], lang: str | None = None) -> str:
    """Values listed without a conjunction: ``a, b, c`` (``a، b، c`` in Arabic)."""
    return _join(comma(lang), values)


def clauses(values: Iterable[Any], lang: str | None = None) -> str:
    """Parts that may hold commas, listed: ``a; b`` (``a؛ b`` in Arabic)."""
    return _join(semicolon(lang), values)


def separators(lang: str | None = None) -> dict[str, str]:
    """The separators of a language, for templates (``{{ sep.comma if not loop.last }}``)."""
    return {"comma": comma(lang), "semicolon": semicolon(lang), "colon": colon(lang), "stop": stop(lang),
            "part": _PART.get(_base(lang), ", "), "open": _OPEN.get(_base(lang), " ("),
            "close": _CLOSE.get(_base(lang), ")"), "space": _SPACE.get(_base(lang), " ")}


FILTERS = {"num": number, "year": year, "pct": percent, "amount": amount, "date": date, "items": items,
           "clauses": clauses, "conjunction": conjunction}


def filters_for(lang: str | None) -> dict[str, Any]:
    """The filters bound to one language (a template writes ``{{ x|pct }}``, ``{{ names|items }}``)."""

    def bind(func: Any) -> Any:
        if func is amount:
            return lambda v, currency: amount(v, currency, lang or DEFAULT_LOCALE)
        return lambda v, *args: func(v, lang or DEFAULT_LOCALE, *args)

    return {name: bind(func) for name, func in FILTERS.items()}
