"""CLI commands of this package; registered on the main group by policyengine.cli.

Thin wrappers: each parses its options, calls one function of :mod:`policyengine.authoring`,
and formats the result. Exit codes follow the CLI: 0 ok, 1 a check found what it fails on
(``docs --check`` found stale pages), 2 bad input.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from ..i18n import _


def register(main: click.Group) -> None:
    """Add coverage, diff, docs, new and paths to the main group."""
    from ..cli import handle_errors, workspace_option
    from ..lazy import LazyChoice, LazyModule

    design_model = LazyModule("policyengine.models.design")
    jurisdiction_model = LazyModule("policyengine.models.jurisdiction")

    def choices(module: LazyModule, enum: str) -> LazyChoice:
        # computed when the command runs, so registering it imports no model
        return LazyChoice(lambda: [m.value for m in getattr(module, enum) if m.value != "archetype"])

    @main.command()
    @click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
    @workspace_option
    @handle_errors
    def coverage(fmt: str, workspace: Path | None) -> None:
        """What the ruleset does not cover yet: principles with no rule, rules never applicable to
        a shipped design, examples lacking a status, facts no rule reads, comparisons the examples
        never make both true and false, and the unknown share of each shipped design (unknown /
        (met + gap + unknown)) with their average. Reports only; changes nothing."""
        from .. import api
        from .coverage import coverage as compute
        from .coverage import coverage_table

        report = compute(api.workspace(workspace))
        if fmt == "json":
            click.echo(json.dumps(report.to_dict(), indent=2, sort_keys=True))
        else:
            click.echo(coverage_table(report))

    @main.command()
    @click.option("--base", "base_rev", default=None, metavar="REV",
                  help="Git revision of rulesets/ to compare with (e.g. HEAD, main, HEAD~3).")
    @click.option("--base-dir", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
                  help="A folder holding the old rulesets/ (or a workspace that holds one).")
    @click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table")
    @click.option("--drafts", is_flag=True, help="Include draft rules on both sides.")
    @click.option("--engine", is_flag=True,
                  help="Run the full durable-rules assessment on both sides (slower) instead of the reference evaluator.")
    @workspace_option
    @handle_errors
    def diff(base_rev: str | None, base_dir: Path | None, fmt: str, drafts: bool, engine: bool,
             workspace: Path | None) -> None:
        """The impact of a ruleset change on every shipped jurisdiction and design: findings
        added, removed and changed status, by jurisdiction and by rule, with severity."""
        from .. import api
        from .diff import diff as compute
        from .diff import diff_markdown, diff_table

        if base_rev is None and base_dir is None:
            base_rev = "HEAD"
        started = time.perf_counter()
        report = compute(api.workspace(workspace), base_rev=base_rev, base_dir=base_dir, include_drafts=drafts,
                         engine=engine)
        if fmt == "json":
            click.echo(json.dumps(report.to_dict(), indent=2, sort_keys=True))
        elif fmt == "markdown":
            click.echo(diff_markdown(report), nl=False)
        else:
            click.echo(diff_table(report))
            seconds = f"{time.perf_counter() - started:.2f}"
            click.echo(_("(%(seconds)s s)", seconds=seconds), err=True)

    @main.command()
    @click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("docs/rules"),
                  show_default=True)
    @click.option("--check", is_flag=True, help="Fail (exit 1) if the pages under --out differ from the rulesets.")
    @workspace_option
    @handle_errors
    def docs(out: Path, check: bool, workspace: Path | None) -> None:
        """Generate the ruleset reference: a page per rule, an index per area, the principle x
        rule matrix."""
        from .. import api
        from .docs import REGENERATE, check_docs, write_docs

        ws = api.workspace(workspace)
        if check:
            stale = check_docs(ws, out)
            if stale:
                click.echo(_("the rule reference is out of date:"), err=True)
                for line in stale:
                    click.echo(f"  {out / line}", err=True)
                command = REGENERATE.format(out=out) + (f" --workspace {workspace}" if workspace else "")
                click.echo(_("regenerate with: %(command)s", command=command), err=True)
                sys.exit(1)
            click.echo(_("%(out)s is current", out=out))
            return
        written = write_docs(ws, out)
        for path in written:
            click.echo(str(path))
        click.echo(_("%(count)s page(s) written under %(out)s", count=len(written), out=out) if written
                   else _("%(out)s was already current", out=out))

    @main.group()
    def new() -> None:
        """Scaffold a new rule, jurisdiction or design: a file with every field, which validates."""

    @new.command("rule")
    @click.option("--principle", required=True, help="Id of the principle the rule serves, e.g. AML-3.")
    @click.option("--id", "rule_id", required=True, help="The new rule's id, e.g. AML-OFFLINE-LIMIT.")
    @click.option("--severity", type=click.Choice(["high", "medium", "low"]), default="medium", show_default=True)
    @workspace_option
    @handle_errors
    def new_rule(principle: str, rule_id: str, severity: str, workspace: Path | None) -> None:
        """Write rulesets/rules/<area>/<ID>.yaml: a draft rule with TODO placeholders and example
        stubs. `policyengine test ID` fails until the condition and examples are written."""
        from .scaffold import new_rule as scaffold

        path = scaffold(workspace, principle, rule_id, severity)
        click.echo(_("wrote %(path)s", path=path))
        test = f"`policyengine test {rule_id}`"
        click.echo(_("next: replace every TODO, then run %(validate)s and %(test)s", validate="`policyengine validate`",
                     test=test))

    @new.command("jurisdiction")
    @click.argument("code")
    @click.option("--name", default=None, help="e.g. Malawi (default: the ISO 3166 name of CODE).")
    @click.option("--region", type=choices(jurisdiction_model, "Region"), default=None, help="The ITU region.")
    @click.option("--currency", default=None,
                  help="ISO 4217 code, e.g. MWK (default: the currency CODE uses today, when it uses one).")
    @click.option("--kind", type=choices(jurisdiction_model, "JurisdictionKind"), default="country", show_default=True)
    @workspace_option
    @handle_errors
    def new_jurisdiction(code: str, name: str | None, region: str | None, currency: str | None, kind: str,
                         workspace: Path | None) -> None:
        """Write jurisdictions/CODE/profile.yaml with every fact listed (commented out).

        CODE is an ISO 3166-1 alpha-2 code (or, with --kind currency_union, the union's id). The
        name and the currency come from ISO 3166 / ISO 4217 when not given; what is still missing
        is asked on a terminal, and named in the error where there is none."""
        from .scaffold import missing_for_jurisdiction
        from .scaffold import new_jurisdiction as scaffold

        code = code.upper()
        if sys.stdin.isatty() and sys.stdout.isatty():
            given = {"name": name, "region": region, "currency": currency}
            for m in missing_for_jurisdiction(code, name, region, currency, kind):
                given[m.option] = click.prompt(m.question, type=click.Choice(m.choices) if m.choices else str)
            name, region, currency = given["name"], given["region"], given["currency"]
        path = scaffold(workspace, code, name, region, currency, kind)
        click.echo(_("wrote %(path)s", path=path))
        from ..load import load_workspace

        where = f" -w {workspace}" if workspace else ""
        archetypes = sorted(load_workspace(workspace).archetypes)
        validate = f"`policyengine validate{where}`"
        click.echo(_("next: fill in facts with their sources, then %(command)s", command=validate))
        if archetypes:
            toolkit = f"`policyengine toolkit {code} --design {archetypes[0]}{where} --out out`"
            click.echo("      " + _("assess %(code)s now against an archetype (%(archetypes)s), e.g. %(command)s",
                                    code=code, archetypes=", ".join(archetypes), command=toolkit))
        own = f"`policyengine new design {code} NAME{where}`"
        click.echo("      " + _("or describe its own design: %(command)s", command=own))

    @new.command("design")
    @click.argument("jurisdiction")
    @click.argument("design_id", metavar="NAME")
    @click.option("--title", "name", default=None, help="Full name of the design, e.g. 'eNaira'.")
    @click.option("--kind", type=choices(design_model, "DesignKind"),
                  default="retail_cbdc", show_default=True)
    @click.option("--issuer", type=choices(design_model, "Issuer"), default="central_bank",
                  show_default=True)
    @click.option("--status", type=choices(design_model, "DesignStatus"),
                  default="research", show_default=True)
    @workspace_option
    @handle_errors
    def new_design(jurisdiction: str, design_id: str, name: str | None, kind: str, issuer: str, status: str,
                   workspace: Path | None) -> None:
        """Write jurisdictions/JURISDICTION/designs/NAME.yaml with every fact listed (commented out)."""
        from .scaffold import new_design as scaffold

        path = scaffold(workspace, jurisdiction, design_id, name, kind, issuer, status)
        click.echo(_("wrote %(path)s", path=path))
        assess = f"`policyengine assess {jurisdiction} --design {design_id}`"
        click.echo(_("next: fill in facts, then %(validate)s and %(assess)s", validate="`policyengine validate`",
                     assess=assess))

    @main.command("paths")
    def paths() -> None:
        """List every fact path a rule may read, with what it holds."""
        from .scaffold import paths_listing

        for path, what in paths_listing():
            click.echo(f"{path}: {what}")
