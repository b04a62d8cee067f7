"""Hardened YAML reading: safe, position-aware, strict about what it accepts.

- Only plain data: mappings, sequences, strings, numbers, ``true``/``false``, ``null``. Any
  explicit tag other than the core ones (``!!python/object`` and friends) is refused, never
  constructed.
- Duplicate keys are errors, with the line of the second one.
- YAML 1.1 surprises are switched off: ``NO`` stays the string "NO" (Norway), ``yes``/``on``
  stay strings, dates stay strings (pydantic checks their format).
- Aliases (``*name``) are refused, which makes "billion laughs" bombs fail at once in bounded
  memory; files larger than :data:`MAX_BYTES` are refused before parsing.
- Every value's line is kept, keyed by its location (a tuple of keys and indexes), so
  validation errors can name ``file:line``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

MAX_BYTES = 2 * 1024 * 1024

try:  # libyaml is much faster; the pure-Python parser gives the same nodes.
    from yaml import CParser as _Parser

    class _Loader(_Parser, BaseResolver):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            _Parser.__init__(self, stream)
            BaseResolver.__init__(self)

except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Loader(Reader, Scanner, Parser, Composer, BaseResolver):  # type: ignore[no-redef,misc]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)
            BaseResolver.__init__(self)


_CORE = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP = _CORE + "str", _CORE + "seq", _CORE + "map"
_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?([0-9][0-9_]*)?\.[0-9_]+([eE][-+]?[0-9]+)?$|^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$")
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}

Loc = tuple[Any, ...]


@dataclass
class YamlError(Exception):
    """A problem in a YAML file, with its line (1-based)."""

    file: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass
class Document:
    """The data of one YAML file and the line of every value in it."""

    file: Path
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: tuple[Any, ...]) -> int:
        """The line of the deepest part of ``loc`` found in the file.

        Items of ``loc`` that are not keys of the file (pydantic adds union tags such as
        ``compare``) are skipped, so a validation error still lands on its line.
        """
        current: Loc = ()
        for item in loc:
            if current + (item,) in self.lines:
                current = current + (item,)
        return self.lines.get(current, 1)


def _scalar(node: ScalarNode, file: Path) -> Any:
    tag, value = node.tag, node.value
    if tag == _STR:
        if node.style is not None:  # quoted or block scalar: always text
            return value
        if value in _NULL:
            return None
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        if _INT.match(value):
            return int(value.replace("_", ""))
        if _FLOAT.match(value):
            return float(value.replace("_", ""))
        return value
    if tag == _CORE + "int" and _INT.match(value):
        return int(value.replace("_", ""))
    if tag == _CORE + "float" and (_FLOAT.match(value) or _INT.match(value)):
        return float(value.replace("_", ""))
    if tag == _CORE + "bool" and value in _TRUE | _FALSE:
        return value in _TRUE
    if tag == _CORE + "null":
        return None
    raise YamlError(file, node.start_mark.line + 1, f"the tag {tag!r} is not allowed: only plain data is read")


def _convert(node: Node, loc: Loc, doc: Document, seen: set[int]) -> Any:
    if id(node) in seen:
        raise YamlError(doc.file, node.start_mark.line + 1,
                        "YAML aliases (*name) are not allowed: the value anchored here is reused; write it out")
    seen.add(id(node))
    doc.lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, ScalarNode):
        return _scalar(node, doc.file)
    if node.tag not in (_SEQ, _MAP):
        raise YamlError(doc.file, node.start_mark.line + 1,
                        f"the tag {node.tag!r} is not allowed: only plain data is read")
    if isinstance(node, SequenceNode):
        return [_convert(item, loc + (i,), doc, seen) for i, item in enumerate(node.value)]
    assert isinstance(node, MappingNode)
    out: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        if key_node.tag == _CORE + "merge":
            raise YamlError(doc.file, key_node.start_mark.line + 1, "merge keys (<<) are not allowed")
        key = _convert(key_node, loc + ("<key>",), doc, seen)
        if isinstance(key, (list, dict)) or key is None:
            raise YamlError(doc.file, key_node.start_mark.line + 1, "a key must be a plain word")
        key = str(key) if not isinstance(key, (int, float)) else key
        if key in out:
            raise YamlError(doc.file, key_node.start_mark.line + 1,
                            f"duplicate key {key!r} (first at line {doc.lines[loc + (key,)]})")
        doc.lines[loc + (key,)] = key_node.start_mark.line + 1
        out[key] = _convert(value_node, loc + (key,), doc, seen)
    return out


def read_yaml(path: Path) -> Document:
    """Read one YAML file into a :class:`Document`, or raise :class:`YamlError`."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise YamlError(path, 1, f"the file is {size} bytes; the limit is {MAX_BYTES}")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlError(path, 1, f"not UTF-8 text ({exc.reason})") from None
    return parse_yaml(text, path)


def parse_yaml(text: str, path: Path = Path("<string>")) -> Document:
    doc = Document(Path(path), None)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlError(doc.file, line, f"YAML syntax: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YamlError(doc.file, 1, f"YAML: {exc}") from None
    finally:
        loader.dispose()
    if node is None:
        doc.data = None
        return doc
    doc.data = _convert(node, (), doc, set())
    return doc
