"""Shared by the questionnaire tests: a copy of shipped content without chosen facts."""

from __future__ import annotations

import shutil
from pathlib import Path

from policyengine.load import shipped_root


def drop_fact(text: str, dotted: str) -> str:
    """``text`` without the block of the fact ``dotted`` (two-space YAML, as the shipped files are)."""
    lines = text.split("\n")
    start, end = 0, len(lines)
    parts = dotted.split(".")
    for depth, key in enumerate(parts):
        head = " " * (2 * depth) + key + ":"
        at = next((i for i in range(start, end) if lines[i] == head or lines[i].startswith(head + " ")), None)
        if at is None:
            return text  # not recorded: nothing to take out
        stop = at + 1
        while stop < end and (not lines[stop].strip() or lines[stop].startswith(" " * (2 * depth + 1))):
            stop += 1
        if depth == len(parts) - 1:
            del lines[at:stop]
        start, end = at + 1, stop
    return "\n".join(lines)


def without_facts(target: Path, jurisdiction: str, facts: dict[str, list[str]]) -> Path:
    """A workspace at ``target`` holding a copy of the shipped ``jurisdiction`` folder without
    ``facts`` ({file relative to the folder: [dotted fact, ...]}): the questionnaire asks them
    whatever the shipped content has recorded since (sources get found)."""
    folder = target / "jurisdictions" / jurisdiction
    shutil.copytree(shipped_root() / "jurisdictions" / jurisdiction, folder)
    for rel, dotted in facts.items():
        path = folder / rel
        text = path.read_text(encoding="utf-8")
        for fact in dotted:
            text = drop_fact(text, fact)
        path.write_text(text, encoding="utf-8")
    return target
