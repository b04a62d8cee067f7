"""The JSON API: the pages' operations for other tools, described at ``/api/openapi.json``.

Answers are the models the Python API returns (:class:`~policyengine.models.Assessment`,
:class:`~policyengine.explain.Explanation`) or small views of them; the OpenAPI description
is written here, its schemas generated from the same pydantic models.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .. import __version__
from ..explain import Explanation
from ..i18n import _
from ..models import Assessment
from ..problems import NotFound
from . import views
from .common import check_id, server_of
from .whatif import Choices, Comparison, WhatIfInvalid, apply_choices, compare, design_yaml, parse_choices


class WhatIfRequest(BaseModel):
    """The body of ``POST /api/whatif/{jid}/{did}``: the edited choices."""

    model_config = ConfigDict(extra="forbid")

    choices: Choices


class WhatIfAnswer(BaseModel):
    """A what-if re-assessed: what changed, the summaries before and after, the design as YAML."""

    jurisdiction_id: str
    design_id: str
    comparison: Comparison
    recorded_summary: str = Field(description="The recorded design's score in words, with its data coverage")
    whatif_summary: str = Field(description="The what-if's score in words, with its data coverage")
    assessment: Assessment | None = Field(default=None, description="The what-if's whole assessment (with ?assessment=1)")
    design_yaml: str


def _json(model: BaseModel | dict[str, Any] | list[Any], status: int = 200, exclude: set[str] | None = None) -> Response:
    if isinstance(model, BaseModel):
        return Response(model.model_dump_json(exclude=exclude), status_code=status, media_type="application/json")
    return JSONResponse(model, status_code=status)


def jurisdictions(request: Request) -> Response:
    server = server_of(request)
    return _json(views.jurisdictions_by_region(server))


def jurisdiction(request: Request) -> Response:
    server = server_of(request)
    jid = check_id(request.path_params["jid"])
    p = server.profile(jid)
    own, archetypes = server.design_ids(jid)
    return _json({"id": p.id, "name": p.name, "region": p.region.value, "currency": p.currency,
                  "cbdc_status": p.cbdc_status.value.value if p.cbdc_status else None,
                  "designs": own, "archetypes": archetypes})


def assessment(request: Request) -> Response:
    server = server_of(request)
    jid, did = check_id(request.path_params["jid"]), check_id(request.path_params["did"])
    return _json(server.assess(jid, did))


def explanation(request: Request) -> Response:
    server = server_of(request)
    jid, did = check_id(request.path_params["jid"]), check_id(request.path_params["did"])
    rid = server.rule_id(check_id(request.path_params["rid"]))
    return _json(server.explain(rid, jid, server.design(jid, did)))


def choices(request: Request) -> Response:
    server = server_of(request)
    jid, did = check_id(request.path_params["jid"]), check_id(request.path_params["did"])
    return _json(views.recorded_choices(server.design(jid, did)))


async def whatif(request: Request) -> Response:
    server = server_of(request)
    jid, did = check_id(request.path_params["jid"]), check_id(request.path_params["did"])
    design = server.design(jid, did)
    try:
        data = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        return _json({"error": _("the body is not JSON"), "problems": [_("body: not JSON")]}, 400)
    if not isinstance(data, dict) or set(data) != {"choices"}:
        return _json({"error": _("the body must be {\"choices\": {...}}"),
                      "problems": [_("body: expected one key, choices")]}, 422)
    try:
        chosen = parse_choices(data["choices"])
        edited = apply_choices(design, chosen, server.currency(jid, design))
    except WhatIfInvalid as exc:
        return _json({"error": str(exc), "problems": exc.problems}, 422)
    before, after = server.assess(jid, did), server.assess_design(jid, edited)
    recorded = views.recorded_choices(design)
    tables = server.fact_tables(jid, design, edited)
    answer = WhatIfAnswer(jurisdiction_id=jid, design_id=did,
                          comparison=compare(before, after, recorded, views.recorded_choices(edited),
                                             (tables[0], tables[1])),
                          recorded_summary=views.counts(list(before.findings)).summary,
                          whatif_summary=views.counts(list(after.findings)).summary,
                          assessment=after if request.query_params.get("assessment") == "1" else None,
                          design_yaml=design_yaml(edited, jid))
    return _json(answer, exclude={"assessment"} if answer.assessment is None else None)


def comparison(request: Request) -> Response:
    server = server_of(request)
    jid = check_id(request.path_params["jid"])
    chosen = list(dict.fromkeys(check_id(d) for d in request.query_params.getlist("d")))[:6]
    if len(chosen) < 2:
        raise NotFound(_("name two or more designs: ?d=one&d=other"))
    for d in chosen:
        server.design(jid, d)
    got = views.compare_designs(server, jid, chosen)
    return _json({"jurisdiction_id": jid,
                  "designs": [{"id": d["id"], "name": d["name"], "overall": d["overall"].model_dump(),
                               "areas": [a.model_dump() for a in d["areas"]]} for d in got["designs"]],
                  "rules": got["rows"], "differing": got["differing"]})


def heatmap(request: Request) -> Response:
    server = server_of(request)
    name = server.region(check_id(request.path_params["region"]))
    doc = server.heatmap(name)
    return _json({"region": name, "areas": doc.areas, "rows": [r.model_dump() for r in doc.heatmap]})


def _schemas(*models: type[BaseModel]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for model in models:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}", mode="serialization")
        out.update(schema.pop("$defs", {}))
        out[model.__name__] = schema
    return out


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _op(summary: str, ok: str, params: list[str], *, body: str | None = None, query: list[str] | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {
        "summary": summary,
        "parameters": [{"name": p, "in": "path", "required": True, "schema": {"type": "string"}} for p in params]
        + [{"name": q, "in": "query", "required": False, "schema": {"type": "array", "items": {"type": "string"}},
            "style": "form", "explode": True} for q in query or []],
        "responses": {"200": {"description": "OK",
                              "content": {"application/json": {"schema": _ref(ok) if ok else {"type": "object"}}}},
                      "404": {"description": "Unknown id", "content": {"application/json": {"schema": _ref("Error")}}}},
    }
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(body)}}}
        op["responses"]["422"] = {"description": "Invalid choices: one 'field: message' line each",
                                  "content": {"application/json": {"schema": _ref("Error")}}}
        op["responses"]["413"] = {"description": "The body is too large"}
    return op


def openapi_document() -> dict[str, Any]:
    schemas = _schemas(Assessment, Explanation, Choices, WhatIfRequest, WhatIfAnswer)
    schemas["Error"] = {"type": "object", "required": ["error"],
                        "properties": {"error": {"type": "string"}, "problems": {"type": "array", "items": {"type": "string"}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "policyengine serve", "version": __version__,
                 "description": "Assess digital currency designs against international principles; what-ifs on a "
                                "design's choices. Read-only except POST /api/whatif, which keeps nothing. "
                                "The API speaks English, whatever the browser's Accept-Language: it is a machine "
                                "interface, so its texts (rule titles, findings, messages) and values are the "
                                "ruleset's English source, stable across deployments. The web pages are in the "
                                "six UN languages (/ar/, /zh/, /en/, /fr/, /ru/, /es/); documents in any of them "
                                "download from /download/{doc}?lang=..."},
        "paths": {
            "/api/jurisdictions": {"get": _op("Jurisdictions by region, with their CBDC status", "", [])},
            "/api/jurisdictions/{jid}": {"get": _op("One jurisdiction and the designs it may be assessed with", "", ["jid"])},
            "/api/assess/{jid}/{did}": {"get": _op("Assess a recorded design", "Assessment", ["jid", "did"])},
            "/api/explain/{jid}/{did}/{rid}": {"get": _op("Why a rule reached its status, and the closing change",
                                                          "Explanation", ["jid", "did", "rid"])},
            "/api/choices/{jid}/{did}": {"get": _op("The recorded design's choices (the what-if's starting point)",
                                                    "Choices", ["jid", "did"])},
            "/api/whatif/{jid}/{did}": {"post": _op("Re-assess the design with edited choices", "WhatIfAnswer",
                                                    ["jid", "did"], body="WhatIfRequest")},
            "/api/compare/{jid}": {"get": _op("Two or more designs of a jurisdiction side by side", "", ["jid"],
                                              query=["d"])},
            "/api/regions/{region}/heatmap": {"get": _op("A region's gaps by area and jurisdiction", "", ["region"])},
        },
        "components": {"schemas": schemas},
    }


_OPENAPI: dict[str, Any] = {}


def openapi(request: Request) -> Response:
    if not _OPENAPI:
        _OPENAPI.update(openapi_document())
    return _json(_OPENAPI)
