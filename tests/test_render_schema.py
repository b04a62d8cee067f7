"""The JSON output has a committed JSON Schema, generated from the document models."""

from __future__ import annotations

import json
from pathlib import Path

from policyengine.render.documents import DOCUMENT_ADAPTER, findings_report_schema_text

SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / "findings-report.schema.json"
GOLDEN = Path(__file__).parent / "golden"


def test_committed_schema_is_current() -> None:
    assert SCHEMA.is_file(), "missing schemas/findings-report.schema.json"
    assert SCHEMA.read_text(encoding="utf-8") == findings_report_schema_text(), (
        "schemas/findings-report.schema.json is stale; regenerate with: "
        "policyengine schema --out schemas")


def test_schema_covers_every_document_kind() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    kinds = {schema["$defs"][ref["$ref"].rsplit("/", 1)[-1]]["properties"]["kind"]["const"] for ref in schema["oneOf"]}
    assert kinds == {"toolkit", "gap", "handout", "handouts", "brief"}


def test_golden_json_files_match_the_schema_models() -> None:
    """Every golden JSON file parses as one of the documents the schema describes (strict:
    unknown keys are refused, so the file and the schema cannot drift apart)."""
    found = sorted(GOLDEN.glob("*.json"))
    assert len(found) >= 6, "golden JSON documents are missing"
    for path in found:
        DOCUMENT_ADAPTER.validate_json(path.read_bytes())
