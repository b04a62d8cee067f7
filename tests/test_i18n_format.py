"""Numbers, amounts, shares, years, dates and lists in each UN language, through Babel
(policyengine/i18n/format.py); a fact table formats when it is read, so a table cached while
one language was rendered reads in the next language's conventions; the catalogues pass GNU
gettext's own check."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from policyengine import api
from policyengine.i18n import format as fmt
from policyengine.i18n.catalogues import LOCALE_DIR, PSEUDO
from policyengine.i18n.localise import rendering
from policyengine.render import pipeline

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize(("lang", "decimal", "grouped", "share", "amount"), [
    ("en", "1,234.50", "1,234,567", "47%", f"NGN{NBSP}120,000"),
    ("fr", "1\u202f234,50", f"1{NNBSP}234{NNBSP}567", f"47{NBSP}%", f"NGN{NBSP}120{NNBSP}000"),
    ("es", "1.234,50", "1.234.567", f"47{NBSP}%", f"NGN{NBSP}120.000"),
    ("ru", f"1{NBSP}234,50", f"1{NBSP}234{NBSP}567", f"47{NBSP}%", f"NGN{NBSP}120{NBSP}000"),
    # Babel's ``ar`` and ``zh`` write Latin digits with the comma grouping (CLDR's default
    # numbering system for both), as Arabic financial reports of the region do.
    ("ar", "1,234.50", "1,234,567", "47%", f"NGN{NBSP}120,000"),
    ("zh", "1,234.50", "1,234,567", "47%", f"NGN{NBSP}120,000"),
    (PSEUDO, "1.234,50", "1.234.567", f"47{NBSP}%", f"NGN{NBSP}120.000"),
])
def test_numbers_follow_the_locale(lang: str, decimal: str, grouped: str, share: str, amount: str) -> None:
    assert fmt.decimal(1234.5, lang) == decimal
    assert fmt.number(1234567, lang) == grouped
    assert fmt.percent(0.4706, lang) == share
    assert fmt.amount(120000, "NGN", lang) == amount
    assert fmt.year(2021, lang) == "2021"  # a year is never grouped


def test_french_decimals_and_percent_values() -> None:
    assert fmt.number(1234.5, "fr", 1) == f"1{NNBSP}234,5"
    assert fmt.percentage(45.3, "fr") == f"45,3{NBSP}%"
    assert fmt.percentage(45.3, "en") == "45.3%"


def test_dates_and_lists_in_each_language() -> None:
    assert fmt.date("2025-12-31", "en") == "31 December 2025"
    assert fmt.date("2025-12-31", "fr") == "31 décembre 2025"
    assert fmt.date("2025-12-31", "zh") == "2025年12月31日"
    assert fmt.date("2025-12-31", "ar") == "31 ديسمبر 2025"
    assert fmt.date("2025-12", "es") == "diciembre de 2025"
    assert fmt.conjunction(["a", "b", "c"], "en") == "a, b and c"
    assert fmt.conjunction(["a", "b", "c"], "fr") == "a, b et c"
    assert fmt.items(["a", "b"], "ar") == "a\u060c b"  # the Arabic comma
    assert fmt.items(["a", "b"], "zh") == "a\u3001b"
    assert fmt.clauses(["a", "b"], "ar") == "a\u061b b"
    assert fmt.items(["a", "b"], "ru") == "a, b"


def test_without_a_language_the_current_one_is_used() -> None:
    assert fmt.number(1234567) == "1,234,567"
    with rendering("fr"):
        assert fmt.number(1234567) == f"1{NNBSP}234{NNBSP}567"
        assert fmt.items(["a", "b"]) == "a, b"
    with rendering("ar"):
        assert fmt.items(["a", "b"]) == "a\u060c b"


def test_a_cached_fact_table_reads_in_each_language() -> None:
    """The table is built once (api.fact_table keeps the last one), then read in English and
    French: each reader gets their own grouping, words and dates, whichever came first."""
    ws = api.workspace(None)
    with rendering("fr"):
        _p, _d, first = api.fact_table(ws, "NG", "enaira")
        fr = first.get("design.kyc_tiers.0.balance_limit")
        assert fr is not None
        french = fr.display
    _p, _d, second = api.fact_table(ws, "NG", "enaira")
    en = second.get("design.kyc_tiers.0.balance_limit")
    assert en is not None and en.value == fr.value  # the same (cached) raw value
    english = en.display
    assert "120,000" in english and " at " in english and "December" in english
    assert f"120{NNBSP}000" in french and "au taux de" in french and "décembre" in french
    with rendering("fr"):
        assert en.display == french  # the cached object itself formats for the reader


def test_a_document_rendered_after_another_language_is_the_same(tmp_path: Path) -> None:
    """One process renders the brief in French, then English, then French again (as the web
    server does): every rendering equals the first one of its language, byte for byte."""
    ws = api.workspace(None)
    out = {name: tmp_path / name for name in ("fr1", "en", "fr2")}
    paths = {name: pipeline.brief("NG", "enaira", d, ws=ws, fmt="md", lang="en" if name == "en" else "fr")
             for name, d in out.items()}
    fr1, en, fr2 = (paths[n][0].read_text(encoding="utf-8") for n in ("fr1", "en", "fr2"))
    assert fr1 == fr2
    assert "décembre" not in en and f"{NNBSP}000" not in en


@pytest.mark.skipif(shutil.which("msgfmt") is None,
                    reason="GNU gettext's msgfmt is not installed (apt-get install gettext; `make browser` does)")
def test_the_catalogues_pass_msgfmt_check() -> None:
    """Translators' tools and GNU gettext read the catalogues as valid: no format-string
    mismatch (content such as "3% of" is plain text, not a format), no entry written twice."""
    files = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")) + sorted(LOCALE_DIR.glob("*.pot"))
    assert len(files) >= 12
    failed = {}
    for path in files:
        done = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        if done.returncode != 0:
            failed[path.name if path.suffix == ".pot" else f"{path.parent.parent.name}/{path.name}"] = \
                done.stderr.strip().splitlines()[:3]
    assert failed == {}
