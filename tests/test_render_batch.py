"""The batch command renders every toolkit of the workspace, byte for byte as one by one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from policyengine import api
from policyengine.render import pipeline
from policyengine.render.batch import jobs_of, toolkits


def test_batch_toolkits_are_byte_identical_to_one_by_one(tmp_path: Path) -> None:
    ws = api.workspace()
    batch = toolkits(tmp_path / "batch", ws=ws, region="africa", processes=2)
    jobs = jobs_of(ws, "africa")
    assert len(batch) == 3 * len(jobs) and len(jobs) >= 3
    for job in jobs:
        single = pipeline.toolkit(job.jurisdiction, job.design, tmp_path / "one", ws=ws)
        for path in single:
            assert (tmp_path / "batch" / path.name).read_bytes() == path.read_bytes(), path.name
    assert {p.name for p in batch} == {p.name for p in (tmp_path / "one").iterdir()}


def test_batch_in_french_and_arabic_is_byte_identical_and_no_cache_carries_a_language(tmp_path: Path) -> None:
    """Every cache of the rendering (Babel's formatting, the Markdown conversions, the labels,
    the localised workspaces, the Jinja environments) is filled in English first, in this
    process and in the workers forked from it; the French and Arabic batches must still be the
    one-by-one documents, and those must be what a fresh process, its caches empty, renders
    in the other order (Arabic first)."""
    ws = api.workspace()
    region = "cis"
    jobs = jobs_of(ws, region)
    toolkits(tmp_path / "en", ws=ws, region=region, processes=1)
    english = (tmp_path / "en" / f"{jobs[0].jurisdiction}-{jobs[0].design}-toolkit.html").read_text()
    for lang in ("fr", "ar"):
        batch = toolkits(tmp_path / lang, ws=ws, region=region, processes=2, lang=lang)
        assert len(batch) == 3 * len(jobs)
        # The first and the last job of the batch, each worker's share: one-by-one rendering of
        # all five repeats the same comparison at five times the cost.
        for job in (jobs[0], jobs[-1]):
            for path in pipeline.toolkit(job.jurisdiction, job.design, tmp_path / f"one-{lang}", ws=ws, lang=lang):
                assert path.name.endswith((f".{lang}.md", f".{lang}.html", f".{lang}.json"))
                assert (tmp_path / lang / path.name).read_bytes() == path.read_bytes(), path.name
        html = (tmp_path / lang / f"{jobs[0].jurisdiction}-{jobs[0].design}-toolkit.{lang}.html").read_text()
        assert f'lang="{lang}"' in html and html != english
    job = jobs[0]
    script = ("import sys; from pathlib import Path; from policyengine.render import pipeline\n"
              "for lang in ('ar', 'fr'):\n"
              f"    pipeline.toolkit({job.jurisdiction!r}, {job.design!r}, Path(sys.argv[1]), lang=lang)\n")
    subprocess.run([sys.executable, "-c", script, str(tmp_path / "fresh")], check=True,
                   env={**os.environ, "POLICYENGINE_NO_CACHE": "1"})
    fresh = sorted((tmp_path / "fresh").iterdir())
    assert len(fresh) == 6
    for path in fresh:
        lang = path.name.split(".")[-2]
        assert (tmp_path / lang / path.name).read_bytes() == path.read_bytes(), path.name
