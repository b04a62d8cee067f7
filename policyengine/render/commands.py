"""CLI commands of this package; registered on the main group by policyengine.cli.

Each command parses its options, calls one function of :mod:`policyengine.render.pipeline`
and prints the files it wrote. Library code raises; ``handle_errors`` turns domain errors into
a message and exit code 2.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ..i18n import _

FORMAT_CHOICES = ["md", "html", "json", "pdf", "all"]


def _options(func):  # type: ignore[no-untyped-def]
    from ..cli import workspace_option

    func = click.option("--rules-base", default="", metavar="BASE",
                        help="Link each rule id to its reference page at BASE<area>/<RULE-ID>.md (an http(s) "
                             "address, or a path relative to the output where `policyengine docs` wrote the "
                             "pages). Without it the documents are self-contained: rule ids are not links.")(func)
    func = click.option("--date", default=None, metavar="YYYY-MM-DD",
                        help="Date printed on the documents; without it no date is printed "
                             "and output is byte-identical across runs.")(func)
    func = click.option("--format", "fmt", type=click.Choice(FORMAT_CHOICES), default="all", show_default=True,
                        help="all = md, html and json; pdf needs Chromium installed.")(func)
    func = click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("out"),
                        show_default=True, help="Output folder; no file is written outside it.")(func)
    return workspace_option(func)


def _lang(func):  # type: ignore[no-untyped-def]
    from ..i18n.catalogues import LANGUAGES

    return click.option("--lang", type=click.Choice(LANGUAGES), default=None,
                        help="Language of the document (default: the top-level --lang, else English; untranslated "
                             "text stays English; en-XA: pseudo-locale for testing).")(func)


def _doc_lang(lang: str | None) -> str:
    from ..cli import document_language

    return document_language(lang)


def _report(paths: list[Path]) -> None:
    for p in paths:
        click.echo(str(p))


def _check_date(date: str | None) -> None:
    from ..problems import check_date_option

    check_date_option(date)  # a real date, or one line and exit 2 before any work


def register(main: click.Group) -> None:
    """Add the document commands (toolkit, gap, brief, handouts) to the main group."""
    from ..cli import handle_errors
    from ..lazy import LazyModule

    pipeline: Any = LazyModule("policyengine.render.pipeline")

    @main.command()
    @click.argument("jurisdiction")
    @click.option("--design", "-d", "design", default=None, help="Design id (or an archetype id).")
    @_lang
    @_options
    @handle_errors
    def toolkit(jurisdiction: str, design: str | None, workspace: Path | None, out: Path, fmt: str,
                date: str | None, rules_base: str, lang: str | None) -> None:
        """National policy toolkit of JURISDICTION for one design: summary, country situation, the
        design, a chapter per area, action plan, missing data and sources."""
        _check_date(date)
        _report(pipeline.toolkit(jurisdiction, design, out, ws=workspace, fmt=fmt, date=date, rules_base=rules_base,
                                 lang=_doc_lang(lang)))

    @main.command()
    @click.argument("jurisdiction")
    @click.option("--design", "-d", "designs", multiple=True,
                  help="A design option to compare (repeat; own designs or archetypes). Default: the jurisdiction's designs.")
    @_lang
    @_options
    @handle_errors
    def gap(jurisdiction: str, designs: tuple[str, ...], workspace: Path | None, out: Path, fmt: str,
            date: str | None, rules_base: str, lang: str | None) -> None:
        """Gap analysis of JURISDICTION: principles x design options (met / gap / unknown / n.a.),
        scores per area, and the option that closes the most high-severity gaps."""
        _check_date(date)
        _report(pipeline.gap(jurisdiction, list(designs), out, ws=workspace, fmt=fmt, date=date, rules_base=rules_base,
                             lang=_doc_lang(lang)))

    @main.command()
    @click.argument("jurisdiction")
    @click.option("--design", "-d", "design", default=None,
                  help="Design id; without it the jurisdiction's only design, or for a jurisdiction with none the "
                       "two-tier token archetype and the 'should we issue' view.")
    @_lang
    @_options
    @handle_errors
    def brief(jurisdiction: str, design: str | None, workspace: Path | None, out: Path, fmt: str,
              date: str | None, rules_base: str, lang: str | None) -> None:
        """Two-page brief on JURISDICTION for a governor or minister: where the design stands (counts
        with data coverage), three to five priorities with who acts and by when, options with their
        trade-offs, and peers; for a jurisdiction without a design, what else reaches the objectives."""
        _check_date(date)
        _report(pipeline.brief(jurisdiction, design, out, ws=workspace, fmt=fmt, date=date, lang=_doc_lang(lang)))

    @main.command()
    @click.option("--region", required=True, help="africa, americas, arab_states, asia_pacific, cis or europe.")
    @click.option("--lang", default=None,
                  help="Language of the handouts: ar, zh, en, fr, ru, es (catalogues; untranslated text stays "
                       "English), en-XA (pseudo-locale), or any code with templates/handout/<lang>/ in the workspace "
                       "(default: the top-level --lang, else English).")
    @_options
    @handle_errors
    def handouts(region: str, lang: str | None, workspace: Path | None, out: Path, fmt: str, date: str | None,
                 rules_base: str) -> None:
        """Printable handouts for every jurisdiction of a region (its designs, or the two-tier
        token archetype) and a regional summary with a heat-map of gaps."""
        from .. import api
        from .documents import region_members

        _check_date(date)
        lang = _doc_lang(lang)
        ws = api.workspace(workspace)
        region = api.find_region(region)  # refused before the progress bar starts
        total = len(region_members(ws, region))
        with click.progressbar(length=total, label=_("Handouts for %(region)s", region=region), file=sys.stderr,
                               show_pos=True, item_show_func=lambda j: j or "") as bar:
            def step(jid: str) -> None:
                bar.update(1, jid)

            paths = pipeline.handouts(region, out, ws=ws, fmt=fmt, date=date, lang=lang, rules_base=rules_base,
                                      progress=step)
        _report(paths)

    @main.command()
    @click.option("--region", default=None, help="Only this region's jurisdictions (default: all of the workspace).")
    @click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
                  help="Worker processes (default: one per core).")
    @_lang
    @_options
    @handle_errors
    def toolkits(region: str | None, jobs: int | None, workspace: Path | None, out: Path, fmt: str,
                 date: str | None, rules_base: str, lang: str | None) -> None:
        """The toolkit of every jurisdiction of the workspace (each of its designs, or the
        two-tier token archetype), rendered on every core; the same bytes as `toolkit` one by one."""
        from .. import api
        from .batch import jobs_of
        from .batch import toolkits as render_all

        _check_date(date)
        lang = _doc_lang(lang)
        ws = api.workspace(workspace)
        total = len(jobs_of(ws, region))
        with click.progressbar(length=total, label=_("Toolkits"), file=sys.stderr, show_pos=True) as bar:
            paths = render_all(out, ws=ws, region=region, fmt=fmt, date=date, rules_base=rules_base,
                               processes=jobs, progress=bar.update, lang=lang)
        click.echo(_("%(toolkits)s toolkits, %(files)s files in %(out)s", toolkits=total, files=len(paths), out=out),
                   err=True)
