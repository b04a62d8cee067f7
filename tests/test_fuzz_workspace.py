"""Fuzzing the workspace (issue 9): shipped profiles, designs and rules, mutated byte by byte
and value by value. Whatever the mutation, `validate` reports problems (it never raises
anything but a PolicyEngineError, whose exit code is 2); when it reports no error, `assess`
and `toolkit` succeed; and nothing is ever written outside the output folder.

The normal suite runs a few deterministic examples per property (a few seconds each); set
POLICYENGINE_FUZZ_EXAMPLES=500 for a long random run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from policyengine import api
from policyengine.authoring.examples import run_derivation_examples, run_rule_examples
from policyengine.load import shipped_root
from policyengine.problems import NotFound, PolicyEngineError
from policyengine.render import pipeline

LONG = int(os.environ.get("POLICYENGINE_FUZZ_EXAMPLES", "0"))
FUZZ = settings(max_examples=LONG or 4, deadline=None, derandomize=not LONG, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

PROFILE = "jurisdictions/NG/profile.yaml"
DESIGN = "jurisdictions/NG/designs/enaira.yaml"
RULES = ["rulesets/rules/aml/AML-ANONYMOUS-TIER-LOW-CAP.yaml", "rulesets/rules/aml/AML-LIGHT-TIER-BALANCE-CAP.yaml",
         "rulesets/rules/identity/ID-DATA-PROTECTION-LAW.yaml", "rulesets/rules/inclusion/INCL-BASIC-PHONE-CHANNEL.yaml"]
TARGETS = [PROFILE, DESIGN, *RULES]

#: Fragments that reach the corners of the reader and the models, beside random bytes.
TOKENS = [b": ", b"\n- ", b"\n  ", b"[", b"]", b"{", b"}", b"&a ", b"*a", b"<<: ", b"!!python/object:os.system ",
          b"!custom ", b"---\n", b"0", b"-1", b"1e308", b"1e999", b"nan", b".inf", b"99999999999999999999",
          b"true", b"null", b"NO", b"\x00", b"\x1b", b"\x7f", b"\xef\xbf\xbe", b"\xff", b"''", b'"\\x00"', b"\t",
          b"2026-02-30", b"<script>", b"{{ 7*7 }}", b"](javascript:x)", b"../../etc/passwd", b"\r"]
WORDS = ["retail_cbdc", "none", "phone_number", "smartphone_app", "USD", "NGN", "2026-02-30", "2025", "central_bank",
         "gap", "met", "unknown", "design.kind", "jurisdiction.inclusion.account_ownership_pct", "$nope", "",
         "design.kyc_tiers", "item.identity", "AML-3", "<script>x</script>"]
KEYS = ["value", "source", "as_of", "amount", "currency", "id", "when", "all", "any", "not", "for_all", "where",
        "examples", "facts", "expect", "balance_limit", "identity", "kind", "note", "conflicts", "x"]

SCALARS = (st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats(allow_nan=True, allow_infinity=True)
           | st.text(max_size=12) | st.sampled_from(WORDS))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.sampled_from(KEYS), inner, max_size=3), max_leaves=8)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small workspace: Nigeria, four shipped rules and everything they stand on."""
    root = tmp_path_factory.mktemp("fuzz-pristine")
    shipped = shipped_root()
    for name in ("ruleset.yaml", "parameters.yaml", "bibliography", "parameters", "principles", "derivations"):
        src = shipped / "rulesets" / name
        if src.is_dir():
            shutil.copytree(src, root / "rulesets" / name)
        elif src.is_file():
            (root / "rulesets").mkdir(parents=True, exist_ok=True)
            shutil.copy(src, root / "rulesets" / name)
    for rule in RULES:
        (root / rule).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(shipped / rule, root / rule)
    shutil.copytree(shipped / "jurisdictions" / "NG", root / "jurisdictions" / "NG")
    assert [p for p in api.validate(root, lint=False) if p.level == "error"] == []
    return root


def _tree(folder: Path, skip: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and skip not in p.parents}


def _check(pristine: Path, tmp: Path, target: str, data: bytes) -> str:
    """Write the mutated file into a fresh copy of the workspace and run the commands."""
    base = tmp / f"case-{len(list(tmp.iterdir()))}"
    ws = base / "ws"
    shutil.copytree(pristine, ws)
    (ws / target).write_bytes(data)
    out = base / "out"
    before = _tree(base, out)
    try:
        problems = api.validate(ws)
    except PolicyEngineError as exc:
        assert exc.exit_code == 2
        return "refused"
    for p in problems:
        assert "\n" not in str(p) and str(p).count(":") >= 2, str(p)
    if any(p.level == "error" for p in problems):
        outcome = "refused"
    else:
        loaded = api.workspace(ws)
        compiled = api.compile_ruleset(loaded, include_drafts=True)
        run_derivation_examples(loaded, compiled)  # what `policyengine test` runs: may fail, never crash
        run_rule_examples(loaded, compiled)
        try:
            api.assess("NG", "enaira", loaded)
            pipeline.toolkit("NG", "enaira", out, ws=loaded, fmt="md")
        except NotFound:
            pass  # the mutation renamed the design or the jurisdiction: a clean refusal
        outcome = "accepted"
        for path in out.rglob("*") if out.exists() else []:
            assert out.resolve() in path.resolve().parents
    assert _tree(base, out) == before  # nothing written outside --out
    shutil.rmtree(base)
    event(f"{target.rsplit('/', 1)[-1]}: {outcome}")
    return outcome


def _mutate_bytes(data: bytes, ops: list[tuple[str, float, bytes]]) -> bytes:
    for op, where, chunk in ops:
        i = int(where * len(data))
        if op == "insert":
            data = data[:i] + chunk + data[i:]
        elif op == "delete":
            data = data[:i] + data[i + len(chunk):]
        else:
            data = data[:i] + chunk + data[i + len(chunk):]
    return data


BYTE_OPS = st.lists(st.tuples(st.sampled_from(["insert", "delete", "replace"]), st.floats(0, 1),
                              st.one_of(st.sampled_from(TOKENS), st.binary(min_size=1, max_size=6))),
                    min_size=1, max_size=4)


@FUZZ
@given(target=st.sampled_from(TARGETS), ops=BYTE_OPS)
def test_byte_mutations_are_refused_or_assessed(pristine: Path, tmp_path: Path, target: str,
                                                ops: list[tuple[str, float, bytes]]) -> None:
    _check(pristine, tmp_path, target, _mutate_bytes((pristine / target).read_bytes(), ops))


def _paths(data: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [at]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, at + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, at + (i,))
    return out


def _mutate_value(data: Any, path: tuple[Any, ...], action: str, value: Any) -> Any:
    if not path:
        return value
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if action == "delete":
        del parent[last]
    elif action == "replace":
        parent[last] = value
    elif isinstance(parent, list):
        parent.insert(last, value)
    else:
        parent[f"{last}_copy" if isinstance(last, str) else last] = value
    return data


@FUZZ
@given(target=st.sampled_from(TARGETS), pick=st.integers(0, 10**6), action=st.sampled_from(["replace", "delete", "add"]),
       value=VALUES)
def test_value_mutations_are_refused_or_assessed(pristine: Path, tmp_path: Path, target: str, pick: int, action: str,
                                                 value: Any) -> None:
    data = yaml.safe_load((pristine / target).read_text(encoding="utf-8"))
    paths = _paths(data)
    mutated = _mutate_value(data, paths[pick % len(paths)], action, value)
    _check(pristine, tmp_path, target, yaml.safe_dump(mutated, allow_unicode=True, sort_keys=False).encode("utf-8"))


NUMBERS = [0, -1, 1, 0.5, 1e-9, 99.99, 100, 101, 1e15, 2e15, 1e18, -1e18]


def _leaves(data: Any, at: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    if isinstance(data, dict):
        return [leaf for k, v in data.items() for leaf in _leaves(v, at + (k,))]
    if isinstance(data, list):
        return [leaf for i, v in enumerate(data) for leaf in _leaves(v, at + (i,))]
    return [(at, data)]


@FUZZ
@given(target=st.sampled_from(TARGETS), picks=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 10**6)),
                                                       min_size=1, max_size=4))
def test_plausible_edits_are_refused_or_assessed(pristine: Path, tmp_path: Path, target: str,
                                                 picks: list[tuple[int, int]]) -> None:
    """Edits a person might make: a number changed, a flag flipped, a word swapped for another
    value of the catalogue. Most of these pass validate, so assess and toolkit run on them."""
    data = yaml.safe_load((pristine / target).read_text(encoding="utf-8"))
    for pick, choice in picks:
        leaves = _leaves(data)
        path, old = leaves[pick % len(leaves)]
        if isinstance(old, bool):
            new: Any = not old
        elif isinstance(old, (int, float)):
            new = NUMBERS[choice % len(NUMBERS)]
        else:
            new = WORDS[choice % len(WORDS)]
        data = _mutate_value(data, path, "replace", new)
    _check(pristine, tmp_path, target, yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8"))


@FUZZ
@given(target=st.sampled_from(TARGETS), depth=st.integers(60, 400), width=st.integers(1, 3))
def test_deep_and_wide_documents_are_refused_in_bounded_time(pristine: Path, tmp_path: Path, target: str, depth: int,
                                                             width: int) -> None:
    deep = "x:\n" + "".join("  " * (i + 1) + "- " * width + "\n" for i in range(min(depth, 50))) \
        + "y: " + "[" * depth + "1" + "]" * depth + "\n"
    text = (pristine / target).read_text(encoding="utf-8") + deep
    assert _check(pristine, tmp_path, target, text.encode("utf-8")) == "refused"
