"""The batch command renders every toolkit of the workspace, byte for byte as one by one."""

from __future__ import annotations

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
