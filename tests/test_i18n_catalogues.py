"""The translation catalogues: extraction, update (fuzzy by source), compilation, stats, check,
and a language's catalogue reaching the documents (interface text, rule texts, the cover line)."""

from __future__ import annotations

import gettext
import io
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from click.testing import CliRunner

from policyengine import api
from policyengine.cli import main
from policyengine.i18n import catalogues, content, tools
from policyengine.i18n.catalogues import LOCALE_DIR, po_path, template_path
from policyengine.i18n.mo import UNREVIEWED_HEADER, compile_bytes
from policyengine.i18n.pseudo import pseudo
from policyengine.render import pipeline

RULE = "AML-ANONYMOUS-TIER-LOW-CAP"
COVER = "Machine translation, not reviewed by a qualified translator."


def _blank(po: Path) -> None:
    """Remove every translation of ``po`` (the tests start from known catalogues, whatever the
    translators have shipped)."""
    with po.open("rb") as f:
        cat = read_po(f)
    for m in cat:
        if m.id:
            m.string = ("",) * len(m.string) if isinstance(m.string, tuple) else ""
            m.flags.difference_update({"fuzzy", "unreviewed"})
    buf = io.BytesIO()
    write_po(buf, cat, width=100)
    po.write_bytes(buf.getvalue())


@pytest.fixture(scope="module")
def blank_locale(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped catalogues without their translations, prepared once for the module (blanking
    and updating the four catalogues is most of a test's time); each test gets its own copy."""
    root = tmp_path_factory.mktemp("blank") / "locale"
    shutil.copytree(LOCALE_DIR, root, ignore=shutil.ignore_patterns("*.mo"))
    for po in root.glob("*/LC_MESSAGES/*.po"):
        _blank(po)
    (root / "languages.yaml").write_text("complete: []\n", encoding="utf-8")
    tools.update(["fr", "es", "ru", "zh"], root)  # the .po files follow the templates (as after a merge)
    return root


@pytest.fixture
def locale(blank_locale: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped catalogues, without their translations, that the documents read
    instead of the real ones (the test may change it: it is its own)."""
    root = tmp_path / "locale"
    shutil.copytree(blank_locale, root)
    monkeypatch.setattr(catalogues, "LOCALE_DIR", root)
    catalogues.load.cache_clear()
    yield root
    catalogues.load.cache_clear()


def _edit(path: Path, context: str | None, msgid: str, string: str, flags: tuple[str, ...] = ()) -> None:
    with path.open("rb") as f:
        cat = read_po(f)
    entry = cat.get(msgid, context)
    assert entry is not None, (context, msgid)
    entry.string = string
    entry.flags.update(flags)
    buf = io.BytesIO()
    write_po(buf, cat, width=100)
    path.write_bytes(buf.getvalue())


def _entry(path: Path, context: str):
    with path.open("rb") as f:
        return next(m for m in read_po(f) if m.context == context)


def test_the_shipped_templates_are_current_and_the_check_passes() -> None:
    assert tools.stale("messages") == (set(), set())
    assert tools.stale("content") == (set(), set())
    assert tools.check() == []


def test_a_rule_text_is_keyed_by_its_source_with_the_loaders_text_and_its_line() -> None:
    ws = api.workspace(None)
    rule = ws.rules[RULE]
    entry = _entry(template_path("content"), f"rule:{RULE}:finding")
    assert entry.id == rule.finding  # folded YAML joined, exactly as the loader yields it
    (file, line), = entry.locations
    assert file == f"rulesets/rules/aml/{RULE}.yaml"
    assert Path(ws.root / file).read_text(encoding="utf-8").splitlines()[line - 1].startswith("finding:")


def test_a_changed_english_text_keeps_its_translation_marked_fuzzy(locale: Path) -> None:
    ctx = f"rule:{RULE}:met"
    fr = po_path("fr", "content", locale)
    old_english = _entry(fr, ctx).id
    _edit(fr, ctx, old_english, "Chaque palier sans identité détient au plus le montant de minimis.", ("unreviewed",))
    # the English changes in the template (as a rule author would change the rule)
    pot = template_path("content", locale)
    with pot.open("rb") as f:
        template = read_po(f)
    entry = next(m for m in template if m.context == ctx)
    template.delete(entry.id, ctx)
    template.add("Every no-identity tier holds at most the FATF de minimis amount, USD/EUR 1,000.", context=ctx,
                 locations=entry.locations)
    buf = io.BytesIO()
    write_po(buf, template, width=100)
    pot.write_bytes(buf.getvalue())

    tools.update(["fr"], locale)

    moved = _entry(fr, ctx)
    assert moved.id.endswith("USD/EUR 1,000.")
    assert moved.string.startswith("Chaque palier")
    assert {"fuzzy", "unreviewed"} <= moved.flags
    # the old English is written for the translator (Babel reads "#|" back as a comment)
    assert f'#| msgid "{old_english}"' in fr.read_text(encoding="utf-8")
    # no other rule received the translation (matching is by source, never by likeness)
    with fr.open("rb") as f:
        assert sum(1 for m in read_po(f) if m.string.startswith("Chaque palier")) == 1
    stats = tools.stats_of("fr", "content", locale)
    assert (stats.translated, stats.fuzzy) == (0, 1)
    # a fuzzy translation is not shown: the document keeps the (new) English
    compiled = gettext.GNUTranslations(io.BytesIO(compile_bytes(fr)))
    assert compiled.pgettext(ctx, moved.id) == moved.id


def test_stats_count_translated_fuzzy_unreviewed_and_missing(locale: Path) -> None:
    es = po_path("es", "messages", locale)
    _edit(es, None, "Where the design stands", "Dónde está el diseño", ("unreviewed",))
    _edit(es, None, "Priorities", "Prioridades")
    _edit(es, None, "Roadmap", "Hoja de ruta", ("fuzzy",))
    s = tools.stats_of("es", "messages", locale)
    assert (s.translated, s.unreviewed, s.fuzzy) == (2, 1, 1)
    assert s.missing == s.total - 3


def test_compiled_catalogue_counts_its_unreviewed_translations(locale: Path) -> None:
    ru = po_path("ru", "messages", locale)
    _edit(ru, None, "Priorities", "Приоритеты", ("unreviewed",))
    _edit(ru, None, "Roadmap", "Дорожная карта", ("unreviewed", "fuzzy"))  # not shown, not counted
    info = gettext.GNUTranslations(io.BytesIO(compile_bytes(ru))).info()
    assert info[UNREVIEWED_HEADER.lower()] == "1"
    assert tools.compile(["ru"], locale) == [ru.with_suffix(".mo"), po_path("ru", "content", locale).with_suffix(".mo")]


def test_a_translated_document_shows_its_catalogue_and_says_it_is_unreviewed(locale: Path, tmp_path: Path) -> None:
    fr_messages = po_path("fr", "messages", locale)
    _edit(fr_messages, None, "Where the design stands", "Où en est la conception", ("unreviewed",))
    _edit(fr_messages, None, COVER, "Traduction automatique, non revue par un traducteur qualifié.", ("unreviewed",))
    ws = api.workspace(None)
    title = ws.rules["INCL-REMITTANCE-RECEIPT-LOW-COST"].title
    _edit(po_path("fr", "content", locale), "rule:INCL-REMITTANCE-RECEIPT-LOW-COST:title", title,
          "Recevoir des envois de fonds coûte peu", ("unreviewed",))
    catalogues.load.cache_clear()

    out = tmp_path / "out"
    (md,) = pipeline.brief("NG", "enaira", out, ws=ws, fmt="md", lang="fr")
    text = md.read_text(encoding="utf-8")
    assert md.name == "NG-enaira-brief.fr.md"
    assert "## Où en est la conception" in text
    assert "*Traduction automatique, non revue par un traducteur qualifié.*" in text
    assert "## Priorities" in text  # untranslated: English
    (html,) = pipeline.toolkit("NG", "enaira", out, ws=ws, fmt="html", lang="fr")
    page = html.read_text(encoding="utf-8")
    assert '<html lang="fr" dir="ltr">' in page
    assert "Recevoir des envois de fonds coûte peu" in page  # a rule text, from the content catalogue
    assert title not in page
    # the English document is untouched by the French catalogue, and says nothing about translation
    (en,) = pipeline.brief("NG", "enaira", out, ws=ws, fmt="md")
    assert "## Where the design stands" in en.read_text(encoding="utf-8")
    assert COVER not in en.read_text(encoding="utf-8")


def test_a_language_without_unreviewed_translations_has_no_cover_line(locale: Path, tmp_path: Path) -> None:
    zh = po_path("zh", "messages", locale)
    _edit(zh, None, "Priorities", "优先事项")  # translated and reviewed
    catalogues.load.cache_clear()
    (md,) = pipeline.brief("NG", "enaira", tmp_path, fmt="md", lang="zh")
    assert "## 优先事项" in md.read_text(encoding="utf-8")
    assert COVER not in md.read_text(encoding="utf-8")


def test_arabic_reads_right_to_left_and_chinese_is_simplified(tmp_path: Path) -> None:
    (ar,) = pipeline.brief("NG", "enaira", tmp_path, fmt="html", lang="ar")
    (zh,) = pipeline.brief("NG", "enaira", tmp_path, fmt="html", lang="zh")
    assert '<html lang="ar" dir="rtl">' in ar.read_text(encoding="utf-8")
    assert '<html lang="zh-Hans" dir="ltr">' in zh.read_text(encoding="utf-8")


def test_the_heat_map_mirrors_in_arabic(tmp_path: Path) -> None:
    paths = pipeline.handouts("arab_states", tmp_path, fmt="html", lang="ar")
    region = next(p for p in paths if p.name.startswith("handouts-")).read_text(encoding="utf-8")
    assert 'direction="rtl"' in region
    # The country labels start at the right edge and run leftwards: with direction="rtl" that is
    # text-anchor "start" (the default); "end" pushed them past the chart's right edge, cut off.
    import re
    width = int(re.search(r'<svg [^>]*viewBox="0 0 (\d+) ', region).group(1))  # type: ignore[union-attr]
    xs = [int(x) for x in re.findall(r'<text x="(\d+)" y="\d+">', region)]
    assert xs and 'text-anchor="end"' not in region
    assert max(xs) == width - 4
    english = pipeline.handouts("arab_states", tmp_path / "en", fmt="html")
    assert 'direction="rtl"' not in next(p for p in english if p.name.startswith("handouts-")).read_text(encoding="utf-8")


def test_a_complete_language_missing_a_string_fails_the_check(locale: Path) -> None:
    (locale / "languages.yaml").write_text("complete: [fr]\n", encoding="utf-8")
    problems = tools.check(locale)
    assert len(problems) == 2 and all("fr: declared complete" in p for p in problems)


def test_a_translation_with_a_wrong_placeholder_fails_the_check(locale: Path) -> None:
    es = po_path("es", "messages", locale)
    _edit(es, None, "Gap analysis: %(name)s", "Análisis de brechas: %(nombre)s")
    problems = tools.check(locale)
    assert len(problems) == 1 and "placeholder not in the English" in problems[0] and problems[0].startswith(str(es))


def test_a_stale_template_fails_the_check(locale: Path) -> None:
    pot = template_path("messages", locale)
    with pot.open("rb") as f:
        template = read_po(f)
    template.delete("Roadmap")
    buf = io.BytesIO()
    write_po(buf, template)
    pot.write_bytes(buf.getvalue())
    (problem,) = tools.check(locale)
    assert "messages.pot:1: template: stale, 1 new and 0 removed strings" in problem


def test_the_pseudo_locale_keeps_placeholders_tags_and_links() -> None:
    assert pseudo("Gaps (high)") == "\u27e6Gàps (hîgh)\u27e7"
    assert pseudo("%(num)s rules: <strong>x</strong> [a](https://x.org/a)") == (
        "\u27e6%(num)s rülés: <strong>x</strong> [à](https://x.org/a)\u27e7")


def test_content_text_falls_back_to_english() -> None:
    assert content.text("rule", "NO-SUCH-RULE", "title", "A title") == "A title"


def test_cli_stats_check_and_an_unknown_language() -> None:
    runner = CliRunner()
    done = runner.invoke(main, ["i18n", "stats", "--lang", "ar"])
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert lines[0].split() == ["lang", "catalogue", "total", "translated", "fuzzy", "unreviewed", "missing"]
    assert [line.split()[:2] for line in lines[1:]] == [["ar", "messages"], ["ar", "content"]]
    done = runner.invoke(main, ["i18n", "check"])
    assert done.exit_code == 0 and "catalogues up to date" in done.output
    done = runner.invoke(main, ["brief", "NG", "--lang", "xx"])
    assert done.exit_code == 2 and "xx" in done.output
