"""The application: routes, error pages, and the middleware around them."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from ..i18n import _
from ..problems import NotFound, PolicyEngineError
from ..render.environment import make_environment, render
from . import jsonapi, pages
from .common import ReadOnly, environment, page_context
from .language import LanguageMiddleware
from .security import RequestGuard, SecurityHeaders
from .sessions import WhatIfTooLarge
from .state import Server

#: Answers for the domain errors a request can cause.
STATUS = ((NotFound, 404), (ReadOnly, 403), (WhatIfTooLarge, 413), (PolicyEngineError, 400))


def stylesheet(request: Request) -> Response:
    css: str = request.app.state.css
    return Response(css, media_type="text/css; charset=utf-8", headers={"cache-control": "max-age=3600"})


def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status)
    try:
        text = render(environment(request), "web/error.html", title=_("Error"), status=status, message=message,
                      labels={}, **page_context(request))
    except PolicyEngineError:  # pragma: no cover - the error page itself failed (a workspace template)
        return Response(message, status_code=status, media_type="text/plain; charset=utf-8")
    return HTMLResponse(text, status_code=status)


async def domain_error(request: Request, exc: Exception) -> Response:
    status = next(code for kind, code in STATUS if isinstance(exc, kind))
    return _error(request, status, " ".join(str(exc).split()))


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = {404: _("no such page"), 405: _("this method is not allowed here")}.get(exc.status_code, str(exc.detail))
    return _error(request, exc.status_code, message)


async def server_error(request: Request, exc: Exception) -> Response:
    return _error(request, 500, _("the server failed on this request; nothing was changed"))


def routes() -> list[Route]:
    return [
        Route("/", pages.index),
        Route("/static/style.css", stylesheet),
        Route("/j/{jid}", pages.jurisdiction),
        Route("/j/{jid}/compare", pages.compare_page),
        Route("/j/{jid}/{did}", pages.design),
        Route("/j/{jid}/{did}/rule/{rid}", pages.finding),
        Route("/j/{jid}/{did}/whatif", pages.whatif),
        Route("/j/{jid}/{did}/whatif", pages.whatif_post, methods=["POST"]),
        Route("/j/{jid}/{did}/whatif/reset", pages.whatif_reset, methods=["POST"]),
        Route("/j/{jid}/{did}/whatif/save", pages.whatif_save, methods=["POST"]),
        Route("/j/{jid}/{did}/whatif.yaml", pages.whatif_yaml),
        Route("/j/{jid}/{did}/questionnaire", pages.questionnaire),
        Route("/j/{jid}/{did}/questionnaire", pages.questionnaire_post, methods=["POST"]),
        Route("/region/{region}", pages.region),
        Route("/download/{doc}", pages.download),
        Route("/api/openapi.json", jsonapi.openapi),
        Route("/api/jurisdictions", jsonapi.jurisdictions),
        Route("/api/jurisdictions/{jid}", jsonapi.jurisdiction),
        Route("/api/assess/{jid}/{did}", jsonapi.assessment),
        Route("/api/explain/{jid}/{did}/{rid}", jsonapi.explanation),
        Route("/api/choices/{jid}/{did}", jsonapi.choices),
        Route("/api/whatif/{jid}/{did}", jsonapi.whatif, methods=["POST"]),
        Route("/api/compare/{jid}", jsonapi.comparison),
        Route("/api/regions/{region}/heatmap", jsonapi.heatmap),
    ]


def create_app(server: Server, *, loopback_only: bool = True) -> Any:
    """The ASGI application of ``server``; ``loopback_only`` refuses requests whose Host header
    is not a loopback name (set when listening on the loopback address)."""
    app = Starlette(routes=routes(), exception_handlers={
        PolicyEngineError: domain_error, HTTPException: http_error, Exception: server_error})
    app.state.server = server
    app.state.env = make_environment(server.ws)
    app.state.envs = {"en": app.state.env}  # one per page language: its number formats, <html lang dir>
    app.state.css = (render(app.state.env, "partials/style.css") + "\n" + render(app.state.env, "web/web.css"))
    return SecurityHeaders(RequestGuard(LanguageMiddleware(app), loopback_only=loopback_only))  # type: ignore[arg-type]
