"""Document models of the publications. Plain strings and numbers only, so the JSON output is
easy to read; every statement carries the source it rests on."""

from __future__ import annotations

import json
from typing import Annotated, Any, Final, Literal, Union

from pydantic import Field, TypeAdapter

from ..render.documents import DocModel, EvidenceRow, Meta, SourceEntry


class StandardRef(DocModel):
    """A citation resolved to the bibliography: what a reader needs to find the text."""

    ref: str
    title: str
    publisher: str | None = None
    year: int | None = None
    section: str | None = None
    found: bool = Field(default=True, description="False when the id is in no bibliography")


class DesignRef(DocModel):
    jurisdiction_id: str
    jurisdiction_name: str
    design_id: str
    design_name: str


class Check(DocModel):
    """A rule, read as a check a reviewer can apply to a design."""

    rule_id: str
    title: str
    severity: str
    met: str | None = Field(default=None, description="What a design that passes the check looks like")


class Reason(DocModel):
    """Why a principle matters, from the rationale of one of its rules."""

    rule_id: str
    text: str


class Practice(DocModel):
    """A shipped design that meets a rule, and how (the rule's met text and its evidence)."""

    rule_id: str
    rule_title: str
    design: DesignRef
    how: str
    evidence: list[EvidenceRow] = Field(default_factory=list)


class GapCount(DocModel):
    """How many shipped designs have a gap on a rule, out of those it could decide."""

    rule_id: str
    title: str
    principle_id: str
    severity: str
    gaps: int
    decided: int = Field(description="Designs for which the rule reached gap or met")
    unknown: int
    assessed: int = Field(description="Designs assessed")
    designs: list[DesignRef] = Field(default_factory=list, description="The designs with the gap")


class PrincipleEntry(DocModel):
    id: str
    title: str
    area: str
    statement: str
    coverage: str
    coverage_note: str | None = None
    why: list[Reason]
    standards: list[StandardRef]
    checks: list[Check] = Field(description="The active rules of the principle")
    also_checked_by: list[str] = Field(default_factory=list, description="Active rules of other principles that also serve it")
    good_practice: list[Practice]
    gaps: list[GapCount] = Field(description="Rules of the principle with at least one gap among the designs")


class AreaSection(DocModel):
    area: str
    title: str
    principles: list[PrincipleEntry]


class ItemChange(DocModel):
    id: str
    title: str
    fields: list[str] = Field(default_factory=list, description="For a change: the fields that differ")


class ChangesSince(DocModel):
    """What changed between an earlier version of the ruleset and this one."""

    base: str = Field(description="The git revision or folder compared with")
    base_version: str
    head_version: str
    principles_added: list[ItemChange]
    principles_removed: list[ItemChange]
    principles_changed: list[ItemChange]
    rules_added: list[ItemChange]
    rules_removed: list[ItemChange]
    rules_renamed: dict[str, str]
    rules_changed: list[ItemChange]
    findings_added: int
    findings_removed: int
    findings_changed: int
    designs_affected: int
    designs_assessed: int


class Totals(DocModel):
    principles: int
    principles_checked: int = Field(description="Principles with at least one active rule")
    rules: int = Field(description="Active rules")
    designs: int
    findings_met: int
    findings_gap: int
    findings_unknown: int


#: The ``$schema`` of every publication written as JSON (the ``$id`` of schemas/publication.schema.json).
PUBLICATION_SCHEMA: Final = "urn:policyengine:schema:publication:1"
SchemaRef = Annotated[Literal["urn:policyengine:schema:publication:1"], Field(alias="$schema")]


class PrinciplesPublication(DocModel):
    """The high-level principles, as a publication a working group can adopt and cite."""

    schema_: SchemaRef = PUBLICATION_SCHEMA
    kind: Literal["principles"] = "principles"
    meta: Meta
    title: str
    description: str | None = None
    cite_as: str
    totals: Totals
    designs: list[DesignRef]
    areas: list[AreaSection]
    common_gaps: list[GapCount]
    changes: ChangesSince | None = None
    sources: list[SourceEntry]


class FigureCell(DocModel):
    """One recorded figure, or a note that none is recorded."""

    path: str
    value: str | None = Field(description="None when not recorded")
    source: str | None = None
    source_title: str | None = None
    locator: str | None = None
    as_of: str | None = None


class FigureRow(DocModel):
    jurisdiction_id: str
    jurisdiction_name: str
    cells: list[FigureCell]


class LeverUse(DocModel):
    design: DesignRef
    rules: list[str] = Field(description="The lever's rules the design meets")


class LeverView(DocModel):
    id: str
    title: str
    description: str
    checks: list[Check]
    used_by: list[LeverUse]
    gaps: list[LeverUse] = Field(description="Designs with a gap on one of the lever's rules")


class BarrierView(DocModel):
    id: str
    title: str
    framing: str
    standards: list[StandardRef]
    figures: list[str] = Field(description="Labels of the figures shown, one per fact path")
    figure_paths: list[str]
    data: list[FigureRow]
    recorded: int = Field(description="Figures recorded, of jurisdictions x figures")
    possible: int
    levers: list[LeverView]


class GuidancePublication(DocModel):
    """Policy guidance organised by the barrier a person meets."""

    schema_: SchemaRef = PUBLICATION_SCHEMA
    kind: Literal["guidance"] = "guidance"
    meta: Meta
    id: str
    title: str
    summary: str
    cite_as: str
    standards: list[StandardRef]
    designs: list[DesignRef]
    barriers: list[BarrierView]
    sources: list[SourceEntry]


Publication = Annotated[Union[PrinciplesPublication, GuidancePublication], Field(discriminator="kind")]
PUBLICATION_ADAPTER: TypeAdapter[Any] = TypeAdapter(Publication)


def publication_schema_text() -> str:
    """The JSON Schema of the publications' JSON output (``schemas/publication.schema.json``)."""
    schema = PUBLICATION_ADAPTER.json_schema(by_alias=True)
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": PUBLICATION_SCHEMA,
              "$comment": "generated from policyengine/publications/models.py; do not edit. Regenerate: "
                          "python -m policyengine.publications.models schemas/publication.schema.json",
              "title": "policyengine publication (principles, policy guidance)", **schema}
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # pragma: no cover - regenerates the committed schema
    import sys
    from pathlib import Path

    from ..render.files import write_text

    write_text(Path(sys.argv[1] if len(sys.argv) > 1 else "schemas/publication.schema.json"),
               publication_schema_text())
