"""Safety of the document pipeline: inert profile text, sandboxed and strict templates, no write
outside --out, determinism, atomic writes, languages without templates refused."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from policyengine import api
from policyengine.cli import main
from policyengine.load import resolve_workspace
from policyengine.problems import UnsafePath
from policyengine.render import pipeline
from policyengine.render.environment import TemplateError

sys.path.insert(0, str(Path(__file__).parent))
from render_support import files_of  # noqa: E402

SCRIPT = "<script>alert(1)</script>"
JINJA = "{{ 7*7 }}"
EVIL = f"{SCRIPT} {JINJA} [x](javascript:alert(2)) | *"

PROFILE = f"""\
id: ZZ
name: "Evilland {SCRIPT} {JINJA}"
region: africa
currency: ZZD
central_bank: "Bank {JINJA}"
exchange_rate_per_usd:
  value: 10
  source: zz-source
  as_of: "2025"
  note: "{EVIL}"
inclusion:
  account_ownership_pct:
    value: 20
    source: {{ref: zz-source, locator: "{EVIL}"}}
    as_of: "2021"
    note: "{EVIL}"
sources:
  - id: zz-source
    title: "Report {SCRIPT} {JINJA}"
    publisher: "{EVIL}"
    year: 2024
    evidence: press
    url: "javascript:alert(3)"
"""

DESIGN = f"""\
id: zz-coin
name: "ZZ coin {SCRIPT} {JINJA}"
jurisdiction: ZZ
kind: retail_cbdc
issuer: central_bank
status: pilot
summary: "{EVIL}"
channels:
  value: [smartphone_app]
  source: zz-source
  note: "{EVIL}"
kyc_tiers:
  value:
    - id: tier-0
      name: "Tier {SCRIPT} {JINJA}"
      identity: phone_number
      balance_limit: {{amount: 1000, currency: ZZD}}
  source: zz-source
"""


@pytest.fixture()
def evil_ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    (root / "jurisdictions" / "ZZ" / "designs").mkdir(parents=True)
    (root / "jurisdictions" / "ZZ" / "profile.yaml").write_text(PROFILE, encoding="utf-8")
    (root / "jurisdictions" / "ZZ" / "designs" / "zz-coin.yaml").write_text(DESIGN, encoding="utf-8")
    # the rulesets under test are the active workspace's (the shipped ones by default)
    (root / "rulesets").symlink_to(api.workspace().rulesets_dir, target_is_directory=True)
    # only ZZ: the shipped jurisdictions would otherwise join it in the regional pack (ADR 0003)
    (root / "workspace.yaml").write_text("shipped_jurisdictions: false\n", encoding="utf-8")
    return root


def test_injected_text_is_inert_in_every_format(evil_ws: Path, tmp_path: Path) -> None:
    ws = api.workspace(evil_ws)
    out = tmp_path / "out"
    pipeline.toolkit("ZZ", "zz-coin", out, ws=ws)
    pipeline.gap("ZZ", ["zz-coin"], out, ws=ws)
    pipeline.handout("ZZ", out, ws=ws)
    pipeline.handouts("africa", out / "region", ws=ws)
    files = files_of(out)
    assert len(files) == 15
    for name, data in files.items():
        text = data.decode("utf-8")
        assert "<script" not in text.lower(), name  # never raw, in any format
        if name.endswith(".html"):
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text, name
            assert JINJA in text, name  # shown literally
            assert 'href="javascript:' not in text, name
        elif name.endswith(".md"):
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text, name
            assert "{{ 7\\*7 }}" in text or JINJA in text, name
            assert not re.search(r"(?<!\\)\]\(javascript:", text), name  # the link syntax is escaped
        else:
            parsed = json.loads(text)
            assert SCRIPT in json.dumps(parsed, ensure_ascii=False), name  # the value survives intact
            assert JINJA in json.dumps(parsed, ensure_ascii=False), name


def test_markdown_output_renders_inert(evil_ws: Path, tmp_path: Path) -> None:
    """Even a Markdown renderer with raw HTML ON shows the script as text."""
    from markdown_it import MarkdownIt

    ws = api.workspace(evil_ws)
    pipeline.toolkit("ZZ", "zz-coin", tmp_path, ws=ws, fmt="md")
    md = (tmp_path / "ZZ-zz-coin-toolkit.md").read_text(encoding="utf-8")
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(md)
    assert "<script" not in html
    assert 'href="javascript:' not in html


@pytest.mark.parametrize("args", [
    ["toolkit", "../../x", "--design", "enaira"],
    ["toolkit", "NG", "--design", "../../x"],
    ["gap", "NG", "--design", "../../x"],
    ["handouts", "--region", "../../x"],
    ["handouts", "--region", "africa", "--lang", "../../x"],
])
def test_output_names_cannot_escape(tmp_path: Path, args: list[str]) -> None:
    out = tmp_path / "a" / "b" / "out"
    r = CliRunner().invoke(main, args + ["--out", str(out)])
    assert r.exit_code == 2, r.output
    assert "refusing" in r.output
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_safe_join_refuses_traversal(tmp_path: Path) -> None:
    with pytest.raises(UnsafePath):
        pipeline.toolkit("../../x", "enaira", tmp_path)


def test_two_runs_are_byte_identical(tmp_path: Path) -> None:
    ws = api.workspace()
    for run in ("one", "two"):
        pipeline.toolkit("NG", "enaira", tmp_path / run, ws=ws)
        pipeline.gap("NG", ["enaira", "two-tier-token-retail"], tmp_path / run, ws=ws)
        pipeline.handouts("africa", tmp_path / run / "h", ws=ws)
    # a fresh workspace load, too: nothing may depend on object ids or set order
    pipeline.toolkit("NG", "enaira", tmp_path / "three", ws=api.workspace(resolve_workspace()))
    one, two = files_of(tmp_path / "one"), files_of(tmp_path / "two")
    assert one == two
    assert files_of(tmp_path / "three")["NG-enaira-toolkit.html"] == one["NG-enaira-toolkit.html"]


def test_no_temporary_files_left(tmp_path: Path) -> None:
    pipeline.toolkit("NG", "enaira", tmp_path, ws=api.workspace())
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_failed_render_writes_nothing(tmp_path: Path) -> None:
    """A template error stops the run before any file of it is written (build, then write)."""
    root = tmp_path / "ws"
    (root / "templates" / "toolkit").mkdir(parents=True)
    (root / "templates" / "toolkit" / "toolkit.md").write_text("{{ doc.no_such_field }}\n", encoding="utf-8")
    ws = api.workspace(root)
    with pytest.raises(TemplateError, match="no_such_field"):
        pipeline.toolkit("NG", "enaira", tmp_path / "out", ws=ws)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_workspace_templates_override_and_are_sandboxed(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "templates" / "toolkit").mkdir(parents=True)
    (root / "templates" / "toolkit" / "toolkit.md").write_text("Branded {{ doc.jurisdiction.name }}\n", encoding="utf-8")
    ws = api.workspace(root)
    pipeline.toolkit("NG", "enaira", tmp_path / "out", ws=ws, fmt="all")
    assert (tmp_path / "out" / "NG-enaira-toolkit.md").read_text(encoding="utf-8") == "Branded Nigeria\n"
    # the HTML template was not overridden: the shipped one is used
    assert "<!DOCTYPE html>" in (tmp_path / "out" / "NG-enaira-toolkit.html").read_text(encoding="utf-8")
    (root / "templates" / "toolkit" / "toolkit.md").write_text(
        "{{ doc.__class__.__mro__[1].__subclasses__() }}\n", encoding="utf-8")
    with pytest.raises(TemplateError):
        pipeline.toolkit("NG", "enaira", tmp_path / "out2", ws=api.workspace(root), fmt="md")


_SANDBOX_REFUSES = [
    "{{ doc.__class__ }}",  # a private name
    "{{ doc.jurisdiction.model_dump.__globals__ }}",  # a function's internals
    "{{ doc.nums.append(1) }}",  # a mutating method of a list (immutable sandbox)
    "{{ doc.table.update({'a': 1}) }}",  # of a dict
    "{{ '{0.__class__}'.format(doc) }}",  # str.format reaching a private name
    "{{ doc.name.format_map({'x': doc}) }}",  # format_map, read as an attribute of a value
    "{{ doc.jurisdiction.__dict__ }}",
]


@pytest.mark.parametrize("source", _SANDBOX_REFUSES)
def test_the_sandbox_refuses_internals_mutation_and_format(source: str) -> None:
    """What a workspace template may not reach, through the environment's own attribute lookup
    (a faster path than Jinja's for plain values): each is refused, and plain data still reads."""
    from jinja2.exceptions import SecurityError, UndefinedError

    from policyengine.render.environment import make_environment

    env = make_environment(None)
    ws = api.workspace()
    doc = {"jurisdiction": ws.profiles["NG"], "nums": [1, 2], "table": {"a": 0}, "name": "{x.__class__}"}
    with pytest.raises((SecurityError, UndefinedError)):
        env.from_string(source).render(doc=doc)
    assert env.from_string("{{ doc.jurisdiction.name }} {{ doc.table.a }} {{ doc.nums | length }}").render(doc=doc) \
        == "Nigeria 0 2"
    assert env.from_string("{{ '{}-{}'.format(doc.jurisdiction.id, 1) }}").render(doc=doc) == "NG-1"


def test_language_without_templates_is_refused(tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["handouts", "--region", "africa", "--lang", "sw", "--out", str(tmp_path)])
    assert r.exit_code == 2
    assert "no catalogue and no handout templates for language 'sw'" in r.output
    assert not any(tmp_path.iterdir())


def test_language_with_a_template_folder(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    fr = root / "templates" / "handout" / "fr"
    fr.mkdir(parents=True)
    shipped = api.workspace().templates_dir / "handout"
    for name in ("page.md", "page.html", "region.md", "region.html", "_page.md", "_page.html"):
        text = (shipped / name).read_text(encoding="utf-8")
        (fr / name).write_text(text.replace("Key fact", "Fait clé").replace("Regional summary", "Synthèse régionale"),
                               encoding="utf-8")
    out = tmp_path / "out"
    pipeline.handouts("africa", out, ws=api.workspace(root), lang="fr", fmt="html")
    text = (out / "handouts-africa.fr.html").read_text(encoding="utf-8")
    assert "Synthèse régionale" in text and "Fait clé" in text
    assert '<html lang="fr" dir="ltr">' in text


def test_pdf_without_renderer_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from policyengine.render import pdf

    monkeypatch.setattr(pdf, "find_renderer", lambda: None)
    r = CliRunner().invoke(main, ["toolkit", "NG", "--design", "enaira", "--format", "pdf", "--out", str(tmp_path)])
    assert r.exit_code == 2
    assert "PDF needs a real renderer" in r.output
