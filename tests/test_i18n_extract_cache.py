"""`i18n check` keeps what it extracted and parsed for the process, and sees every change: an
edited source file is extracted again, an edited catalogue parsed again, even at the same size."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from policyengine.i18n import tools


def test_an_edited_source_of_the_same_size_is_extracted_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "policyengine").mkdir()
    (tmp_path / "templates").mkdir()
    source = tmp_path / "policyengine" / "words.py"
    source.write_text('from policyengine.i18n import _\nWORD = _("Hello")\n', encoding="utf-8")
    monkeypatch.setattr(tools, "_source_root", lambda: tmp_path)
    monkeypatch.setattr(tools, "_EXTRACTED_KEYS", {})
    assert ("Hello", None) in tools.extracted_keys("messages")
    calls: list[str] = []
    real = tools.extracted
    monkeypatch.setattr(tools, "extracted", lambda domain: calls.append(domain) or real(domain))
    assert ("Hello", None) in tools.extracted_keys("messages")
    assert calls == []  # unchanged sources: kept
    source.write_text('from policyengine.i18n import _\nWORD = _("Howdy")\n', encoding="utf-8")  # same size
    keys = tools.extracted_keys("messages")
    assert ("Howdy", None) in keys and ("Hello", None) not in keys
    assert calls == ["messages"]


def test_an_edited_catalogue_of_the_same_size_is_parsed_again(tmp_path: Path) -> None:
    path = tmp_path / "fr.po"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                    'msgid "Yes"\nmsgstr "Oui"\n', encoding="utf-8")
    first = tools._read_only(path, "fr")
    assert first.get("Yes").string == "Oui"
    assert tools._read_only(path, "fr") is first  # the same bytes: parsed once
    with path.open("rb") as f:
        cat = read_po(f)
    cat.get("Yes").string = "Non"  # same length
    buf = io.BytesIO()
    write_po(buf, cat)
    path.write_bytes(buf.getvalue())
    assert tools._read_only(path, "fr").get("Yes").string == "Non"
