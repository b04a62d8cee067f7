"""CLI commands of this package, registered on the main group by policyengine.cli: the
principles catalogue (as text or an OSCAL catalog) and one rule's page in the terminal."""

from __future__ import annotations

import json
from pathlib import Path

import click


def register(main: click.Group) -> None:
    """Add ``catalogue`` and ``rule`` to the main group."""
    from ..cli import _emit, handle_errors, workspace_option

    @main.command()
    @click.option("--format", "fmt", type=click.Choice(["text", "oscal"]), default="text", show_default=True,
                  help="oscal: an OSCAL 1.0.6 catalog (JSON), one control per principle, one objective per rule.")
    @click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  help="Write to this file instead of standard output.")
    @workspace_option
    @handle_errors
    def catalogue(fmt: str, out_file: Path | None, workspace: Path | None) -> None:
        """The principles of the ruleset, by area, with the rules that check each."""
        from .. import api
        from .oscal import catalog

        ws = api.workspace(workspace)
        if fmt == "oscal":
            output = json.dumps(catalog(ws), indent=2, ensure_ascii=False) + "\n"
        else:
            output = catalogue_text(ws)
        _emit(output, out_file)

    @main.command("rule")
    @click.argument("rule_id")
    @workspace_option
    @handle_errors
    def rule_cmd(rule_id: str, workspace: Path | None) -> None:
        """Show RULE_ID's reference page (as `policyengine docs` writes it) in the terminal."""
        from .. import api
        from ..authoring.docs import rule_page
        from ..paths import nearest
        from .terminal import markdown_to_text

        ws = api.workspace(workspace)
        rule = ws.rule_by_id_or_alias(rule_id) or ws.rule_by_id_or_alias(rule_id.upper())
        if rule is None:
            near = nearest(rule_id.upper(), ws.rules)
            raise api.NotFound(f"no rule {rule_id!r}" + (f"; did you mean {', '.join(near)}?" if near else ""))
        click.echo(markdown_to_text(rule_page(ws, rule)), nl=False)


def catalogue_text(ws: object) -> str:
    """The principles as plain text: area, id, title, then the active rules that check each."""
    from ..load import Workspace
    from ..models.rule import Area, Lifecycle
    from .oscal import AREA_TITLES

    assert isinstance(ws, Workspace)
    lines: list[str] = []
    for area in Area:
        principles = sorted((p for p in ws.principles.values() if p.area == area),
                            key=lambda p: (len(p.id), p.id))
        if not principles:
            continue
        lines += [AREA_TITLES[area], "-" * len(AREA_TITLES[area])]
        for p in principles:
            rules = sorted(r.id for r in ws.rules.values() if r.principle == p.id and r.status == Lifecycle.active)
            lines.append(f"{p.id:<10} {p.title}  ({len(rules)} rule{'s' if len(rules) != 1 else ''})")
            lines += [f"{'':<12}{r}" for r in rules]
        lines.append("")
    return "\n".join(lines)
