"""The documents' JSON is written by pydantic (render.pipeline.to_json) or by orjson
(render.pipeline.dumps_indented) and must be the very text the standard encoder writes
(json.dumps(indent=2, ensure_ascii=False))."""

from __future__ import annotations

import json
from typing import Literal

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from policyengine import api
from policyengine.render.brief import build_brief
from policyengine.render.documents import DocModel, Toolkit, build_gap, build_handout_set, build_toolkit
from policyengine.render.pipeline import _writes_as_json, dumps_indented, to_json

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


# --- to_json: pydantic's own writer where it writes json's text, the long way elsewhere ------

def _reference(doc: BaseModel) -> str:
    text = json.dumps(doc.model_dump(mode="json", by_alias=True), indent=2, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


class _Inner(DocModel):
    share: float | None = None
    names: list[str] = []


class _Doc(DocModel):
    title: str
    count: int
    share: float
    inner: list[_Inner]
    table: dict[str, int]
    kind: Literal["a", "b"] = "a"


class _Foreign(BaseModel):  # writes infinity as null: never the fast way
    share: float


def test_documents_are_written_the_fast_way_and_foreign_floats_are_not() -> None:
    assert _writes_as_json(_Doc) and _writes_as_json(Toolkit)
    assert not _writes_as_json(_Foreign)
    assert to_json(_Foreign(share=float("inf"))) == _reference(_Foreign(share=float("inf")))


@settings(max_examples=200, deadline=None)
@given(st.text(), st.integers(min_value=-(2**70), max_value=2**70), st.floats(allow_nan=True, allow_infinity=True),
       st.lists(st.builds(_Inner, share=st.none() | st.floats(), names=st.lists(st.text(), max_size=3)), max_size=3),
       st.dictionaries(st.text(max_size=6), st.integers(), max_size=3))
def test_to_json_is_the_standard_encoders_text(title, count, share, inner, table) -> None:
    doc = _Doc(title=title, count=count, share=share, inner=inner, table=table)
    assert to_json(doc) == _reference(doc)


def test_shipped_documents_are_the_standard_encoders_text() -> None:
    ws = api.workspace()
    docs = [build_toolkit(ws, "NG", "enaira"), build_gap(ws, "NG", []), build_brief(ws, "NG", "enaira"),
            build_handout_set(ws, "europe")[0]]
    for doc in docs:
        assert to_json(doc) == _reference(doc), type(doc).__name__
