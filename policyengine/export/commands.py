"""CLI commands of this package, registered on the main group by policyengine.cli: the
principles catalogue (as text or an OSCAL catalog) and one rule's page in the terminal."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..i18n import _, ngettext


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
            from ..i18n.localise import localise

            output = catalogue_text(localise(ws))  # in the terminal's language; the OSCAL catalog stays English
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
            if near:
                raise api.NotFound(_("no rule %(id)r; did you mean %(ids)s?", id=rule_id, ids=", ".join(near)))
            raise api.NotFound(_("no rule %(id)r", id=rule_id))
        click.echo(markdown_to_text(rule_page(ws, rule)), nl=False)


def catalogue_text(ws: object) -> str:
    """The principles as plain text: area, id, title, then the active rules that check each."""
    from ..load import Workspace
    from ..models.rule import Area, Lifecycle
    from ..render.documents import AREA_TITLES
    from ..render.text import width

    assert isinstance(ws, Workspace)
    lines: list[str] = []
    for area in Area:
        principles = sorted((p for p in ws.principles.values() if p.area == area),
                            key=lambda p: (len(p.id), p.id))
        if not principles:
            continue
        title = _(AREA_TITLES[area.value])
        lines += [title, "-" * width(title)]
        for p in principles:
            rules = sorted(r.id for r in ws.rules.values() if r.principle == p.id and r.status == Lifecycle.active)
            lines.append(f"{p.id:<10} {p.title}  " + ngettext("(%(num)s rule)", "(%(num)s rules)", len(rules), num=len(rules)))
            lines += [f"{'':<12}{r}" for r in rules]
        lines.append("")
    return "\n".join(lines)
