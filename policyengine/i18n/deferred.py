"""Messages translated where they are shown, not where they are made: problems and errors.

A problem found while loading or validating a workspace may be shown long after it was found,
in another language than the one active then: a workspace validated once is kept (the web
app, a test session), and a workspace's warnings are kept in the validation cache on disk
(:mod:`policyengine.cache`) and read back by a run in any language. So the library never freezes
a problem's text in one language. It makes a :class:`Text`: the English text as a plain ``str``
(what every caller, test and log that reads it as a string sees, unchanged), carrying its
message id and variables, so :func:`shown` can look it up in the catalogue of the language
active when it is printed.

``L_("unknown principle %(name)s", name=rid)`` marks the message for extraction (as ``_`` does;
``policyengine i18n extract`` knows the keyword) and returns a :class:`Text`. Variables are data
(ids, paths, values: never translated), other :class:`Text` messages (translated with the one
holding them), or :class:`Items` (a list joined with the language's own comma, or its own "or").

Nothing here imports the catalogues: a :class:`Text` made when no language is active costs
one ``%`` formatting.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

_PLACEHOLDER = re.compile(r"%\((\w+)\)")
#: How deeply a cache entry may nest messages in variables (a damaged entry is refused).
_MAX_DEPTH = 8


class Items(str):
    """Values listed in a message: ``a, b, c`` in English; the language's comma (``、`` in
    Chinese, ``،`` in Arabic), its own "or" (``either``: ``'a', 'b' or 'c'``), or its semicolon
    (``clauses``: parts that are messages themselves) when shown. Values that are messages are
    translated with the list."""

    values: tuple[Any, ...]
    either: bool
    clauses: bool

    def __new__(cls, values: Iterable[Any], either: bool = False, clauses: bool = False) -> "Items":
        vals = tuple(v if isinstance(v, str) else str(v) for v in values)
        english = [_english(v) for v in vals]
        if clauses:
            text = "; ".join(english)
        elif either and len(vals) > 1:
            text = ", ".join(english[:-1]) + " or " + english[-1]
        else:
            text = ", ".join(english)
        obj = super().__new__(cls, text)
        obj.values, obj.either, obj.clauses = vals, either, clauses
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (Items, (self.values, self.either, self.clauses))

    def shown(self) -> str:
        from . import language
        from .format import comma, locale_of, semicolon

        lang = language()
        if lang == "en":
            return str.__str__(self)
        values = [shown(v) for v in self.values]
        if self.clauses:
            return semicolon(lang).join(values)
        if self.either and len(values) > 1:
            from babel.lists import format_list

            return format_list(values, style="or", locale=locale_of(lang))
        return comma(lang).join(values)


class Text(str):
    """A message: its English text (the ``str`` value), and what it takes to show it in another
    language: the message id and its variables. ``english`` replaces the English text where it
    is worded elsewhere (pydantic's own English for an input error, kept as it was)."""

    msgid: str
    variables: dict[str, Any]
    own_english: bool

    def __new__(cls, msgid: str, variables: Mapping[str, Any] | None = None, english: str | None = None) -> "Text":
        variables = dict(variables or {})
        text = english if english is not None else (msgid % {k: _english(v) for k, v in variables.items()}
                                                     if variables else msgid)
        obj = super().__new__(cls, text)
        obj.msgid, obj.variables, obj.own_english = msgid, variables, english is not None
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (Text, (self.msgid, self.variables, str.__str__(self) if self.own_english else None))

    def shown(self) -> str:
        """The message in the language active now (its English outside any catalogue)."""
        from . import current, language

        if language() == "en":
            return str.__str__(self)
        template = current().gettext(self.msgid)
        return template % {k: shown(v) for k, v in self.variables.items()} if self.variables else template


def L_(message: str, **variables: Any) -> Text:
    """Mark ``message`` for the catalogue and keep it to be translated where it is shown."""
    return Text(message, variables)


def worded(text: Text, english: str) -> Text:
    """``text`` shown as ``english`` in English (kept as an older wording read, or a grammar the
    message cannot express with placeholders, such as English's a/an)."""
    return Text(text.msgid, text.variables, english)


def _english(value: Any) -> str:
    return str.__str__(value) if isinstance(value, str) else str(value)


def shown(value: Any) -> str:
    """``value`` as text in the language active now: a :class:`Text` or :class:`Items` is looked
    up (or joined) now; anything else is data, shown as it is."""
    if isinstance(value, (Text, Items)):
        return value.shown()
    return str(value)


# --- cache entries: a message as JSON data, and back ------------------------------------------

def to_data(value: Any) -> Any:
    """JSON data of a message or variable (a plain ``str`` stays a ``str``)."""
    if isinstance(value, Text):
        data: dict[str, Any] = {"id": value.msgid, "vars": {k: to_data(v) for k, v in value.variables.items()}}
        if value.own_english:
            data["en"] = str.__str__(value)
        return data
    if isinstance(value, Items):
        return {"items": [to_data(v) for v in value.values], "either": value.either, "clauses": value.clauses}
    if isinstance(value, (bool, int, float)) or value is None:
        return value
    return str(value)


def from_data(data: Any, depth: int = 0) -> Any:
    """The message :func:`to_data` wrote; :class:`ValueError` for anything else (a damaged
    cache entry is then ignored, never trusted)."""
    if isinstance(data, (str, int, float)) or data is None:
        return data
    if not isinstance(data, dict) or depth > _MAX_DEPTH:
        raise ValueError("not a message")
    if set(data) == {"items", "either", "clauses"}:
        if not isinstance(data["items"], list):
            raise ValueError("not a list of items")
        values = [from_data(v, depth + 1) for v in data["items"]]
        if not all(isinstance(v, str) for v in values):
            raise ValueError("not a list of items")
        return Items(values, either=bool(data["either"]), clauses=bool(data["clauses"]))
    if not ({"id", "vars"} <= set(data) <= {"id", "vars", "en"}) or not isinstance(data["id"], str) \
            or not isinstance(data["vars"], dict) or not isinstance(data.get("en", ""), str):
        raise ValueError("not a message")
    variables = {str(k): from_data(v, depth + 1) for k, v in data["vars"].items()}
    if not set(_PLACEHOLDER.findall(data["id"])) <= set(variables):
        raise ValueError("a placeholder without its variable")
    try:
        return Text(data["id"], variables, data.get("en"))
    except (KeyError, TypeError, ValueError) as exc:  # the id's placeholders and the variables disagree
        raise ValueError("not a message") from exc
