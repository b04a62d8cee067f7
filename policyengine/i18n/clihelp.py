"""``--help`` in the terminal's language: click classes that translate their texts when help is shown.

Click fixes a command's help, short help and its parameters' help when the decorators run, at
import time, before any language is chosen. These classes look each text up in the catalogue
(:func:`policyengine.i18n._`) when the help is formatted instead, together with the headings
click writes itself ("Usage:", "Options:", "Commands:") and the notes after an option's help
(default, environment variable, required).

The texts are extracted by :func:`help_messages`, a walk over the command tree (Babel cannot see
``help="..."`` keyword arguments), normalised exactly as they are looked up (:func:`normalise`).

``policyengine --help`` is printed while the top-level options are parsed, before the group's
callback chooses the language: :func:`_language` then chooses it the same way (the top-level
``--lang`` when it came first on the command line, else the environment).
"""

from __future__ import annotations

import contextlib
import inspect
import string
from typing import Any, Iterator

import click

from . import N_, _, ngettext

#: Where the top-level --lang is kept in the root context (set as soon as it is parsed).
LANG_KEY = "policyengine.lang"

#: Click's own texts, written again here so that they are extracted and translated.
USAGE = N_("Usage:")
OPTIONS = N_("Options:")
COMMANDS = N_("Commands:")
ARGUMENTS = N_("Positional arguments:")
ENV_VAR = N_("env var: %(var)s")
DEFAULT = N_("default: %(default)s")
REQUIRED = N_("required")
#: The help of click's own -h/--help option (not among a command's params).
HELP_OPTION = N_("Show this message and exit.")


def normalise(text: str | None) -> str:
    """The text as click shows it (docstring indentation removed, cut at a form feed)."""
    return inspect.cleandoc(text).partition("\f")[0] if text else ""


def translate(text: str | None) -> str:
    text = normalise(text)
    return _(text) if text else ""


@contextlib.contextmanager
def _language(ctx: click.Context) -> Iterator[None]:
    """Format in the terminal's language, choosing it now if the group has not yet done so."""
    from . import _current, using

    if _current.get() is not None:
        yield
        return
    from .terminal import negotiate

    chosen = ctx.find_root().meta.get(LANG_KEY) or negotiate()
    if chosen == "en":
        yield
        return
    from .catalogues import load

    with using(load(chosen)):
        yield


@contextlib.contextmanager
def _section(formatter: click.HelpFormatter, heading: str) -> Iterator[None]:
    """:meth:`click.HelpFormatter.section` with a heading that carries its own colon (``Options :``
    in French, ``选项：`` in Chinese)."""
    formatter.write_paragraph()
    formatter.write(f"{'':>{formatter.current_indent}}{heading}\n")
    formatter.indent()
    try:
        yield
    finally:
        formatter.dedent()


def _option_record(param: click.Parameter, ctx: click.Context) -> tuple[str, str] | None:
    if isinstance(param, click.Option):
        if param.hidden:
            return None
        help_text = translate(param.help)
        extra = param.get_help_extra(ctx)
        items = []
        if "envvars" in extra:
            items.append(_(ENV_VAR, var=", ".join(extra["envvars"])))
        if "default" in extra:
            items.append(_(DEFAULT, default=extra["default"]))
        if "range" in extra:
            items.append(extra["range"])
        if "required" in extra:
            items.append(_(REQUIRED))
        if items:
            joined = "; ".join(items)
            help_text = f"{help_text}  [{joined}]" if help_text else f"[{joined}]"
        return param.get_help_spec(ctx), help_text
    record = param.get_help_record(ctx)
    return (record[0], translate(param.help)) if record is not None else None


class TranslatedHelp:
    """Mixin for :class:`click.Command` and :class:`click.Group`."""

    help: str | None
    short_help: str | None
    deprecated: Any

    def get_help(self, ctx: click.Context) -> str:
        with _language(ctx):
            return super().get_help(ctx)  # type: ignore[misc, no-any-return]

    def get_usage(self, ctx: click.Context) -> str:
        with _language(ctx):
            return super().get_usage(ctx)  # type: ignore[misc, no-any-return]

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_(USAGE) + " ")

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        original = self.help
        self.help = translate(original) or None
        try:
            super().format_help_text(ctx, formatter)  # type: ignore[misc]
        finally:
            self.help = original

    def get_short_help_str(self, limit: int = 45) -> str:
        original = self.help, self.short_help
        self.help, self.short_help = translate(self.help) or None, translate(self.short_help) or None
        try:
            return super().get_short_help_str(limit)  # type: ignore[misc, no-any-return]
        finally:
            self.help, self.short_help = original

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        params = self.get_params(ctx)  # type: ignore[attr-defined]
        options = [r for p in params if not isinstance(p, click.Argument) and (r := _option_record(p, ctx))]
        if options:
            with _section(formatter, _(OPTIONS)):
                formatter.write_dl(options)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)

    def format_arguments(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        args = [p for p in self.get_params(ctx) if isinstance(p, click.Argument)]  # type: ignore[attr-defined]
        if any(a.help is not None for a in args):
            with _section(formatter, _(ARGUMENTS)):
                formatter.write_dl([(a.make_metavar(ctx), translate(a.help)) for a in args])

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        assert isinstance(self, click.Group)
        commands = [(name, cmd) for name in self.list_commands(ctx)
                    if (cmd := self.get_command(ctx, name)) is not None and not cmd.hidden]
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _cmd in commands)
            with _section(formatter, _(COMMANDS)):
                formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in commands])


class Command(TranslatedHelp, click.Command):
    """A command whose help is shown in the terminal's language."""


class Group(TranslatedHelp, click.Group):
    """A group whose help, and whose commands' and subgroups' help, is shown in the terminal's language."""

    command_class = Command
    group_class = type  # subgroups are of this same class

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        if parent is None:  # a new command line: no language chosen yet for click's own messages
            _chosen.clear()
        return super().make_context(info_name, args, parent, **extra)


def remember_language(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Callback of the (eager) top-level --lang: kept at once, for a --help that follows it."""
    if value:
        ctx.find_root().meta[LANG_KEY] = value
        _chosen[:] = [value]
    return value


# --- extraction ----------------------------------------------------------------------------

def _location(cmd: click.Command) -> tuple[str, int]:
    from pathlib import Path

    from ..load import checkout_root

    func = inspect.unwrap(cmd.callback) if cmd.callback else None
    try:
        path = Path(inspect.getsourcefile(func) or "") if func else None
        line = inspect.getsourcelines(func)[1] if func else 0
        root = checkout_root()
        return (path.resolve().relative_to(root.resolve()).as_posix() if path else "policyengine/cli.py"), line
    except (TypeError, OSError, ValueError):
        return "policyengine/cli.py", 0


def help_messages(root: click.Command | None = None) -> Iterator[tuple[str, str, int]]:
    """(text, file, line) of every help text of the command tree (the CLI by default)."""
    if root is None:
        from ..cli import main

        root = main
    seen: set[int] = set()

    def walk(cmd: click.Command) -> Iterator[tuple[str, str, int]]:
        if id(cmd) in seen:
            return
        seen.add(id(cmd))
        where = _location(cmd)
        for text in (cmd.help, cmd.short_help):
            if normalise(text):
                yield normalise(text), *where
        for param in cmd.params:
            if normalise(getattr(param, "help", None)):
                yield normalise(getattr(param, "help", None)), *where
        if isinstance(cmd, click.Group):
            for name in sorted(cmd.commands):
                yield from walk(cmd.commands[name])

    yield from walk(root)


# --- click's own messages ------------------------------------------------------------------
#
# Click writes its usage errors ("Error: No such option '--x'.") with the ``gettext`` module's
# global functions, which it imported into each of its modules; it documents gettext as the way
# to translate them. Those functions know nothing of the language this CLI chose, so each click
# module's ``_``/``ngettext`` is pointed at the catalogue of the terminal's language (the same
# catalogue as every other message). A usage error is worded while the command line is parsed and
# shown after the command's context has closed: the language chosen by ``--lang`` is kept for it.

_chosen: list[str] = []


def _catalogue() -> Any:
    from . import _current

    found = _current.get()
    if found is not None:
        return found
    from .terminal import negotiate

    lang = _chosen[-1] if _chosen else negotiate()
    if lang == "en":
        return None
    from .catalogues import load

    return load(lang)


def _fields(text: str) -> set[str]:
    try:
        return {name for _text, name, _spec, _conv in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return {"<unbalanced>"}


def _safe(translated: str, original: str, *known: str) -> str:
    """The translation if it uses only ``{fields}`` click fills (those of the English texts,
    passed to ``format``), else the original: a translation can never make click's message fail."""
    return translated if _fields(translated) <= set().union(*map(_fields, known or (original,))) else original


def click_gettext(message: str) -> str:
    if message == HELP_OPTION:  # click keeps the --help option it makes once; its help is translated when shown
        return message
    catalogue = _catalogue()
    return message if catalogue is None else _safe(str(catalogue.gettext(message)), message)


def click_ngettext(singular: str, plural: str, n: int) -> str:
    original = singular if n == 1 else plural
    catalogue = _catalogue()
    if catalogue is None:
        return original
    return _safe(str(catalogue.ngettext(singular, plural, n)), original, singular, plural)


def translate_click() -> None:
    """Point click's modules at the terminal's catalogue (idempotent)."""
    import importlib

    for name in ("core", "exceptions", "parser", "types", "formatting", "decorators", "termui", "utils"):
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = click_gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = click_ngettext  # type: ignore[attr-defined]


def _click_messages() -> None:  # pragma: no cover - never called: marks click's texts for extraction
    # Translators: click's own usage errors; keep {name!r}, {message} and the other braces as they are.
    _("Error: {message}")
    _("Try '{command} {option}' for help.")
    _("No such option {name!r}.")
    _("No such command {name!r}.")
    _("Missing command.")
    _("Missing argument")
    _("Missing option")
    _("Missing parameter")
    _("Missing parameter: {param_name}")
    _("Invalid value for {param_hint}: {message}")
    _("Invalid value: {message}")
    _("Option {name!r} does not take a value.")
    _("{value} is not in the range {range}.")
    _("Could not open file {filename!r}: {message}")
    _("Aborted!")
    ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 1)
    ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", 1)
    ngettext("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments.", 1)
    ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", 1)
