"""``policyengine serve``: the workshop in a browser.

A small server-rendered web application (Starlette on uvicorn) over :mod:`policyengine.api`:
jurisdictions by region, a design's findings with the same honest summary as the documents,
a finding's explanation, what-ifs on a design's choices re-assessed on the server, designs side
by side, a region's heat-map, the documents to download, and a JSON API for the same
operations. No JavaScript: every page is HTML and CSS rendered by the project's sandboxed Jinja
environment from ``templates/web/``.

Safe by default: read-only (a what-if lives in a bounded server-side session and is downloaded
as YAML; it is written only with ``--writable``), loopback unless told otherwise, request sizes
bounded, security headers on every answer, ids in paths checked against the loaded workspace
(no path from a request reaches the file system), and POSTs checked for their origin.
"""

from __future__ import annotations

from .app import create_app
from .state import Server

__all__ = ["Server", "create_app"]
