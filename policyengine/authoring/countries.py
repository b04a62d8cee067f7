"""Country facts a new jurisdiction profile starts from: ISO 3166 codes and names, ISO 4217
currencies, and the currency a country uses today.

Everything comes from packages that carry the standards' data (pycountry: ISO 3166-1 and
ISO 4217; Babel: the CLDR territory-currency table), so nothing is fetched at run time and
nothing is typed in by hand here. The ITU region is not derived: the six regions are checked,
the choice is the team's.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

import pycountry
from babel.numbers import get_territory_currencies

from ..models.jurisdiction import Region
from ..paths import nearest

#: ISO 3166-1 keeps these alpha-2 codes for users (AA, QM to QZ, XA to XZ, ZZ): a private or
#: test jurisdiction may use one, and then names its own name and currency.
USER_ASSIGNED = re.compile(r"AA|Q[M-Z]|X[A-Z]|ZZ")


@dataclass(frozen=True)
class CountryFacts:
    """What the standards say about a code: its name and the currencies in use (maybe several)."""

    code: str
    name: str | None
    currencies: tuple[str, ...]


class CountryError(ValueError):
    """A code, currency or region that the standards do not know."""


def country(code: str) -> CountryFacts:
    """The ISO 3166-1 facts of an alpha-2 code, or a user-assigned code with no facts."""
    if USER_ASSIGNED.fullmatch(code):
        return CountryFacts(code, None, ())
    found = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    if found is None:
        alpha3 = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
        if alpha3 is not None:
            raise CountryError(f"{code!r} is the ISO 3166-1 alpha-3 code of {_name(alpha3)}: use its alpha-2 code "
                               f"{alpha3.alpha_2}")
        raise CountryError(f"{code!r} is not an ISO 3166-1 alpha-2 country code{_near_country(code)} (a currency union "
                           f"takes --kind currency_union; a private or test profile a user-assigned code such as ZZ)")
    today = datetime.date.today()
    currencies = tuple(get_territory_currencies(found.alpha_2, start_date=today, tender=True))
    return CountryFacts(found.alpha_2, _name(found), currencies)


def check_currency(code: str) -> str:
    """The ISO 4217 alphabetic code, upper-cased, or :class:`CountryError`."""
    upper = code.upper()
    if pycountry.currencies.get(alpha_3=upper) is None:
        near = nearest(upper, [c.alpha_3 for c in pycountry.currencies])
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise CountryError(f"{code!r} is not an ISO 4217 currency code{hint}")
    return upper


def check_region(region: str) -> str:
    if region not in Region.__members__:
        raise CountryError(f"{region!r} is not an ITU region; one of {', '.join(Region.__members__)}")
    return region


def _name(found: Any) -> str:
    return str(getattr(found, "common_name", None) or found.name)


def _near_country(code: str) -> str:
    near = nearest(code.upper(), [c.alpha_2 for c in pycountry.countries], n=3)
    if not near:
        return ""
    named = [f"{c} ({_name(pycountry.countries.get(alpha_2=c))})" for c in near]
    return f"; did you mean {', '.join(named)}?"
