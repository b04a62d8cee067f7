"""Compile one ``.po`` into its ``.mo``: standard gettext, plus a header naming how many of its
translations are unreviewed (the cover of a document says so).

Only the standard library and Babel are imported here: the wheel build (``setup.py``) loads this
file by its path to compile the catalogues it ships.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

#: Flag on an entry no qualified reviewer has checked yet (a machine or unreviewed translation).
UNREVIEWED = "unreviewed"
#: Header of a compiled catalogue: how many of the translations it holds are unreviewed.
UNREVIEWED_HEADER = "X-Unreviewed-Count"


def translated(m: Any) -> bool:
    """A translation that is shown: every plural form filled, not fuzzy."""
    strings = m.string if isinstance(m.string, (list, tuple)) else (m.string,)
    return all(bool(s) for s in strings) and "fuzzy" not in m.flags


def unreviewed_count(cat: Catalog) -> int:
    return sum(1 for m in cat if m.id and translated(m) and UNREVIEWED in m.flags)


def compile_bytes(po: Path) -> bytes:
    """The ``.mo`` of ``po``: fuzzy entries left out (English is shown for them, as gettext does)."""
    with po.open("rb") as f:
        cat = read_po(f, abort_invalid=False)
    headers = list(cat.mime_headers) + [(UNREVIEWED_HEADER, str(unreviewed_count(cat)))]

    class _WithCount(Catalog):
        @property  # type: ignore[override,misc]
        def mime_headers(self) -> list[tuple[str, str]]:
            return headers

    cat.__class__ = _WithCount
    buf = io.BytesIO()
    write_mo(buf, cat, use_fuzzy=False)
    return buf.getvalue()
