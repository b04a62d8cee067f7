"""The publications' JSON names its schema, and the committed schema is current and accepts it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from policyengine.publications.models import PUBLICATION_SCHEMA, publication_schema_text

SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / "publication.schema.json"
GOLDEN = Path(__file__).parent / "golden" / "publications"


def test_committed_schema_is_current():
    assert SCHEMA.read_text(encoding="utf-8") == publication_schema_text(), (
        "schemas/publication.schema.json is stale; regenerate with: "
        "python -m policyengine.publications.models schemas/publication.schema.json")


def test_golden_json_names_and_follows_the_schema():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    names = ["principles.json", "guidance-inclusion.json"]
    for name in names:
        data = json.loads((GOLDEN / name).read_text(encoding="utf-8"))
        assert data["$schema"] == PUBLICATION_SCHEMA
        errors = [e.message for e in validator.iter_errors(data)]
        assert errors == [], f"{name}: {errors[:3]}"
    broken = json.loads((GOLDEN / names[1]).read_text(encoding="utf-8"))
    del broken["barriers"][0]["levers"]
    assert list(validator.iter_errors(broken))  # the check above can fail
