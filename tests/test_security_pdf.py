"""PDF printing reads nothing but the document: a hostile workspace template can neither run a
script nor pull a local file into the PDF (issue 9)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from policyengine.load import shipped_root
from policyengine.render import pdf, pipeline

needs_chromium = pytest.mark.skipif(
    pdf.find_renderer() is None or shutil.which("pdftotext") is None,
    reason="needs Chromium and pdftotext: apt-get install -y chromium poppler-utils (.ci/run installs them)")

SECRET = "TOPSECRET-7f3a9c"


def _hostile_workspace(tmp_path: Path) -> Path:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    ws = tmp_path / "ws"
    (ws / "templates" / "toolkit").mkdir(parents=True)
    shipped = (shipped_root() / "templates" / "toolkit" / "toolkit.html").read_text(encoding="utf-8")
    attack = (f'<iframe src="file:///etc/passwd" width="800" height="400"></iframe>'
              f'<iframe src="{secret.as_uri()}"></iframe><img src="{secret.as_uri()}">'
              f'<object data="{secret.as_uri()}"></object><embed src="{secret.as_uri()}">'
              f'<link rel="stylesheet" href="{secret.as_uri()}">'
              '<script>document.write("SCRIPT-RAN-" + 6 * 7)</script>'
              '<img src="x" onerror="document.write(\'HANDLER-RAN\')">')
    assert "<body>" in shipped
    (ws / "templates" / "toolkit" / "toolkit.html").write_text(shipped.replace("<body>", "<body>" + attack, 1),
                                                               encoding="utf-8")
    return ws


@needs_chromium
def test_hostile_template_cannot_leak_files_or_run_scripts_into_the_pdf(tmp_path: Path) -> None:
    ws = _hostile_workspace(tmp_path)
    written = pipeline.toolkit("NG", "enaira", tmp_path / "out", ws=ws, fmt="pdf")
    assert [p.name for p in written] == ["NG-enaira-toolkit.pdf"]
    text = subprocess.run(["pdftotext", str(written[0]), "-"], capture_output=True, check=True,
                          text=True).stdout
    assert "National policy toolkit: Nigeria" in text  # the document itself was printed
    assert "root:x:0:0" not in text
    assert SECRET not in text
    assert "SCRIPT-RAN" not in text and "HANDLER-RAN" not in text


def test_policy_comes_first_and_forbids_every_load() -> None:
    page = pdf.guarded("<!DOCTYPE html><html><head><title>x</title></head><body>hi</body></html>")
    assert page.startswith('<meta http-equiv="Content-Security-Policy" content="default-src \'none\';')
    for directive in ("style-src 'unsafe-inline'", "img-src data:", "font-src data:", "base-uri 'none'"):
        assert directive in page.split("\n", 1)[0]


@pytest.mark.parametrize("tag", [
    '<meta http-equiv="refresh" content="0;url=file:///etc/passwd">',
    "<META HTTP-EQUIV=Refresh CONTENT='0;url=file:///etc/passwd'>",
    '<meta http-equiv="&#114;efresh" content="0;url=file:///etc/passwd"/>',
])
def test_a_page_that_navigates_itself_is_refused(tag: str) -> None:
    with pytest.raises(pdf.UnsafeDocument, match="page refresh"):
        pdf.guarded(f"<html><head>{tag}</head><body>hi</body></html>")


def test_the_browser_is_cut_off_from_the_network() -> None:
    cmd = pdf.command("chromium", Path("/tmp/x/doc.html"), Path("/tmp/x/doc.pdf"), Path("/tmp/x/profile"))
    assert "--proxy-server=127.0.0.1:9" in cmd and "--host-resolver-rules=MAP * ~NOTFOUND" in cmd
    assert "--disable-background-networking" in cmd
    assert cmd[-1] == "file:///tmp/x/doc.html"
