"""The YAML parser behind :mod:`policyengine.yamlio`: parser events to plain data and lines.

Imported only when a file has to be parsed (not when it comes from the parse cache), so a
command whose files are all cached never imports PyYAML. The rules it enforces are listed in
:mod:`policyengine.yamlio`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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

from .i18n import N_
from .i18n.deferred import L_, Text
from .yamlio import MAX_DEPTH, MAX_NUMBER, Document, Loc, YamlError


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


def _number(text: str, kind: type, file: Path, line: int) -> Any:
    digits = len(text.lstrip("+-").replace("_", "").split("e")[0].split("E")[0].lstrip("0"))
    if kind is int and digits > _MAX_DIGITS:
        raise YamlError(file, line, L_("the number %(number)s... is too large (limit %(limit)s)",
                                       number=text[:20], limit=format(MAX_NUMBER, "g")))
    value = kind(text.replace("_", ""))
    if not math.isfinite(value) or abs(value) > MAX_NUMBER:
        shown = text if len(text) <= 30 else text[:27] + "..."
        raise YamlError(file, line, L_("the number %(number)s is too large or not finite (limit %(limit)s)",
                                       number=shown, limit=format(MAX_NUMBER, "g")))
    return value


def _scalar(event: ScalarEvent, file: Path, line: int) -> Any:
    tag, value = event.tag, event.value
    match = _CONTROL_VALUE.search(value)
    if match:
        raise YamlError(file, line, L_("the control character %(char)s is not allowed in a value",
                                       char="U+" + format(ord(match.group()), "04X")))
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
    raise YamlError(file, line, L_("the tag %(tag)s is not allowed: only plain data is read", tag=repr(tag)))


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

    def fail(self, line: int, message: Any) -> YamlError:
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
            raise self.fail(line, L_("a key must be a plain word"))
        if key == "<<":
            raise self.fail(line, L_("merge keys (<<) are not allowed"))
        key = str(key) if not isinstance(key, (int, float)) else key
        if key in top.value:
            raise self.fail(line, L_("duplicate key %(key)s (first at line %(line)s)", key=repr(key),
                                     line=self.doc.lines[top.loc + (key,)]))
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
                raise self.fail(line, L_("the tag %(tag)s is not allowed: only plain data is read", tag=repr(tag)))
            loc = self._where(line)
            if loc is None:
                raise self.fail(line, L_("a key must be a plain word"))
            if len(self.stack) >= MAX_DEPTH:
                raise self.fail(line, L_("nesting deeper than %(depth)s levels is not allowed", depth=MAX_DEPTH))
            self.doc.lines.setdefault(loc, line)
            self.stack.append(_Open({} if expected == _MAP else [], loc))
        elif isinstance(event, (MappingEndEvent, SequenceEndEvent)):
            done = self.stack.pop()
            self._put(done.value, line, done.loc)
        elif isinstance(event, AliasEvent):
            at = self.anchors.get(event.anchor, line)
            raise self.fail(at, L_("YAML aliases (*name) are not allowed: the value anchored here is reused; "
                                   "write it out"))


#: PyYAML's words for the commonest syntax errors, as messages of the catalogue (what it found,
#: a character or a token such as ``'<block mapping start>'``, is data). Rarer ones stay English.
_SYNTAX: list[tuple[re.Pattern[str], str]] = [(re.compile(pattern + "$"), message) for pattern, message in (
    (r"mapping values are not allowed here", N_("mapping values are not allowed here")),
    (r"mapping keys are not allowed here", N_("mapping keys are not allowed here")),
    (r"sequence entries are not allowed here", N_("sequence entries are not allowed here")),
    (r"could not find expected ':'", N_("could not find expected ':'")),
    (r"found unexpected end of stream", N_("found unexpected end of stream")),
    (r"found unexpected document separator", N_("found unexpected document separator")),
    (r"invalid indentation or unclosed '\[' or '\{'", N_("invalid indentation or unclosed '[' or '{'")),
    (r"found character (?P<found>.+) that cannot start any token",
     N_("found character %(found)s that cannot start any token")),
    (r"found unknown escape character (?P<found>.+)", N_("found unknown escape character %(found)s")),
    (r"expected <block end>, but found (?P<found>.+)", N_("expected <block end>, but found %(found)s")),
    (r"expected ',' or '\]', but got (?P<found>.+)", N_("expected ',' or ']', but got %(found)s")),
    (r"expected ',' or '\}', but got (?P<found>.+)", N_("expected ',' or '}', but got %(found)s")),
    (r"expected the node content, but found (?P<found>.+)", N_("expected the node content, but found %(found)s")),
    (r"expected a comment or a line break, but found (?P<found>.+)",
     N_("expected a comment or a line break, but found %(found)s")),
    (r"expected alphabetic or numeric character, but found (?P<found>.+)",
     N_("expected alphabetic or numeric character, but found %(found)s")),
)]


def syntax_problem(problem: str | None) -> str:
    """PyYAML's account of a syntax error: a message of the catalogue where it is a common one."""
    text = " ".join(str(problem or "").split())
    for pattern, message in _SYNTAX:
        m = pattern.match(text)
        if m:
            return Text(message, m.groupdict())
    return text


def parse(text: str, path: Path = Path("<string>")) -> Document:
    doc = Document(Path(path), None)
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise YamlError(doc.file, line, L_("the control character %(char)s is not allowed (raw control characters "
                                           "are refused anywhere in the file)", char="U+" + format(ord(bad.group()), "04X")))
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
                                    L_("a file holds one YAML document: remove the second '---'"))
            elif not isinstance(event, (StreamStartEvent, DocumentEndEvent)):
                builder.event(event)
    except yaml.MarkedYAMLError as found:
        exc = _syntax_error(text, found)
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlError(doc.file, line,
                        L_("YAML syntax: %(problem)s", problem=syntax_problem(exc.problem or exc.context))) from None
    except yaml.YAMLError as exc:
        raise YamlError(doc.file, 1, L_("YAML: %(problem)s", problem=" ".join(str(exc).split()))) from None
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose:
            dispose()
    doc.data = builder.root
    return doc
