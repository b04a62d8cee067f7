"""What-ifs kept on the server, per browser session: bounded in number and in size.

A session is a random token in a cookie; its what-ifs (one per jurisdiction and design) are
stored as the edited design's JSON. The store keeps at most :data:`MAX_SESSIONS` sessions, the
least recently used going first, and each session at most :data:`MAX_WHATIFS` what-ifs of at
most :data:`MAX_WHATIF_BYTES` each, so no client can make the server hold more than about
``MAX_SESSIONS * MAX_WHATIFS * MAX_WHATIF_BYTES`` bytes.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict

from ..i18n import _
from ..problems import PolicyEngineError

MAX_SESSIONS = 200
MAX_WHATIFS = 16
MAX_WHATIF_BYTES = 64 * 1024
TOKEN_BYTES = 24


class WhatIfTooLarge(PolicyEngineError):
    """A what-if design is over the size a session may hold."""


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def is_token(value: str | None) -> bool:
    """A token this store could have issued (anything else is ignored, never looked up)."""
    return bool(value) and len(value or "") == 32 and all(c.isalnum() or c in "-_" for c in value or "")


class SessionStore:
    """A least-recently-used map: token -> {(jurisdiction, design): design JSON}."""

    def __init__(self, max_sessions: int = MAX_SESSIONS, max_whatifs: int = MAX_WHATIFS,
                 max_bytes: int = MAX_WHATIF_BYTES) -> None:
        self.max_sessions = max_sessions
        self.max_whatifs = max_whatifs
        self.max_bytes = max_bytes
        self._sessions: OrderedDict[str, OrderedDict[tuple[str, str], str]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._sessions)

    def get(self, token: str | None, key: tuple[str, str]) -> str | None:
        if not is_token(token):
            return None
        with self._lock:
            whatifs = self._sessions.get(token or "")
            if whatifs is None:
                return None
            self._sessions.move_to_end(token or "")
            return whatifs.get(key)

    def put(self, token: str, key: tuple[str, str], design_json: str) -> None:
        if len(design_json.encode("utf-8")) > self.max_bytes:
            raise WhatIfTooLarge(_("the what-if design is over %(n)d bytes") % {"n": self.max_bytes})
        with self._lock:
            whatifs = self._sessions.get(token)
            if whatifs is None:
                whatifs = self._sessions[token] = OrderedDict()
            self._sessions.move_to_end(token)
            whatifs[key] = design_json
            whatifs.move_to_end(key)
            while len(whatifs) > self.max_whatifs:
                whatifs.popitem(last=False)
            while len(self._sessions) > self.max_sessions:
                self._sessions.popitem(last=False)

    def drop(self, token: str | None, key: tuple[str, str]) -> None:
        if not is_token(token):
            return
        with self._lock:
            whatifs = self._sessions.get(token or "")
            if whatifs is not None:
                whatifs.pop(key, None)

    def held_bytes(self) -> int:
        with self._lock:
            return sum(len(v) for w in self._sessions.values() for v in w.values())
