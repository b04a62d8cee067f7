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
pure-Python one otherwise: same events, same result) and built with an explicit stack
(:mod:`.yamlparse`): no node graph, no recursion, so no input can exhaust the Python stack.
A file read before, with the same bytes and the same code, comes from the parse cache
(:mod:`.cache`) without importing the parser.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from .i18n.deferred import L_, shown

MAX_BYTES = 2 * 1024 * 1024
#: Deepest nesting of mappings and sequences (the shipped content needs about 12).
MAX_DEPTH = 64
#: Largest magnitude of a number; beyond it a value is a typo or an attack, not a fact.
MAX_NUMBER = 1e18

Loc = tuple[Any, ...]


@dataclass
class YamlError(Exception):
    """A problem in a YAML file, with its line (1-based)."""

    file: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {shown(self.message)}"


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
            self._lines = _cached_lines(self.digest) or _store_lines(self.digest, self._source, self.file)
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
            raise YamlError(path, 1, L_("refusing to read the file: it is a link to %(target)s, outside the workspace",
                                        target=str(real)))
        if not real.is_file():
            raise YamlError(path, 1, L_("refusing to read the file: it is not a regular file"))
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise YamlError(path, 1, L_("the file is %(size)s bytes; the limit is %(limit)s", size=size, limit=MAX_BYTES))
        data = path.read_bytes()
        if len(data) > MAX_BYTES:  # a file that grew, or a special file that reports no size
            raise YamlError(path, 1, L_("the file is over %(limit)s bytes", limit=MAX_BYTES))
    except OSError as exc:
        raise YamlError(path, 1, L_("cannot read the file: %(reason)s", reason=str(exc.strerror or exc))) from None
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
        raise YamlError(path, line, L_("not UTF-8 text (%(reason)s)", reason=exc.reason)) from None
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


def _cached_lines(name: str | None) -> dict[Loc, int] | None:
    """The line of every key and item of a file whose bytes the parse cache names ``name``,
    kept beside its data: a command that reports problems (``validate`` warns about the shipped
    content) finds their lines without parsing the files again. ``None`` when there is no such
    entry or it does not have the expected shape."""
    from . import cache

    entry = cache.get("lines", name) if name else None
    if not isinstance(entry, list):
        return None
    lines: dict[Loc, int] = {}
    for row in entry:
        if not (isinstance(row, list) and len(row) == 2 and isinstance(row[0], list) and type(row[1]) is int
                and all(type(part) in (str, int) for part in row[0])):
            return None
        lines[tuple(row[0])] = row[1]
    return lines


def _store_lines(name: str | None, source: bytes, path: Path) -> dict[Loc, int]:
    from . import cache

    lines = parse_yaml(source.decode("utf-8"), path).lines
    if name:
        cache.put("lines", name, [[list(loc), line] for loc, line in lines.items()])
    return lines


def parse_yaml(text: str, path: Path = Path("<string>")) -> Document:
    """Parse YAML text into a :class:`Document` (the parser, :mod:`.yamlparse`, and PyYAML are
    imported only when a file is not in the parse cache)."""
    from .yamlparse import parse

    return parse(text, path)
