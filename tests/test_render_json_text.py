"""The documents' JSON is written by orjson (render.pipeline.dumps_indented) and must be the
very text the standard encoder writes (json.dumps(indent=2, ensure_ascii=False))."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from policyengine.render.pipeline import dumps_indented

scalars = (st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text())
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=30)


@settings(max_examples=200, deadline=None)
@given(values)
def test_the_same_text_as_the_standard_encoder(value) -> None:
    assert dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_floats_written_with_an_exponent_keep_the_standard_spelling() -> None:
    for number in (1e-05, 1e-07, 1e16, 1.5e22, 5e-324, float("inf"), float("nan"), -0.0, 0.1, 1e15):
        assert dumps_indented({"x": [number]}) == json.dumps({"x": [number]}, indent=2, ensure_ascii=False)


def test_keys_that_are_not_text_fall_back_to_the_standard_encoder() -> None:
    data = {1: "a", "b": {2.5: None, True: 1}}
    assert dumps_indented(data) == json.dumps(data, indent=2, ensure_ascii=False)
