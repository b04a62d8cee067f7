"""The committed JSON Schemas are the ones editors use: every shipped content file validates
against its schema, names it in its first line, and the schema's condition pattern agrees with
the condition parser."""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from policyengine.load import load_workspace, shipped_root
from policyengine.models.condition import COMPARISON_SCHEMA_PATTERN, ConditionSyntaxError, parse_comparison
from policyengine.schemas import HEADER_PREFIX, SCHEMAS, content_files, schema_header, schema_id, schema_name_for
from policyengine.yamlio import read_yaml

ROOT = shipped_root()
SCHEMA_DIR = ROOT / "schemas"


@functools.lru_cache(maxsize=None)
def _validator(name: str) -> jsonschema.protocols.Validator:
    """One checked validator per schema (checking a schema costs more than validating a file)."""
    schema = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _errors(name: str, data: object) -> list[str]:
    return [f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message[:200]}"
            for e in _validator(name).iter_errors(data)]


def test_every_shipped_content_file_validates_against_its_committed_schema() -> None:
    files = content_files(ROOT)
    kinds = Counter(schema_name_for(rel) for _, rel in files)
    # every kind of content file is present, so the loop below checked each schema
    assert set(kinds) == {"ruleset", "parameters", "bibliography", "principles", "rule", "derivation",
                          "jurisdiction-profile", "design", "guidance"}
    assert kinds["rule"] >= 100 and len(files) >= 190
    failures = {}
    for path, rel in files:
        errors = _errors(schema_name_for(rel) or "", read_yaml(path).data)
        if errors:
            failures[rel] = errors[:3]
    assert not failures, f"{len(failures)} of {len(files)} files fail their schema: {failures}"


def test_the_schema_rejects_what_the_loader_rejects() -> None:
    """The file test above can fail: a rule with a misspelt operator and one without its id
    are refused by the committed schema, as by the loader."""
    rule = read_yaml(next(p for p, rel in content_files(ROOT) if schema_name_for(rel) == "rule")).data
    assert _errors("rule", rule) == []
    broken = dict(rule, requires="design.offline = none")
    assert _errors("rule", broken)
    assert _errors("rule", {k: v for k, v in rule.items() if k != "id"})


def test_every_shipped_content_file_names_its_schema_on_its_first_line() -> None:
    missing = []
    for path, rel in content_files(ROOT):
        first = path.read_text(encoding="utf-8").split("\n", 1)[0] + "\n"
        if first != schema_header(rel):
            missing.append(rel)
            continue
        target = (path.parent / first[len(HEADER_PREFIX):].strip()).resolve()
        assert target.is_file(), f"{rel}: its schema line points at {target}, which does not exist"
    assert not missing, (f"{len(missing)} file(s) lack the schema line, e.g. {missing[:5]}; "
                         "add it with: policyengine schema --yaml-headers")


def test_every_schema_has_a_stable_unique_id() -> None:
    ids = {}
    for name in SCHEMAS:
        schema = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
        assert schema["$id"] == schema_id(name) == f"urn:policyengine:schema:{name}:1"
        ids[schema["$id"]] = name
    assert len(ids) == len(SCHEMAS)


def _condition_strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _condition_strings(v)]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k in ("all", "any", "not", "where") for s in _condition_strings(v)]
    return []


def test_the_schema_pattern_accepts_every_shipped_condition() -> None:
    pattern = re.compile(COMPARISON_SCHEMA_PATTERN)
    strings = []
    for path, rel in content_files(ROOT):
        if schema_name_for(rel) in ("rule", "derivation"):
            data = read_yaml(path).data
            for key in ("applies_if", "requires", "when"):
                strings += _condition_strings(data.get(key))
    assert len(strings) >= 150
    assert [s for s in strings if not pattern.search(s)] == []


@pytest.mark.parametrize("text", [
    "design.offline == none", "design.offline != none", "x.y <= 5", "x.y >= $p", "x < 1", "x > 1",
    "design.kind in [a, b]", "design.kind not in [a, b]", "design.channels contains ussd",
    "design.channels not contains ussd", "design.holding_limit exists", "design.holding_limit missing",
    "design.offline = none", "design.offline==none", "design.kind index [a]", "design.offline", "1x == 2",
    "design.offline existsx",
])
def test_the_schema_pattern_agrees_with_the_parser(text: str) -> None:
    try:
        parse_comparison(text)
        parsed = True
    except ConditionSyntaxError:
        parsed = False
    assert bool(re.search(COMPARISON_SCHEMA_PATTERN, text)) == parsed


def test_the_schema_line_keeps_reported_lines_true(tmp_path: Path) -> None:
    """The comment line moves every value down one line, and problems name the real line."""
    shipped = next(p for p, rel in content_files(ROOT) if rel.startswith("jurisdictions/NG/designs/"))
    text = shipped.read_text(encoding="utf-8")
    assert text.startswith(HEADER_PREFIX)
    ws = tmp_path / "ws"
    target = ws / "jurisdictions" / "NG" / "designs" / shipped.name
    target.parent.mkdir(parents=True)
    (ws / "jurisdictions" / "NG" / "profile.yaml").write_text(
        (ROOT / "jurisdictions" / "NG" / "profile.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    lines = text.split("\n")
    name_line = next(i for i, line in enumerate(lines) if line.startswith("name:"))
    lines[name_line] = "nam: misspelt"
    target.write_text("\n".join(lines), encoding="utf-8")
    problems = [p for p in load_workspace(ws).problems if p.file.endswith(shipped.name)]
    assert any(p.line == name_line + 1 and "unknown field 'nam'" in p.message for p in problems), problems


def test_scaffolded_files_name_their_schema_and_validate_against_it(tmp_path: Path) -> None:
    from policyengine.authoring.scaffold import new_design, new_jurisdiction, new_rule
    from tests.test_authoring_common import copy_shipped

    ws = copy_shipped(tmp_path / "ws")
    written = [new_rule(ws, "AML-3", "AML-NEW-SCAFFOLD"), new_jurisdiction(ws, "ZZ", "Zedland", "africa", "USD"),
               new_design(ws, "ZZ", "zed-coin")]
    for path in written:
        rel = path.relative_to(ws).as_posix()
        text = path.read_text(encoding="utf-8")
        assert text.startswith(schema_header(rel)), rel
        assert (path.parent / text.split("\n", 1)[0][len(HEADER_PREFIX):]).resolve() == \
            (ws / "schemas" / f"{schema_name_for(rel)}.schema.json").resolve()
        assert _errors(schema_name_for(rel) or "", read_yaml(path).data) == [], rel
