"""The condition language: small, closed, safe.

A condition is written in YAML either as one comparison string::

    "design.offline == none"
    "jurisdiction.inclusion.account_ownership_pct < 50"
    "design.kind in [retail_cbdc, e_money]"
    "design.channels contains feature_phone_ussd"
    "design.holding_limit exists"
    "design.offline_limit <= $fatf_r16_de_minimis_usd"      # a named parameter

or as a mapping that combines conditions::

    all: [cond, cond]          any: [cond, cond]          not: cond
    for_any: design.kyc_tiers  (with) where: "item.identity == none"
    for_all: design.kyc_tiers  (with) where: cond

Strings are parsed by a hand-written tokenizer into the models below; nothing is ever
evaluated as code.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated, Any, Union

from pydantic import BeforeValidator, Discriminator, Field, Tag

from ..i18n.deferred import L_
from .common import StrictModel

Scalar = Union[bool, int, float, str, None]


class Op(str, Enum):
    eq = "=="
    ne = "!="
    lt = "<"
    le = "<="
    gt = ">"
    ge = ">="
    in_ = "in"
    not_in = "not in"
    contains = "contains"
    not_contains = "not contains"
    exists = "exists"
    missing = "missing"


ORDERING_OPS = {Op.lt, Op.le, Op.gt, Op.ge}
UNARY_OPS = {Op.exists, Op.missing}


class Compare(StrictModel):
    """``path op value``. ``value`` may be a ``$parameter`` reference."""

    path: str
    op: Op
    value: Scalar | list[Scalar] = None

    def parameters(self) -> list[str]:
        """The parameters the comparison reads (``$name`` as the value or in a list of values)."""
        values = self.value if isinstance(self.value, list) else [self.value]
        return [v[1:] for v in values if isinstance(v, str) and v.startswith("$")]

    def __str__(self) -> str:
        if self.op in UNARY_OPS:
            return f"{self.path} {self.op.value}"
        return f"{self.path} {self.op.value} {format_value(self.value)}"


class AllOf(StrictModel):
    all: list["Condition"] = Field(min_length=1)


class AnyOf(StrictModel):
    any: list["Condition"] = Field(min_length=1)


class NotOf(StrictModel):
    not_: "Condition" = Field(alias="not")


class ForAny(StrictModel):
    for_any: str = Field(description="Path of a list, e.g. design.kyc_tiers")
    where: "Condition"


class ForAll(StrictModel):
    for_all: str = Field(description="Path of a list, e.g. design.kyc_tiers")
    where: "Condition"


_COMPARISON = re.compile(
    r"^\s*(?P<path>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s+"
    r"(?P<op>==|!=|<=|>=|<|>|not\s+in\b|in\b|not\s+contains\b|contains\b|exists\b|missing\b)"
    r"\s*(?P<value>.*?)\s*$"
)
#: The same path and operators as :data:`_COMPARISON`, as a JSON Schema ``pattern`` (ECMA-262)
#: for editors. A word operator must end at a word boundary (``in`` is not ``index``); a symbol
#: operator needs none (``\b`` after ``==`` would demand a word character, rejecting ``== none``).
COMPARISON_SCHEMA_PATTERN = (
    r"^\s*[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*\s+"
    r"(==|!=|<=|>=|<|>|(not\s+in|in|not\s+contains|contains|exists|missing)\b)"
)
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_WORD = re.compile(r"^[$A-Za-z_][A-Za-z0-9_.-]*$")


class ConditionSyntaxError(ValueError):
    pass


def _literal(text: str) -> Scalar:
    text = text.strip()
    if not text:
        raise ConditionSyntaxError(L_("a value is missing after the operator"))
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    if _NUMBER.match(text.replace(",", "").replace("_", "")):
        number = text.replace(",", "").replace("_", "")
        return float(number) if "." in number else int(number)
    if text in ("true", "false"):
        return text == "true"
    if text == "null":
        return None
    if _WORD.match(text):
        return text
    raise ConditionSyntaxError(L_("cannot read the value %(value)s; quote text that has spaces", value=repr(text)))


def parse_value(text: str) -> Scalar | list[Scalar]:
    text = text.strip()
    if text.startswith("["):
        if not text.endswith("]"):
            raise ConditionSyntaxError(L_("a list must end with ']'"))
        inner = text[1:-1].strip()
        return [_literal(part) for part in inner.split(",")] if inner else []
    return _literal(text)


def parse_comparison(text: str) -> dict[str, Any]:
    """Parse ``"path op value"`` into the fields of :class:`Compare`."""
    match = _COMPARISON.match(text)
    if not match:
        raise ConditionSyntaxError(L_(
            "cannot read condition %(condition)s: write 'path operator value', "
            "e.g. 'design.offline == none' (operators: == != < <= > >= in, not in, contains, "
            "not contains, exists, missing)", condition=repr(text)))
    op = Op(" ".join(match["op"].split()))
    raw = match["value"]
    if op in UNARY_OPS:
        if raw:
            raise ConditionSyntaxError(L_("'%(op)s' takes no value, found %(found)s", op=op.value, found=repr(raw)))
        return {"path": match["path"], "op": op}
    value = parse_value(raw)
    if op in (Op.in_, Op.not_in) and not isinstance(value, list):
        raise ConditionSyntaxError(L_("'%(op)s' needs a list, e.g. [a, b]", op=op.value))
    return {"path": match["path"], "op": op, "value": value}


def format_value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(format_value(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str) and (" " in value or not value):
        return repr(value)
    return str(value)


def _coerce(value: Any) -> Any:
    if isinstance(value, str):
        return parse_comparison(value)
    return value


def _tag(value: Any) -> str | None:
    if isinstance(value, Compare):
        return "compare"
    for cls, tag in ((AllOf, "all"), (AnyOf, "any"), (NotOf, "not"), (ForAny, "for_any"), (ForAll, "for_all")):
        if isinstance(value, cls):
            return tag
    if isinstance(value, dict):
        for key in ("all", "any", "not", "for_any", "for_all"):
            if key in value:
                return key
        if "path" in value:
            return "compare"
    return None


Condition = Annotated[
    Union[
        Annotated[Compare, Tag("compare")],
        Annotated[AllOf, Tag("all")],
        Annotated[AnyOf, Tag("any")],
        Annotated[NotOf, Tag("not")],
        Annotated[ForAny, Tag("for_any")],
        Annotated[ForAll, Tag("for_all")],
    ],
    Discriminator(
        _tag,
        custom_error_type="condition",
        custom_error_message="a condition is a string 'path op value' or a mapping with one of "
        "all, any, not, for_any (with where), for_all (with where)",
    ),
    BeforeValidator(_coerce),
]

for _model in (AllOf, AnyOf, NotOf, ForAny, ForAll):
    _model.model_rebuild()

CONDITION_TAGS = {"compare", "all", "any", "not", "for_any", "for_all"}
