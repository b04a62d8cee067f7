"""Golden files: the toolkit, gap analysis and handout of NG/eNaira and BS/Sand Dollar in every
format, compared byte for byte. Shipped content changes them on purpose: regenerate with

    POLICYENGINE_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_render_golden.py

and review the diff like any other change."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import pytest

from policyengine import api
from policyengine.render import pipeline

sys.path.insert(0, str(Path(__file__).parent))
from render_support import ARCHETYPE, GOLDEN, GOLDEN_PAIRS, UPDATE, files_of  # noqa: E402

#: The regional workshop pack of Africa (issue 11): its summary, common gaps, good practice and
#: questions read every African profile and design, so content changes there show up for review.
PACK_REGIONS = ("africa",)

#: The brief is snapshotted for NG/eNaira (the issue's example); its peer table reads every
#: shipped design, so content changes anywhere show up here for review.
BRIEF_PAIRS = (("NG", "enaira"),)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    ws = api.workspace()
    out = tmp_path_factory.mktemp("golden")
    for jid, design in GOLDEN_PAIRS:
        pipeline.toolkit(jid, design, out, ws=ws)
        pipeline.gap(jid, [design, ARCHETYPE], out, ws=ws)
        pipeline.handout(jid, out, ws=ws)
    for jid, design in BRIEF_PAIRS:
        pipeline.brief(jid, design, out, ws=ws)
    got = files_of(out)
    for region in PACK_REGIONS:
        packs = tmp_path_factory.mktemp(f"pack-{region}")
        pipeline.handouts(region, packs, ws=ws)
        got.update({name: data for name, data in files_of(packs).items() if name.startswith(f"handouts-{region}.")})
    return got


def _names() -> list[str]:
    names = []
    for jid, design in GOLDEN_PAIRS:
        for stem in (f"{jid}-{design}-toolkit", f"{jid}-gap-analysis", f"handout-{jid}"):
            names += [f"{stem}.{ext}" for ext in ("md", "html", "json")]
    for jid, design in BRIEF_PAIRS:
        names += [f"{jid}-{design}-brief.{ext}" for ext in ("md", "html", "json")]
    for region in PACK_REGIONS:
        names += [f"handouts-{region}.{ext}" for ext in ("md", "html", "json")]
    return names


@pytest.mark.parametrize("name", _names())
def test_golden(rendered: dict[str, bytes], name: str) -> None:
    golden = GOLDEN / name
    got = rendered[name]
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(got)
        return
    assert golden.is_file(), f"no golden file {golden}; create it with POLICYENGINE_UPDATE_GOLDEN=1"
    want = golden.read_bytes()
    if got != want:
        diff = "".join(list(difflib.unified_diff(
            want.decode("utf-8").splitlines(keepends=True), got.decode("utf-8").splitlines(keepends=True),
            fromfile=f"golden/{name}", tofile="rendered"))[:80])
        pytest.fail(f"{name} differs from its golden file (regenerate with POLICYENGINE_UPDATE_GOLDEN=1 "
                    f"if the change is intended):\n{diff}")


def test_no_stale_golden_files() -> None:
    if UPDATE:
        return
    extra = sorted(p.name for p in GOLDEN.iterdir() if p.is_file() and p.name not in set(_names()))
    assert not extra, f"golden files no test renders: {extra}"


def test_golden_names_are_complete(rendered: dict[str, bytes]) -> None:
    assert set(_names()) == set(rendered)
    assert isinstance(Path, type)
