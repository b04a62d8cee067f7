"""CLI commands of this package; registered on the main group by policyengine.cli."""

from __future__ import annotations

import click


def register(main: click.Group) -> None:
    """Add this package's commands to the main group (none yet)."""
