"""Problem messages in the six languages (issue 14): what `validate`, `test` and the answers
import print is looked up in the interface catalogue when it is shown, in the language active
then, never frozen in the language it was found in (the validation cache keeps message ids)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

import pytest
from click.testing import CliRunner
from pydantic_core import core_schema

from policyengine import api, i18n
from policyengine.cli import main
from policyengine.i18n.catalogues import load
from policyengine.i18n.deferred import Items, Text, from_data, shown, to_data
from policyengine.i18n.pseudo import CLOSE, OPEN
from policyengine.input_errors import AMOUNT_OR_NONE, COVERED, MESSAGES
from policyengine.load import _problems_from, load_valid_workspace
from policyengine.problems import Problem
from policyengine.questionnaire.answers import AnswersRefused

from .conftest import DESIGN, PROFILE, RULE_OFFLINE
from .test_validate_errors import BAD

PLACEHOLDER = re.compile(r"%\(\w+\)s")

#: One broken file per kind of problem the brief names; each key finds its problem.
BROKEN = {
    # bad YAML
    "rulesets/rules/aml/AML-BROKEN.yaml": "id: AML-BROKEN\ntitle: a: b\n",
    # unknown field, wrong enum
    "jurisdictions/YY/profile.yaml": (
        "id: YY\nname: Badland\nregion: atlantis\ncurrency: YYY\ncolour: blue\n"
        "sources:\n  - {id: yy-src, title: S, publisher: P, year: 2024, evidence: official}\n"),
    # unknown derivation
    "rulesets/rules/aml/AML-TYPO.yaml": RULE_OFFLINE.replace("id: AML-OFFLINE-CAP", "id: AML-TYPO")
    .replace('applies_if: "design.offline in [limited, full]"', 'applies_if: "derived.low_acounts == true"'),
    # unknown source id
    "jurisdictions/XX/designs/coin.yaml": DESIGN.replace("offline: {value: full, source: xx-cb}",
                                                         "offline: {value: full, source: xx-central-bank}"),
}
KINDS = {
    "bad YAML": lambda p: p.file.endswith("AML-BROKEN.yaml"),
    "unknown field": lambda p: p.message.startswith("unknown field 'colour'"),
    "wrong enum": lambda p: p.field == "region",
    "unknown derivation": lambda p: p.message.startswith("unknown derivation 'derived.low_acounts'"),
    "unknown source": lambda p: p.message.startswith("unknown source 'xx-central-bank'"),
}
#: Two rules with the same scope, requirement and severity (a consistency error).
DUPLICATE = {"rulesets/rules/aml/AML-OFFLINE-CAP-TWIN.yaml": RULE_OFFLINE.replace("id: AML-OFFLINE-CAP",
                                                                                  "id: AML-OFFLINE-CAP-TWIN")}


def texts(message: Any) -> Iterator[Text]:
    """Every message of the catalogue a problem's message is made of (itself and those in it)."""
    if isinstance(message, Text):
        yield message
        for value in message.variables.values():
            yield from texts(value)
    elif isinstance(message, Items):
        for value in message.values:
            yield from texts(value)


def assert_translated(problem: Problem, lang: str) -> str:
    """The problem as shown in ``lang``: every message in it is the catalogue's translation."""
    catalogue = load(lang)
    with i18n.using(catalogue):
        shown_text = problem.text
    parts = list(texts(problem.message))
    assert parts, f"{problem}: not a message of the catalogue"
    for text in parts:
        template = catalogue.gettext(text.msgid)
        assert template != text.msgid, f"{lang}: no translation of {text.msgid!r}"
        for literal in PLACEHOLDER.split(template):
            assert literal.strip() in shown_text, (lang, literal, shown_text)
    assert shown_text != str(problem.message)
    return shown_text


def find(problems: list[Problem], kind: str) -> Problem:
    found = [p for p in problems if KINDS[kind](p)]
    assert found, f"no {kind} problem in {[str(p) for p in problems]}"
    return found[0]


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> list[Problem]:
    from .conftest import write

    root = tmp_path_factory.mktemp("broken")
    for rel, text in _complete(BROKEN).items():
        write(root, rel, text)
    return api.validate(root, lint=False)


def _complete(overrides: dict[str, str]) -> dict[str, str]:
    from . import conftest

    files = {
        "rulesets/ruleset.yaml": conftest.RULESET, "rulesets/bibliography/main.yaml": conftest.BIBLIOGRAPHY,
        "rulesets/principles/all.yaml": conftest.PRINCIPLES, "rulesets/parameters.yaml": conftest.PARAMETERS,
        "rulesets/derivations/low_accounts.yaml": conftest.DERIVATION,
        "rulesets/rules/aml/AML-OFFLINE-CAP.yaml": RULE_OFFLINE,
        "rulesets/rules/inclusion/INCL-USSD.yaml": conftest.RULE_USSD,
        "jurisdictions/XX/profile.yaml": PROFILE, "jurisdictions/XX/designs/coin.yaml": DESIGN, "templates/.keep": "",
    }
    files.update(overrides)
    return files


@pytest.mark.parametrize("lang", ["fr", "zh"])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_of_problem_reads_in_the_language_it_is_shown_in(broken: list[Problem], kind: str, lang: str) -> None:
    problem = find(broken, kind)
    text = assert_translated(problem, lang)
    # the place and the data stay as they are: file, line, field, and the names the file gives
    with i18n.using(load(lang)):
        assert str(problem).startswith(f"{problem.file}:{problem.line}: ")
    for datum in ("'colour'", "'derived.low_acounts'", "'xx-central-bank'", "'atlantis'"):
        if datum in str(problem.message):
            assert datum in text


def test_a_consistency_duplicate_is_translated(make_ws: Any) -> None:
    problems = api.validate(make_ws(DUPLICATE), lint=False)
    twin = [p for p in problems if p.message.startswith("same scope, requirement and severity as AML-OFFLINE-CAP")]
    assert len(twin) == 1
    for lang in ("fr", "zh", "ar"):
        assert "AML-OFFLINE-CAP" in assert_translated(twin[0], lang)


def test_chinese_and_arabic_use_their_own_punctuation(broken: list[Problem]) -> None:
    derivation = find(broken, "unknown derivation")  # "...; did you mean ...?"
    with i18n.using(load("zh")):
        assert "；" in derivation.text and "？" in derivation.text and "; " not in derivation.text
    with i18n.using(load("ar")):
        assert "؛" in derivation.text and "؟" in derivation.text


def test_a_problem_found_in_french_is_shown_in_english_and_back(tmp_path: Path, broken: list[Problem]) -> None:
    """Validate a broken workspace in French, then in English, in one process: each in its own."""
    from .conftest import write

    for rel, text in _complete(BROKEN).items():
        write(tmp_path, rel, text)
    with i18n.using(load("fr")):
        in_french = [str(p) for p in api.validate(tmp_path, lint=False)]
    in_english = [str(p) for p in api.validate(tmp_path, lint=False)]
    assert in_english == [str(p) for p in broken]
    assert "unknown derivation 'derived.low_acounts'" in "\n".join(in_english)
    fr = load("fr").gettext("unknown derivation %(name)s; did you mean %(near)s?")
    assert fr.split("%")[0] in "\n".join(in_french) and "unknown derivation" not in "\n".join(in_french)
    # the same problems, shown again later in another language, follow that language
    with i18n.using(load("fr")):
        again = [str(p) for p in broken]
    assert again == in_french


def test_the_pseudo_locale_wraps_every_problem_message(make_ws: Any, broken: list[Problem]) -> None:
    """No English is left outside the catalogue: every message (and every message inside one)
    is wrapped in ⟦…⟧; only the data (names, values, paths) stays as the file gives it."""
    problems = broken + api.validate(make_ws(BAD), lint=True) + api.validate(make_ws(DUPLICATE), lint=False)
    assert len(problems) > 20
    with i18n.using(load("en-XA")):
        for p in problems:
            text = shown(p.message)
            nodes = list(texts(p.message))
            assert nodes, f"not a message of the catalogue: {p}"
            assert text.startswith(OPEN) and text.endswith(CLOSE), text
            assert text.count(OPEN) == len(nodes), text
            if p.level != "error":
                assert p.text.startswith(OPEN)


def test_the_validation_cache_keeps_message_ids_not_text(make_ws: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A workspace's warnings come back from the validation cache in the language of the run
    that reads them, whichever language wrote the entry."""
    root = make_ws({"jurisdictions/XX/designs/coin.yaml": DESIGN + "currency: EUR\n"})
    with i18n.using(load("fr")):
        first = [str(p) for p in load_valid_workspace(root).problems]
    assert any("EUR" in line for line in first)

    import policyengine.validate as validate_module

    def not_again(ws: Any) -> None:
        raise AssertionError("validated again: the cache was not used")

    monkeypatch.setattr(validate_module, "validate_workspace", not_again)
    english = load_valid_workspace(root).problems
    assert [p.message for p in english] == ["limits in EUR but the jurisdiction's rate is for XTL"]
    assert [p.level for p in english] == ["warning"]
    with i18n.using(load("fr")):
        assert [str(p) for p in load_valid_workspace(root).problems] == first
    with i18n.using(load("ru")):
        assert_translated(load_valid_workspace(root).problems[0], "ru")


def test_a_damaged_cache_entry_is_ignored() -> None:
    good = ["a.yaml", 3, "currency", to_data(Text("limits in %(currency)s but the jurisdiction's rate is for "
                                                   "%(rate_currency)s", {"currency": "EUR", "rate_currency": "XTL"})),
            "warning"]
    assert _problems_from([good])[0].message == "limits in EUR but the jurisdiction's rate is for XTL"
    for message in ({"id": "%(x)s", "vars": {}}, {"id": 3, "vars": {}}, {"id": "x", "vars": []}, [1],
                    {"items": [{"id": "a"}], "either": False, "clauses": False}):
        assert _problems_from([[*good[:3], message, "warning"]]) is None
    assert _problems_from([[*good[:4], "error"]]) is None


def test_messages_round_trip_through_cache_data() -> None:
    message = Text("%(problem)s (found %(found)s)", {
        "problem": Text("must be one of %(expected)s", {"expected": Items(["'a'", "'b'", "'c'"], either=True)},
                        english="Input should be 'a', 'b' or 'c'"),
        "found": "'d'"})
    back = from_data(to_data(message))
    assert back == message == "Input should be 'a', 'b' or 'c' (found 'd')"
    for lang in ("fr", "zh", "ar"):
        with i18n.using(load(lang)):
            assert shown(back) == shown(message) != str(message)
    with i18n.using(load("zh")):
        assert "'a'、'b'或'c'" in shown(back)


def test_pydantic_errors_have_messages_of_their_own(broken: list[Problem]) -> None:
    """The common kinds of pydantic error are translated; English keeps pydantic's words."""
    assert COVERED == len(MESSAGES) + 2 >= 30
    known = set(core_schema.ErrorType.__args__)  # type: ignore[attr-defined]
    assert set(MESSAGES) - known == {"condition", AMOUNT_OR_NONE}
    region = find(broken, "wrong enum")
    assert region.message.startswith("Input should be 'africa', 'americas'")
    with i18n.using(load("fr")):
        assert "doit être l'une des valeurs" in region.text and " ou 'europe'" in region.text


def test_cli_validate_prints_problems_in_the_active_language(make_ws: Any) -> None:
    root = make_ws(BROKEN)
    with i18n.using(load("fr")):
        result = CliRunner().invoke(main, ["validate", "--workspace", str(root), "--no-lint"])
    assert result.exit_code == 2
    fr = load("fr")
    assert fr.gettext("unknown field %(name)s") % {"name": "'colour'"} in result.output
    assert "unknown field" not in result.output and "Input should be" not in result.output


def test_answers_import_refusals_are_translated(make_ws: Any, tmp_path: Path) -> None:
    root = make_ws()
    form = tmp_path / "answers.yaml"
    form.write_text(
        "jurisdiction: XX\ndesign: coin\nquestions:\n"
        "  - {id: jurisdiction.inclusion.account_ownership_pct, answer: lots, source: xx-cb, as_of: '2024'}\n"
        "  - {id: jurisdiction.inclusion.acount_ownership_pct, answer: 3, source: xx-cb, as_of: '2024'}\n",
        encoding="utf-8")
    with pytest.raises(AnswersRefused) as refused:
        api.import_answers(form, root)
    english = [str(p) for p in refused.value.problems]
    assert any("expected a number, got 'lots'" in line for line in english)
    for lang in ("es", "ar"):
        catalogue = load(lang)
        with i18n.using(catalogue):
            shown_lines = [str(p) for p in refused.value.problems]
            assert str(refused.value) == catalogue.gettext("%(count)s answer problem(s); nothing was written") % {
                "count": 2}
        assert catalogue.gettext("expected a number, got %(found)s") % {"found": "'lots'"} in "\n".join(shown_lines)
        assert not any("expected a number" in line or "unknown question id" in line for line in shown_lines)


def test_a_failing_example_is_reported_in_the_active_language() -> None:
    from policyengine.authoring.examples import ExampleResult

    result = ExampleResult("AML-X", "too-high", "rules/aml/AML-X.yaml", 15, "gap", "unknown",
                           expected_missing=(), actual_missing=("design.offline_limit",))
    assert result.report().splitlines() == ["rules/aml/AML-X.yaml:15: AML-X::too-high: expected gap, got unknown",
                                            "    missing facts expected: (none); reported: design.offline_limit"]
    zh = load("zh")
    with i18n.using(zh):
        first, second = result.report().splitlines()
    assert first == "rules/aml/AML-X.yaml:15: AML-X::too-high: " + zh.gettext(
        "expected %(expected)s, got %(actual)s") % {"expected": "gap", "actual": "unknown"}
    assert zh.gettext("(none)") in second and "design.offline_limit" in second and "missing" not in second


def test_kinds_of_fact_and_owners_are_words_of_the_language(make_ws: Any) -> None:
    """'<' on an enum names the kind of fact, and a presence warning its rule, in the language."""
    rule = RULE_OFFLINE.replace("id: AML-OFFLINE-CAP", "id: AML-KIND").replace(
        'requires: "design.offline_limit <= $de_minimis_usd"', 'requires: "design.kind < 5"').replace(
        'applies_if: "design.offline in [limited, full]"', 'applies_if: "design.issuer exists"')
    problems = api.validate(make_ws({"rulesets/rules/aml/AML-KIND.yaml": rule}), lint=False)
    kind = [p for p in problems if p.message == "'<' compares numbers; design.kind is enum"]
    presence = [p for p in problems if p.message.startswith("rule AML-KIND: 'design.issuer exists' can never be false")]
    assert len(kind) == 1 and len(presence) == 1
    fr = load("fr")
    with i18n.using(fr):
        assert fr.gettext("one of a set of values") in kind[0].text and " enum" not in kind[0].text
        assert presence[0].text.startswith(fr.gettext("warning: %(text)s").split("%")[0] + fr.gettext("rule %(id)s")
                                           % {"id": "AML-KIND"})
    with i18n.using(load("en-XA")):
        assert kind[0].text.count(OPEN) == 2 and presence[0].text.count(OPEN) == 3  # warning, message, rule


def test_a_problem_about_the_whole_file_names_it_in_the_readers_language() -> None:
    from policyengine.problems import WHOLE_FILE

    problem = Problem("rulesets/rules/aml/X.yaml", 1, WHOLE_FILE, "missing")
    assert str(problem) == "rulesets/rules/aml/X.yaml:1: (file): missing"
    with i18n.using(load("fr")):
        word = load("fr").gettext(WHOLE_FILE)
        assert word != WHOLE_FILE and str(problem).startswith(f"rulesets/rules/aml/X.yaml:1: {word}: ")
