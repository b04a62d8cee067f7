"""Links to rule pages resolve: by default a document carries no link to a rule page (it is
self-contained); with --rules-base pointing where `policyengine docs` wrote the reference, every
rule link of the toolkit and the gap analysis, in Markdown and HTML, names a file that exists."""

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
    pipeline.toolkit("NG", "enaira", out, ws=ws, rules_base="../rules/")
    pipeline.gap("NG", ["enaira"], out, ws=ws, rules_base="../rules/")
    checked = 0
    for doc in sorted(out.glob("*.md")) + sorted(out.glob("*.html")):
        text = doc.read_text(encoding="utf-8")
        targets = re.findall(r"\]\((\.\./rules/[^)]+)\)", text) + re.findall(r'href="(\.\./rules/[^"]+)"', text)
        assert targets, f"{doc.name} links to no rule page"
        for target in set(targets):
            assert (out / target).resolve().is_file(), f"{doc.name}: {target} points nowhere"
            checked += 1
    assert checked > 50


def test_default_documents_link_to_no_file_outside_themselves(tmp_path: Path) -> None:
    ws = api.workspace()
    out = tmp_path / "out"
    pipeline.toolkit("NG", "enaira", out, ws=ws)
    pipeline.gap("NG", ["enaira", "two-tier-token-retail"], out, ws=ws)
    docs = sorted(out.glob("*.md")) + sorted(out.glob("*.html"))
    assert len(docs) == 4
    for doc in docs:
        text = doc.read_text(encoding="utf-8")
        relative = [t for t in re.findall(r"\]\(([^)#][^)]*)\)", text) + re.findall(r'href="([^"#][^"]*)"', text)
                    if not t.startswith(("http://", "https://", "mailto:"))]
        assert relative == [], f"{doc.name} links to files that are not there: {relative[:5]}"
        assert "AML-OFFLINE-LIMIT-DE-MINIMIS" in text
