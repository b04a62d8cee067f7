"""Punctuation a language's readers expect, checked in its catalogue (``policyengine i18n check``).

Chinese text takes full-width punctuation: ``，；：。！？（）`` after Chinese characters and after a
full-width bracket or quote, never ``,`` ``;`` ``:`` or ``(`` ``)`` (GB/T 15834-2011, the national
standard for Chinese punctuation). Latin punctuation is kept inside what is not Chinese text:
placeholders (``%(name)s``), code spans, addresses, link targets, and Latin words themselves
(``ISO 20022, R.15``).
"""

from __future__ import annotations

import re

#: Chinese characters (CJK unified ideographs and extension A) and the closing full-width marks
#: after which a mark must be full-width too.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_CLOSING = "\uff09\u300b\u300d\u300f\u3011\u201d"  # ）》」』】”
#: Parts of a text that are not prose: left out before checking.
_NOT_PROSE = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdfr]|%[sdf%]|`[^`]*`|\]\([^)]*\)|https?://\S+|<[^<>]*>")

_RULES = (
    (re.compile(rf"[{_HAN}{_CLOSING}] ?[,;:!?](?=\s|$|[{_HAN}\uff08\u201c\u300a])"),
     "a Latin mark after Chinese text or a full-width bracket (use ，；：！？)"),
    (re.compile(r"\) +[,;:，；：。]"), "a space before a mark after a bracket"),
    (re.compile(rf"[{_HAN}] ?\((?=[^()]*\))"), "a Latin bracket after Chinese text (use （）)"),
    (re.compile(rf"[{_HAN}]\.(?=\s|$)"), "a Latin full stop after Chinese text (use 。)"),
)


def prose(text: str) -> str:
    """``text`` with its placeholders, code, tags and addresses replaced by a neutral ``X``."""
    return _NOT_PROSE.sub("X", text)


def chinese_problems(text: str) -> list[str]:
    """What is wrong with the punctuation of a Chinese ``text`` (nothing when it is right)."""
    body = prose(text)
    return [f"{why}: {m.group(0).strip()!r}" for pattern, why in _RULES for m in pattern.finditer(body)]


#: The check of each language that has one.
CHECKS = {"zh": chinese_problems}
