"""A region is named as a reader writes it (``arab-states``, ``Arab States``) by every command
that takes one, and a wrong name is refused the same way everywhere, before any work."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from policyengine import api
from policyengine.cli import main
from policyengine.problems import NotFound


@pytest.mark.parametrize("written", ["arab_states", "arab-states", "Arab States", " ARAB-states "])
def test_spellings_of_a_region_name_one_region(written: str) -> None:
    assert api.find_region(written) == "arab_states"


def test_a_wrong_region_is_refused_with_the_list_and_the_nearest() -> None:
    with pytest.raises(NotFound) as caught:
        api.find_region("asia-pacifc")
    assert "did you mean asia_pacific?" in str(caught.value)
    assert "use one of africa, americas, arab_states, asia_pacific, cis, europe" in str(caught.value)


@pytest.mark.parametrize("command", ["handouts", "toolkits"])
def test_handouts_and_toolkits_refuse_it_alike_before_any_output(command: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, [command, "--region", "arabia", "--out", str(tmp_path / "out"), "--format", "md"])
    assert result.exit_code == 2, result.output
    assert "no region 'arabia'" in result.output and "use one of" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_handouts_accept_the_hyphenated_name(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["handouts", "--region", "arab-states", "--out", str(tmp_path), "--format", "md"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "handouts-arab_states.md").is_file()
