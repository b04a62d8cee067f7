"""Extract, update, compile, count and check the catalogues (``policyengine i18n ...``).

- :func:`extract` writes the two templates: ``messages.pot`` from the templates (Jinja i18n
  extension) and the Python code (``_()``, ``N_()``, ``pgettext``), ``content.pot`` from the
  rulesets (:mod:`policyengine.i18n.content`).
- :func:`update` merges each language's ``.po`` with its template. In ``content`` an entry is
  matched by its ``msgctxt`` (the text's source): a changed English text keeps its translation,
  marked ``fuzzy`` with the old English as ``#| msgid``, so it needs review and is not shown
  until a translator clears the flag. ``messages`` uses Babel's usual fuzzy matching.
- :func:`compile` writes the ``.mo`` files (fuzzy entries left out, as gettext does).
- :func:`stats` counts per language and catalogue; :func:`check` lists what makes CI fail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

from ..problems import PolicyEngineError
from .catalogues import (
    DOMAINS,
    LOCALE_DIR,
    folder_name,
    po_path,
    template_path,
    translated_languages,
)
from .mo import UNREVIEWED, compile_bytes
from .mo import translated as is_translated

PROJECT = "policyengine"
COPYRIGHT = "the policyengine contributors"
BUGS = "the policyengine issue tracker"
#: Fixed creation date, so that re-extracting unchanged sources rewrites the same bytes.
_EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
#: Comments written for translators in the sources start with this tag.
COMMENT_TAGS = ("Translators:",)
#: How each kind of source file is read for the ``messages`` catalogue.
METHOD_MAP = [
    ("policyengine/**.py", "python"),
    ("templates/**.html", "jinja2"),
    ("templates/**.md", "jinja2"),
    ("templates/**.txt", "jinja2"),
]
#: The functions whose first argument is a message: gettext's own, and ``L_`` (a problem's message,
#: translated where it is shown: :mod:`policyengine.i18n.deferred`).
KEYWORDS = {**DEFAULT_KEYWORDS, "L_": None}
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true", "trim_blocks": "true",
                 "lstrip_blocks": "true"}


class CatalogueError(PolicyEngineError):
    """A catalogue cannot be read or written."""


def _source_root() -> Path:
    from ..load import checkout_root

    return checkout_root()


def _version() -> str:
    from .. import __version__

    return str(__version__)


# --- extraction ------------------------------------------------------------------------------

def extract_messages(root: Path | None = None) -> Catalog:
    """The interface template: every marked string of the Python code and the templates."""
    root = root or _source_root()
    cat = Catalog(project=PROJECT, version=_version(), charset="utf-8", fuzzy=False, creation_date=_EPOCH,
                  copyright_holder=COPYRIGHT, msgid_bugs_address=BUGS)
    options = {"templates/**.html": JINJA_OPTIONS, "templates/**.md": JINJA_OPTIONS, "templates/**.txt": JINJA_OPTIONS}
    for filename, lineno, message, comments, context in extract_from_dir(
            str(root), METHOD_MAP, options_map=options, keywords=KEYWORDS, comment_tags=COMMENT_TAGS,
            strip_comment_tags=True):
        if filename.startswith(("policyengine/locale", "policyengine/_content")):
            continue
        flags = {"python-format"} if _has_placeholder(message) else set()
        cat.add(message, None, [(filename, lineno)], auto_comments=comments, context=context, flags=flags)
    _add_help_texts(cat)
    return cat


def _add_help_texts(cat: Catalog) -> None:
    """The command line's help texts (docstrings and ``help=`` arguments, which Babel cannot
    see), found by walking the command tree; see :mod:`policyengine.i18n.clihelp`."""
    from .clihelp import help_messages

    for text, filename, lineno in help_messages():
        found = cat.get(text)
        if found is not None:
            if (filename, lineno) not in found.locations:
                found.locations.append((filename, lineno))
            continue
        flags = {"python-format"} if _has_placeholder(text) else set()
        cat.add(text, None, [(filename, lineno)], flags=flags)


def _has_placeholder(message: Any) -> bool:
    texts = message if isinstance(message, tuple) else (message,)
    return any("%(" in t or "%s" in t or "%d" in t for t in texts if t)


def extract_content(ws: Any = None) -> Catalog:
    """The content template, from the shipped rulesets (or ``ws``)."""
    from ..load import load_workspace
    from .content import build_template

    ws = ws or load_workspace(None)
    cat = build_template(ws, PROJECT, _version())
    cat.creation_date = _EPOCH
    cat.copyright_holder = COPYRIGHT
    cat.msgid_bugs_address = BUGS
    return cat


def extracted(domain: str) -> Catalog:
    return extract_messages() if domain == "messages" else extract_content()


#: The folders of the checkout the two templates are extracted from (the Python code, the
#: templates, the rulesets and the jurisdictions' facts the content's labels come from).
_SOURCE_FOLDERS = ("policyengine", "templates", "rulesets", "jurisdictions")
_EXTRACTED_KEYS: dict[str, tuple[str, set[tuple[Any, str | None]]]] = {}


def _sources_digest() -> str:
    """A digest of every source file's path and bytes (not its time: a file rewritten within
    one tick of the clock with the same size is still seen)."""
    from ..load import shipped_root

    digest = hashlib.blake2b(digest_size=20)
    roots = dict.fromkeys([_source_root(), shipped_root()])  # the same folder in a checkout
    for root, folder in ((r, f) for r in roots for f in _SOURCE_FOLDERS):
        for top, dirs, files in os.walk(root / folder):
            dirs[:] = sorted(d for d in dirs if d not in ("__pycache__", "locale", "_content") and not d.startswith("."))
            for name in sorted(files):
                if name.endswith((".pyc", ".mo")):
                    continue
                path = os.path.join(top, name)
                digest.update(os.path.relpath(path, root).encode("utf-8", "surrogateescape") + b"\0")
                with open(path, "rb") as handle:
                    digest.update(handle.read())
                digest.update(b"\0")
    return digest.hexdigest()


def extracted_keys(domain: str) -> set[tuple[Any, str | None]]:
    """The (text, context) keys of :func:`extracted`, kept for the process while no source file
    changed: ``check`` and ``stale`` compare them often (CI, the tests), and extracting reads
    every source file while hashing them takes a hundredth of that."""
    digest = _sources_digest()
    found = _EXTRACTED_KEYS.get(domain)
    if found is not None and found[0] == digest:
        return set(found[1])
    keys = _keys(extracted(domain))
    _EXTRACTED_KEYS[domain] = (digest, keys)
    return set(keys)


#: The flag GNU gettext reads as "not a format string": ``msgfmt --check`` does not check it.
NO_FORMAT = "no-python-format"


def plain_text(cat: Catalog) -> Catalog:
    """Mark every entry as plain text, never a format string. Content texts are shown as
    written (never ``%``-formatted), but Babel flags any text that looks like one (``3% of``
    reads as the conversion ``% o``), and ``msgfmt --check`` then rejects a translation that
    writes ``3 %``; ``no-python-format`` tells gettext tools (and translators' editors) so."""
    for m in cat:
        if m.id and "python-format" in m.flags:
            m.flags.discard("python-format")
            m.flags.add(NO_FORMAT)
    return cat


def _write(cat: Catalog, path: Path, *, template: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.stem == "content":
        plain_text(cat)
    for key, old in list(cat.obsolete.items()):
        if cat.get(old.id, old.context) is not None:  # back in use: msgfmt rejects it written twice
            del cat.obsolete[key]
    buf = io.BytesIO()
    write_po(buf, cat, width=100, omit_header=False, ignore_obsolete=template, include_previous=True,
             sort_output=False, sort_by_file=False)
    data = buf.getvalue()
    if not path.is_file() or path.read_bytes() != data:
        path.write_bytes(data)


def _read(path: Path, lang: str | None = None) -> Catalog:
    try:
        with path.open("rb") as f:
            return read_po(f, locale=lang and folder_name(lang), abort_invalid=False)
    except (OSError, ValueError) as exc:
        raise CatalogueError(f"{path}:1: catalogue: cannot read it ({exc})") from exc


_PARSED: dict[tuple[str, str | None, bytes], Catalog] = {}
_PARSED_LOCK = threading.Lock()
#: Catalogues kept parsed (five languages and two templates, two domains each, with room).
_MAX_PARSED = 32


def _read_only(path: Path, lang: str | None = None) -> Catalog:
    """:func:`_read` for callers that only look (stats, check): the catalogue parsed once per
    content of the file (keyed by a digest of its bytes, so an edited file is read again).
    ``check`` reads each template once per language; parsing is most of its time."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogueError(f"{path}:1: catalogue: cannot read it ({exc})") from exc
    key = (str(path), lang, hashlib.blake2b(data, digest_size=20).digest())
    with _PARSED_LOCK:
        found = _PARSED.get(key)
    if found is not None:
        return found
    try:
        cat = read_po(io.BytesIO(data), locale=lang and folder_name(lang), abort_invalid=False)
    except ValueError as exc:
        raise CatalogueError(f"{path}:1: catalogue: cannot read it ({exc})") from exc
    with _PARSED_LOCK:
        while len(_PARSED) >= _MAX_PARSED:
            del _PARSED[next(iter(_PARSED))]
        _PARSED[key] = cat
    return cat


def extract(root: Path | None = None) -> list[Path]:
    """Write ``messages.pot`` and ``content.pot``; returns their paths."""
    out = []
    for domain in DOMAINS:
        path = template_path(domain, root)
        _write(extracted(domain), path, template=True)
        out.append(path)
    return out


# --- update ----------------------------------------------------------------------------------

def _rekey_by_context(catalog: Catalog, template: Catalog) -> dict[tuple[Any, str], list[str]]:
    """Carry a translation to the new English text of the same source, marked fuzzy; returns the
    old English of each entry so moved (written as ``#| msgid`` for the translator)."""
    by_context = {m.context: m for m in catalog if m.id and m.context}
    moved: dict[tuple[Any, str], list[str]] = {}
    for new in template:
        if not new.id or not new.context:
            continue
        old = by_context.get(new.context)
        if old is None or old.id == new.id:
            continue
        catalog.delete(old.id, old.context)
        previous = [old.id] if isinstance(old.id, str) else list(old.id)
        catalog[new.id] = Message(new.id, old.string, locations=new.locations, flags=set(old.flags) | {"fuzzy"},
                                  auto_comments=new.auto_comments, user_comments=old.user_comments,
                                  previous_id=previous, context=new.context)
        moved[(new.id, new.context)] = previous
    return moved


def new_catalogue(lang: str, template: Catalog) -> Catalog:
    cat = Catalog(locale=folder_name(lang), project=PROJECT, version=_version(), charset="utf-8", fuzzy=False,
                  copyright_holder=COPYRIGHT, msgid_bugs_address=BUGS,
                  creation_date=_EPOCH, revision_date=_EPOCH, language_team=f"{lang} <LL@li.org>")
    cat.update(template, no_fuzzy_matching=True)
    return cat


def update(languages: Iterable[str] | None = None, root: Path | None = None) -> list[Path]:
    """Merge every language's catalogues with the templates on disk (run :func:`extract` first)."""
    out = []
    for domain in DOMAINS:
        template = _read(template_path(domain, root))
        for lang in languages or translated_languages():
            path = po_path(lang, domain, root)
            if not path.is_file():
                cat = new_catalogue(lang, template)
            else:
                cat = _read(path, lang)
                moved = _rekey_by_context(cat, template) if domain == "content" else {}
                cat.update(template, no_fuzzy_matching=(domain == "content"), update_header_comment=False)
                for (msgid, ctx), previous in moved.items():
                    entry = cat.get(msgid, ctx)
                    if entry is not None:
                        entry.previous_id = previous
            _write(cat, path)
            out.append(path)
    return out


# --- compile ---------------------------------------------------------------------------------

def compile(languages: Iterable[str] | None = None, root: Path | None = None) -> list[Path]:  # noqa: A001
    out = []
    for lang in languages or translated_languages():
        for domain in DOMAINS:
            po = po_path(lang, domain, root)
            if po.is_file():
                mo = po.with_suffix(".mo")
                mo.write_bytes(compile_bytes(po))
                out.append(mo)
    return out


# --- stats and check -------------------------------------------------------------------------

@dataclass(frozen=True)
class Stats:
    lang: str
    domain: str
    total: int
    translated: int  # translated and not fuzzy (shown in documents)
    fuzzy: int  # translated, but the English changed: needs review, not shown
    unreviewed: int  # translated (shown) but not yet reviewed by a qualified translator
    missing: int  # no translation: the English is shown

    @property
    def percent(self) -> float:
        return self.translated / self.total if self.total else 1.0


def _keys(cat: Catalog) -> set[tuple[Any, str | None]]:
    return {(m.id, m.context) for m in cat if m.id}


def stats_of(lang: str, domain: str, root: Path | None = None) -> Stats:
    template = _read_only(template_path(domain, root))
    keys = _keys(template)
    path = po_path(lang, domain, root)
    cat = _read_only(path, lang) if path.is_file() else Catalog()
    messages = {(m.id, m.context): m for m in cat if m.id}
    translated = fuzzy = unreviewed = 0
    for key in keys:
        m = messages.get(key)
        if m is None:
            continue
        if is_translated(m):
            translated += 1
            unreviewed += UNREVIEWED in m.flags
        elif m.string and any(m.string if isinstance(m.string, (list, tuple)) else (m.string,)):
            fuzzy += 1
    return Stats(lang, domain, len(keys), translated, fuzzy, unreviewed, len(keys) - translated - fuzzy)


def stats(languages: Iterable[str] | None = None, root: Path | None = None) -> list[Stats]:
    return [stats_of(lang, domain, root) for lang in (languages or translated_languages()) for domain in DOMAINS]


def declared_complete(root: Path | None = None) -> list[str]:
    """The languages ``languages.yaml`` declares complete (CI fails when one misses a string)."""
    import yaml

    path = (root or LOCALE_DIR) / "languages.yaml"
    if not path.is_file():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    complete = data.get("complete") or []
    if not isinstance(complete, list) or not all(isinstance(x, str) for x in complete):
        raise CatalogueError(f"{path}:1: complete: a list of language codes")
    return complete


def stale(domain: str, root: Path | None = None) -> tuple[set[Any], set[Any]]:
    """What the sources have that the ``.pot`` lacks, and what the ``.pot`` has that the sources
    no longer do (line numbers are not compared: moving a text is not a change)."""
    path = template_path(domain, root)
    on_disk = _keys(_read_only(path)) if path.is_file() else set()
    fresh = extracted_keys(domain)
    return fresh - on_disk, on_disk - fresh


_PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdfr]")


def _translated(lang: str, root: Path | None) -> Iterator[tuple[str, Path, Message]]:
    """Every entry with an id of ``lang``'s catalogues, with its domain and file."""
    for domain in DOMAINS:
        path = po_path(lang, domain, root)
        if path.is_file():
            yield from ((domain, path, m) for m in _read_only(path, lang) if m.id)


def placeholder_problems(lang: str, root: Path | None = None) -> list[str]:
    """Translations whose ``%(name)s`` placeholders differ from the English (the document would
    fail to render, or drop a number)."""
    out = []
    for domain, path, m in _translated(lang, root):
        if not m.string:
            continue
        ids = m.id if isinstance(m.id, (list, tuple)) else (m.id,)
        strings = m.string if isinstance(m.string, (list, tuple)) else (m.string,)
        want = set(_PLACEHOLDER.findall(ids[-1]))
        for s in strings:
            if s and set(_PLACEHOLDER.findall(s)) - set().union(*(set(_PLACEHOLDER.findall(i)) for i in ids)):
                out.append(f"{path}:{m.lineno}: {lang}: placeholder not in the English: {s[:60]!r}")
            elif s and domain == "messages" and len(ids) == 1 and set(_PLACEHOLDER.findall(s)) != want:
                out.append(f"{path}:{m.lineno}: {lang}: placeholders {sorted(want)} expected in {s[:60]!r}")
    return out


def punctuation_problems(lang: str, root: Path | None = None) -> list[str]:
    """Translations whose punctuation is not the language's (Chinese: full-width marks after
    Chinese text and brackets; :mod:`policyengine.i18n.punctuation`)."""
    from .punctuation import CHECKS

    rule = CHECKS.get(lang)
    if rule is None:
        return []
    out = []
    for _domain, path, m in _translated(lang, root):
        strings = m.string if isinstance(m.string, (list, tuple)) else (m.string,)
        for s in strings:
            if s:
                out += [f"{path}:{m.lineno}: {lang}: {problem} in {s[:60]!r}" for problem in rule(s)]
    return out


def check(root: Path | None = None) -> list[str]:
    """One line per problem: a stale template, a translation whose placeholders differ from the
    English, or a string missing (or needing review) in a language declared complete."""
    problems = []
    for lang in translated_languages():
        problems += placeholder_problems(lang, root)
        problems += punctuation_problems(lang, root)
    for domain in DOMAINS:
        added, removed = stale(domain, root)
        if added or removed:
            sample = sorted(str(k[1] or k[0])[:60] for k in added | removed)[:3]
            problems.append(f"{template_path(domain, root)}:1: template: stale, {len(added)} new and {len(removed)} "
                            f"removed strings (e.g. {'; '.join(sample)}); run `policyengine i18n extract` and "
                            "`policyengine i18n update`")
    for lang in declared_complete(root):
        for s in (stats_of(lang, d, root) for d in DOMAINS):
            if s.missing or s.fuzzy:
                problems.append(f"{po_path(lang, s.domain, root)}:1: {lang}: declared complete in languages.yaml "
                                f"but {s.missing} strings are missing and {s.fuzzy} need review")
    return problems
