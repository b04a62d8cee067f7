"""The web application's defences, as ASGI middleware around every request.

- :class:`SecurityHeaders`: a Content-Security-Policy allowing no script at all and styles only
  from this server, ``frame-ancestors 'none'``, ``X-Content-Type-Options: nosniff``, a
  same-origin Referrer-Policy, and no caching of pages that hold a session's what-if.
- :class:`RequestGuard`: refuses a body over :data:`MAX_BODY_BYTES` (413), a Host header that
  is not this server's when it listens on the loopback address (421; stops DNS rebinding), and
  a state-changing request from another origin (403): a POST must carry an ``Origin`` (or
  ``Referer``) of this server, unless it is JSON, which a browser cannot send across origins
  without a preflight this server never grants.
"""

from __future__ import annotations

import json
from typing import Any, Awaitable, Callable
from urllib.parse import urlsplit

from ..i18n import _

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: The largest request body accepted (a what-if form or JSON is a few kilobytes).
MAX_BODY_BYTES = 64 * 1024
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _v in message.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS if k not in names]
                if b"cache-control" not in names:
                    extra.append((b"cache-control", b"no-store"))
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, with_headers)


def _header(scope: Scope, name: bytes) -> str | None:
    for k, v in scope.get("headers", []):
        if k.lower() == name:
            return str(v.decode("latin-1"))
    return None


async def _refuse(send: Send, status: int, message: str, json_api: bool) -> None:
    if json_api:
        body = json.dumps({"error": message}).encode()
        ctype = b"application/json"
    else:
        body = (message + "\n").encode()
        ctype = b"text/plain; charset=utf-8"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def host_name(host_header: str) -> str:
    """``127.0.0.1`` of ``127.0.0.1:8000``, ``[::1]`` of ``[::1]:8000``."""
    if host_header.startswith("["):
        return host_header.split("]")[0] + "]"
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


class RequestGuard:
    def __init__(self, app: ASGIApp, *, loopback_only: bool, max_body: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.loopback_only = loopback_only
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        json_api = str(scope.get("path", "")).startswith("/api/")
        host = _header(scope, b"host") or ""
        if self.loopback_only and host_name(host) not in LOOPBACK_HOSTS:
            await _refuse(send, 421, _("this server answers only to the loopback address"), json_api)
            return
        method = scope.get("method", "GET")
        if method not in SAFE_METHODS and not self._same_origin(scope, host):
            await _refuse(send, 403, _("refused: the request does not come from a page of this server"), json_api)
            return
        length = _header(scope, b"content-length")
        if length is not None:
            if not length.isdigit() or int(length) > self.max_body:
                await _refuse(send, 413, _("the request is over %(n)d bytes") % {"n": self.max_body}, json_api)
                return
        if method in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        # The body is read here, within the limit, before the application sees any of it.
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            received += len(message.get("body", b""))
            if received > self.max_body:
                await _refuse(send, 413, _("the request is over %(n)d bytes") % {"n": self.max_body}, json_api)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    def _same_origin(scope: Scope, host: str) -> bool:
        scheme = scope.get("scheme", "http")
        own = f"{scheme}://{host}"
        origin = _header(scope, b"origin")
        if origin is not None:
            return origin == own
        referer = _header(scope, b"referer")
        if referer is not None:
            parts = urlsplit(referer)
            return f"{parts.scheme}://{parts.netloc}" == own
        ctype = (_header(scope, b"content-type") or "").split(";")[0].strip().lower()
        return ctype == "application/json"
