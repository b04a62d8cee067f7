"""Toolkits of every jurisdiction of a workspace in one run, on every core.

The workspace is loaded, validated and compiled once; the (jurisdiction, design) pairs are
split between worker processes forked from it (each inherits the loaded workspace and the
compiled engine, copy on write), which build and render the documents in memory and hand the
text back. The parent writes every file atomically, only once all are rendered, so a failure
leaves nothing half-written. Each document is made by the same functions as ``toolkit``, so
the bytes are those of one-by-one rendering (a test compares them).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .. import api
from ..i18n.localise import localise, rendering
from ..load import Workspace
from . import documents as docs
from .environment import make_environment, render
from .files import safe_join, write_set
from .markdown import check_rules_base
from .pipeline import formats_of, lang_suffix, to_json

_WS: Workspace | None = None  # the loaded workspace, inherited by forked workers
#: The cycle collector's first threshold while a batch renders (Python's default is 700).
_COLLECT_AFTER = 20_000


@dataclass(frozen=True)
class Job:
    jurisdiction: str
    design: str


def jobs_of(ws: Workspace, region: str | None = None) -> list[Job]:
    """Every jurisdiction's own designs (the default archetype for one without a design)."""
    out = []
    for jid in sorted(ws.profiles):
        if region is not None and ws.profiles[jid].region.value != region:
            continue
        for did in sorted(ws.designs.get(jid, {})) or [docs.DEFAULT_ARCHETYPE]:
            out.append(Job(jid, did))
    return out


def _render(job: Job, fmts: list[str], date: str | None, rules_base: str, lang: str) -> dict[str, bytes]:
    """One toolkit, rendered in memory: {file name: its UTF-8 bytes}; called inside
    ``rendering(lang)``, with the workspace localised for ``lang``. Encoded here, in the worker:
    a text handed over as ``str`` was encoded to be pickled, decoded by the parent, then encoded
    again to be written, in the parent, one after the other (the final encoding alone took 0.6 s
    of 100 toolkits)."""
    assert _WS is not None
    env = _environment(_WS, lang)
    doc = docs.build_toolkit(_WS, job.jurisdiction, job.design, date=date, rules_base=rules_base)
    stem = f"{doc.jurisdiction.id}-{doc.design.id}-toolkit" + lang_suffix(lang)
    files = {}
    for fmt in fmts:
        if fmt == "json":
            files[f"{stem}.json"] = to_json(doc).encode("utf-8")
        else:
            files[f"{stem}.{fmt}"] = render(env, f"toolkit/toolkit.{fmt}", doc=doc).encode("utf-8")
    return files


def _environment(ws: Workspace, lang: str) -> Any:
    """One Jinja environment per workspace, language and process: templates compile once, not
    per document (the environment's filters and globals are the language's)."""
    key = ("jinja-environment", lang)
    env = ws.compiled.get(key)
    if env is None:
        env = ws.compiled[key] = make_environment(ws, lang)
    return env


def _work(args: tuple[list[Job], list[str], str | None, str, str]) -> list[dict[str, bytes]]:
    jobs, fmts, date, rules_base, lang = args
    with rendering(lang):
        return [_render(job, fmts, date, rules_base, lang) for job in jobs]


def toolkits(out_dir: Path, *, ws: api.WorkspaceLike = None, region: str | None = None, fmt: str = "all",
             date: str | None = None, rules_base: str = "", processes: int | None = None,
             progress: Callable[[int], None] | None = None, lang: str = "en") -> list[Path]:
    """Render the toolkit of every (jurisdiction, design) of the workspace into ``out_dir``,
    in ``lang`` (file names as ``toolkit --lang`` writes them)."""
    check_rules_base(rules_base)
    fmts = [f for f in formats_of(fmt) if f in ("md", "html", "json")]
    if not fmts:
        raise api.PolicyEngineError("the batch renders md, html and json; render a PDF one toolkit at a time")
    region = api.find_region(region) if region is not None else None
    with rendering(lang):
        loaded = localise(api.workspace(ws))
        return _toolkits(loaded, out_dir, region, fmts, date, rules_base, processes, progress, lang)


def _toolkits(loaded: Workspace, out_dir: Path, region: str | None, fmts: list[str], date: str | None,
              rules_base: str, processes: int | None, progress: Callable[[int], None] | None,
              lang: str) -> list[Path]:
    global _WS
    # Once, before forking: every worker inherits them. The explanations of the gaps use the
    # ruleset with drafts through the reference evaluator only, so its engine is not built.
    api.compile_ruleset(loaded).compile_engine()
    api.compile_ruleset(loaded, include_drafts=True)
    for design in (d for by_id in loaded.designs.values() for d in by_id.values() if d.ended is not None):
        api.ruleset_for(loaded, design).compile_engine()  # a discontinued design is judged at its end
        api.ruleset_for(loaded, design, include_drafts=True)
    env = _environment(loaded, lang)
    for f in fmts:
        if f != "json":
            env.get_template(f"toolkit/toolkit.{f}")  # compiled once, here, not in every worker
    jobs = jobs_of(loaded, region)
    if not jobs:
        raise api.NotFound(f"no jurisdiction of the workspace is in the region {region!r}" if region
                           else "the workspace has no jurisdictions")
    for job in jobs:  # every name is checked before any work
        safe_join(out_dir, f"{job.jurisdiction}-{job.design}-toolkit.md")
    processes = processes or min(os.cpu_count() or 1, 8)
    _WS = loaded
    rendered: list[dict[str, bytes]] = []
    # Rendering frees nearly all it allocates by reference counting, so the cycle collector
    # finds next to nothing, yet at its default threshold (700) it ran ~10 times a toolkit,
    # each time walking the documents under construction: a tenth of a toolkit's time. Here
    # (and in the workers, which inherit it) it runs once 20,000 more objects are held.
    threshold = gc.get_threshold()
    gc.set_threshold(_COLLECT_AFTER, *threshold[1:])
    try:
        # Chunks of a few toolkits: large enough to amortise the hand-over, small enough that
        # the workers finish together (a toolkit is ~0.1 s of work; 16 left one core idle ~1.5 s).
        size = max(1, min(4, len(jobs) // (processes * 4) or 1))
        chunks = [(jobs[i:i + size], fmts, date, rules_base, lang) for i in range(0, len(jobs), size)]
        if processes > 1 and len(jobs) > size and "fork" in multiprocessing.get_all_start_methods():
            # The first toolkit is rendered here, before forking: what every document loads on
            # first use (Babel's locale data, the Markdown parser) is then loaded once, not in
            # each worker. Its output is kept, in its place.
            first, *rest = chunks[0][0]
            rendered.append(_render(first, fmts, date, rules_base, lang))
            if progress:
                progress(1)
            chunks[0] = (rest, fmts, date, rules_base, lang)
            # What the parent holds (the workspace, the compiled rulesets, the templates) is
            # moved out of the collector's reach before forking: a worker's collections then
            # neither walk it nor, by touching it, copy its memory pages.
            gc.freeze()
            try:
                with multiprocessing.get_context("fork").Pool(processes) as pool:
                    for part in pool.imap(_work, chunks):
                        rendered.extend(part)
                        if progress:
                            progress(len(part))
            finally:
                gc.unfreeze()
        else:
            for chunk in chunks:
                part = _work(chunk)
                rendered.extend(part)
                if progress:
                    progress(len(part))
    finally:
        _WS = None
        gc.set_threshold(*threshold)
    data = {safe_join(out_dir, name): blob for files in rendered for name, blob in files.items()}
    return write_set(data, out_dir.resolve())  # one set: staged in full, then renamed (files.py)
