"""The catalogue of fact paths that conditions may name, derived from the models.

A rule may only name a path listed here (``jurisdiction.inclusion.account_ownership_pct``,
``design.kyc_tiers``, ``item.identity`` inside a quantifier, ``derived.<id>``), so a typo is
a load error with the nearest valid names, never a silent ``unknown``.
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from typing import Any, Union

from pydantic import BaseModel
from typing_extensions import TypeAliasType

from .models.common import NO_LIMIT, Fact, Money
from .models.design import Design
from .models.jurisdiction import JurisdictionProfile

#: Fields of the models that are bookkeeping, not facts a rule may read.
_NOT_FACTS = {"sources", "summary", "name", "members", "central_bank"}


@dataclass(frozen=True)
class PathInfo:
    """What a path holds: ``kind`` is bool, number, text, enum, money, list (of enum values)
    or items (a list of records, quantified with for_any / for_all). ``unlimited``: a limit that
    may be recorded as ``none`` (no such limit), so ``exists`` on it can be false."""

    path: str
    kind: str
    description: str | None = None
    values: tuple[str, ...] = ()
    items: dict[str, "PathInfo"] = field(default_factory=dict)
    percent: bool = False
    unlimited: bool = False


def _unwrap_optional(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _leaf(path: str, annotation: Any, description: str | None, percent: bool = False) -> PathInfo:
    annotation = _unwrap_optional(annotation)
    if isinstance(annotation, TypeAliasType):  # a named type such as Limit
        annotation = annotation.__value__
    meta = typing.get_args(annotation) if typing.get_origin(annotation) is typing.Annotated else ()
    if meta:
        annotation = meta[0]
        percent = percent or any(getattr(m, "ge", None) == 0 and getattr(m, "le", None) == 100 for m in meta[1:])
        for m in meta[1:]:
            for sub in getattr(m, "metadata", []) or []:
                if getattr(sub, "le", None) == 100:
                    percent = True
    if annotation is bool:
        return PathInfo(path, "bool", description)
    if annotation in (int, float):
        return PathInfo(path, "number", description, percent=percent)
    if annotation is str:
        return PathInfo(path, "text", description)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return PathInfo(path, "enum", description, tuple(m.value for m in annotation))
    if annotation is Money:
        return PathInfo(path, "money", description)
    if typing.get_origin(annotation) in (Union, types.UnionType) and set(typing.get_args(annotation)) == {
            Money, typing.Literal[NO_LIMIT]}:
        return PathInfo(path, "money", description, unlimited=True)
    if typing.get_origin(annotation) is list:
        (inner,) = typing.get_args(annotation)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            items = {}
            for name, f in inner.model_fields.items():
                if name in ("id", "name"):
                    items[f"item.{name}"] = PathInfo(f"item.{name}", "text", f.description)
                    continue
                items[f"item.{name}"] = _leaf(f"item.{name}", f.annotation, f.description)
            return PathInfo(path, "items", description, items=items)
        info = _leaf(path, inner, description)
        return PathInfo(path, "list", description, info.values)
    raise TypeError(f"no path kind for {path}: {annotation!r}")


def _fact_type(annotation: Any) -> Any | None:
    annotation = _unwrap_optional(annotation)
    if isinstance(annotation, type) and issubclass(annotation, Fact) and annotation is not Fact:
        meta = annotation.__pydantic_generic_metadata__
        if meta and meta.get("args"):
            return meta["args"][0]
    return None


def _walk(prefix: str, model: type[BaseModel], out: dict[str, PathInfo], fact_only: bool) -> None:
    for name, f in model.model_fields.items():
        if name in _NOT_FACTS:
            continue
        path = f"{prefix}.{name}"
        inner = _fact_type(f.annotation)
        if inner is not None:
            out[path] = _leaf(path, inner, f.description, percent=name.endswith("_pct"))
            continue
        ann = _unwrap_optional(f.annotation)
        if isinstance(ann, type) and issubclass(ann, BaseModel) and ann is not Money:
            _walk(path, ann, out, fact_only)
        elif not fact_only:
            out[path] = _leaf(path, f.annotation, f.description)


@lru_cache(maxsize=1)
def base_catalogue() -> dict[str, PathInfo]:
    """Paths of the jurisdiction profile and the design (no derivations)."""
    out: dict[str, PathInfo] = {}
    _walk("jurisdiction", JurisdictionProfile, out, fact_only=False)
    _walk("design", Design, out, fact_only=False)
    for bookkeeping in ("jurisdiction.id", "design.id", "design.jurisdiction"):
        out[bookkeeping] = PathInfo(bookkeeping, "text")
    return out


def catalogue(derivation_ids: typing.Iterable[str] = ()) -> dict[str, PathInfo]:
    out = dict(base_catalogue())
    for d in derivation_ids:
        out[f"derived.{d}"] = PathInfo(f"derived.{d}", "bool", "derived fact")
    return out


def leaf_info(path: str) -> PathInfo | None:
    """What a concrete path holds, including one field of one item of a list
    (``design.kyc_tiers.0.balance_limit`` holds what ``item.balance_limit`` does)."""
    catalogue = base_catalogue()
    if path in catalogue:
        return catalogue[path]
    parts = path.split(".")
    if len(parts) > 3 and parts[-2].isdigit():
        info = catalogue.get(".".join(parts[:-2]))
        if info is not None:
            return info.items.get(f"item.{parts[-1]}")
    return None


def nearest(name: str, candidates: typing.Iterable[str], n: int = 3) -> list[str]:
    """The closest valid names, for 'did you mean' messages."""
    candidates = list(candidates)
    found = difflib.get_close_matches(name, candidates, n=n, cutoff=0.6)
    if not found:
        tail = name.rsplit(".", 1)[-1]
        found = [c for c in candidates if c.rsplit(".", 1)[-1] == tail][:n]
    return found
