"""The hardened YAML reader refuses what could execute, explode or mislead."""

from __future__ import annotations

import time

import pytest

from policyengine.yamlio import YamlError, parse_yaml


def test_plain_data_and_yaml11_surprises_switched_off() -> None:
    doc = parse_yaml('country: NO\nanswer: yes\ndate: 2023-06-30\nn: 12\nf: 1.5\nt: true\nz: null\nq: "12"\n')
    assert doc.data == {"country": "NO", "answer": "yes", "date": "2023-06-30", "n": 12, "f": 1.5,
                        "t": True, "z": None, "q": "12"}


def test_lines_are_kept_for_every_value() -> None:
    doc = parse_yaml("a:\n  b:\n    - x\n    - y\n")
    assert doc.line_of(("a", "b", 1)) == 4
    assert doc.line_of(("a", "b", 1, "not-in-file")) == 4


@pytest.mark.parametrize("text, message", [
    ("a: 1\nb: 2\na: 3\n", "<string>:3: duplicate key 'a' (first at line 1)"),
    ("a: !!python/object/apply:os.system ['echo hi']\n",
     "<string>:1: the tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed: only plain data is read"),
    ("a: !custom 1\n", "<string>:1: the tag '!custom' is not allowed: only plain data is read"),
    ("a: [1, 2\n", "<string>:2: YAML syntax: expected ',' or ']', but got '<stream end>'"),
    ("base: &b {x: 1}\nother:\n  <<: *b\n", "<string>:3: merge keys (<<) are not allowed"),
    ("base: &b {x: 1}\nother: *b\n", "<string>:1: YAML aliases (*name) are not allowed: the value anchored here is reused; write it out"),
])
def test_refusals_name_the_line(text: str, message: str) -> None:
    with pytest.raises(YamlError) as err:
        parse_yaml(text)
    assert str(err.value) == message


def test_alias_bomb_is_refused_fast() -> None:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 12):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    start = time.perf_counter()
    with pytest.raises(YamlError, match="aliases"):
        parse_yaml("\n".join(lines) + "\n")
    assert time.perf_counter() - start < 1.0
