"""The parse, validation and compile cache (policyengine.cache): a cached run gives the very
bytes of an uncached one, a damaged entry is rebuilt, and the cache is never required."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from policyengine import api, cache
from policyengine.load import load_workspace
from policyengine.render.pipeline import to_json
from policyengine.yamlio import parse_yaml


@pytest.fixture
def own_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path_factory.mktemp("cache") / "policyengine"  # beside the test's workspace, never in it
    monkeypatch.setenv(cache.ENV_DIR, str(folder))
    monkeypatch.delenv(cache.ENV_OFF, raising=False)
    return folder


def entries(folder: Path, kind: str) -> list[Path]:
    return sorted((folder / kind).rglob("*.json")) if (folder / kind).is_dir() else []


def assessment_json(ws_path: Path | None = None) -> str:
    ws = api.workspace(ws_path)
    return to_json(api.assess("NG", "enaira", ws))


def test_a_cached_assessment_is_byte_for_byte_the_uncached_one(own_cache: Path, shipped: Path) -> None:
    cache.disable()
    try:
        uncached = assessment_json(shipped)
    finally:
        cache.disable(False)
    assert not own_cache.exists()  # disabled: nothing written
    first = assessment_json(shipped)  # fills the cache
    assert entries(own_cache, "yaml") and entries(own_cache, "ruleset") and entries(own_cache, "valid")
    second = assessment_json(shipped)  # reads it
    assert uncached == first == second


def test_documents_from_the_cache_hold_the_same_data_and_lines(own_cache: Path, shipped: Path) -> None:
    load_workspace(shipped)
    warm = load_workspace(shipped)
    assert warm.documents
    for origin in list(warm.documents.values())[:80]:
        doc = origin.doc
        fresh = parse_yaml(doc.file.read_text(encoding="utf-8"), doc.file)
        assert orjson.dumps(doc.data) == orjson.dumps(fresh.data)
        assert doc.lines == fresh.lines  # found again from the bytes, on first use


def test_lines_are_kept_beside_the_data_and_a_damaged_lines_entry_is_found_again(
        own_cache: Path, shipped: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from policyengine import yamlio

    load_workspace(shipped)
    first = load_workspace(shipped)
    docs = [o.doc for o in list(first.documents.values())[:20]]
    expected = {d.file: d.lines for d in docs}  # parsed once and stored
    assert len(entries(own_cache, "lines")) >= len({d.file for d in docs})

    def no_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("lines parsed again although they are in the cache")

    monkeypatch.setattr(yamlio, "parse_yaml", no_parse)
    again = load_workspace(shipped)
    for origin in list(again.documents.values())[:20]:
        assert origin.doc.lines == expected[origin.doc.file]
    monkeypatch.undo()
    for entry in entries(own_cache, "lines"):
        entry.write_bytes(b'[[["id", true], 3]]')  # JSON, but not the shape of a lines entry
    damaged = load_workspace(shipped)
    for origin in list(damaged.documents.values())[:20]:
        assert origin.doc.lines == expected[origin.doc.file]


def test_the_compiled_ruleset_from_the_cache_is_the_fresh_one(own_cache: Path, shipped: Path) -> None:
    ws = load_workspace(shipped)
    fresh = api.compile_ruleset(ws).compile_engine()
    again = api.compile_ruleset(load_workspace(shipped)).compile_engine()  # a new workspace: read from the cache
    assert entries(own_cache, "ruleset")
    assert orjson.dumps(fresh.stages) == orjson.dumps(again.stages)
    assert fresh.stage_keys == again.stage_keys and fresh.keys == again.keys


def test_a_damaged_entry_is_ignored_and_written_again(own_cache: Path, shipped: Path) -> None:
    expected = assessment_json(shipped)
    damaged = [*entries(own_cache, "yaml")[:20], *entries(own_cache, "ruleset"), *entries(own_cache, "valid")]
    garbage = [b"", b"{not json", b'{"data": 1, "extra": 2}', b'{"stages": [1], "keys": [], "stage_keys": []}',
               b"[[\"x\", \"y\", 3, \"m\", \"warning\"]]", b"\x80\x81"]
    for i, path in enumerate(damaged):
        path.write_bytes(garbage[i % len(garbage)])
    assert assessment_json(shipped) == expected
    for path in damaged:  # rebuilt with what a fresh run makes
        json.loads(path.read_bytes())
    assert assessment_json(shipped) == expected


def test_entries_are_plain_json_never_pickles(own_cache: Path, shipped: Path) -> None:
    assessment_json(shipped)
    files = [p for p in own_cache.rglob("*") if p.is_file()]
    assert files
    for path in files:
        assert path.suffix == ".json"
        json.loads(path.read_bytes())


def test_an_unwritable_cache_folder_is_silently_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         shipped: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(cache.ENV_DIR, str(blocker / "cache"))
    assert assessment_json(shipped) == assessment_json(shipped)


def test_the_environment_variable_turns_it_off(own_cache: Path, monkeypatch: pytest.MonkeyPatch, shipped: Path) -> None:
    monkeypatch.setenv(cache.ENV_OFF, "1")
    assessment_json(shipped)
    assert not own_cache.exists()


def test_nothing_is_written_into_the_workspace(own_cache: Path, make_ws) -> None:
    root = make_ws()
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    api.assess("XX", "coin", api.workspace(root))
    api.assess("XX", "coin", api.workspace(root))
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before
    assert entries(own_cache, "yaml")


def test_a_changed_file_is_read_again_not_taken_from_the_cache(own_cache: Path, make_ws) -> None:
    root = make_ws()
    api.workspace(root)  # valid, cached
    profile = root / "jurisdictions/XX/profile.yaml"
    profile.write_text(profile.read_text().replace("account_ownership_pct: {value: 40", "account_ownership_pct: {value: 140"))
    with pytest.raises(api.InvalidWorkspace) as err:
        api.workspace(root)
    assert any("account_ownership_pct" in p.field and p.line == 7 for p in err.value.problems)


def test_warnings_come_back_from_the_validation_cache(own_cache: Path, make_ws) -> None:
    root = make_ws({"jurisdictions/XX/designs/coin.yaml": """\
        id: coin
        name: Testcoin
        jurisdiction: XX
        kind: retail_cbdc
        issuer: central_bank
        status: pilot
        currency: KHR
        offline: {value: full, source: xx-cb}
        offline_limit: {value: {amount: 20000, currency: KHR}, source: xx-cb, as_of: "2024"}
        """})
    first = api.workspace(root).problems
    assert first and all(p.level != "error" for p in first)
    assert entries(own_cache, "valid")
    assert api.workspace(root).problems == first


def test_the_command_line_flag_turns_it_off(own_cache: Path) -> None:
    env = {**os.environ, cache.ENV_DIR: str(own_cache)}
    env.pop(cache.ENV_OFF, None)
    run = subprocess.run([sys.executable, "-m", "policyengine.cli", "--no-cache", "assess", "NG", "-d", "enaira"],
                         capture_output=True, text=True, env=env)
    assert run.returncode in (0, 1), run.stderr
    assert not own_cache.exists()
    cached = subprocess.run([sys.executable, "-m", "policyengine.cli", "assess", "NG", "-d", "enaira"],
                            capture_output=True, text=True, env=env)
    assert cached.stdout == run.stdout and cached.returncode == run.returncode
    assert entries(own_cache, "yaml")
