"""The package as a user gets it: built (sdist, then the wheel from the sdist), installed into a
fresh virtual environment, and run from folders that are not the checkout.

This is what broke unseen before: a wheel that held only Python files, so every command ran on
no rules and said ok. Building and installing takes about a minute (durable-rules compiles its
engine where pip has no cached wheel); it runs once per session, in `make test` and CI. Skip it
while iterating with ``pytest -m "not install"``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tarfile
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.install

CHECKOUT = Path(__file__).resolve().parent.parent
ARCHETYPE = "two-tier-token-retail"  # the one the README walk uses


@dataclass
class Installed:
    bin: Path
    wheel: Path
    sdist: Path
    home: Path  # an empty folder, far from the checkout, to run commands in
    seconds: dict[str, float] = field(default_factory=dict)

    def run(self, *args: str, cwd: Path | None = None, check: int | None = 0) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k not in ("POLICYENGINE_WORKSPACE", "PYTHONPATH", "VIRTUAL_ENV")}
        env["PATH"] = f"{self.bin}{os.pathsep}{env.get('PATH', '')}"
        started = time.perf_counter()
        done = subprocess.run([str(self.bin / args[0]), *args[1:]], cwd=cwd or self.home, env=env, text=True,
                              capture_output=True, stdin=subprocess.DEVNULL, timeout=600)
        self.seconds.setdefault(" ".join(args), time.perf_counter() - started)
        if check is not None:
            assert done.returncode == check, f"{args} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
        return done


def _step(cmd: list[str], cwd: Path | None = None) -> None:
    done = subprocess.run(cmd, cwd=cwd, text=True, capture_output=True, timeout=900)
    assert done.returncode == 0, f"{cmd} failed\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    base = tmp_path_factory.mktemp("wheel")
    dist = base / "dist"
    started = time.perf_counter()
    # `python -m build` makes the sdist, then builds the wheel from the unpacked sdist: a content
    # folder missing from MANIFEST.in fails here, not on a user's machine.
    _step([sys.executable, "-m", "build", "--outdir", str(dist), str(CHECKOUT)])
    built = time.perf_counter()
    venv = base / "venv"
    # A fresh environment without pip of its own: this process's pip installs into it
    # (``pip --python``), which spares bootstrapping pip into every test venv (ensurepip unpacks
    # and byte-compiles some thousand files: a fifth of this fixture). What lands in the venv is
    # what a user's ``pip install`` puts there: the wheel and its dependencies, resolved afresh.
    _step([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    (wheel,) = dist.glob("*.whl")
    (sdist,) = dist.glob("*.tar.gz")
    _step([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet",
           "--disable-pip-version-check", str(wheel)])
    home = base / "elsewhere"
    home.mkdir()
    result = Installed(venv / "bin", wheel, sdist, home)
    result.seconds["build"] = built - started
    result.seconds["venv + pip install"] = time.perf_counter() - built
    yield result
    # the build, install and command times, for whoever runs with -s (not a check: no budget here;
    # benchmarks/suite.py measures the suite's costs)
    print(f"\nwheel {wheel.name}: {wheel.stat().st_size / 1024:.0f} KiB")
    for what, seconds in result.seconds.items():
        print(f"  {seconds:6.1f}s  {what}")


def _checkout_files(folder: str) -> set[str]:
    root = CHECKOUT / folder
    return {p.relative_to(CHECKOUT).as_posix() for p in root.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")}


def test_the_wheel_and_the_sdist_carry_the_content_and_the_licence(installed: Installed):
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
        metadata = next(wheel.read(n).decode() for n in names if n.endswith(".dist-info/METADATA"))
    for folder in ("rulesets", "jurisdictions", "templates", "schemas"):
        expected = {f"policyengine/_content/{rel}" for rel in _checkout_files(folder)}
        assert expected and expected <= names, sorted(expected - names)[:5]
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert "License-Expression: Apache-2.0" in metadata and "License-File: LICENSE" in metadata
    assert "Classifier: Topic :: Office/Business :: Financial" in metadata and "Project-URL: " in metadata
    with tarfile.open(installed.sdist) as sdist:
        members = {m.split("/", 1)[1] for m in sdist.getnames() if "/" in m}
    assert {"LICENSE", "setup.py", "MANIFEST.in", "rulesets/ruleset.yaml"} <= members
    assert _checkout_files("jurisdictions") <= members and _checkout_files("templates") <= members
    assert not any(m.startswith("policyengine/_content") for m in members)


def test_the_wheel_carries_the_catalogues_compiled(installed: Installed):
    """The translation catalogues ship as .po with their .mo compiled by the build (issue 14)."""
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
    pos = {p.relative_to(CHECKOUT).as_posix() for p in (CHECKOUT / "policyengine" / "locale").glob("*/LC_MESSAGES/*.po")}
    assert pos and pos <= names
    assert {p[:-3] + ".mo" for p in pos} <= names
    assert {"policyengine/locale/messages.pot", "policyengine/locale/content.pot",
            "policyengine/locale/languages.yaml"} <= names
    done = installed.run("policyengine", "brief", "NG", "--lang", "ar", "--format", "html", "--out", "ar")
    assert "NG-enaira-brief.ar.html" in done.stdout
    assert '<html lang="ar" dir="rtl">' in (installed.home / "ar" / "NG-enaira-brief.ar.html").read_text(encoding="utf-8")


def test_the_installed_package_reads_its_own_content(installed: Installed):
    where = installed.run("python", "-c", "from policyengine.load import shipped_root; print(shipped_root())").stdout.strip()
    assert where.startswith(str(installed.bin.parent)) and where.endswith("policyengine/_content")


def test_the_main_commands_work_from_another_folder(installed: Installed):
    rules = len(list((CHECKOUT / "rulesets" / "rules").rglob("*.yaml")))
    ok = installed.run("policyengine", "validate").stdout
    match = re.search(r"ok: (\d+) principles, (\d+) rules, \d+ derivations, (\d+) jurisdictions", ok)
    assert match, ok
    assert int(match.group(1)) > 0 and int(match.group(2)) == rules and int(match.group(3)) > 0

    assessment = json.loads(installed.run("policyengine", "assess", "NG", "-d", "enaira", "--format", "json").stdout)
    assert assessment["jurisdiction_id"] == "NG" and assessment["design_id"] == "enaira"
    assert len(assessment["findings"]) > 0 and any(f["status"] == "met" for f in assessment["findings"])

    installed.run("policyengine", "toolkit", "NG", "--design", "enaira", "--out", "out/")
    out = installed.home / "out"
    assert {p.name for p in out.iterdir()} >= {"NG-enaira-toolkit.md", "NG-enaira-toolkit.html", "NG-enaira-toolkit.json"}
    assert "eNaira" in (out / "NG-enaira-toolkit.md").read_text(encoding="utf-8")

    tested = installed.run("policyengine", "test").stdout
    match = re.search(r"^(\d+) passed, 0 failed$", tested, re.M)
    assert match and int(match.group(1)) >= rules, tested


def test_a_new_country_from_an_empty_folder_to_its_first_toolkit(installed: Installed, tmp_path: Path):
    """The README's second example, word for word, with the installed command."""
    mw = tmp_path / "mw"
    mw.mkdir()
    made = installed.run("policyengine", "new", "jurisdiction", "MW", "--region", "africa", "-w", ".", cwd=mw).stdout
    assert "wrote" in made and (mw / "jurisdictions" / "MW" / "profile.yaml").is_file()
    profile = (mw / "jurisdictions" / "MW" / "profile.yaml").read_text(encoding="utf-8")
    assert 'name: "Malawi"' in profile and "currency: MWK" in profile

    no_design = installed.run("policyengine", "assess", "MW", "-w", ".", cwd=mw, check=2)
    assert no_design.stdout == "" and no_design.stderr.count("\n") == 1
    assert "MW has no design of its own yet" in no_design.stderr and ARCHETYPE in no_design.stderr

    installed.run("policyengine", "toolkit", "MW", "--design", ARCHETYPE, "-w", ".", "--out", "out", cwd=mw)
    toolkit = (mw / "out" / f"MW-{ARCHETYPE}-toolkit.md").read_text(encoding="utf-8")
    assert "Malawi" in toolkit
    assert installed.run("policyengine", "validate", "-w", ".", cwd=mw).stdout.startswith("ok: ")

    # then the questionnaire to fill the profile, answered and imported, and the brief
    installed.run("policyengine", "questionnaire", "MW", "--design", ARCHETYPE, "-w", ".", "--out", "questions", cwd=mw)
    form = mw / "questions" / f"MW-{ARCHETYPE}-questionnaire.yaml"
    filled = yaml.safe_load(form.read_text(encoding="utf-8"))
    filled["country_team"] = "Malawi self-assessment team"
    for question in filled["questions"]:
        if question["id"] == "jurisdiction.legal.cbdc_legal_basis":
            question.update(answer="no", source="declared", as_of="2026-11-30")
    (mw / "filled.yaml").write_text(yaml.safe_dump(filled, sort_keys=False), encoding="utf-8")
    imported = installed.run("policyengine", "answers", "filled.yaml", "-w", ".", cwd=mw).stdout
    assert "1 fact(s) written" in imported
    assert "source: mw-country-team-2026-11-30" in (mw / "jurisdictions" / "MW" / "profile.yaml").read_text(encoding="utf-8")
    assessed = json.loads(installed.run("policyengine", "assess", "MW", "-d", ARCHETYPE, "-w", ".", "--format", "json",
                                        cwd=mw).stdout)
    assert {f["rule_id"]: f["status"] for f in assessed["findings"]}["GOV-LEGAL-BASIS"] == "gap"
    installed.run("policyengine", "brief", "MW", "--design", ARCHETYPE, "-w", ".", "--out", "out", cwd=mw)
    assert "Malawi" in (mw / "out" / "MW-brief.md").read_text(encoding="utf-8")


def test_the_installed_content_is_read_only_and_an_empty_ruleset_is_an_error(installed: Installed, tmp_path: Path):
    refused = installed.run("policyengine", "new", "jurisdiction", "MW", "--region", "africa", check=2)
    assert "read-only" in refused.stderr and refused.stderr.count("\n") == 1
    (tmp_path / "rulesets").mkdir()
    for command in (("validate",), ("assess", "NG", "-d", "enaira"), ("test",)):
        empty = installed.run("policyengine", *command, "-w", str(tmp_path), check=2)
        assert empty.stderr.count("\n") == 1 and "no principles and no rules" in empty.stderr, empty.stderr

