"""A workspace template that is broken or hostile ends in one line and exit 2, within a time
and size budget, and never reads a file outside the template folders (issue 9)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from policyengine.cli import main
from policyengine.render import environment

TEMPLATE = "templates/toolkit/toolkit.md"


def _ws(tmp_path: Path, body: str | None = None) -> Path:
    ws = tmp_path / "ws"
    (ws / "templates" / "toolkit").mkdir(parents=True)
    if body is not None:
        (ws / TEMPLATE).write_text(body, encoding="utf-8")
    return ws


def _toolkit(ws: Path, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["toolkit", "NG", "-d", "enaira", "-w", str(ws), "--format", "md",
                                       "--out", str(out)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.mark.parametrize("body, message", [
    ("line one\n{% if %}\n", "{t}:2: template syntax: Expected an expression, got 'end of statement block'"),
    ("a\nb\n{{ 1 / 0 }}\n", "{t}:3: template error: ZeroDivisionError: division by zero"),
    ("{{ doc.jurisdiction.id + 1 }}\n", "{t}:1: template error: TypeError: can only concatenate str (not \"int\") to str"),
    ("{{ 'x' * 1000000000 }}\n", "{t}:1: the template exceeds its budget: a repeated string or list would exceed the size budget"),
    ("{{ 2 ** 100000000 }}\n", "{t}:1: the template exceeds its budget: 2 ** 100000000 is too large"),
    ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}\n", "{t}:1: the template exceeds its recursion depth budget"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{{ 'xxxxxxxxxx' }}{% endfor %}{% endfor %}\n",
     "{t}:1: the template exceeds its budget: the output is over 20000000 characters"),
])
def test_template_errors_are_one_line(tmp_path: Path, body: str, message: str) -> None:
    ws = _ws(tmp_path, body)
    code, output = _toolkit(ws, tmp_path / "out")
    assert code == 2
    shown = message.format(t=ws.resolve() / TEMPLATE)
    assert output.strip().splitlines() == [f"error: {shown}"]
    assert not (tmp_path / "out").exists()


def test_a_silent_runaway_loop_is_stopped_by_the_time_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(environment, "TIME_BUDGET_S", 1.0)
    ws = _ws(tmp_path, "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n")
    code, output = _toolkit(ws, tmp_path / "out")
    assert code == 2
    assert output.strip() == f"error: {ws.resolve() / TEMPLATE}:1: the template exceeds its budget: rendering took over 1 s"


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="the memory budget uses RLIMIT_AS (Linux)")
def test_string_doubling_is_stopped_by_the_memory_budget(tmp_path: Path) -> None:
    doubling = "{% set s = 'x' * 1000000 %}" + "{% set s = s ~ s %}" * 12 + "{{ s | length }}\n"
    ws = _ws(tmp_path, doubling)
    code, output = _toolkit(ws, tmp_path / "out")
    assert code == 2
    assert output.strip() == f"error: {ws.resolve() / TEMPLATE}:1: the template exceeds its memory budget"


def test_a_template_linked_outside_its_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET\n", encoding="utf-8")
    ws = _ws(tmp_path)
    os.symlink(secret, ws / TEMPLATE)
    code, output = _toolkit(ws, tmp_path / "out")
    assert code == 2
    assert output.strip() == (f"error: {ws.resolve() / TEMPLATE}:1: refusing the template: it is a link to "
                              f"{secret.resolve()}, outside its template folder")
    assert not (tmp_path / "out").exists()


def test_an_oversized_template_is_refused(tmp_path: Path) -> None:
    ws = _ws(tmp_path, "x" * (environment.MAX_TEMPLATE_BYTES + 1))
    code, output = _toolkit(ws, tmp_path / "out")
    assert code == 2
    assert output.strip() == (f"error: {ws.resolve() / TEMPLATE}:1: the template is "
                              f"{environment.MAX_TEMPLATE_BYTES + 1} characters; the limit is {environment.MAX_TEMPLATE_BYTES}")


def test_a_templates_folder_linked_outside_the_workspace_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "toolkit").mkdir(parents=True)
    (outside / "toolkit" / "toolkit.md").write_text("TOPSECRET\n", encoding="utf-8")
    ws = tmp_path / "ws"
    ws.mkdir()
    os.symlink(outside, ws / "templates")
    code, output = _toolkit(ws, tmp_path / "out")
    assert code == 2
    assert output.strip() == (f"error: {ws.resolve() / 'templates'}:1: refusing the templates folder: it is a link to "
                              f"{outside.resolve()}, outside the workspace")
