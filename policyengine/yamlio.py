"""Hardened YAML reading: safe, position-aware, strict about what it accepts.

- Only plain data: mappings, sequences, strings, numbers, ``true``/``false``, ``null``. Any
  explicit tag other than the core ones (``!!python/object`` and friends) is refused, never
  constructed.
- Duplicate keys are errors, with the line of the second one; merge keys (``<<``) are refused.
- YAML 1.1 surprises are switched off: ``NO`` stays the string "NO" (Norway), ``yes``/``on``
  stay strings, dates stay strings (pydantic checks their format).
- Aliases (``*name``) are refused, which makes "billion laughs" bombs fail at once in bounded
  memory; files larger than :data:`MAX_BYTES` are refused before parsing.
- Raw control characters (NUL, ESC, DEL, U+FFFE, ...) are refused anywhere in the file, and
  in any string value (written as an escape); nesting deeper than :data:`MAX_DEPTH` and
  numbers beyond :data:`MAX_NUMBER` (or not finite) are refused with their line.
- Every value's line is kept, keyed by its location (a tuple of keys and indexes), so
  validation errors can name ``file:line``.

The file is read as a stream of parser events (libyaml's C parser when PyYAML has it, the
pure-Python one otherwise: same events, same result) and built here with an explicit stack:
no node graph, no recursion, so no input can exhaust the Python stack.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.scanner import Scanner

MAX_BYTES = 2 * 1024 * 1024
#: Deepest nesting of mappings and sequences (the shipped content needs about 12).
MAX_DEPTH = 64
#: Largest magnitude of a number; beyond it a value is a typo or an attack, not a fact.
MAX_NUMBER = 1e18



class _PyParser(Reader, Scanner, Parser):
    """PyYAML's pure-Python parser: used where libyaml is missing, and to word syntax errors
    (its messages say what was expected and found, and stay the same on every build)."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)


try:  # libyaml: several times faster than the pure-Python parser, same events.
    from yaml._yaml import CParser as _CParser

    LIBYAML = True
except ImportError:  # pragma: no cover - depends on the PyYAML build
    LIBYAML = False


def _parser(text: str) -> Any:
    return _CParser(text) if LIBYAML else _PyParser(text)


def _syntax_error(text: str, exc: yaml.MarkedYAMLError) -> yaml.MarkedYAMLError:
    """The pure-Python parser's account of a syntax error libyaml found (same position)."""
    if not LIBYAML:
        return exc
    parser = _PyParser(text)
    try:
        while not isinstance(parser.get_event(), StreamEndEvent):
            pass
    except yaml.MarkedYAMLError as worded:
        return worded
    except yaml.YAMLError:
        pass
    return exc


_CORE = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP = _CORE + "str", _CORE + "seq", _CORE + "map"
_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?([0-9][0-9_]*)?\.[0-9_]+([eE][-+]?[0-9]+)?$|^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$")
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
#: Characters no YAML file of ours may hold raw: C0 controls but tab, LF and CR; DEL; C1
#: controls but NEL; surrogates; U+FFFE and U+FFFF. A BOM is allowed only as the first character.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]|(?<!^)\ufeff")
#: The same, in a parsed string value (an escape such as "\\0" in a quoted string).
_CONTROL_VALUE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff\ufeff]")
_MAX_DIGITS = 30  # an integer literal longer than this is refused before int() sees it

Loc = tuple[Any, ...]


@dataclass
class YamlError(Exception):
    """A problem in a YAML file, with its line (1-based)."""

    file: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class Document:
    """The data of one YAML file and the line of every value in it.

    A document read back from the parse cache holds no lines: they are found again (by
    parsing its bytes) the first time they are asked for, which a command reporting no
    problem never does."""

    __slots__ = ("file", "data", "_lines", "_source", "digest")

    def __init__(self, file: Path, data: Any, lines: dict[Loc, int] | None = None, *,
                 source: bytes | None = None) -> None:
        self.file = file
        self.data = data
        self._lines = lines if lines is not None or source is not None else {}
        self._source = source  # the file's bytes, for a document read from the cache
        self.digest: str | None = None  # the parse cache's name of the file's bytes (read_yaml)

    @property
    def lines(self) -> dict[Loc, int]:
        if self._lines is None:
            assert self._source is not None
            self._lines = parse_yaml(self._source.decode("utf-8"), self.file).lines
            self._source = None
        return self._lines

    def __repr__(self) -> str:
        return f"Document(file={self.file!r})"

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


def _number(text: str, kind: type, file: Path, line: int) -> Any:
    digits = len(text.lstrip("+-").replace("_", "").split("e")[0].split("E")[0].lstrip("0"))
    if kind is int and digits > _MAX_DIGITS:
        raise YamlError(file, line, f"the number {text[:20]}... is too large (limit {MAX_NUMBER:g})")
    value = kind(text.replace("_", ""))
    if not math.isfinite(value) or abs(value) > MAX_NUMBER:
        shown = text if len(text) <= 30 else text[:27] + "..."
        raise YamlError(file, line, f"the number {shown} is too large or not finite (limit {MAX_NUMBER:g})")
    return value


def _scalar(event: ScalarEvent, file: Path, line: int) -> Any:
    tag, value = event.tag, event.value
    match = _CONTROL_VALUE.search(value)
    if match:
        raise YamlError(file, line, f"the control character U+{ord(match.group()):04X} is not allowed in a value")
    plain = not event.style  # None (pure Python) or '' (libyaml)
    if tag is None or tag == "!":
        if not plain or tag == "!":  # quoted or block scalar: always text
            return value
        if value in _NULL:
            return None
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        if _INT.match(value):
            return _number(value, int, file, line)
        if _FLOAT.match(value):
            return _number(value, float, file, line)
        return value
    if tag == _STR:
        return value
    if tag == _CORE + "int" and _INT.match(value):
        return _number(value, int, file, line)
    if tag == _CORE + "float" and (_FLOAT.match(value) or _INT.match(value)):
        return _number(value, float, file, line)
    if tag == _CORE + "bool" and value in _TRUE | _FALSE:
        return value in _TRUE
    if tag == _CORE + "null" and value in _NULL:
        return None
    raise YamlError(file, line, f"the tag {tag!r} is not allowed: only plain data is read")


@dataclass
class _Open:
    """A mapping or sequence being built: its value, location, and (for a mapping) the key
    read and waiting for its value."""

    value: Any
    loc: Loc
    key: Any = None
    has_key: bool = False


class _Builder:
    """Turns parser events into plain data and the line of every value."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.stack: list[_Open] = []
        self.anchors: dict[str, int] = {}
        self.root: Any = None

    def fail(self, line: int, message: str) -> YamlError:
        return YamlError(self.doc.file, line, message)

    def _where(self, line: int) -> Loc | None:
        """The location of the next value, or ``None`` if it is a mapping key."""
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.value, list):
            return top.loc + (len(top.value),)
        return top.loc + (top.key,) if top.has_key else None

    def _put(self, value: Any, line: int, loc: Loc | None) -> None:
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        if isinstance(top.value, list):
            top.value.append(value)
        elif top.has_key:
            top.value[top.key] = value
            top.has_key = False
        else:
            self._key(top, value, line)

    def _key(self, top: _Open, key: Any, line: int) -> None:
        if isinstance(key, (list, dict)) or key is None:
            raise self.fail(line, "a key must be a plain word")
        if key == "<<":
            raise self.fail(line, "merge keys (<<) are not allowed")
        key = str(key) if not isinstance(key, (int, float)) else key
        if key in top.value:
            raise self.fail(line, f"duplicate key {key!r} (first at line {self.doc.lines[top.loc + (key,)]})")
        self.doc.lines[top.loc + (key,)] = line
        top.key, top.has_key = key, True

    def _anchor(self, event: Any, line: int) -> None:
        if getattr(event, "anchor", None):
            self.anchors.setdefault(event.anchor, line)

    def event(self, event: Any) -> None:
        line = event.start_mark.line + 1
        if isinstance(event, ScalarEvent):
            self._anchor(event, line)
            loc = self._where(line)
            value = _scalar(event, self.doc.file, line)
            if loc is not None:
                self.doc.lines.setdefault(loc, line)
            self._put(value, line, loc)
        elif isinstance(event, (MappingStartEvent, SequenceStartEvent)):
            self._anchor(event, line)
            tag = event.tag
            expected = _MAP if isinstance(event, MappingStartEvent) else _SEQ
            if tag not in (None, "!", expected):
                raise self.fail(line, f"the tag {tag!r} is not allowed: only plain data is read")
            loc = self._where(line)
            if loc is None:
                raise self.fail(line, "a key must be a plain word")
            if len(self.stack) >= MAX_DEPTH:
                raise self.fail(line, f"nesting deeper than {MAX_DEPTH} levels is not allowed")
            self.doc.lines.setdefault(loc, line)
            self.stack.append(_Open({} if expected == _MAP else [], loc))
        elif isinstance(event, (MappingEndEvent, SequenceEndEvent)):
            done = self.stack.pop()
            self._put(done.value, line, done.loc)
        elif isinstance(event, AliasEvent):
            at = self.anchors.get(event.anchor, line)
            raise self.fail(at, "YAML aliases (*name) are not allowed: the value anchored here is reused; write it out")


def read_yaml(path: Path, within: Sequence[Path] = (), *, resolved: bool = False) -> Document:
    """Read one YAML file into a :class:`Document`, or raise :class:`YamlError`.

    With ``within``, the file must resolve inside one of those folders: a symbolic link (of
    the file or of a folder above it) that points elsewhere is refused, never read
    (``resolved``: the caller has resolved those folders already)."""
    path = Path(path)
    if within:
        real = path.resolve()
        roots = list(within) if resolved else [Path(r).resolve() for r in within]
        if not any(real == r or r in real.parents for r in roots):
            raise YamlError(path, 1, f"refusing to read the file: it is a link to {real}, outside the workspace")
        if not real.is_file():
            raise YamlError(path, 1, "refusing to read the file: it is not a regular file")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise YamlError(path, 1, f"the file is {size} bytes; the limit is {MAX_BYTES}")
        data = path.read_bytes()
        if len(data) > MAX_BYTES:  # a file that grew, or a special file that reports no size
            raise YamlError(path, 1, f"the file is over {MAX_BYTES} bytes")
    except OSError as exc:
        raise YamlError(path, 1, f"cannot read the file: {exc.strerror or exc}") from None
    return parse_bytes(data, path)


def parse_bytes(data: bytes, path: Path = Path("<string>")) -> Document:
    """Parse the bytes of a YAML file, through the parse cache (:mod:`policyengine.cache`):
    a file parsed before, with these very bytes and this very code, is read back from JSON."""
    from . import cache

    name = cache.key("yaml", data)
    doc = _from_entry(cache.get("yaml", name), path, data)
    if doc is not None:
        doc.digest = name
        return doc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlError(path, line, f"not UTF-8 text ({exc.reason})") from None
    doc = parse_yaml(text, path)
    doc.digest = name
    entry = _to_entry(doc)
    if entry is not None:
        cache.put("yaml", name, entry)
    return doc


def _plain_keys(value: Any) -> bool:
    """True when every mapping key in ``value`` is a string (what JSON keeps as it is)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if not all(isinstance(k, str) for k in item):
                return False
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return True


def _to_entry(doc: Document) -> dict[str, Any] | None:
    """A parsed file as JSON data, or ``None`` when JSON would not give it back as it is (a
    number used as a key): such a file is parsed every time. The lines are not kept (see
    :class:`Document`)."""
    if not _plain_keys(doc.data):
        return None
    return {"data": doc.data}


def _from_entry(entry: Any, path: Path, source: bytes) -> Document | None:
    """The document a cache entry holds, or ``None`` when it is not one (a damaged entry)."""
    if not isinstance(entry, dict) or set(entry) != {"data"}:
        return None
    return Document(Path(path), entry["data"], source=source)


def parse_yaml(text: str, path: Path = Path("<string>")) -> Document:
    doc = Document(Path(path), None)
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise YamlError(doc.file, line, f"the control character U+{ord(bad.group()):04X} is not allowed "
                                        "(raw control characters are refused anywhere in the file)")
    builder = _Builder(doc)
    parser = _parser(text)
    documents = 0
    try:
        while True:
            event = parser.get_event()
            if isinstance(event, StreamEndEvent):
                break
            if isinstance(event, DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise YamlError(doc.file, event.start_mark.line + 1,
                                    "a file holds one YAML document: remove the second '---'")
            elif not isinstance(event, (StreamStartEvent, DocumentEndEvent)):
                builder.event(event)
    except yaml.MarkedYAMLError as found:
        exc = _syntax_error(text, found)
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlError(doc.file, line, f"YAML syntax: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YamlError(doc.file, 1, f"YAML: {' '.join(str(exc).split())}") from None
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose:
            dispose()
    doc.data = builder.root
    return doc
