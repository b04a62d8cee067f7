"""The pseudo-locale ``en-XA``: every string of the catalogues, accented and wrapped in ⟦…⟧.

Made from the templates (``.pot``) in memory, never written to disk, so it always covers every
extracted string. A document rendered in it shows at a glance which text escaped the
catalogues (plain English outside the brackets); the tests scan for it. Placeholders
(``%(name)s``), HTML tags and entities, Markdown link targets and addresses are kept as they are.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from .catalogues import PSEUDO, Translations, template_path

OPEN, CLOSE = "\u27e6", "\u27e7"
_ACCENTS = str.maketrans("aeiouyAEIOUYcnCN", "àéîõüýÀÉÎÕÜÝçñÇÑ")
#: Parts of a text that must survive translation unchanged.
_KEEP = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdfr]|%[sdf]|<[^<>]*>|&[#a-zA-Z0-9]+;|\]\([^)]*\)|https?://\S+|`[^`]*`")


def pseudo(text: str) -> str:
    """``Gaps (high)`` -> ``⟦Gàps (hîgh)⟧``; placeholders, tags and links unchanged."""
    if not text:
        return text
    out, last = [], 0
    for m in _KEEP.finditer(text):
        out.append(text[last:m.start()].translate(_ACCENTS))
        out.append(m.group(0))
        last = m.end()
    out.append(text[last:].translate(_ACCENTS))
    return OPEN + "".join(out) + CLOSE


def _pseudo_mo(pot: Path) -> bytes | None:
    if not pot.is_file():
        return None
    with pot.open("rb") as f:
        template = read_po(f)
    cat = Catalog(locale="en", charset="utf-8", fuzzy=False)
    for m in template:
        if not m.id:
            continue
        string: str | tuple[str, ...] = (tuple(pseudo(s) for s in m.id) if isinstance(m.id, (list, tuple))
                                         else pseudo(m.id))
        cat.add(m.id, string, context=m.context)
    buf = io.BytesIO()
    write_mo(buf, cat)
    return buf.getvalue()


def pseudo_translations(root: Path | None = None) -> Translations:
    import gettext

    data = _pseudo_mo(template_path("messages", root))
    t = Translations(io.BytesIO(data)) if data else Translations(None)
    t.lang = PSEUDO
    content = _pseudo_mo(template_path("content", root))
    if content:
        t.content = gettext.GNUTranslations(io.BytesIO(content))
    return t
