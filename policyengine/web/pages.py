"""The HTML pages: each handler checks the ids it was given, builds its view, renders a
template of ``templates/web/``. Forms post back to the same server; there is no script."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qsl, quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from ..i18n import _
from ..models import Design
from ..models.design import MAX_TIERS, Channel, CrossBorder, IdentityRequirement, Offline, PrivacyModel, Remuneration
from ..problems import NotFound, PolicyEngineError
from ..render.environment import render
from ..render.svg import heatmap_svg
from . import answers, downloads, language, views
from .common import (
    COOKIE,
    check_id,
    design_of_session,
    download_response,
    environment,
    page_context,
    root,
    save_whatif,
    server_of,
    set_cookie,
    store_whatif,
)
from .state import Server
from .whatif import LABELS, TIER_AMOUNTS, Choices, WhatIfInvalid, apply_choices, compare, design_yaml, parse_choices

#: The options of each select of the editor, "" being 'not recorded'.
ENUMS: dict[str, Any] = {"identity": IdentityRequirement, "offline": Offline, "privacy_model": PrivacyModel,
         "cross_border": CrossBorder, "remuneration": Remuneration}


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page of ``templates/web/`` in the request's language, with the frame every page has."""
    text = render(environment(request), f"web/{template}", labels={k: _(v) for k, v in LABELS.items()},
                  doc_languages=_document_languages(request), **page_context(request), **context)
    return HTMLResponse(text, status_code=status)


def _document_languages(request: Request) -> list[dict[str, Any]]:
    """The languages a document downloads in, each named in itself (the page's own first)."""
    current = language.of(request.scope).lang
    available = downloads.handout_languages(server_of(request))
    codes = sorted((c for c in language.NATIVE_NAMES if c in available), key=lambda c: c != current)
    return [{"lang": c, "tag": language.html_lang(c), "name": language.NATIVE_NAMES[c]} for c in codes]


def _lang_of_download(request: Request) -> str:
    """A download's language: ``lang`` of the query, else the page's (a page's links always name it)."""
    return request.query_params.get("lang") or language.of(request.scope).lang


def index(request: Request) -> Response:
    server = server_of(request)
    return page(request, "index.html", title=_("Jurisdictions by region"),
                regions=views.jurisdictions_by_region(server))


def jurisdiction(request: Request) -> Response:
    server = server_of(request)
    jid = check_id(request.path_params["jid"])
    profile = server.profile(jid)
    own, archetypes = server.design_ids(jid)
    return page(request, "jurisdiction.html", title=profile.name,
                j={"id": jid, "name": profile.name, "region": profile.region.value,
                   "region_title": views.region_title(profile.region.value), "currency": profile.currency,
                   "central_bank": profile.central_bank,
                   "cbdc_status": views.CBDC_STATUS_LABELS.get(profile.cbdc_status.value.value, "")
                   if profile.cbdc_status else None,
                   "cbdc_status_as_of": profile.cbdc_status.as_of if profile.cbdc_status else None},
                own=[(d, server.ws.designs[jid][d].name) for d in own],
                archetypes=[(d, server.ws.archetypes[d].name) for d in archetypes],
                documents=downloads.DOCUMENTS)


def design(request: Request) -> Response:
    server = server_of(request)
    jid, did = check_id(request.path_params["jid"]), check_id(request.path_params["did"])
    d = server.design(jid, did)
    a = server.assess(jid, did)
    return page(request, "design.html", title=f"{d.name} \u00b7 {server.profile(jid).name}",
                design=views.design_view(server, jid, d), summary=views.summary(server, a),
                areas=views.findings_by_area(a), documents=downloads.DOCUMENTS,
                has_whatif=design_of_session(request, jid, did) is not None)


def finding(request: Request) -> Response:
    server = server_of(request)
    jid, did = check_id(request.path_params["jid"]), check_id(request.path_params["did"])
    rid = server.rule_id(check_id(request.path_params["rid"]))
    d = server.design(jid, did)
    whatif = request.query_params.get("whatif") == "1"
    edited = design_of_session(request, jid, did) if whatif else None
    if whatif and edited is None:
        raise NotFound(_("this session has no what-if of %(design)s") % {"design": did})
    explanation = server.explain(rid, jid, edited or d)
    return page(request, "finding.html", title=f"{rid} \u00b7 {d.name}", design=views.design_view(server, jid, d),
                e=explanation, rule=server.localised().rules[rid], whatif=edited is not None,
                applies_if=views.why_view(explanation.applies_if), requires=views.why_view(explanation.requires),
                derivations=[{"title": x.title, "value": views.truth(x.value), "why": views.why_view(x.why)}
                             for x in explanation.derivations])


def _form_choices(pairs: list[tuple[str, str]], recorded: Choices) -> dict[str, Any]:
    """The editor's fields as the :class:`Choices` data (strings: the model parses them)."""
    form: dict[str, list[str]] = {}
    for key, value in pairs:
        form.setdefault(key, []).append(value.strip())

    def one(key: str) -> str:
        return form.get(key, [""])[-1]

    data: dict[str, Any] = {}
    tiers = []
    for i in range(MAX_TIERS + 1):
        prefix = f"tier-{i}-"
        if one(prefix + "remove") or not one(prefix + "id"):
            continue
        tier: dict[str, Any] = {"id": one(prefix + "id")}
        if one(prefix + "identity"):
            tier["identity"] = one(prefix + "identity")
        bank = one(prefix + "bank_account_required")
        if bank in ("yes", "no"):
            tier["bank_account_required"] = bank == "yes"
        for name in TIER_AMOUNTS:
            text = one(prefix + name).replace(",", "").replace(" ", "")
            if text:
                tier[name] = "none" if text.lower() == "none" else text  # none: no such limit
        tiers.append(tier)
    if len(tiers) > MAX_TIERS:
        tiers = tiers[:MAX_TIERS + 1]  # one too many: the model names the limit
    data["kyc_tiers"] = tiers or None
    channels = form.get("channels", [])
    data["channels"] = channels if channels or recorded.channels is not None else None
    for name in ("offline", "privacy_model", "cross_border", "remuneration"):
        data[name] = one(name) or None
    for name in ("offline_limit", "holding_limit"):
        text = one(name).replace(",", "").replace(" ", "")
        data[name] = ("none" if text.lower() == "none" else text) or None
    return data


def _editor(request: Request, jid: str, did: str, *, status: int = 200, problems: list[str] | None = None,
            shown: Choices | None = None, saved: str | None = None) -> Response:
    server = server_of(request)
    d = server.design(jid, did)
    recorded = views.recorded_choices(d)
    edited = design_of_session(request, jid, did)
    comparison = None
    whatif_summary = None
    if edited is not None:
        before, after = server.assess(jid, did), server.assess_design(jid, edited)
        tables = server.fact_tables(jid, d, edited)
        comparison = compare(before, after, recorded, views.recorded_choices(edited), (tables[0], tables[1]))
        whatif_summary = views.summary(server, after)
    current = shown or (views.recorded_choices(edited) if edited is not None else recorded)
    return page(request, "whatif.html", status=status, title=_("What-if: %(design)s") % {"design": d.name},
                design=views.design_view(server, jid, d), choices=current, recorded_choices=recorded,
                tiers=list(current.kyc_tiers or []), max_tiers=MAX_TIERS, amounts=TIER_AMOUNTS,
                enums={k: [str(e.value) for e in v] for k, v in ENUMS.items()}, channels=[c.value for c in Channel],
                amount=views.amount_text, problems=problems or [], comparison=comparison,
                recorded_summary=views.summary(server, server.assess(jid, did)), whatif_summary=whatif_summary,
                saved=saved)


def whatif(request: Request) -> Response:
    jid, did = check_id(request.path_params["jid"]), check_id(request.path_params["did"])
    return _editor(request, jid, did, saved=request.query_params.get("saved"))


async def whatif_post(request: Request) -> Response:
    server = server_of(request)
    jid, did = check_id(request.path_params["jid"]), check_id(request.path_params["did"])
    d = server.design(jid, did)
    body = await request.body()
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=400, strict_parsing=False)
    except (UnicodeDecodeError, ValueError):
        return _editor(request, jid, did, status=400, problems=[_("form: the form could not be read")])
    recorded = views.recorded_choices(d)
    try:
        choices = parse_choices(_form_choices(pairs, recorded))
        edited = apply_choices(d, choices, server.currency(jid, d))
    except WhatIfInvalid as exc:
        return _editor(request, jid, did, status=422, problems=exc.problems)
    token = store_whatif(request, jid, did, edited)
    response = RedirectResponse(f"{root(request)}/j/{quote(jid)}/{quote(did)}/whatif#changes", status_code=303)
    set_cookie(response, request, token)
    return response


async def whatif_reset(request: Request) -> Response:
    server = server_of(request)
    jid, did = check_id(request.path_params["jid"]), check_id(request.path_params["did"])
    server.design(jid, did)
    server.sessions.drop(request.cookies.get(COOKIE), (jid, did))
    return RedirectResponse(f"{root(request)}/j/{quote(jid)}/{quote(did)}/whatif", status_code=303)


def _session_whatif(request: Request) -> tuple[Server, str, str, Design]:
    """The server, the ids and the what-if this session keeps for the design in the path (404 if none)."""
    server = server_of(request)
    jid, did = check_id(request.path_params["jid"]), check_id(request.path_params["did"])
    server.design(jid, did)
    edited = design_of_session(request, jid, did)
    if edited is None:
        raise NotFound(_("this session has no what-if of %(design)s: change a choice first") % {"design": did})
    return server, jid, did, edited


def whatif_yaml(request: Request) -> Response:
    _server, jid, _did, edited = _session_whatif(request)
    return download_response(downloads.Download(f"{jid}-{edited.id}.yaml", design_yaml(edited, jid).encode("utf-8"),
                                                downloads.MEDIA[".yaml"]))


async def whatif_save(request: Request) -> Response:
    server, jid, did, edited = _session_whatif(request)
    path = save_whatif(server, jid, edited)
    return RedirectResponse(f"{root(request)}/j/{quote(jid)}/{quote(did)}/whatif?saved={quote(path)}", status_code=303)


def compare_page(request: Request) -> Response:
    server = server_of(request)
    jid = check_id(request.path_params["jid"])
    profile = server.profile(jid)
    chosen = [check_id(d) for d in request.query_params.getlist("d")][:6]
    own, archetypes = server.design_ids(jid)
    if not chosen:
        chosen = (own + archetypes)[:2]
    chosen = list(dict.fromkeys(chosen))
    for d in chosen:
        server.design(jid, d)
    return page(request, "compare.html", title=_("Designs side by side: %(name)s") % {"name": profile.name},
                j={"id": jid, "name": profile.name}, chosen=chosen,
                options=[(d, server.ws.design(jid, d).name) for d in own + archetypes],  # type: ignore[union-attr]
                cmp=views.compare_designs(server, jid, chosen) if len(chosen) >= 2 else None)


def region(request: Request) -> Response:
    server = server_of(request)
    name = server.region(check_id(request.path_params["region"]))
    doc = server.heatmap(name)
    return page(request, "region.html", title=_("Heat-map: %(region)s") % {"region": views.region_title(name)},
                region=name, region_title=views.region_title(name), heatmap=heatmap_svg(doc), rows=doc.heatmap)


def download(request: Request) -> Response:
    server = server_of(request)
    q = request.query_params
    doc = check_id(request.path_params["doc"])
    got = downloads.render(server, doc, q.get("format", "html"), jurisdiction=q.get("j"),
                           designs=[check_id(d) for d in q.getlist("d")][:6], region=q.get("region"),
                           lang=_lang_of_download(request))
    return download_response(got, _lang_of_download(request))


def today() -> str:
    return dt.date.today().isoformat()


__all__ = ["Design", "PolicyEngineError"]


def _questionnaire_page(request: Request, jid: str, did: str, *, status: int = 200,
                        outcome: answers.Outcome | None = None) -> Response:
    server = server_of(request)
    d = server.design(jid, did)
    q = answers.questionnaire(server, jid, did)
    return page(request, "answers.html", status=status, title=_("Questionnaire: %(design)s") % {"design": d.name},
                design=views.design_view(server, jid, d), q=q, questions=q.questions(), outcome=outcome,
                values=outcome.values if outcome else {}, today=answers.today())


def questionnaire(request: Request) -> Response:
    jid, did = check_id(request.path_params["jid"]), check_id(request.path_params["did"])
    return _questionnaire_page(request, jid, did)


async def questionnaire_post(request: Request) -> Response:
    server = server_of(request)
    jid, did = check_id(request.path_params["jid"]), check_id(request.path_params["did"])
    server.design(jid, did)
    try:
        pairs = parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True, max_num_fields=2000)
    except (UnicodeDecodeError, ValueError):
        return _questionnaire_page(request, jid, did, status=400,
                                   outcome=answers.Outcome(problems=[_("form: the form could not be read")]))
    outcome = answers.submit(server, answers.questionnaire(server, jid, did), pairs)
    if outcome.problems:
        return _questionnaire_page(request, jid, did, status=422, outcome=outcome)
    if outcome.imported is None:  # read-only: the answers, checked, as the file `policyengine answers` imports
        return download_response(downloads.Download(f"{jid}-{did}-answers.yaml", outcome.yaml_text.encode("utf-8"),
                                                    downloads.MEDIA[".yaml"]))
    return _questionnaire_page(request, jid, did, outcome=outcome)
