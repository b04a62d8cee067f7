"""The evidence standard: what kind of source a fact rests on, and what a reader must be told.

See docs/adr/0005-evidence-standard.md. Three things are decided here, from data:

- the *kind* of each source (``evidence:`` of a bibliography entry: law, official,
  international, academic, press);
- which facts are *operational statuses* (a channel is live, a link is running): they go stale
  after :data:`STATUS_MAX_AGE_DAYS` from the date they were last checked (``checked:``, else
  ``as_of``);
- the *flags* an evidence row carries: ``press report``, ``pending: ...``, ``decided against:
  ...``, ``stale: ...``, ``below the evidence standard: ...``.

Nothing here reads files; the loaded workspace and the fact table are its inputs.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from .load import Workspace

#: Facts that state whether something is in operation today: they must be re-checked.
OPERATIONAL_PATHS: tuple[str, ...] = (
    "design.channels",
    "design.offline",
    "design.interop.cross_border",
    "design.interop.domestic_interoperability",
    "design.interop.open_api",
    "design.security.availability_24x7",
)

#: An operational status older than this (from ``checked``, else ``as_of``) is stale.
STATUS_MAX_AGE_DAYS = 365

PRESS = "press"


def as_date(text: str | None) -> dt.date | None:
    """The last day a dated value was surely current: a bare year or month counts from its end."""
    if not text:
        return None
    parts = text.split("-")
    try:
        if len(parts) == 1:
            return dt.date(int(parts[0]), 12, 31)
        if len(parts) == 2:
            return dt.date(int(parts[0]), int(parts[1]), 28)
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def is_operational(path: str) -> bool:
    return path in OPERATIONAL_PATHS


def status_age_days(checked: str | None, as_of: str | None, today: dt.date) -> int | None:
    """Days since an operational status was last checked (or dated), None when undated."""
    when = as_date(checked) or as_date(as_of)
    return None if when is None else (today - when).days


def stale_flag(path: str, checked: str | None, as_of: str | None, today: dt.date) -> str | None:
    """The 'stale' flag of an operational status, or None when it is recent (or not operational)."""
    if not is_operational(path):
        return None
    age = status_age_days(checked, as_of, today)
    if age is None:
        return "stale: an operational status with no date; re-check it"
    if age <= STATUS_MAX_AGE_DAYS:
        return None
    if checked:
        return f"stale: operational status last checked {checked}"
    return f"stale: operational status as of {as_of}, not re-checked since"


def state_flag(state: str | None, note: str | None) -> str | None:
    if not state:
        return None
    word = "pending" if state == "pending" else "decided against"
    first = (note or "").strip().split(". ")[0].rstrip(".")
    return f"{word}: {first}" if first else word


def kinds_of(ws: "Workspace", jurisdiction: str | None) -> dict[str, str]:
    """The evidence kind of every source a jurisdiction's facts may cite, by bibliography id."""
    out = {sid: entry.evidence.value for sid, entry in ws.bibliography.items()}
    if jurisdiction and jurisdiction in ws.profiles:
        out.update({s.id: s.evidence.value for s in ws.profiles[jurisdiction].sources})
    return out


def accepted_text(kinds: Iterable[str]) -> str:
    return " or ".join(kinds)
