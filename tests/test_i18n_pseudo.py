"""The pseudo-locale proves that no English is left outside the catalogues.

Every document type is rendered in ``en-XA``, where each catalogue string comes out accented and
wrapped in ⟦…⟧. What is left outside the brackets must be data: names, facts, sources and their
locators, ids, numbers, dates (formatted from Babel's locale data), addresses. The data is taken
from the workspace itself (profiles, designs, bibliographies, citation locators), never from the
rendered document, so an English sentence built in Python without ``_()`` cannot hide in it.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any, Iterator

import pytest

from policyengine import api
from policyengine.i18n.catalogues import PSEUDO
from policyengine.i18n.pseudo import CLOSE, OPEN, pseudo
from policyengine.render import pipeline
from policyengine.render.markdown import escape_md, escape_md_line

#: Words Babel's English locale data writes into dates (the pseudo-locale formats as English).
MONTHS = ("January February March April May June July August September October November December").split()


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def data_strings(ws: Any, pairs: list[tuple[str, str]]) -> list[str]:
    """Every string of the workspace's data (not of its catalogued texts), longest first."""
    out: set[str] = set()
    for model in [*ws.profiles.values(), *ws.archetypes.values(), *ws.bibliography.values(),
                  *(d for designs in ws.designs.values() for d in designs.values())]:
        out.update(_strings(model.model_dump(mode="json")))
    for kind in (ws.rules, ws.principles, ws.derivations):
        for item in kind.values():
            out.update(c.section for c in item.citations if c.section)
            out.add(item.id)
    for g in ws.guidance.values():
        out.update(c.section for c in g.citations if c.section)
        for b in g.barriers:
            out.update(c.section for c in b.citations if c.section)
    out.update(p for p in ws.parameters)
    # Enumerated values (``pilot``, ``retail_cbdc``) are keys, not data: a document shows them
    # translated (``value:<v>:label``), so they are no excuse for an English word. Neither is a
    # fact's display, which is made by code (``at``, ``undated``, ``tiers``): only the value of a
    # fact that is text (a name, a note) is data.
    out -= set(answer_keys())
    for jid, did in pairs:
        _profile, _design, table = api.fact_table(ws, jid, did)
        out.update(fv.value for fv in table.facts.values() if isinstance(fv.value, str) and fv.value not in out
                   and fv.value not in answer_keys())
    # as the Markdown output writes them (escaped) and as the HTML does (one line)
    out |= {escape_md(s) for s in out} | {escape_md_line(s) for s in out} | {" ".join(s.split()) for s in out}
    return sorted((s for s in out if len(s) >= 2), key=len, reverse=True)


def outside_brackets(text: str) -> str:
    out, depth = [], 0
    for ch in text:
        if ch == OPEN:
            depth += 1
            out.append(" ")
        elif ch == CLOSE:
            depth -= 1
            out.append(" ")
        elif depth == 0:
            out.append(ch)
    assert depth == 0, "unbalanced pseudo-locale brackets"
    return "".join(out)


def visible_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        text = re.sub(r"<a id=\"[^\"]*\"></a>", " ", text)  # anchors
    if path.suffix == ".html":
        text = re.sub(r"(?s)<style[^>]*>.*?</style>", " ", text)
        text = re.sub(r"(?s)<head>.*?</head>", " ", text)
        text = re.sub(r"(?s)<code[^>]*>.*?</code>", " ", text)  # ids and paths
        text = re.sub(r"<[^>]*>", " ", text)
        text = html.unescape(text)
    return text


_NOT_WORDS = [
    r"https?://\S+", r"www\.\S+", r"\S+@\S+",
    r"(?<!\\)`[^`\n]*(?<!\\)`",  # code spans: ids and paths
    r"\]\([^)]*\)",  # Markdown link targets
    r"\b[\w.]*_[\w.]*\b",  # snake_case names and dotted paths
    r"\b(?:jurisdiction|design|derived|item)\.[\w.]+",  # fact paths
    r"\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b",  # rule and principle ids
    r"\b[a-z0-9]+(?:-[a-z0-9]+)+\b",  # slugs: design ids, source ids
    r"\.\./rules/\S*",
    r"\b[A-Z]{2}\b",  # jurisdiction ids (ISO 3166-1 codes)
]


def leftovers(text: str, data: list[str], markdown: bool = True) -> list[str]:
    text = outside_brackets(text)
    # addresses, link targets, code spans (Markdown) and fact paths first: they hold data words
    for pattern in (_NOT_WORDS[0], _NOT_WORDS[4]) + ((_NOT_WORDS[3],) if markdown else ()) + (_NOT_WORDS[6],):
        text = re.sub(pattern, " ", text)
    for s in data:
        if s in text:
            text = text.replace(s, " ")
    for pattern in _NOT_WORDS:
        text = re.sub(pattern, " ", text)
    words = re.findall(r"[A-Za-z]{2,}", text)
    return sorted({w for w in words if w not in MONTHS and w not in _UNITS})


#: Codes a translation keeps as they are: currency codes (ISO 4217) and the units of rates.
_UNITS = frozenset({"USD", "EUR", "NGN", "KES", "XOF", "XAF", "GHS", "EGP", "MAD", "SAR", "AED", "JOD", "BHD",
                    "QAR", "KWD", "OMR", "TND", "DZD", "LBP", "IQD", "SDG", "LYD", "MRU", "SOS", "DJF", "KMF",
                    "YER", "SYP", "PS"})


#: A number written by hand in English (``1,234``, ``12.50``, ``47%``): the pseudo-locale writes
#: numbers with the signs of ``en_DE`` (``1.234``, ``12,5``, ``47 %``), so what is left is a
#: number that did not go through :mod:`policyengine.i18n.format`.
_ENGLISH_NUMBER = re.compile(r"(?<![\w.,/-])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d])|(?<![\w.,/-])\d+\.\d{1,2}(?![\d.])|\d%")


def english_numbers(text: str, data: list[str]) -> list[str]:
    for pattern in _NOT_WORDS[:5]:  # addresses (``%e2%80``), code spans, link targets
        text = re.sub(pattern, " ", text)
    for s in data:
        if s in text:
            text = text.replace(s, " ")
    for pattern in _NOT_WORDS[:4]:
        text = re.sub(pattern, " ", text)
    return sorted(set(_ENGLISH_NUMBER.findall(text)))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], list[str]]:
    ws = api.workspace(None)
    out = tmp_path_factory.mktemp("pseudo")
    fmt = "all"
    paths = []
    paths += pipeline.toolkit("NG", "enaira", out, ws=ws, fmt=fmt, lang=PSEUDO)
    paths += pipeline.gap("NG", [], out, ws=ws, fmt=fmt, lang=PSEUDO)
    paths += pipeline.brief("NG", "enaira", out, ws=ws, fmt=fmt, lang=PSEUDO)
    paths += pipeline.brief("KE", None, out, ws=ws, fmt=fmt, lang=PSEUDO)  # no design: the "should it issue" view
    paths += pipeline.handouts("arab_states", out, ws=ws, fmt=fmt, lang=PSEUDO)
    paths += api.write_questionnaire("NG", "enaira", out, ["html"], ws, lang=PSEUDO)
    from policyengine.publications import render as publications

    paths += publications.principles(out, ws=ws, fmt=fmt, lang=PSEUDO)
    paths += publications.guidance("inclusion", out, ws=ws, fmt=fmt, lang=PSEUDO)
    pairs = [("NG", "enaira"), ("KE", pipeline.docs.DEFAULT_ARCHETYPE)]
    pairs += [(j, d) for j in pipeline.docs.region_members(ws, "arab_states") for d in pipeline.docs.designs_for(ws, j)]
    return [p for p in paths if p.suffix in (".md", ".html")], data_strings(ws, pairs)


def test_every_document_type_is_rendered(rendered: tuple[list[Path], list[str]]) -> None:
    names = {p.name for p in rendered[0]}
    for stem in ("NG-enaira-toolkit", "NG-gap-analysis", "NG-enaira-brief", "KE-brief", "handouts-arab_states",
                 "NG-enaira-questionnaire", "principles", "guidance-inclusion"):
        assert any(n.startswith(stem + f".{PSEUDO}.") for n in names), stem


def answer_keys() -> list[str]:
    """The values a questionnaire asks the reader to type (``iso20022``, ``proprietary``): keys
    the import reads back, the same in every language."""
    from policyengine.i18n.content import value_entries

    keys = {ctx.split(":")[1] for ctx, _e, _f, _l in value_entries()} | {"yes", "no"}
    return sorted(keys, key=len, reverse=True)


def test_no_english_outside_the_catalogues(rendered: tuple[list[Path], list[str]]) -> None:
    paths, data = rendered
    keys = answer_keys()
    found = {p.name: leftovers(visible_text(p), data + keys if "questionnaire" in p.name else data, p.suffix == ".md")
             for p in paths}
    found = {k: v for k, v in found.items() if v}
    assert found == {}


def test_numbers_are_formatted_for_the_locale(rendered: tuple[list[Path], list[str]]) -> None:
    """Every number, amount and share of a pseudo-localised document is written with the
    pseudo-locale's signs (``1.234``, ``47 %``): none is formatted by hand in English."""
    paths, data = rendered
    found = {p.name: english_numbers(outside_brackets(visible_text(p)), data) for p in paths}
    assert {k: v for k, v in found.items() if v} == {}


def test_the_scan_finds_english_that_escaped() -> None:
    """The scanner itself: an unmarked sentence is reported, a marked one and data are not."""
    data = ["Central Bank of Nigeria"]
    text = f"{pseudo('Where the design stands')} Central Bank of Nigeria 12 October 2025 AML-3 rules of thumb"
    assert leftovers(text, data) == ["of", "rules", "thumb"]


def test_the_scan_finds_code_built_words_and_english_numbers() -> None:
    """What escaped before the scan was strengthened: an enumerated value printed raw
    ("(pilot)"), a word of a fact display built in code ("at", "undated") and a number grouped
    by hand in English are reported; the pseudo-locale's own formatting and data are not."""
    from policyengine.i18n import format as fmt

    text = f"{pseudo('Status')}: Digital Dirham (pilot) NGN 120,000 (USD 84 at 1,435.75 NGN/USD, undated)"
    assert leftovers(text, ["Digital Dirham"]) == ["at", "pilot", "undated"]
    assert english_numbers(text, []) == ["1,435.75", "120,000"]
    assert fmt.amount(120000, "NGN", PSEUDO) == "NGN\u00a0120.000"
    assert english_numbers(f"{fmt.amount(120000, 'NGN', PSEUDO)} {fmt.percent(0.47, PSEUDO)} 2021", []) == []
