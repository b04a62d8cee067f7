"""Documents to download: the CLI's renderers, writing into a temporary folder, sent back.

Each document is rendered by the same function the CLI calls (:mod:`policyengine.render.pipeline`,
:func:`policyengine.api.write_questionnaire`) into a fresh temporary folder; one file is sent
as it is, several (``all`` formats, a region's handouts) as one zip. The ids a request names
are checked against the loaded workspace first; the file names are the renderer's own.

A PDF is the document's HTML printed by headless Chromium (several seconds). Only the HTML is
rendered under the engine's lock; the printing happens after the lock is released (at most
:data:`PRINT_SLOTS` at a time), so what-ifs and pages are answered while a PDF prints.
"""

from __future__ import annotations

import io
import tempfile
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .. import api
from ..i18n import N_, _
from ..problems import NotFound, PolicyEngineError
from ..render import pipeline
from ..render.environment import template_dirs
from .state import Server

MEDIA = {".html": "text/html; charset=utf-8", ".md": "text/markdown; charset=utf-8",
         ".json": "application/json", ".pdf": "application/pdf", ".yaml": "application/yaml",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".zip": "application/zip"}

DOC_FORMATS = ("html", "md", "json", "pdf", "all")
#: PDFs printed at once (each is a Chromium process); more wait their turn, outside the engine lock.
PRINT_SLOTS = 2
_printers = threading.BoundedSemaphore(PRINT_SLOTS)


def print_pdf(html: str) -> bytes:
    """The HTML of a document printed to PDF, as the CLI prints it."""
    from ..render.pdf import pdf_bytes

    return pdf_bytes(html)


def _printed(paths: list[Path]) -> list[Path]:
    """Each rendered HTML file replaced by its PDF (same name, ``.pdf``): called without the lock."""
    out = []
    for path in paths:
        target = path.with_suffix(".pdf")
        with _printers:
            target.write_bytes(print_pdf(path.read_text(encoding="utf-8")))
        path.unlink()
        out.append(target)
    return out


@dataclass(frozen=True)
class DocumentKind:
    name: str
    title: str
    formats: tuple[str, ...]
    by: str  # "design": a jurisdiction and a design; "designs": several; "jurisdiction"; "region"


#: What can be downloaded, in the formats the CLI writes.
DOCUMENTS: dict[str, DocumentKind] = {d.name: d for d in (
    DocumentKind("toolkit", N_("National policy toolkit"), DOC_FORMATS, "design"),
    DocumentKind("brief", N_("Two-page brief"), DOC_FORMATS, "design"),
    DocumentKind("gap", N_("Gap analysis"), DOC_FORMATS, "designs"),
    DocumentKind("handout", N_("Handout"), DOC_FORMATS, "jurisdiction"),
    DocumentKind("handouts", N_("Handouts of the region"), DOC_FORMATS, "region"),
    DocumentKind("questionnaire", N_("Questionnaire for the missing facts"), ("html", "xlsx", "yaml", "all"), "design"),
)}


@dataclass(frozen=True)
class Download:
    filename: str
    content: bytes
    media_type: str


def handout_languages(server: Server) -> list[str]:
    """The six UN languages every document renders in (``--lang`` of the CLI), and any language a
    workspace has handout templates for (``templates/handout/<lang>/``)."""
    from ..i18n.catalogues import UN_LANGUAGES

    found = set(UN_LANGUAGES)
    for folder in template_dirs(server.ws):
        base = folder / "handout"
        if base.is_dir():
            found |= {p.name for p in base.iterdir() if p.is_dir() and p.name.replace("-", "").replace("_", "").isalnum()}
    return sorted(found)


def _bundle(paths: list[Path], base: Path, stem: str) -> Download:
    if len(paths) == 1:
        path = paths[0]
        return Download(path.name, path.read_bytes(), MEDIA.get(path.suffix, "application/octet-stream"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(paths):
            archive.write(path, path.relative_to(base).as_posix())
    return Download(f"{stem}.zip", buffer.getvalue(), MEDIA[".zip"])


def render(server: Server, doc: str, fmt: str, *, jurisdiction: str | None = None, designs: list[str] | None = None,
           region: str | None = None, lang: str = "en") -> Download:
    """One document of the workspace in one format (``all``: a zip of md, html and json)."""
    kind = DOCUMENTS.get(doc)
    if kind is None:
        raise NotFound(_("no document %(doc)r; choose one of %(known)s") % {"doc": doc[:40], "known": ", ".join(DOCUMENTS)})
    if fmt not in kind.formats:
        raise NotFound(_("no format %(fmt)r for the %(doc)s; choose one of %(known)s")
                       % {"fmt": fmt[:20], "doc": doc, "known": ", ".join(kind.formats)})
    if lang not in handout_languages(server):
        raise NotFound(_("no language %(lang)r") % {"lang": lang[:20]})
    designs = designs or []
    if kind.by == "region":
        region = server.region(region or "")
    else:
        server.profile(jurisdiction or "")
        for design in designs:
            server.design(jurisdiction or "", design)
        if kind.by == "design" and len(designs) > 1:
            raise NotFound(_("the %(doc)s is of one design") % {"doc": doc})
    with tempfile.TemporaryDirectory(prefix="policyengine-serve-") as tmp:
        out = Path(tmp)
        with server.lock:  # the engine and the renderer's memory budget: one request at a time
            paths = _rendered(server, doc, "html" if fmt == "pdf" else fmt, out, jurisdiction or "", designs,
                              region or "", lang)
        if fmt == "pdf":
            paths = _printed(paths)  # seconds of Chromium, while other requests use the engine
        stem = "-".join(p for p in (jurisdiction or region or "", *designs, doc) if p)
        return _bundle(paths, out, stem)


def _rendered(server: Server, doc: str, fmt: str, out: Path, jurisdiction: str, designs: list[str], region: str,
              lang: str) -> list[Path]:
    first = designs[0] if designs else None
    if doc == "toolkit":
        paths = pipeline.toolkit(jurisdiction, first, out, ws=server.ws, fmt=fmt, lang=lang)
    elif doc == "brief":
        paths = pipeline.brief(jurisdiction, first, out, ws=server.ws, fmt=fmt, lang=lang)
    elif doc == "gap":
        paths = pipeline.gap(jurisdiction, designs, out, ws=server.ws, fmt=fmt, lang=lang)
    elif doc == "handout":
        paths = pipeline.handout(jurisdiction, out, ws=server.ws, fmt=fmt, lang=lang)
    elif doc == "handouts":
        paths = pipeline.handouts(region, out, ws=server.ws, fmt=fmt, lang=lang)
    else:
        formats = ["html", "xlsx", "yaml"] if fmt == "all" else [fmt]
        paths = api.write_questionnaire(jurisdiction, first, out, formats, server.ws, lang=lang)
    if not paths:
        raise PolicyEngineError(_("nothing was rendered"))
    return paths
