"""Pydantic's validation errors as messages of the catalogue, for the problems of a workspace.

Pydantic words its errors in English (``Input should be a valid number``). Each common kind
(its ``type``) has a message of our own here, its ``ctx`` filling the placeholders, so the
problem reads in the language it is shown in (:mod:`policyengine.i18n.deferred`); in English
the problem keeps pydantic's own words, as it always has. A kind not in :data:`MESSAGES` (rare:
none of the shipped models can raise it from a YAML file) is shown in pydantic's English.
The errors the models raise themselves (``ValueError(L_(...))``) carry their own message.
"""

from __future__ import annotations

import re
from typing import Any

from .i18n import N_
from .i18n.deferred import L_, Items, Text

#: Our message for each kind of pydantic error (``ctx`` names the placeholders).
MESSAGES: dict[str, str] = {
    "string_type": N_("must be text"),
    "int_type": N_("must be a whole number"),
    "int_parsing": N_("must be a whole number"),
    "int_parsing_size": N_("must be a whole number"),
    "int_from_float": N_("must be a whole number, without a fractional part"),
    "float_type": N_("must be a number"),
    "float_parsing": N_("must be a number"),
    "finite_number": N_("must be a finite number"),
    "bool_type": N_("must be true or false"),
    "bool_parsing": N_("must be true or false"),
    "date_type": N_("must be a date (YYYY-MM-DD)"),
    "date_parsing": N_("must be a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": N_("must be a date (YYYY-MM-DD)"),
    "greater_than": N_("must be more than %(gt)s"),
    "greater_than_equal": N_("must be %(ge)s or more"),
    "less_than": N_("must be less than %(lt)s"),
    "less_than_equal": N_("must be %(le)s or less"),
    "multiple_of": N_("must be a multiple of %(multiple_of)s"),
    "string_too_short": N_("at least %(min_length)s characters"),
    "string_too_long": N_("at most %(max_length)s characters"),
    "string_pattern_mismatch": N_("must match the pattern %(pattern)s"),
    "too_short": N_("must have at least %(min_length)s item(s)"),
    "too_long": N_("must have at most %(max_length)s item(s)"),
    "list_type": N_("must be a list"),
    "tuple_type": N_("must be a list"),
    "set_type": N_("must be a list"),
    "dict_type": N_("must be a mapping (key: value)"),
    "model_type": N_("must be a mapping (key: value)"),
    "model_attributes_type": N_("must be a mapping (key: value)"),
    "none_required": N_("must be empty (null)"),
    "condition": N_("a condition is a string 'path op value' or a mapping with one of all, any, not, "
                    "for_any (with where), for_all (with where)"),
}
#: ``enum`` and ``literal_error``: one of the values listed (``ctx['expected']``).
ONE_OF = N_("must be one of %(expected)s")
#: A limit (an amount or ``none``) given as something else (see load._limit_errors).
AMOUNT_OR_NONE = "amount_or_none"
MESSAGES[AMOUNT_OR_NONE] = N_("must be an amount {amount, currency}, or none (the source says there is no such limit)")

#: How many kinds of pydantic error have a message of their own (reported, and tested).
COVERED = len(MESSAGES) + 2  # + enum, literal_error (ONE_OF)

_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def _expected(text: str) -> Items | str:
    """Pydantic's list of allowed values (``'a', 'b' or 'c'``) as items joined in the language
    it is shown in (``'a'、'b'或'c'``); anything else as it is."""
    values = _QUOTED.findall(text)
    return Items([f"'{v}'" for v in values], either=True) if values else text


def _ctx_value(value: Any) -> str:
    return value if isinstance(value, str) else (f"{value:g}" if isinstance(value, float) else str(value))


def message(err: Any) -> str:
    """The message of one pydantic error (a :class:`Text` when it has one of our own), without
    the value found (see :func:`with_found`)."""
    kind, msg = err["type"], str(err["msg"])
    if kind == "value_error":
        raised = (err.get("ctx") or {}).get("error")
        inner = raised.args[0] if isinstance(raised, Exception) and raised.args else None
        if isinstance(inner, Text):
            return inner
        return msg[len("Value error, "):] if msg.startswith("Value error, ") else msg
    ctx = err.get("ctx") or {}
    if kind in ("enum", "literal_error") and isinstance(ctx.get("expected"), str):
        return Text(ONE_OF, {"expected": _expected(ctx["expected"])}, english=msg)
    template = MESSAGES.get(kind)
    if template is None:
        return msg
    names = set(re.findall(r"%\((\w+)\)s", template))
    if not names <= set(ctx):
        return msg
    return Text(template, {k: _ctx_value(ctx[k]) for k in names}, english=msg)


def with_found(text: str, given: Any) -> str:
    """``text (found 'x')``: the value the file gives, as data."""
    if isinstance(text, Text):
        return L_("%(problem)s (found %(found)s)", problem=text, found=repr(given))
    return f"{text} (found {given!r})"
