"""The content catalogue: every text of the rulesets a document shows, keyed by where it comes from.

A working group translates the rules without touching the rule files (the way Sphinx translates
documentation): each text is one entry whose ``msgctxt`` names its source and field
(``rule:INCL-REMITTANCE-RECEIPT-LOW-COST:finding``), whose ``msgid`` is the English text exactly
as the loader yields it (folded YAML lines joined), with a ``#:`` reference to ``file:line``.
Because the context is the key, a changed English text is matched to its old translation by
context and marked ``fuzzy`` (needing review), never matched to another rule's text
(:func:`policyengine.i18n.tools.update`).

At rendering time :func:`text` looks a text up by the same context; anything not translated (or
needing review) stays English.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from babel.messages.catalog import Catalog

from . import current

#: Fields of each kind of ruleset object that a document shows, in the order of the file.
FIELDS: dict[str, tuple[str, ...]] = {
    "ruleset": ("title", "description"),
    "principle": ("title", "statement", "coverage_note"),
    "rule": ("title", "finding", "met", "recommendation", "rationale"),
    "derivation": ("title", "rationale"),
    "parameter": ("title",),
    "guidance": ("title", "summary"),
    "lever": ("title", "description"),
    "barrier": ("title", "framing"),
}


def context(kind: str, ident: str, field: str) -> str:
    """The ``msgctxt`` of one text: ``rule:AML-ANONYMOUS-TIER-LOW-CAP:finding``."""
    return f"{kind}:{ident}:{field}"


def text(kind: str, ident: str, field: str, english: str | None) -> str | None:
    """``english`` in the current language, looked up by its source (English when untranslated)."""
    if not english:
        return english
    content = getattr(current(), "content", None)
    if content is None:
        return english
    return content.pgettext(context(kind, ident, field), english)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name


def entries(ws: Any) -> Iterator[tuple[str, str, str, int]]:
    """``(msgctxt, text, file, line)`` of every translatable text of the workspace's rulesets,
    in file order; ``file`` is relative to the workspace root."""
    root: Path = ws.root

    def emit(kind: str, ident: str, model: Any, origin: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[str, str, str, int]]:
        for name in FIELDS[kind]:
            value = getattr(model, name, None)
            if isinstance(value, str) and value.strip():
                line = origin.doc.line_of(origin.loc + prefix + (name,)) if origin else 0
                file = _relative(origin.doc.file, root) if origin else "rulesets"
                yield context(kind, ident, name), value, file, line

    if ws.info is not None:
        doc_file = ws.rulesets_dir / "ruleset.yaml"
        for name in FIELDS["ruleset"]:
            value = getattr(ws.info, name, None)
            if isinstance(value, str) and value.strip():
                yield context("ruleset", ws.info.name, name), value, _relative(doc_file, root), 0
    for kind, store in (("parameter", ws.parameters), ("principle", ws.principles), ("rule", ws.rules),
                        ("derivation", ws.derivations)):
        for ident in sorted(store):
            yield from emit(kind, ident, store[ident], ws.origin(kind, ident))
    for gid in sorted(ws.guidance):
        g = ws.guidance[gid]
        origin = ws.origin("guidance", gid)
        yield from emit("guidance", gid, g, origin)
        for i, lever in enumerate(g.levers):
            yield from emit("lever", f"{gid}/{lever.id}", lever, origin, ("levers", i))
        for i, barrier in enumerate(g.barriers):
            yield from emit("barrier", f"{gid}/{barrier.id}", barrier, origin, ("barriers", i))


def fact_label_entries(ws: Any = None) -> Iterator[tuple[str, str, str, int]]:
    """The label of every fact path a document may show (from the models' field descriptions),
    of every field of a wallet tier (``design.kyc_tiers.<field>``) and of every derived fact;
    and the description of each fact a questionnaire asks for (``fact:<path>:description``)."""
    from ..paths import base_catalogue
    from ..questionnaire.build import MEANING
    from ..render.documents import english_label

    catalogue = base_catalogue()
    for path in sorted(catalogue):
        yield context("fact", path, "label"), english_label(path), "policyengine/paths.py", 0
        meaning = catalogue[path].description or MEANING.get(path)
        if meaning:
            yield context("fact", path, "description"), meaning, "policyengine/models", 0
        for item in sorted(catalogue[path].items):
            field = item.removeprefix("item.")  # the catalogue names a record's fields item.<field>
            yield (context("fact", f"{path}.{field}", "label"), english_label(f"{path}.0.{field}"),
                   "policyengine/paths.py", 0)
    for ident in sorted(ws.derivations if ws is not None else ()):
        path = f"derived.{ident}"
        yield context("fact", path, "label"), english_label(path), "policyengine/render/documents.py", 0


def value_entries() -> Iterator[tuple[str, str, str, int]]:
    """Every enumerated value of the models a document may show (a design's kind, status and
    issuer; a tier's identity level; a rating; a severity), once each, with its English words."""
    import enum
    import inspect

    from ..models import common, design, jurisdiction, rule

    seen: set[str] = set()
    for module in (common, design, jurisdiction, rule):
        for _name, cls in sorted(vars(module).items()):
            if not (inspect.isclass(cls) and issubclass(cls, enum.Enum) and issubclass(cls, str)) \
                    or cls.__module__ != module.__name__:
                continue
            file = inspect.getsourcefile(cls) or ""
            rel = "policyengine/" + file.split("/policyengine/")[-1] if "/policyengine/" in file else file
            for member in cls:
                value = str(member.value)
                if value not in seen:
                    seen.add(value)
                    yield context("value", value, "label"), value.replace("_", " "), rel, 0


def build_template(ws: Any, project: str, version: str) -> Catalog:
    """The content ``.pot``: every text of the rulesets, every fact label, every enumerated value."""
    cat = Catalog(project=project, version=version, charset="utf-8", fuzzy=False)
    for ctx, english, file, line in list(entries(ws)) + list(fact_label_entries(ws)) + list(value_entries()):
        cat.add(english, context=ctx, locations=[(file, line or None)])  # type: ignore[list-item]
    return cat
