"""``policyengine i18n``: extract, update, compile, stats, check (thin wrappers over
:mod:`policyengine.i18n.tools`)."""

from __future__ import annotations

import sys

import click

from . import _


def register(main: click.Group) -> None:
    from ..cli import handle_errors
    from .catalogues import translated_languages

    langs = click.Choice(list(translated_languages()))

    @main.group()
    def i18n() -> None:
        """Translation catalogues (gettext): interface text and ruleset content, in the six UN languages."""

    @i18n.command()
    @handle_errors
    def extract() -> None:
        """Write policyengine/locale/{messages,content}.pot from the templates, code and rulesets."""
        from . import tools

        for path in tools.extract():
            click.echo(str(path))

    @i18n.command()
    @click.option("--lang", "languages", multiple=True, type=langs, help="Only these languages (repeatable).")
    @handle_errors
    def update(languages: tuple[str, ...]) -> None:
        """Merge each language's .po with the templates; a changed English text becomes fuzzy."""
        from . import tools

        for path in tools.update(languages or None):
            click.echo(str(path))

    @i18n.command(name="compile")
    @click.option("--lang", "languages", multiple=True, type=langs, help="Only these languages (repeatable).")
    @handle_errors
    def compile_(languages: tuple[str, ...]) -> None:
        """Build the .mo files (fuzzy entries left out)."""
        from . import tools

        for path in tools.compile(languages or None):
            click.echo(str(path))

    @i18n.command()
    @click.option("--lang", "languages", multiple=True, type=langs, help="Only these languages (repeatable).")
    @click.option("--check", "run_check", is_flag=True, help="Also run `i18n check`; exit 1 on a problem.")
    @handle_errors
    def stats(languages: tuple[str, ...], run_check: bool) -> None:
        """Per language and catalogue: translated, needing review (fuzzy), unreviewed, missing."""
        from ..render.text import ljust, rjust
        from . import tools

        # Translators: the columns of `policyengine i18n stats`; keep them short.
        head = [_("lang"), _("catalogue"), _("total"), _("translated"), _("fuzzy"), _("unreviewed"), _("missing")]
        cells = [max(w, width_of(h) + 1) for w, h in zip((5, 10, 7, 12, 7, 12, 9), head, strict=True)]
        click.echo(ljust(head[0], cells[0]) + ljust(head[1], cells[1])
                   + "".join(rjust(h, c) for h, c in zip(head[2:], cells[2:], strict=True)))
        for s in tools.stats(languages or None):
            values = [str(s.total), f"{s.translated} {s.percent:>4.0%}", str(s.fuzzy), str(s.unreviewed), str(s.missing)]
            click.echo(ljust(s.lang, cells[0]) + ljust(s.domain, cells[1])
                       + "".join(rjust(v, c) for v, c in zip(values, cells[2:], strict=True)))
        if run_check:
            _check(tools.check())

    @i18n.command()
    @handle_errors
    def check() -> None:
        """Fail (exit 1) when a .pot is stale against the sources, or a language declared complete
        (policyengine/locale/languages.yaml) misses a string or has one needing review."""
        from . import tools

        _check(tools.check())


def width_of(text: str) -> int:
    from ..render.text import width

    return width(text)


def _check(problems: list[str]) -> None:
    for line in problems:
        click.echo(line, err=True)
    if problems:
        sys.exit(1)
    click.echo(_("catalogues up to date"))
