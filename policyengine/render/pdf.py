"""PDF through a real renderer (headless Chromium), only where one is installed.

The PDF is printed from the standalone HTML with its A4 print stylesheet. PDF bytes are not
deterministic (Chromium stamps creation dates), so PDFs are never golden files.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..problems import PolicyEngineError
from .files import write_bytes

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class NoPdfRenderer(PolicyEngineError):
    """No PDF renderer is installed."""


def find_renderer() -> str | None:
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def html_to_pdf(html: str, target: Path, timeout: int = 120) -> Path:
    """Print ``html`` to ``target`` with headless Chromium; atomic like every other write."""
    browser = find_renderer()
    if browser is None:
        raise NoPdfRenderer("PDF needs a real renderer and none is installed: install Chromium "
                            "(Debian: apt-get install chromium) or print the HTML file from a browser "
                            "(its print stylesheet is set for A4)")
    with tempfile.TemporaryDirectory(prefix="policyengine-pdf-") as tmp:
        src = Path(tmp) / "doc.html"
        pdf = Path(tmp) / "doc.pdf"
        src.write_text(html, encoding="utf-8")
        cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               f"--user-data-dir={tmp}/profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", src.as_uri()]
        result = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        if result.returncode != 0 or not pdf.is_file():
            raise PolicyEngineError(f"Chromium could not print the PDF (exit {result.returncode}): "
                                    f"{result.stderr.decode('utf-8', 'replace')[-400:]}")
        return write_bytes(target, pdf.read_bytes())
