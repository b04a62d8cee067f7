"""``--help`` follows the terminal's language (policyengine.i18n.clihelp): texts looked up when shown."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from policyengine.cli import main
from policyengine.i18n.catalogues import load
from policyengine.i18n.clihelp import help_messages, normalise
from policyengine.i18n.tools import extract_messages

CLEAN_ENV = {"POLICYENGINE_LANG": "", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": ""}


def _help(args: list[str], **env: str) -> str:
    result = CliRunner().invoke(main, args, env={**CLEAN_ENV, **env}, prog_name="policyengine")
    assert result.exit_code == 0, result.output
    return result.output


def _squash(text: str) -> str:
    """Without any whitespace: click rewraps paragraphs (and cuts Chinese anywhere)."""
    return re.sub(r"\s+", "", text)


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    found = []
    for name, cmd in sorted(group.commands.items()):
        found.append(((*path, name), cmd))
        if isinstance(cmd, click.Group):
            found.extend(_commands(cmd, (*path, name)))
    return found


def test_subcommand_help_in_french_with_the_top_level_lang() -> None:
    out = _help(["--lang", "fr", "toolkit", "--help"])
    fr = load("fr")
    toolkit = main.commands["toolkit"]
    doc = fr.gettext(normalise(toolkit.help))
    assert doc != normalise(toolkit.help)  # the catalogue has it
    assert _squash(doc) in _squash(out)
    design = next(p for p in toolkit.params if p.name == "design")
    assert _squash(fr.gettext(normalise(design.help))) in _squash(out)  # type: ignore[attr-defined]
    assert out.startswith(fr.gettext("Usage:") + " policyengine toolkit")
    assert "National policy toolkit" not in out


def test_top_level_help_in_chinese() -> None:
    out = _help(["--lang", "zh", "--help"])
    zh = load("zh")
    doc = zh.gettext(normalise(main.help))
    assert doc != normalise(main.help)
    assert _squash(doc) in _squash(out)
    assert zh.gettext("Commands:") in out and "命令：" in out
    assert zh.gettext("Show this message and exit.") in out
    assert "Check digital currency" not in out and "Show this message" not in out


def test_top_level_help_follows_the_environment() -> None:
    """``policyengine --help`` is printed before the group's callback: the language is chosen then."""
    fr = load("fr")
    out = _help(["--help"], LANG="fr_FR.UTF-8")
    assert _squash(fr.gettext(normalise(main.help))) in _squash(out)
    assert out.startswith(fr.gettext("Usage:"))
    out = _help(["validate", "--help"], LANG="ru_RU.UTF-8")
    assert _squash(load("ru").gettext("Treat warnings as errors.")) in _squash(out)


@pytest.mark.parametrize("args", [["--help"], ["toolkit", "--help"], ["i18n", "--help"]])
def test_c_locale_gives_english(args: list[str]) -> None:
    out = _help(args, LANG="C", LANGUAGE="fr")
    assert out.startswith("Usage: policyengine")
    assert "Options:" in out and "Show this message and exit." in out
    assert "⟦" not in out and "Utilisation" not in out


def test_every_help_text_is_extracted() -> None:
    ids = {m.id for m in extract_messages() if m.id}
    texts = {text for text, _file, _line in help_messages()}
    assert texts and texts <= ids
    assert normalise(main.commands["validate"].help) in ids  # a docstring with two paragraphs


def test_pseudo_locale_wraps_every_help_line_of_every_command() -> None:
    """In en-XA every text of every --help is bracketed: English left outside the brackets is only
    the program's own names (commands, option names, metavars, choices)."""
    commands = _commands(main)
    names = {"policyengine"} | {name for path, _cmd in commands for name in path}
    checked = 0
    for path, _cmd in [((), main), *commands]:
        out = _help([*path, "--help"], POLICYENGINE_LANG="en-XA")
        # the catalogue's texts (a command's short help, cut at "...", loses its closing bracket)
        outside = re.sub(r"⟦[^⟧⟦]*(?:⟧|\.\.\.(?=\n))", " ", out)
        outside = re.sub(r"\[[^\]]*\]|<[^>]*>", " ", outside)  # [OPTIONS], [a|b] choices, [default], <lang>
        words = {w for w in re.findall(r"(?<![-\w/.$])[A-Za-z][a-z]{2,}\b", outside) if w not in names}
        assert not words, f"{' '.join(path) or 'policyengine'} --help: English outside the catalogue: {sorted(words)}"
        assert "⟦" not in outside and "⟧" not in outside and out.count("⟧") > 0
        checked += 1
    assert checked == len(commands) + 1 > 30


def _error(args: list[str], **env: str) -> str:
    result = CliRunner().invoke(main, args, env={**CLEAN_ENV, **env}, prog_name="policyengine")
    assert result.exit_code == 2
    return result.output


def test_clicks_usage_errors_follow_the_terminals_language() -> None:
    fr = load("fr")
    unknown = _error(["--lang", "fr", "toolkit", "--bogus"])
    assert fr.gettext("Error: {message}").split("{")[0] in unknown
    assert fr.gettext("No such option {name!r}.").split("{")[0] in unknown and "'--bogus'" in unknown
    choice = _error(["toolkit", "NG", "--format", "bogus"], LANG="zh_CN.UTF-8")
    zh = load("zh")
    assert zh.gettext("Error: {message}").split("{")[0] in choice
    assert zh.gettext("Invalid value for {param_hint}: {message}").split("{")[1].split("}")[1].split("{")[0] in choice
    assert "'bogus'" in choice and "Invalid value" not in choice
    # a later command line without --lang, in the same process, is English again
    assert "Error: No such option '--bogus'." in _error(["toolkit", "--bogus"], LANG="C")


def test_a_translation_that_breaks_clicks_fields_falls_back_to_english() -> None:
    from policyengine.i18n.clihelp import _safe

    assert _safe("Option {nom!r} inconnue.", "No such option {name!r}.") == "No such option {name!r}."
    assert _safe("Option {name!r} inconnue.", "No such option {name!r}.") == "Option {name!r} inconnue."
    # a plural form may use a field of the other form (Russian's singular names the count)
    assert _safe("требуется {nargs} аргумент", "requires an argument", "requires an argument",
                 "requires {nargs} arguments") == "требуется {nargs} аргумент"
    assert _safe("{unbalanced", "x") == "x"
