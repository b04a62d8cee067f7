"""Links to rule pages resolve: with the reference generated where the default --rules-base
points (a rules/ folder beside the output folder), every rule link of the toolkit and the gap
analysis, in Markdown and HTML, names a file that exists."""

from __future__ import annotations

import re
from pathlib import Path

from policyengine import api
from policyengine.authoring.docs import write_docs
from policyengine.render import pipeline


def test_rule_links_resolve_in_markdown_and_html(tmp_path: Path) -> None:
    ws = api.workspace()
    out = tmp_path / "out"
    write_docs(ws, tmp_path / "rules")
    pipeline.toolkit("NG", "enaira", out, ws=ws)
    pipeline.gap("NG", ["enaira"], out, ws=ws)
    checked = 0
    for doc in sorted(out.glob("*.md")) + sorted(out.glob("*.html")):
        text = doc.read_text(encoding="utf-8")
        targets = re.findall(r"\]\((\.\./rules/[^)]+)\)", text) + re.findall(r'href="(\.\./rules/[^"]+)"', text)
        assert targets, f"{doc.name} links to no rule page"
        for target in set(targets):
            assert (out / target).resolve().is_file(), f"{doc.name}: {target} points nowhere"
            checked += 1
    assert checked > 50
