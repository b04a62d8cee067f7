"""Pieces every handler shares: id checks, the session cookie, the what-if store, downloads."""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import Response

from ..i18n import _
from ..i18n.catalogues import language_info
from ..models import Design
from ..problems import NotFound, PolicyEngineError
from ..render.environment import make_environment
from ..render.files import write_bytes
from . import language
from .downloads import Download
from .sessions import is_token, new_token
from .state import Server
from .whatif import design_yaml, whatif_name

COOKIE = "pe_session"
#: What a jurisdiction, design, rule, region or document id may look like; anything else is
#: refused before any lookup (ids are looked up among the loaded ones, never used as paths).
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")


class ReadOnly(PolicyEngineError):
    """A write asked of a server started without ``--writable``."""


def check_id(value: str) -> str:
    if not _ID.match(value or "") or ".." in value:
        raise NotFound(_("no such id: %(id)r") % {"id": (value or "")[:40]})
    return value


def server_of(request: Request) -> Server:
    server: Server = request.app.state.server
    return server


def environment(request: Request) -> Any:
    """The template environment of the request's language (made on first use, then kept)."""
    lang = language.of(request.scope).lang
    envs: dict[str, Any] = request.app.state.envs
    if lang not in envs:
        envs[lang] = make_environment(server_of(request).ws, lang)
    return envs[lang]


def root(request: Request) -> str:
    """What the links of this page start with: ``/fr`` on a page whose address names its
    language, nothing on a page whose language was negotiated."""
    return language.of(request.scope).root


def page_context(request: Request) -> dict[str, Any]:
    """What every page's frame needs: its language and direction, the link root, the language
    picker (this page in each language), whether the server is writable."""
    chosen = language.of(request.scope)
    return {"writable": server_of(request).writable, "path": request.url.path, "root": chosen.root,
            "lang": chosen.lang, "page_language": language_info(chosen.lang),
            "picker": language.picker(chosen.lang, request.url.path, request.url.query),
            "default_href": language.negotiated_href(request.url.path, request.url.query)}


def design_of_session(request: Request, jid: str, did: str) -> Design | None:
    """The what-if this browser session keeps for the design, if any."""
    server = server_of(request)
    text = server.sessions.get(request.cookies.get(COOKIE), (jid, did))
    if text is None:
        return None
    try:
        design = Design.model_validate_json(text)
    except ValidationError:  # pragma: no cover - stored only after validation
        return None
    # The what-if was named in the language of the page that made it: name it in this page's.
    try:
        recorded = server.design(jid, did)
    except PolicyEngineError:  # the recorded design went away on a reload: keep the stored name
        return design
    return design.model_copy(update={"name": whatif_name(recorded.name)})


def store_whatif(request: Request, jid: str, did: str, design: Design) -> str:
    """Keep the what-if in the session (a new one if the cookie holds none); the token."""
    token = request.cookies.get(COOKIE)
    if not is_token(token):
        token = new_token()
    server_of(request).sessions.put(token or "", (jid, did), design.model_dump_json(exclude_none=True))
    return token or ""


def set_cookie(response: Response, request: Request, token: str) -> None:
    if request.cookies.get(COOKIE) != token:
        response.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/", max_age=12 * 3600)


def download_response(got: Download, lang: str | None = None) -> Response:
    headers = {"content-disposition": f'attachment; filename="{got.filename}"'}
    if lang:
        headers["content-language"] = language.html_lang(lang)
    return Response(got.content, media_type=got.media_type, headers=headers)


def save_whatif(server: Server, jid: str, design: Design) -> str:
    """Write the what-if into ``whatifs/<ID>/<id>.yaml`` of the workspace (``--writable`` only);
    the path written, relative to the workspace."""
    if not server.writable:
        raise ReadOnly(_("this server is read-only: start it with --writable to save what-ifs into the workspace"))
    root = server.ws.root.resolve()
    folder = server.whatif_folder() / jid
    if folder.exists() and not folder.resolve().is_relative_to(root) or folder.is_symlink():
        raise ReadOnly(_("refusing to write: %(folder)s leads outside the workspace") % {"folder": folder})
    target = folder / f"{design.id}.yaml"
    write_bytes(target, design_yaml(design, jid).encode("utf-8"))
    return target.relative_to(server.ws.root).as_posix()
