"""Kept for the modules that import the formatting functions from here (the web pages): the
one formatting module is :mod:`policyengine.i18n.format`."""

from __future__ import annotations

from ..i18n.format import (  # noqa: F401
    DEFAULT_LOCALE,
    FILTERS,
    NONE,
    amount,
    clauses,
    conjunction,
    date,
    decimal,
    filters_for,
    items,
    locale_of,
    number,
    percent,
    percentage,
    separators,
    year,
)
