"""The command line: thin click wrappers over :mod:`policyengine.api`.

Exit codes: 0 ok; 1 the check found what it was asked to fail on (``--fail-on``, a failing
rule example); 2 bad input or usage. No Python traceback reaches a user for bad input.
"""

from __future__ import annotations

import json
import sys
from functools import wraps
from pathlib import Path
from typing import Any, Callable

import click

from .i18n import _, ngettext
from .i18n.catalogues import LANGUAGES
from .i18n.clihelp import LANG_KEY, remember_language, translate_click
from .i18n.clihelp import Group as HelpGroup
from .lazy import LazyModule
from .problems import InvalidWorkspace, PolicyEngineError

translate_click()  # click's own usage errors in the terminal's language

#: imported on first use: the models, the engine and the templates it pulls in cost most of a
#: second, which ``--help`` and completion should not pay (see policyengine.lazy)
api: Any = LazyModule("policyengine.api")

workspace_option = click.option(
    "--workspace", "-w", type=click.Path(file_okay=False, path_type=Path), default=None,
    envvar="POLICYENGINE_WORKSPACE", show_envvar=True,
    help="Folder with rulesets/, jurisdictions/ and templates/ (missing ones come from the shipped content).")


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InvalidWorkspace as exc:
            for p in exc.problems:
                click.echo(str(p), err=True)
            errors = sum(1 for p in exc.problems if p.level == "error")
            click.echo(_("%(count)s error(s); nothing was assessed.", count=errors), err=True)
            sys.exit(exc.exit_code)
        except PolicyEngineError as exc:
            click.echo(_("error: %(error)s", error=" ".join(str(exc).splitlines())), err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            from .entry import interrupted

            interrupted()
        except BrokenPipeError:  # the reader went away (| head): stop quietly
            _silence_stdout()
            sys.exit(0)

    return wrapper


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _finite_age(ctx: click.Context, param: click.Parameter, value: float) -> float:
    import math

    if not math.isfinite(value) or value <= 0:
        click.echo(_("error: --max-age: %(value)s is not a number of years above 0", value=value), err=True)
        ctx.exit(2)
    return value


@click.group(cls=HelpGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="policyengine-dcgi", prog_name="policyengine")
@click.option("--no-cache", is_flag=True, help="Parse and compile everything again, reading and writing no cache "
              "(also POLICYENGINE_NO_CACHE=1; the cache is in $POLICYENGINE_CACHE_DIR or ~/.cache/policyengine).")
@click.option("--lang", "lang", type=click.Choice(LANGUAGES), default=None, is_eager=True, callback=remember_language,
              help="Language of everything printed (default: POLICYENGINE_LANG, LANGUAGE, LC_ALL, LC_MESSAGES, "
                   "LANG; C or none: English), and of documents whose command has no --lang of its own.")
@click.pass_context
def main(ctx: click.Context, no_cache: bool, lang: str | None) -> None:
    """Check digital currency designs against international principles and render national
    policy toolkits, gap analyses and workshop handouts."""
    try:
        if no_cache:
            from . import cache

            cache.disable()
        _set_language(ctx, lang)
    except KeyboardInterrupt:  # before the command's own handler: one line and 130, never click's "Aborted!"
        from .entry import interrupted

        interrupted()


#: Where the top-level --lang (only when given on the command line) is kept for the commands.
_EXPLICIT_LANG = LANG_KEY


def _set_language(ctx: click.Context, lang: str | None) -> None:
    """Print in ``lang``, else in the language the environment asks for, until the command ends."""
    from . import i18n
    from .i18n.terminal import negotiate

    ctx.meta[_EXPLICIT_LANG] = lang
    chosen = lang or negotiate()
    if chosen != "en":
        from .i18n.catalogues import load

        ctx.with_resource(i18n.using(load(chosen)))


def document_language(own: str | None) -> str:
    """The language of the document a command writes: its own --lang, else the top-level
    --lang given on the command line (never the environment), else English."""
    from .i18n.terminal import document_language as choose

    ctx = click.get_current_context(silent=True)
    return choose(own, ctx.meta.get(_EXPLICIT_LANG) if ctx is not None else None)


@main.command()
@workspace_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--max-age", type=float, default=5, show_default=True, callback=_finite_age,
              help="Warn about figures older than this many years.")
@click.option("--no-lint", is_flag=True, help="Report errors only, no lint warnings.")
@click.option("--format", "fmt", type=click.Choice(["text", "sarif"]), default="text", show_default=True,
              help="sarif: the problems as SARIF 2.1.0 on standard output, for code-review annotations.")
@handle_errors
def validate(workspace: Path | None, strict: bool, max_age: float, no_lint: bool, fmt: str) -> None:
    """Check every file of the workspace; print each problem as file:line: field: message.

    Errors (exit 2) are kept apart from lint warnings (stale figures, citations without a
    section, high severity without a recommendation, amounts that cannot be converted)."""
    problems = api.validate(workspace, lint=not no_lint, max_age_years=max_age)
    if fmt == "sarif":
        from . import __version__
        from .export.sarif import problems_sarif

        click.echo(_json(problems_sarif(problems, tool_version=__version__)))
    else:
        for p in problems:
            click.echo(str(p), err=True)
    errors = sum(1 for p in problems if p.level == "error")
    warnings = sum(1 for p in problems if p.level == "warning")
    if errors or (strict and warnings):
        click.echo(_("%(errors)s error(s), %(warnings)s warning(s)", errors=errors, warnings=warnings), err=True)
        sys.exit(2)
    ws = api.workspace(workspace)
    click.echo(_("ok: %(principles)s principles, %(rules)s rules, %(derivations)s derivations, %(jurisdictions)s "
                 "jurisdictions, %(designs)s designs, %(archetypes)s archetypes; %(warnings)s warning(s)",
                 principles=len(ws.principles), rules=len(ws.rules), derivations=len(ws.derivations),
                 jurisdictions=len(ws.profiles), designs=sum(len(d) for d in ws.designs.values()),
                 archetypes=len(ws.archetypes), warnings=warnings), err=fmt == "sarif")


@main.command()
@click.argument("jurisdiction")
@click.option("--design", "-d", "design", default=None, help="Design id (or an archetype id).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown", "csv", "xlsx", "oscal"]),
              default="table", help="csv/xlsx: one row per finding for spreadsheets; oscal: OSCAL assessment results.")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
@click.option("--fail-on", type=click.Choice(["gap", "unknown", "high"]), default=None,
              help="Exit 1 when a finding has this status ('high': a high-severity gap).")
@click.option("--drafts", is_flag=True, help="Include draft rules.")
@click.option("--date", default=None, help="Use the parameter values in force on this date (YYYY-MM-DD).")
@workspace_option
@handle_errors
def assess(jurisdiction: str, design: str | None, fmt: str, out_file: Path | None, fail_on: str | None, drafts: bool,
           date: str | None, workspace: Path | None) -> None:
    """Assess a jurisdiction's design; findings grouped by area with evidence and citations."""
    from .export.formats import EXPORT_FORMATS, export_assessment
    from .i18n.localise import localise
    from .render.text import assessment_markdown, assessment_table

    ws = api.workspace(workspace)
    if fmt == "table":  # rule texts in the terminal's language; files and exports stay as the rulesets write them
        ws = localise(ws)
    result = api.assess(jurisdiction, design, ws, include_drafts=drafts, date=date)
    output: str | bytes
    if fmt in EXPORT_FORMATS:
        output = export_assessment(result, fmt, ws)
    elif fmt == "markdown":
        output = assessment_markdown(result)
    else:
        output = assessment_table(result) + "\n"
    _emit(output, out_file)
    if api.fails(result, fail_on):
        sys.exit(1)


@main.command()
@click.argument("rule_id")
@click.argument("jurisdiction")
@click.option("--design", "-d", "design", default=None)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@workspace_option
@handle_errors
def explain(rule_id: str, jurisdiction: str, design: str | None, fmt: str, workspace: Path | None) -> None:
    """Why RULE_ID reached its status: the scope, the requirement, each fact with its source,
    the derivations used, and for a gap the smallest change of facts that closes it."""
    from .i18n.localise import localise
    from .render.text import why_lines

    loaded = api.workspace(workspace)
    result = api.explain(rule_id, jurisdiction, design, loaded if fmt == "json" else localise(loaded))
    if fmt == "json":
        click.echo(result.model_dump_json(indent=2))
    else:
        click.echo("\n".join(why_lines(result)))


@main.command("test")
@click.argument("rule_ids", nargs=-1)
@workspace_option
@handle_errors
def test_cmd(rule_ids: tuple[str, ...], workspace: Path | None) -> None:
    """Run the examples of every rule and derivation (or of RULE_IDS)."""
    from .authoring.examples import run_derivation_examples, run_rule_examples

    ws = api.workspace(workspace)
    compiled = api.compile_ruleset(ws, include_drafts=True)
    unknown = [r for r in rule_ids if ws.rule_by_id_or_alias(r) is None and not r.startswith("derived.")]
    if unknown:
        raise api.NotFound(_("no rule %(ids)s", ids=", ".join(unknown)))
    rules = [ws.rule_by_id_or_alias(r).id for r in rule_ids if not r.startswith("derived.")]  # type: ignore[union-attr]
    derivations = [r[len("derived."):] for r in rule_ids if r.startswith("derived.")]
    results = []
    if not rule_ids or derivations:
        results += run_derivation_examples(ws, compiled, derivations or None)
    if not rule_ids or rules:
        results += run_rule_examples(ws, compiled, rules or None)
    if not results:
        if rule_ids:
            raise api.NotFound(_("nothing to test: no rule or derivation has examples among %(ids)s",
                                 ids=", ".join(rule_ids)))
        raise api.NotFound(_("nothing to test: no rule or derivation has examples"))
    failed = [r for r in results if not r.passed]
    for r in failed:
        click.echo(r.report())
    click.echo(_("%(passed)s passed, %(failed)s failed", passed=len(results) - len(failed), failed=len(failed)))
    if failed:
        sys.exit(1)


@main.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("schemas"),
              show_default=True)
@click.option("--check", is_flag=True, help="Fail if the committed schemas differ from the models.")
@click.option("--yaml-headers", is_flag=True,
              help="Instead: put the '# yaml-language-server: $schema=...' line first in every content file "
                   "of the workspace (editors then check each file against its schema).")
@workspace_option
@handle_errors
def schema(out: Path, check: bool, yaml_headers: bool, workspace: Path | None) -> None:
    """Write the JSON Schema of every input model (for editors and reviewers)."""
    from .load import resolve_workspace
    from .schemas import check_schemas, write_headers, write_schemas

    if yaml_headers:
        changed = write_headers(resolve_workspace(workspace))
        for path in changed:
            click.echo(str(path))
        click.echo(_("%(count)s file(s) given a schema line", count=len(changed)))
        return
    if check:
        stale = check_schemas(out)
        if stale:
            click.echo(_("stale schemas: %(names)s", names=", ".join(stale)), err=True)
            command = f"policyengine schema --out {out}"
            click.echo(_("regenerate with: %(command)s", command=command), err=True)
            sys.exit(1)
        click.echo(_("schemas are current"))
        return
    for path in write_schemas(out):
        click.echo(str(path))


@main.command("questionnaire")
@click.argument("jurisdiction")
@click.option("--design", "-d", "design", default=None, help="Design id (or an archetype id).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("out"), show_default=True,
              help="Output folder; no file is written outside it.")
@click.option("--format", "fmt", type=click.Choice(["html", "xlsx", "yaml", "all"]), default="all", show_default=True)
@click.option("--date", default=None, metavar="YYYY-MM-DD", help="Date printed on the questionnaire.")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None,
              help="Language of the questions and the HTML form (the xlsx/YAML answer keys stay the same); "
                   "default: the top-level --lang, else English.")
@workspace_option
@handle_errors
def questionnaire_cmd(jurisdiction: str, design: str | None, out: Path, fmt: str, date: str | None,
                      workspace: Path | None, lang: str | None) -> None:
    """The facts missing for a design, as questions for the authorities that hold the answers.

    Ranked by how many findings each answer would decide (weighted by severity), grouped by
    authority (each group prints on its own), with suggested answers marked 'to confirm'.
    Fill the xlsx or YAML and import it with `policyengine answers`."""
    from .render.text import score_label

    formats = ["html", "xlsx", "yaml"] if fmt == "all" else [fmt]
    q = api.questionnaire(jurisdiction.upper(), design, workspace, date=date)
    for path in api.write_questionnaire(q.jurisdiction_id, q.design_id, out, formats, workspace, date=date,
                                        lang=document_language(lang)):
        click.echo(str(path))
    asked = len(q.questions())
    score = score_label(q.score)
    click.echo(ngettext("%(asked)s question(s) for %(num)s authority; %(missing)s missing fact(s) need the design "
                        "file instead. Today: %(score)s.",
                        "%(asked)s question(s) for %(num)s authorities; %(missing)s missing fact(s) need the design "
                        "file instead. Today: %(score)s.",
                        len(q.groups), asked=asked, missing=len(q.not_asked), score=score))


@main.command("answers")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--workspace", "-w", type=click.Path(file_okay=False, path_type=Path), required=True,
              envvar="POLICYENGINE_WORKSPACE", show_envvar=True,
              help="The workspace whose jurisdictions/<CODE>/ files receive the answers.")
@click.option("--partial", is_flag=True, help="Write the valid answers and list the refused ones.")
def answers_cmd(file: Path, workspace: Path, partial: bool) -> None:
    """Import a filled questionnaire (xlsx or YAML) into the workspace's profile and design.

    Every answer is validated first (type, range, allowed values, a source or 'declared' with
    a date); one bad answer refuses the import unless --partial. Comments and key order of the
    files are kept; importing the same file again changes nothing."""
    from .questionnaire.answers import AnswersRefused

    try:
        result = api.import_answers(file, workspace, partial=partial)
    except AnswersRefused as exc:
        for p in exc.problems:
            click.echo(str(p), err=True)
        click.echo(_("%(count)s answer(s) refused; nothing was written.", count=len(exc.problems)), err=True)
        sys.exit(exc.exit_code)
    except InvalidWorkspace as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(_("the workspace would not load with these answers; nothing was written."), err=True)
        sys.exit(exc.exit_code)
    except PolicyEngineError as exc:
        click.echo(_("error: %(error)s", error=str(exc)), err=True)
        sys.exit(exc.exit_code)
    for path in result.copied:
        click.echo(_("copied the shipped file into the workspace first: %(path)s", path=path))
    for ident in result.sources_added:
        click.echo(_("added source %(source)s to the profile's sources", source=ident))
    for f in result.facts:
        fact = f"{f.path} = {f.value} [{f.source}]"
        click.echo(_("wrote %(fact)s", fact=fact) if f.changed else _("unchanged %(fact)s", fact=fact))
    for line in result.unconfirmed:
        click.echo(_("skipped, still to confirm: %(line)s", line=line))
    for line in result.refused:
        click.echo(_("refused: %(line)s", line=line), err=True)
    click.echo(_("%(written)s fact(s) written, %(unchanged)s unchanged, %(refused)s refused; files changed: %(files)s",
                 written=result.changed, unchanged=len(result.facts) - result.changed, refused=len(result.refused),
                 files=len(result.files_changed)))
    if result.refused:
        sys.exit(2)


@main.command()
@workspace_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the loopback address keeps it to this computer (0.0.0.0: the network).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--writable", is_flag=True, help="Allow saving what-ifs into the workspace (needs --workspace).")
@handle_errors
def serve(workspace: Path | None, host: str, port: int, writable: bool) -> None:
    """The workshop in a browser: jurisdictions, findings, explanations, what-ifs on a design's
    choices, designs side by side, heat-maps and the documents to download. Read-only unless
    --writable; listens on the loopback address unless --host says otherwise."""
    from .web.server import serve as run

    run(workspace, host, port, writable, lambda line: click.echo(line, err=True))


def _emit(output: str | bytes, out_file: Path | None) -> None:
    """Write a command's output to ``out_file`` (through a temporary file), or to standard
    output; binary output (xlsx) is refused on a terminal, where it would only garble it."""
    if out_file is not None:
        from .render.files import write_bytes

        write_bytes(out_file, output if isinstance(output, bytes) else output.encode("utf-8"))
        click.echo(str(out_file), err=True)
    elif isinstance(output, bytes):
        if sys.stdout.isatty():
            raise click.UsageError(_("this format is binary: name a file with --out (or redirect the output)"))
        sys.stdout.buffer.write(output)
        sys.stdout.buffer.flush()
    else:
        click.echo(output, nl=False)


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=True)


# Command groups that live beside the modules they wrap. Each module exposes register(main).
from .authoring import commands as _authoring_commands  # noqa: E402
from .completion import install as _install_completion  # noqa: E402
from .export import commands as _export_commands  # noqa: E402
from .i18n import commands as _i18n_commands  # noqa: E402
from .publications import commands as _publication_commands  # noqa: E402
from .render import commands as _render_commands  # noqa: E402

_authoring_commands.register(main)
_render_commands.register(main)
_export_commands.register(main)
_publication_commands.register(main)
_i18n_commands.register(main)
_install_completion(main)  # after every command is registered: completes names by parameter name


if __name__ == "__main__":  # pragma: no cover
    main()
