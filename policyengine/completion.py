"""Shell completion of the domain's names: jurisdiction codes, design ids (with the archetypes),
rule ids, principle ids and regions.

Click completes commands and options by itself; this module adds the values. It is wired by
parameter name (``jurisdiction``, ``design``/``designs``, ``rule_id``/``rule_ids``,
``principle``, ``region``) over every command, so a new command gets completion by naming its
parameters as the others do. A completion must answer at once, so it reads folder and file
names and a line or two of each file: it never loads or validates the workspace.

Turn it on (once per shell; see README):

    bash:  eval "$(_POLICYENGINE_COMPLETE=bash_source policyengine)"
    zsh:   eval "$(_POLICYENGINE_COMPLETE=zsh_source policyengine)"
    fish:  _POLICYENGINE_COMPLETE=fish_source policyengine | source
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Callable, Iterable

import click
from click.shell_completion import CompletionItem

from .lazy import LazyModule

# Completion runs at every key press: the loader and the models are imported only when a
# completion needs them.
_load = LazyModule("policyengine.load")
_jurisdiction = LazyModule("policyengine.models.jurisdiction")

_NAME = re.compile(r"^name:\s*['\"]?(.+?)['\"]?\s*$", re.MULTILINE)
_ID = re.compile(r"^id:\s*['\"]?([^'\"\s]+)", re.MULTILINE)
_LIST_ID = re.compile(r"^- id:\s*['\"]?([^'\"\s]+)", re.MULTILINE)
_HEAD = 4096  # the id and name of a content file sit in its first lines


def _roots(ctx: click.Context) -> list[Path]:
    """The workspace named on the command line (or in the environment), then the shipped
    content, which fills in whatever the workspace lacks."""
    roots = []
    given = ctx.params.get("workspace") or os.environ.get(_load.ENV_WORKSPACE)
    if given:
        roots.append(Path(given))
    roots.append(_load.shipped_root())
    return roots


def _head(path: Path) -> str:
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            return handle.read(_HEAD)
    except OSError:
        return ""


def _items(pairs: Iterable[tuple[str, str | None]], incomplete: str) -> list[CompletionItem]:
    seen: dict[str, str | None] = {}
    for value, help_text in pairs:
        seen.setdefault(value, help_text)
    low = incomplete.lower()
    return [CompletionItem(v, help=h) for v, h in sorted(seen.items()) if v.lower().startswith(low)]


def _jurisdiction_dirs(ctx: click.Context) -> Iterable[Path]:
    for root in _roots(ctx):
        folder = root / "jurisdictions"
        if folder.is_dir():
            yield from (p for p in sorted(folder.iterdir()) if p.is_dir() and (p / "profile.yaml").is_file())


def complete_jurisdiction(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    def pairs() -> Iterable[tuple[str, str | None]]:
        for folder in _jurisdiction_dirs(ctx):
            name = _NAME.search(_head(folder / "profile.yaml"))
            yield folder.name, name.group(1) if name else None
    return _items(pairs(), incomplete)


def complete_design(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    # while an option's value is being completed, click leaves the arguments unparsed in ctx.args
    jurisdiction = ctx.params.get("jurisdiction") or next((a for a in ctx.args if not a.startswith("-")), None)

    def pairs() -> Iterable[tuple[str, str | None]]:
        for root in _roots(ctx):
            if jurisdiction:
                for path in sorted((root / "jurisdictions" / str(jurisdiction) / "designs").glob("*.y*ml")):
                    name = _NAME.search(_head(path))
                    yield path.stem, name.group(1) if name else None
            for path in sorted((root / "jurisdictions" / "archetypes").glob("*.y*ml")):
                yield path.stem, "archetype"
    return _items(pairs(), incomplete)


def complete_rule(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    def pairs() -> Iterable[tuple[str, str | None]]:
        for root in _roots(ctx):
            for path in sorted((root / "rulesets" / "rules").rglob("*.y*ml")):
                found = _ID.search(_head(path))
                yield (found.group(1) if found else path.stem), path.parent.name
    return _items(pairs(), incomplete)


def complete_principle(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    def pairs() -> Iterable[tuple[str, str | None]]:
        for root in _roots(ctx):
            for path in sorted((root / "rulesets" / "principles").glob("*.y*ml")):
                try:
                    text = path.read_text(encoding="utf-8", errors="replace")
                except OSError:
                    continue
                yield from ((m.group(1), path.stem) for m in _LIST_ID.finditer(text))
    return _items(pairs(), incomplete)


def complete_region(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    return _items(((r.value, None) for r in _jurisdiction.Region), incomplete)


Completer = Callable[[click.Context, click.Parameter, str], list[CompletionItem]]

#: Which values a parameter of this name takes. ``new design``'s and ``new rule``'s ids are new
#: names, so they are not here.
BY_NAME: dict[str, Completer] = {
    "jurisdiction": complete_jurisdiction, "design": complete_design, "designs": complete_design,
    "rule_id": complete_rule, "rule_ids": complete_rule, "principle": complete_principle,
    "region": complete_region,
}
#: (command path, parameter) pairs whose value is a new name, never an existing one.
NEW_NAMES = {("new rule", "rule_id")}


def _commands(group: click.Group, prefix: str = "") -> Iterable[tuple[str, click.Command]]:
    for name, command in group.commands.items():
        path = f"{prefix}{name}"
        yield path, command
        if isinstance(command, click.Group):
            yield from _commands(command, path + " ")


def install(main: click.Group) -> int:
    """Give every parameter named in :data:`BY_NAME` its completion; return how many."""
    count = 0
    for path, command in _commands(main):
        for param in command.params:
            completer = BY_NAME.get(param.name or "")
            if completer is None or (path, param.name) in NEW_NAMES or isinstance(param.type, click.Choice):
                continue
            param._custom_shell_complete = completer  # what click's shell_complete= argument sets
            count += 1
    return count
