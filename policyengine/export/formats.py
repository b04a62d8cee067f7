"""One assessment in each output format ``assess --format`` offers, as text or bytes."""

from __future__ import annotations

import json
from typing import Any

from ..load import Workspace
from ..models import Assessment
from ..problems import PolicyEngineError

#: Formats that only this package writes (the CLI's table and markdown come from render.text).
EXPORT_FORMATS = ("json", "csv", "xlsx", "oscal")


def assessment_document(assessment: Assessment) -> dict[str, Any]:
    """The assessment as a JSON-ready dict whose first key, ``$schema``, names its schema
    (``schemas/assessment.schema.json``)."""
    from ..schemas import schema_id  # builds the schema models: only for the formats that name one

    return {"$schema": schema_id("assessment"), **assessment.model_dump(mode="json")}


def export_assessment(assessment: Assessment, fmt: str, ws: Workspace) -> str | bytes:
    """The assessment in ``fmt`` (one of :data:`EXPORT_FORMATS`); bytes for xlsx."""
    if fmt == "json":
        return json.dumps(assessment_document(assessment), indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        from .spreadsheet import findings_csv

        return findings_csv(assessment, ws)
    if fmt == "xlsx":
        from .spreadsheet import findings_xlsx

        return findings_xlsx(assessment, ws)
    if fmt == "oscal":
        from .oscal import assessment_results

        return json.dumps(assessment_results(assessment, ws), indent=2, ensure_ascii=False) + "\n"
    raise PolicyEngineError(f"unknown format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
