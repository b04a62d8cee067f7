# Two commands set everything up on a fresh machine with Python 3.11+ and the package registries:
#   make demo   - install, then render a real toolkit, gap analysis and handouts into ./out/
#   make test   - install, then run the whole test suite (what CI runs; it includes building the
#                 wheel, installing it into a fresh venv and running the installed command:
#                 tests/test_install_wheel.py)
#   make wheel  - build the sdist and the wheel into dist/ (the wheel carries the shipped content)
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# pytest workers (pytest-xdist); a test file runs whole in one worker (--dist loadfile)
TEST_WORKERS ?= 2

.PHONY: install test demo bench schemas docs clean wheel browser

$(STAMP): pyproject.toml setup.py
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m compileall -q policyengine
	touch $(STAMP)

install: $(STAMP)

# The browser tests (PDF page count, axe-core, phone width) need the system Chromium and pdfinfo;
# the catalogue test runs GNU gettext's `msgfmt --check` (Debian package gettext);
# Arabic and Chinese documents need the free Noto fonts (fonts-noto-core: Naskh/Sans Arabic;
# fonts-noto-cjk: Sans CJK SC), which Chromium uses for HTML and PDF.
# Installed with apt-get when missing and running as root (CI, the dev machines); otherwise say so
# (those tests then skip with the reason). Never `playwright install`: it downloads a browser build.
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing chromium and poppler-utils with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; \
	else echo "chromium or pdfinfo missing (apt-get install chromium poppler-utils): browser tests will skip"; fi
	@if command -v msgfmt >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing gettext with apt-get (msgfmt --check of the catalogues)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gettext >/dev/null; \
	else echo "msgfmt missing (apt-get install gettext): the catalogue check with GNU gettext will skip"; fi
	@if fc-list 2>/dev/null | grep -q "Noto Naskh Arabic" && fc-list 2>/dev/null | grep -q "Noto Sans CJK SC"; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing fonts-noto-core and fonts-noto-cjk with apt-get (Arabic and Chinese documents)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    fonts-noto-core fonts-noto-cjk >/dev/null; \
	else echo "Noto fonts missing (apt-get install fonts-noto-core fonts-noto-cjk): Arabic and Chinese use fallback fonts"; fi

# pytest keeps the test modules it rewrites (assertions) in __pycache__, as it does by default:
# with PYTHONDONTWRITEBYTECODE=1 in the environment every worker would rewrite and compile some
# 280 modules (the tests, the plugins' packages, policyengine) on every run, 3.5 CPU-s each.
test: $(STAMP) browser
	$(BIN)/ruff check policyengine tests benchmarks
	$(BIN)/mypy policyengine
	$(BIN)/policyengine validate
	$(BIN)/policyengine i18n check
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile

demo: $(STAMP)
	$(BIN)/policyengine validate
	$(BIN)/policyengine assess NG --design enaira --format table | head -40
	$(BIN)/policyengine toolkit NG --design enaira --out out/
	$(BIN)/policyengine gap NG --design enaira --design two-tier-token-retail --out out/
	$(BIN)/policyengine brief NG --design enaira --out out/
	$(BIN)/policyengine handouts --region africa --out out/handouts
	@echo
	@echo "Rendered into $(CURDIR)/out/:"
	@find out -type f | sort | sed 's/^/  /'

# The package's bytecode is compiled first, as pip does when it installs the wheel (an editable
# install, or PYTHONDONTWRITEBYTECODE=1, would otherwise compile every module on every start).
bench: $(STAMP)
	$(BIN)/python -m compileall -q policyengine
	$(BIN)/python benchmarks/assess.py
	$(BIN)/python benchmarks/memory.py --count 10000 --step 1000
	$(BIN)/python benchmarks/cli.py
	$(BIN)/python benchmarks/toolkits.py

wheel: $(STAMP)
	$(BIN)/python -m build --outdir dist .

schemas: $(STAMP)
	$(BIN)/policyengine schema --out schemas

clean:
	rm -rf $(VENV) out .pytest_cache dist build
