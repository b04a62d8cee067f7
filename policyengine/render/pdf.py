"""PDF through a real renderer (headless Chromium), only where one is installed.

The PDF is printed from the standalone HTML with its A4 print stylesheet. PDF bytes are not
deterministic (Chromium stamps creation dates), so PDFs are never golden files.

The HTML may come from a workspace template, so the browser is treated as running hostile
content. What guarantees that printing reads nothing but the document itself:

- a strict Content-Security-Policy is put first in the page (``default-src 'none'``, inline
  styles, and images and fonts only as ``data:``): no frame, image, stylesheet, font, object or
  fetch can load a local file or a network address; ``base-uri`` and ``form-action`` are none;
- no script runs: ``default-src 'none'`` covers ``script-src``, so inline scripts, event
  handlers and ``javascript:`` URLs are blocked. (Headless Chromium's ``--print-to-pdf`` needs
  JavaScript switched on in the browser: with ``--blink-settings=scriptEnabled=false`` or a
  profile that blocks JavaScript it silently prints nothing, so the policy is what stops
  scripts.) A page holding ``<meta http-equiv="refresh">``, a navigation CSP cannot stop, is
  refused before printing;
- the page is written to a private temporary folder (0700) with its own browser profile, and
  the browser runs with every background service off and all traffic sent to a dead proxy;
- the Chromium sandbox stays on, except as root where Chromium refuses to start without
  ``--no-sandbox``; the guarantees above do not depend on it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from ..problems import PolicyEngineError
from .files import write_bytes

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

#: What the printed page may load: nothing but its own inline styles and data: images/fonts.
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
       "base-uri 'none'; form-action 'none'")
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'

#: Flags that keep the browser from doing anything but printing one local page.
FLAGS = (
    "--headless", "--disable-gpu",
    "--disable-background-networking", "--disable-component-update", "--disable-default-apps",
    "--disable-extensions", "--disable-sync", "--disable-domain-reliability", "--no-first-run",
    "--no-default-browser-check", "--metrics-recording-only", "--disable-breakpad",
    "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
    "--host-resolver-rules=MAP * ~NOTFOUND", "--no-pdf-header-footer",
)


class NoPdfRenderer(PolicyEngineError):
    """No PDF renderer is installed."""


class UnsafeDocument(PolicyEngineError):
    """The HTML to print asks the browser for something printing must never do."""


def find_renderer() -> str | None:
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


class _Refresh(HTMLParser):
    """Finds ``<meta http-equiv="refresh">`` (any case, any quoting, entities decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta" and any(name == "http-equiv" and "refresh" in (value or "").lower() for name, value in attrs):
            self.found = True

    handle_startendtag = handle_starttag


def guarded(html: str) -> str:
    """``html`` with the Content-Security-Policy first, so it governs the whole page; refuse a
    page that would navigate itself elsewhere."""
    check = _Refresh()
    check.feed(html)
    check.close()
    if check.found:
        raise UnsafeDocument("refusing to print: the HTML template asks for a page refresh "
                             "(<meta http-equiv=\"refresh\">), which could load another file")
    return CSP_META + "\n" + html


def command(browser: str, page: Path, pdf: Path, profile: Path) -> list[str]:
    sandbox = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    return [browser, *FLAGS, *sandbox, f"--user-data-dir={profile}", f"--print-to-pdf={pdf}", page.as_uri()]


def html_to_pdf(html: str, target: Path, timeout: int = 120) -> Path:
    """Print ``html`` to ``target`` with headless Chromium; atomic like every other write."""
    return write_bytes(target, pdf_bytes(html, timeout))


def pdf_bytes(html: str, timeout: int = 120) -> bytes:
    """``html`` printed by headless Chromium, as the bytes of a PDF."""
    browser = find_renderer()
    if browser is None:
        raise NoPdfRenderer("PDF needs a real renderer and none is installed: install Chromium "
                            "(Debian: apt-get install chromium) or print the HTML file from a browser "
                            "(its print stylesheet is set for A4)")
    page_html = guarded(html)
    with tempfile.TemporaryDirectory(prefix="policyengine-pdf-") as tmp:  # mode 0700
        src = Path(tmp) / "doc.html"
        pdf = Path(tmp) / "doc.pdf"
        src.write_text(page_html, encoding="utf-8")
        try:
            result = subprocess.run(command(browser, src, pdf, Path(tmp) / "profile"), capture_output=True,
                                    timeout=timeout, check=False, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise PolicyEngineError(f"Chromium did not print the PDF within {timeout} s") from None
        except OSError as exc:
            raise NoPdfRenderer(f"cannot start {browser}: {exc.strerror or exc}") from None
        if result.returncode != 0 or not pdf.is_file():
            tail = " ".join(result.stderr.decode("utf-8", "replace").split())[-300:]
            raise PolicyEngineError(f"Chromium could not print the PDF (exit {result.returncode}): {tail}")
        return pdf.read_bytes()
