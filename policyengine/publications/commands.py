"""CLI commands of the publications; registered on the main group by policyengine.cli."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import click

FORMAT_CHOICES = ["md", "html", "json", "pdf", "all"]


def _options(func: Callable[..., Any]) -> Callable[..., Any]:
    from ..cli import workspace_option
    from ..i18n.catalogues import LANGUAGES

    func = click.option("--lang", type=click.Choice(LANGUAGES), default=None,
                        help="Language of the publication (default: the top-level --lang, else English; "
                             "en-XA: pseudo-locale for testing).")(func)
    func = click.option("--date", default=None, metavar="YYYY-MM-DD",
                        help="Date printed on the publication; without it no date is printed "
                             "and output is byte-identical across runs.")(func)
    func = click.option("--format", "fmt", type=click.Choice(FORMAT_CHOICES), default="all", show_default=True,
                        help="all = md, html and json; pdf needs Chromium installed.")(func)
    func = click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("out"),
                        show_default=True, help="Output folder; no file is written outside it.")(func)
    return workspace_option(func)


def register(main: click.Group) -> None:
    """Add the principles and guidance commands to the main group."""
    from ..cli import document_language, handle_errors
    from ..render.commands import _check_date, _report

    @main.command()
    @click.option("--since", default=None, metavar="VERSION|REV|DIR",
                  help="Add the changes since an earlier ruleset: a git revision, a version tagged "
                       "v<VERSION>, or a folder holding the old rulesets.")
    @_options
    @handle_errors
    def principles(since: str | None, workspace: Path | None, out: Path, fmt: str, date: str | None,
                   lang: str | None) -> None:
        """The high-level principles as a publication: by area, each principle with why it
        matters, the standards it rests on, how to check it, good practice and common gaps
        among the shipped designs; versioned with the ruleset."""
        from . import render

        _check_date(date)
        _report(render.principles(out, ws=workspace, fmt=fmt, date=date, since=since, lang=document_language(lang)))

    @main.command()
    @click.argument("guidance_id", metavar="GUIDANCE")
    @_options
    @handle_errors
    def guidance(guidance_id: str, workspace: Path | None, out: Path, fmt: str, date: str | None,
                 lang: str | None) -> None:
        """Policy guidance GUIDANCE (e.g. inclusion, from rulesets/guidance/inclusion.yaml),
        organised by the barrier a person meets: the recorded figures, the design levers, the
        rules that check them and the designs that use them."""
        from . import render

        _check_date(date)
        _report(render.guidance(guidance_id, out, ws=workspace, fmt=fmt, date=date, lang=document_language(lang)))
