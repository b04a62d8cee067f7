"""Compiled templates are shared between the environments of documents (each document builds its
own), and a template whose text changed is compiled again, never served stale."""

from __future__ import annotations

import shutil
from pathlib import Path

from policyengine import api
from policyengine.render import environment
from policyengine.render.environment import make_environment, render
from tests.conftest import write


def test_a_second_environment_reuses_the_compiled_template_of_the_first(make_ws) -> None:  # type: ignore[no-untyped-def]
    ws = api.workspace(make_ws({"templates/note.md": "Note {{ n }}\n"}))
    first = make_environment(ws)
    assert render(first, "note.md", n=1) == "Note 1\n"
    second = make_environment(ws, "fr")
    compiled: list[str] = []
    original = second.compile
    second.compile = lambda *a, **k: compiled.append(a[1]) or original(*a, **k)  # type: ignore[method-assign]
    assert render(second, "note.md", n=2) == "Note 2\n"
    assert compiled == []  # the code compiled for the first environment
    assert second.bytecode_cache is first.bytecode_cache


def test_an_edited_template_is_compiled_again(make_ws) -> None:  # type: ignore[no-untyped-def]
    root = make_ws({"templates/note.md": "Before {{ n }}\n"})
    ws = api.workspace(root)
    assert render(make_environment(ws), "note.md", n=1) == "Before 1\n"
    (root / "templates" / "note.md").write_text("After {{ n }}\n", encoding="utf-8")
    assert render(make_environment(ws), "note.md", n=1) == "After 1\n"


def test_the_same_name_in_another_workspace_is_its_own_template(make_ws, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    from policyengine import api
    one = api.workspace(make_ws({"templates/note.md": "One\n"}))
    other_root: Path = tmp_path_factory.mktemp("other")
    for rel in ("rulesets", "jurisdictions"):
        shutil.copytree(one.root / rel, other_root / rel)
    write(other_root, "templates/note.md", "Other\n")
    other = api.workspace(other_root)
    assert render(make_environment(one), "note.md") == "One\n"
    assert render(make_environment(other), "note.md") == "Other\n"


def test_the_cache_keeps_at_most_its_bound(monkeypatch, make_ws) -> None:  # type: ignore[no-untyped-def]
    root = make_ws({f"templates/t{i}.md": f"T{i}\n" for i in range(5)})
    ws = api.workspace(root)
    env = make_environment(ws)
    cache = env.bytecode_cache
    assert isinstance(cache, environment.SharedBytecode)
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    cache.clear()
    for i in range(5):
        assert render(make_environment(ws), f"t{i}.md") == f"T{i}\n"
    assert len(cache._code) == 3
