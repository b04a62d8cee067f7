"""``policyengine i18n``: extract, update, compile, stats, check (thin wrappers over
:mod:`policyengine.i18n.tools`)."""

from __future__ import annotations

import sys

import click


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
        from . import tools

        click.echo(f"{'lang':<5} {'catalogue':<9} {'total':>6} {'translated':>11} {'fuzzy':>6} {'unreviewed':>11} {'missing':>8}")
        for s in tools.stats(languages or None):
            click.echo(f"{s.lang:<5} {s.domain:<9} {s.total:>6} {s.translated:>6} {s.percent:>4.0%} {s.fuzzy:>6} "
                       f"{s.unreviewed:>11} {s.missing:>8}")
        if run_check:
            _check(tools.check())

    @i18n.command()
    @handle_errors
    def check() -> None:
        """Fail (exit 1) when a .pot is stale against the sources, or a language declared complete
        (policyengine/locale/languages.yaml) misses a string or has one needing review."""
        from . import tools

        _check(tools.check())


def _check(problems: list[str]) -> None:
    for line in problems:
        click.echo(line, err=True)
    if problems:
        sys.exit(1)
    click.echo("catalogues up to date")
