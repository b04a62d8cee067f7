"""The Jinja environment every document is rendered with.

Sandboxed (templates may come from a workspace, so they get no access to Python internals),
StrictUndefined (a misspelt variable is an error, never a blank in a printed toolkit) and
autoescaping for ``.html`` templates. Templates are looked up in the workspace's ``templates/``
first, then in the shipped ``templates/``, so an organisation can override one file (a logo, a
translated handout) without copying the rest.

Templates from a workspace are untrusted, so rendering has budgets: a template file is at most
:data:`MAX_TEMPLATE_BYTES` and must resolve inside its template folder (a symbolic link that
points elsewhere is refused); a document renders in at most :data:`TIME_BUDGET_S` seconds,
into at most :data:`MAX_OUTPUT_CHARS` characters, with at most :data:`MEMORY_BUDGET` more bytes
of memory; ``*`` and ``**`` refuse results beyond those sizes. Any error a template raises
(a syntax error, ``1/0``, a TypeError, a runaway recursion) ends as one :class:`TemplateError`.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import threading
import time
import types
from pathlib import Path
from typing import Any, Callable, Iterator

import jinja2
from jinja2 import BytecodeCache, ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateNotFound, select_autoescape
from jinja2.bccache import Bucket
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from .. import i18n
from ..i18n.catalogues import language_info
from ..i18n.format import filters_for, separators
from ..load import Workspace, shipped_root
from ..problems import PolicyEngineError
from . import markdown as md
from .documents import AREA_TITLES, HORIZON_LABELS, SECTION_TITLES, STATUS_LABELS, label_of, term


class TemplateError(PolicyEngineError):
    """A template is missing or failed to render."""


#: Largest template file read (the shipped ones are under 20 kB).
MAX_TEMPLATE_BYTES = 512 * 1024
#: Longest a document may take to render, and most characters it may hold.
TIME_BUDGET_S = 20.0
MAX_OUTPUT_CHARS = 20_000_000
#: Most memory rendering may add to the process (Linux; a backstop for string doubling).
MEMORY_BUDGET = 1024 * 1024 * 1024


class _BudgetExceeded(Exception):
    pass


class ContainedLoader(FileSystemLoader):
    """A :class:`FileSystemLoader` that reads only regular files resolving inside its folder."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(os.path.realpath(filename))
        roots = [Path(os.path.realpath(p)) for p in self.searchpath]
        if not any(real == root or root in real.parents for root in roots):
            raise TemplateError(f"{filename}:1: refusing the template: it is a link to {real}, "
                                f"outside its template folder")
        if len(source) > MAX_TEMPLATE_BYTES:
            raise TemplateError(f"{filename}:1: the template is {len(source)} characters; "
                                f"the limit is {MAX_TEMPLATE_BYTES}")
        return source, filename, uptodate


#: What Jinja's ``wrap_str_format`` looks at (a bound ``str.format`` is one of these).
_METHODS = (types.MethodType, types.BuiltinMethodType)


class _CheckedOnceSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with its verdict on an attribute remembered per (type, name).

    Jinja's check (private names, internal attributes of functions, frames and generators,
    mutating methods of lists, dicts and sets) depends only on the object's type and the
    attribute's name, so remembering it changes no verdict; it was more than half the time
    of rendering a toolkit.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._verdicts: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return verdict

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Jinja's sandboxed ``obj.attribute``, the same verdicts in fewer steps (a toolkit reads
        ~14,000 attributes). Jinja's own path only adds a wrapper around ``str.format`` and
        ``str.format_map`` methods, so any value that is not a method is decided here; a method
        goes through Jinja's path unchanged."""
        try:
            value = getattr(obj, attribute)
        except AttributeError:
            try:
                return obj[attribute]
            except (TypeError, LookupError):
                return self.undefined(obj=obj, name=attribute)
        if isinstance(value, _METHODS):
            return super().getattr(obj, attribute)
        key = (type(obj), attribute)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = super().is_safe_attribute(obj, attribute, value)
        return value if verdict else self.unsafe_undefined(obj, attribute)


class BudgetedEnvironment(_CheckedOnceSandbox):
    """The sandbox, with ``*`` and ``**`` refusing results that would not fit the budgets."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            if isinstance(right, (int, float)) and isinstance(left, (int, float)) and abs(right) > 64 \
                    and abs(left) > 1:
                raise _BudgetExceeded(f"{left!r} ** {right!r} is too large")
        elif operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) \
                        and len(seq) * times > MAX_OUTPUT_CHARS:
                    raise _BudgetExceeded("a repeated string or list would exceed the size budget")
        return super().call_binop(context, operator, left, right)


class SharedBytecode(BytecodeCache):
    """Compiled templates kept in memory and shared by every environment of one configuration.

    Each document builds its own environment (its language, its workspace's templates), and
    compiling the templates was most of a document's time: the same shipped files compiled
    again for every toolkit, gap analysis and handout. Jinja looks a template up here by its
    name and file, and reuses the code only while the file's text has the same checksum, so an
    edited or overriding template (another file, or the same file changed) is compiled anew.
    The code does not hold the environment (Jinja binds it when the template is made), and
    :func:`make_environment` keeps one cache per set of filter and test names, the only part of
    an environment its compiler checks; at most :data:`MAX_ENTRIES` templates are kept.
    """

    MAX_ENTRIES = 512

    def __init__(self) -> None:
        self._code: dict[str, tuple[str, Any]] = {}
        self._lock = threading.Lock()

    def load_bytecode(self, bucket: Bucket) -> None:
        with self._lock:
            found = self._code.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        with self._lock:
            self._code.pop(bucket.key, None)
            while len(self._code) >= self.MAX_ENTRIES:  # the oldest first (dicts keep insertion order)
                del self._code[next(iter(self._code))]
            self._code[bucket.key] = (bucket.checksum, bucket.code)

    def clear(self) -> None:
        with self._lock:
            self._code.clear()


_BYTECODE: dict[tuple[frozenset[str], frozenset[str]], SharedBytecode] = {}
_BYTECODE_LOCK = threading.Lock()


def _shared_bytecode(env: jinja2.Environment) -> SharedBytecode:
    key = (frozenset(env.filters), frozenset(env.tests))
    with _BYTECODE_LOCK:
        return _BYTECODE.setdefault(key, SharedBytecode())


def shipped_templates() -> Path:
    return shipped_root() / "templates"


def template_dirs(ws: Workspace | None) -> list[Path]:
    dirs = []
    shipped = shipped_templates().resolve()
    if ws is not None and ws.templates_dir.is_dir():
        own = ws.templates_dir.resolve()
        root = ws.root.resolve()
        if own != shipped and root not in own.parents:
            raise TemplateError(f"{ws.templates_dir}:1: refusing the templates folder: it is a link to {own}, "
                                "outside the workspace")
        dirs.append(own)
    if shipped not in dirs:
        dirs.append(shipped)
    return dirs


def make_environment(ws: Workspace | None, lang: str = "en") -> ImmutableSandboxedEnvironment:
    """The environment of one document language: ``num``, ``year``, ``pct``, ``amount`` and
    ``date`` format through Babel for ``lang`` (:mod:`policyengine.i18n.format`)."""
    env = BudgetedEnvironment(
        loader=ChoiceLoader([ContainedLoader(str(d)) for d in template_dirs(ws)]),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html", "svg"), default_for_string=False, default=False),
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False,
        extensions=["jinja2.ext.i18n"])
    # ``_``, ``gettext``, ``ngettext``, ``pgettext`` in templates: the same functions as the code's
    # (policyengine.i18n), so one catalogue serves both; newstyle escapes and formats %(name)s.
    env.install_gettext_callables(i18n.raw_gettext, i18n.raw_ngettext, newstyle=True,  # type: ignore[attr-defined]
                                  pgettext=i18n.raw_pgettext, npgettext=i18n.raw_npgettext)
    # ``_``, ``gettext`` and ``ngettext`` (~700 calls a toolkit) directly: Jinja's ``_`` resolves
    # ``gettext``, which calls the catalogue function, each hop a sandboxed call; the same text.
    env.globals.update({"_": _gettext, "gettext": _gettext, "ngettext": _ngettext})
    env.filters.update({
        "md": md.escape_md,  # plain text into Markdown
        "mdline": md.escape_md_line,  # plain text that starts a Markdown line
        "mdcode": md.code_md,  # a path or id as a Markdown code span
        "mdtext": _md_text,  # Markdown text (rule and principle texts) into Markdown
        "inline": md.inline,  # Markdown text into HTML, raw HTML off
        "status_label": lambda s: i18n.gettext(STATUS_LABELS[s]) if s in STATUS_LABELS else s,
        "area_title": lambda a: i18n.gettext(AREA_TITLES[a]) if a in AREA_TITLES else a,
        "fact_label": label_of,
        "section_title": _section_title,
        "term": term,  # an enumerated value (kind, status, severity, identity level) in the document's language
        "horizon": lambda h: i18n.gettext(HORIZON_LABELS[h]) if h in HORIZON_LABELS else h,
    })
    env.filters.update(filters_for(lang))
    env.globals["sep"] = separators(lang)  # {{ sep.comma }}, {{ sep.semicolon }}: the language's own
    # The document's language: <html lang dir>, and the cover line of an unreviewed translation.
    env.globals["language"] = language_info(lang)
    env.tests["weburl"] = _is_web_url
    env.bytecode_cache = _shared_bytecode(env)
    return env


@jinja2.pass_context
def _gettext(context: jinja2.runtime.Context, message: str, /, **variables: Any) -> str:
    """Jinja's newstyle ``gettext`` in one step: the translation, made markup in an escaped
    template so that ``%`` escapes the values, always formatted (``%%`` is a percent sign)."""
    text = i18n.raw_gettext(message)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables


@jinja2.pass_context
def _ngettext(context: jinja2.runtime.Context, singular: str, plural: str, num: int, /, **variables: Any) -> str:
    """Jinja's newstyle ``ngettext`` in one step (``%(num)s`` is ``num`` unless given)."""
    variables.setdefault("num", num)
    text = i18n.raw_ngettext(singular, plural, num)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables


def _section_title(section: str) -> str:
    english = SECTION_TITLES.get(section, AREA_TITLES.get(section))
    return i18n.gettext(english) if english else section


def _is_web_url(value: object) -> bool:
    """Only http(s) addresses become links; anything else (``javascript:``) stays text."""
    # ``split()`` cuts at exactly the characters ``str.isspace`` accepts: one piece, no space.
    return isinstance(value, str) and value.startswith(("https://", "http://")) and value.split() == [value]


def _md_text(text: str | None) -> str:
    """Authored Markdown (a rule's finding text) kept as Markdown, with raw HTML and unsafe
    links neutralised (:func:`~policyengine.render.markdown.md_text`)."""
    return md.md_text(text, cell=True)


def render(env: ImmutableSandboxedEnvironment, name: str, **context: Any) -> str:
    shown = name
    try:
        with _budget():
            template = env.get_template(name)
            shown = template.filename or name
            text = _bounded(template.generate(**context))
    except TemplateNotFound as exc:
        raise TemplateError(f"template not found: {exc.name} (looked in {', '.join(str(p) for p in _searched(env))})") from exc
    except PolicyEngineError:
        raise
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or name}:{exc.lineno}: template syntax: {exc.message}") from None
    except _BudgetExceeded as exc:
        raise TemplateError(f"{_where(exc, shown)}: the template exceeds its budget: {exc}") from None
    except (MemoryError, RecursionError) as exc:
        kind = "memory" if isinstance(exc, MemoryError) else "recursion depth"
        raise TemplateError(f"{_where(exc, shown)}: the template exceeds its {kind} budget") from None
    except Exception as exc:  # a workspace template may raise anything: 1/0, a TypeError...
        message = " ".join(str(exc).split())[:300]
        raise TemplateError(f"{_where(exc, shown)}: template error: {exc.__class__.__name__}: {message}") from None
    return text if text.endswith("\n") else text + "\n"


def _where(exc: BaseException, name: str) -> str:
    """``file:line`` of the template frame an error was raised in (Jinja rewrites tracebacks
    so that template frames carry the template's file and line)."""
    tb = exc.__traceback__
    found = f"{name}:1"
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".md", ".svg", ".css", ".txt")):
            found = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found


#: Chunks of template output taken at a time between two checks of the budgets (checking
#: after every one of a toolkit's ~7,000 chunks cost a sixth of its rendering).
_CHECK_EVERY = 256


def _bounded(chunks: Iterator[str]) -> str:
    out: list[str] = []
    size = 0
    deadline = time.monotonic() + TIME_BUDGET_S
    it = iter(chunks)
    while True:
        part = list(itertools.islice(it, _CHECK_EVERY))
        if not part:
            return "".join(out)
        text = "".join(part)
        size += len(text)
        if size > MAX_OUTPUT_CHARS:
            raise _BudgetExceeded(f"the output is over {MAX_OUTPUT_CHARS} characters")
        if time.monotonic() > deadline:
            raise _BudgetExceeded(f"rendering took over {TIME_BUDGET_S:g} s")
        out.append(text)


@contextlib.contextmanager
def _budget() -> Iterator[None]:
    """Stop a template that runs past :data:`TIME_BUDGET_S` (a timer signal, in the main thread
    of a Unix process) and cap the memory it may add (``RLIMIT_AS``, on Linux)."""
    with contextlib.ExitStack() as stack:
        if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
            def expire(signum: int, frame: Any) -> None:
                raise _BudgetExceeded(f"rendering took over {TIME_BUDGET_S:g} s")

            previous = signal.signal(signal.SIGALRM, expire)
            signal.setitimer(signal.ITIMER_REAL, TIME_BUDGET_S)

            def restore() -> None:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)

            stack.callback(restore)
        stack.enter_context(_memory_cap())
        yield


@contextlib.contextmanager
def _memory_cap() -> Iterator[None]:
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        with open("/proc/self/statm", encoding="ascii") as handle:
            used = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (ImportError, OSError, ValueError, AttributeError):
        yield
        return
    cap = used + MEMORY_BUDGET
    if (soft != resource.RLIM_INFINITY and soft <= cap) or (hard != resource.RLIM_INFINITY and hard < cap):
        yield
        return
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _searched(env: ImmutableSandboxedEnvironment) -> list[str]:
    loader = env.loader
    out: list[str] = []
    if isinstance(loader, ChoiceLoader):
        for sub in loader.loaders:
            if isinstance(sub, FileSystemLoader):
                out.extend(str(p) for p in sub.searchpath)
    return out
