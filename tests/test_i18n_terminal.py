"""What the command line prints is in the terminal's language (issue 14).

The language comes from ``policyengine --lang``, else from the environment as gettext programs
read it (POLICYENGINE_LANG, LANGUAGE, LC_ALL, LC_MESSAGES, LANG; ``C`` is English). Expected
French is taken from the catalogue, never written here, so a changed translation cannot make the
tests lie; the pseudo-locale proves that no line a command prints escaped the catalogue.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from policyengine import api
from policyengine.cli import main
from policyengine.i18n.catalogues import PSEUDO, load
from policyengine.i18n.punctuation import chinese_problems
from policyengine.i18n.terminal import document_language, negotiate
from policyengine.i18n.tools import punctuation_problems
from policyengine.render.documents import AREA_TITLES
from policyengine.render.text import width

from .test_i18n_pseudo import answer_keys, data_strings, leftovers

LOCALE_VARIABLES = ("POLICYENGINE_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.mark.parametrize(("environ", "lang"), [
    ({}, "en"),
    ({"LANG": "C"}, "en"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "POSIX", "LANGUAGE": "fr"}, "en"),  # as gettext: LANGUAGE is ignored in the C locale
    ({"LANGUAGE": "fr"}, "en"),  # no locale at all is the C locale
    ({"LANG": "fr_FR.UTF-8"}, "fr"),
    ({"LANG": "de_DE.UTF-8"}, "en"),  # no catalogue: English
    ({"LANG": "en_US.UTF-8", "LANGUAGE": "de:ru:fr"}, "ru"),  # LANGUAGE is a list of preferences
    ({"LANG": "fr_FR.UTF-8", "LC_MESSAGES": "es_ES.UTF-8"}, "es"),
    ({"LANG": "fr_FR.UTF-8", "LC_MESSAGES": "es_ES.UTF-8", "LC_ALL": "ar_EG.UTF-8"}, "ar"),
    ({"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}, "en"),
    ({"LANG": "zh_TW.UTF-8"}, "zh"),
    ({"LANG": "ru_RU.KOI8-R@euro"}, "ru"),
    ({"LANG": "fr_FR.UTF-8", "POLICYENGINE_LANG": "zh"}, "zh"),  # the program's own setting first
    ({"LANG": "C", "POLICYENGINE_LANG": "es-MX"}, "es"),
    ({"POLICYENGINE_LANG": "en-XA"}, PSEUDO),
    ({"LANG": "en_XA.UTF-8"}, "en"),  # the pseudo-locale is for tests: only when asked for by name
    ({"POLICYENGINE_LANG": "klingon", "LANG": "fr_FR.UTF-8"}, "en"),
])
def test_the_terminal_language_is_negotiated_from_the_environment(environ: dict[str, str], lang: str) -> None:
    assert negotiate(environ) == lang


def test_a_document_follows_its_own_lang_then_the_command_line_never_the_environment() -> None:
    assert document_language("es", "fr") == "es"
    assert document_language(None, "fr") == "fr"
    assert document_language(None, None) == "en"


def _env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARIABLES}
    return {**env, **values}


#: The installed command (the console script of the package, in the test environment's bin/).
COMMAND = str(Path(sys.executable).with_name("policyengine"))


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([COMMAND, *args], capture_output=True, text=True, env=env, timeout=300, check=False)


def test_lang_fr_prints_validate_in_french() -> None:
    ws = api.workspace(None)
    warnings = sum(1 for p in api.validate(None, lint=False) if p.level == "warning")
    result = CliRunner().invoke(main, ["--lang", "fr", "validate", "--no-lint"])
    assert result.exit_code == 0, result.output
    fr = load("fr")
    english = ("ok: %(principles)s principles, %(rules)s rules, %(derivations)s derivations, %(jurisdictions)s "
               "jurisdictions, %(designs)s designs, %(archetypes)s archetypes; %(warnings)s warning(s)")
    assert fr.gettext(english) != english
    expected = fr.gettext(english) % {
        "principles": len(ws.principles), "rules": len(ws.rules), "derivations": len(ws.derivations),
        "jurisdictions": len(ws.profiles), "designs": sum(len(d) for d in ws.designs.values()),
        "archetypes": len(ws.archetypes), "warnings": warnings}
    assert result.stdout.strip() == expected


def _header(stdout: str) -> str:
    return next(line for line in stdout.splitlines() if line.strip() and "—" not in line)


def test_a_french_locale_prints_assess_in_french_and_c_prints_english() -> None:
    french = _run(["assess", "NG", "-d", "enaira"], _env(LANG="fr_FR.UTF-8"))
    assert french.returncode == 0, french.stderr
    fr = load("fr")
    header = _header(french.stdout)
    for word in ("area", "decided", "could range", "high gaps"):
        assert fr.gettext(word) != word and fr.gettext(word) in header, (word, header)
    assert fr.gettext(AREA_TITLES["privacy"]) in french.stdout
    # rule texts come from the content catalogue in the same language
    rule = api.workspace(None).rules["AML-ANONYMOUS-TIER-RISK-ASSESSED"]
    from policyengine.i18n import content, using

    with using(fr):
        title = content.text("rule", rule.id, "title", rule.title)
    assert title != rule.title and title in french.stdout
    english = _run(["assess", "NG", "-d", "enaira"], _env(LANG="C", LANGUAGE="fr"))
    assert english.returncode == 0, english.stderr
    assert _header(english.stdout).split()[:3] == ["area", "gap", "met"]
    assert rule.title in english.stdout


def test_the_command_line_lang_wins_over_the_environment() -> None:
    r = _run(["--lang", "en", "validate", "--no-lint"], _env(LANG="ru_RU.UTF-8", POLICYENGINE_LANG="ru"))
    assert r.returncode == 0 and r.stdout.startswith("ok: ")


@pytest.mark.parametrize("lang", ["zh", "ar"])
def test_the_assess_table_lines_up_by_display_width(lang: str) -> None:
    result = CliRunner().invoke(main, ["--lang", lang, "assess", "NG", "-d", "enaira"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if i > 0 and line.strip() and "—" not in line)
    table = lines[start:]
    table = table[:next(i for i, line in enumerate(table) if not line.strip())]
    assert len(table) == 15  # header, 13 areas, all areas
    # the columns are right-aligned: the cell where each number ends is the same on every row
    def ends(line: str) -> list[int]:
        out, cells = [], 0
        for i, ch in enumerate(line):
            cells += width(ch)
            if ch not in " " and (i + 1 == len(line) or line[i + 1] == " "):
                out.append(cells)
        return out
    numbers = [ends(row)[-8:-1] for row in table[1:]]  # gap ... decided (the range is last)
    assert all(n == numbers[0] for n in numbers), numbers
    assert ends(table[0])[-8:-1] == numbers[0] or lang == "ar"  # Arabic headers hold spaces themselves
    if lang == "zh":
        assert all(width(row) > len(row) for row in table)  # wide characters were counted as two cells


def test_documents_follow_the_top_level_lang_but_not_the_environment(tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["--lang", "fr", "brief", "NG", "--format", "md", "--out", str(tmp_path / "a")])
    assert r.exit_code == 0, r.output
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["NG-enaira-brief.fr.md"]
    r = CliRunner().invoke(main, ["--lang", "fr", "brief", "NG", "--lang", "es", "--format", "md",
                                  "--out", str(tmp_path / "b")])
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["NG-enaira-brief.es.md"]
    r2 = _run(["brief", "NG", "--format", "md", "--out", str(tmp_path / "c")], _env(LANG="fr_FR.UTF-8"))
    assert r2.returncode == 0, r2.stderr
    assert [p.name for p in (tmp_path / "c").iterdir()] == ["NG-enaira-brief.md"]
    assert (tmp_path / "c" / "NG-enaira-brief.md").read_text(encoding="utf-8").startswith("# ")


#: The commands a workshop runs, each as the pseudo-locale prints it. What is outside the ⟦…⟧
#: must be data (ids, paths, names, sources, numbers), never an English word.
COMMANDS = [
    ["validate", "--no-lint"],
    ["assess", "NG", "-d", "enaira"],
    ["explain", "AML-ANONYMOUS-TIER-RISK-ASSESSED", "NG", "-d", "enaira"],
    ["explain", "AML-ANONYMOUS-TIER-LOW-CAP", "NG", "-d", "enaira"],
    ["test", "AML-ANONYMOUS-TIER-RISK-ASSESSED", "derived.aml_anonymous_tier_exists"],
    ["coverage"],
    ["catalogue"],
    ["paths"],
    ["schema", "--check"],
]


@pytest.fixture(scope="module")
def data() -> list[str]:
    ws = api.workspace(None)
    return data_strings(ws, [("NG", "enaira")]) + answer_keys()


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: "-".join(a[:2]))
def test_no_english_is_printed_outside_the_catalogues(args: list[str], data: list[str]) -> None:
    result = CliRunner().invoke(main, ["--lang", PSEUDO, *args])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "\u27e6" in text
    if args[0] == "explain":  # the condition trees are the rule language (paths, operators), as written
        text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("["))
    assert leftovers(text, data, markdown=False) == []


def test_diff_prints_no_english_outside_the_catalogues(tmp_path: Path, data: list[str]) -> None:
    from .test_authoring_common import OFFLINE_RULE, copy_shipped, write

    base = copy_shipped(tmp_path / "base")
    head = copy_shipped(tmp_path / "head")
    write(head, "rulesets/rules/aml/AML-OFFLINE-FULL.yaml", OFFLINE_RULE)
    result = CliRunner().invoke(main, ["--lang", PSEUDO, "diff", "--base-dir", str(base), "--workspace", str(head)])
    assert result.exit_code == 0, result.output
    text = result.stdout
    for path in (str(base), str(head)):
        text = text.replace(path, " ")
    assert "AML-OFFLINE-FULL" in text and "\u27e6" in text
    # the new rule's title is the workspace's own text, which no shipped catalogue can hold
    assert leftovers(text.replace("Offline payments are limited", " "), data, markdown=False) == []


def test_the_questionnaire_summary_and_its_document_follow_the_lang(tmp_path: Path, data: list[str]) -> None:
    result = CliRunner().invoke(main, ["--lang", PSEUDO, "questionnaire", "NG", "-d", "enaira", "--format", "yaml",
                                       "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    *paths, summary = result.stdout.splitlines()
    assert [Path(p).name for p in paths] == [f"NG-enaira-questionnaire.{PSEUDO}.yaml"]
    assert leftovers(summary, data, markdown=False) == []


def test_the_c_locale_prints_english() -> None:
    r = _run(["--help"], _env(LANG="C"))
    assert r.returncode == 0
    r = _run(["validate", "--no-lint"], _env(LANG="C"))
    assert r.returncode == 0 and r.stdout.startswith("ok: ") and "principles" in r.stdout


@pytest.mark.parametrize(("text", "bad"), [
    ("中央银行（设计团队）, 立即", True),
    ("中央银行（设计团队）) , 立即", True),
    ("全部 (zip)", True),
    ("立即.", True),
    ("负责方: 中央银行", True),
    ("全部（zip）", False),
    ("中央银行（设计团队）。完成时限：立即。", False),
    ("符合 ISO 20022, R.15 的要求", False),  # Latin text keeps its own marks
    ("%(who)s，%(when)s", False),
    ("见 `policyengine answers FILE --workspace DIR`。", False),
    ("“+N?”表示", False),
])
def test_chinese_punctuation_is_full_width_after_chinese_text(text: str, bad: bool) -> None:
    assert bool(chinese_problems(text)) is bad


def test_the_chinese_catalogues_use_full_width_punctuation() -> None:
    assert punctuation_problems("zh") == []


# -- the web layer: a what-if and the questionnaire's refusals in the page's language --------

BASE = "http://127.0.0.1:8000"
ORIGIN = {"origin": BASE}


@pytest.fixture(scope="module")
def web() -> object:
    testclient = pytest.importorskip("starlette.testclient", reason="httpx is in the test extra")
    from policyengine.web import Server, create_app

    return testclient.TestClient(create_app(Server()), base_url=BASE)


def test_a_what_if_made_in_english_is_named_in_the_language_of_the_page(web: object) -> None:
    c: object = web
    r = c.post("/en/j/NG/enaira/whatif", data={"privacy_model": "transparent"}, headers=ORIGIN,  # type: ignore[attr-defined]
               follow_redirects=False)
    assert r.status_code == 303
    english = "%(name)s (what-if)"
    for lang in ("fr", "zh", "ar"):  # the what-if's file, downloaded from a page in another language
        design = yaml.safe_load(c.get(f"/{lang}/j/NG/enaira/whatif.yaml").content)  # type: ignore[attr-defined]
        named = load(lang).gettext(english) % {"name": "eNaira"}
        assert named != "eNaira (what-if)" and design["name"] == named, lang
    design = yaml.safe_load(c.get("/en/j/NG/enaira/whatif.yaml").content)  # type: ignore[attr-defined]
    assert design["name"] == "eNaira (what-if)"


def test_a_refused_answer_names_its_field_as_the_french_form_labels_it(web: object) -> None:
    q = api.questionnaire("NG", "enaira")
    n, x = next((n, x) for n, x in enumerate(q.questions()) if x.kind.value == "choice")
    r = web.post("/fr/j/NG/enaira/questionnaire", headers=ORIGIN,  # type: ignore[attr-defined]
                 data={f"a-{n}-answer": x.allowed[0], f"a-{n}-source": "declared", f"a-{n}-as_of": ""})
    assert r.status_code == 422
    alert = r.text.split('role="alert"')[1].split("</div>")[0]
    fr = load("fr")
    label = fr.gettext("True as of (YYYY-MM-DD)")
    assert label != "True as of (YYYY-MM-DD)" and label in alert
    assert ": as_of:" not in alert
