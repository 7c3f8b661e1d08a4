# Two commands do all the set-up on a fresh machine:  make book  and  make test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
INSTALLED := $(VENV)/.installed
TEST_INSTALLED := $(VENV)/.test-installed
ASSETS := site_assets/offline
NPM_INSTALLED := node_modules/.installed
# `make test PYTEST_ARGS="tests/test_site.py"` runs only what you name (and serially).
PYTEST_ARGS ?= -n 2

.PHONY: book test bench serve lab exercises chromium bubblewrap clean help

help:
	@echo "make book    create .venv, install, build the site into _build/html"
	@echo "make test    install the test needs, build the site, run every test"
	@echo "make bench   time one training step against the BLAS floor (and PyTorch if installed)"
	@echo "make serve   serve the built site on http://127.0.0.1:8000"
	@echo "make lab     open the chapters and exercises in JupyterLab"

# requirements-book.txt = requirements.txt (what Binder installs) + the book's build tools.
$(INSTALLED): requirements.txt requirements-book.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
	  echo "bpkit needs Python 3.11 or later (numpy 2.4); try  make book PYTHON=python3.11"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q -r requirements-book.txt
	touch $@

$(TEST_INSTALLED): $(INSTALLED)
	$(PIP) install -q -e '.[test]'
	touch $@

$(NPM_INSTALLED): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The site serves MathJax, require.js and the widget manager itself: nothing from a CDN.
$(ASSETS)/.copied: $(NPM_INSTALLED)
	rm -rf site_assets
	mkdir -p $(ASSETS)/html-manager
	cp -r node_modules/mathjax/es5 $(ASSETS)/mathjax
	cp node_modules/requirejs/require.js $(ASSETS)/require.js
	cd node_modules/@jupyter-widgets/html-manager/dist && \
	  cp embed-amd.js *.woff *.woff2 *.ttf *.eot *.svg ../../../../$(ASSETS)/html-manager/
	touch $@

book: $(INSTALLED) $(ASSETS)/.copied
	$(VENV)/bin/jupyter-book build . --all -W -n --keep-going

chromium:
	@command -v chromium >/dev/null || test -x /usr/bin/chromium || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The grader runs every submission in a bubblewrap sandbox (bpkit/grade/sandbox.py).
bubblewrap:
	@command -v bwrap >/dev/null || { \
	  echo "installing Debian's bubblewrap for the grader's sandbox"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null; }

# One pytest run, two workers: the unit tests in tests/, nbval (strict) over every notebook in
# book/ and exercises/, and the browser test of _build/html (settings: pyproject.toml).
test: book $(TEST_INSTALLED) chromium bubblewrap
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(INSTALLED)
	$(PY) benchmarks/bench_step.py
	$(PY) benchmarks/bench_step.py --quick --default-malloc --batches 128,1024 --out benchmarks/results/default-malloc.txt

serve:
	$(PY) -m http.server --bind 127.0.0.1 --directory _build/html 8000

lab: $(INSTALLED)
	$(VENV)/bin/jupyter lab

exercises: $(INSTALLED)
	$(VENV)/bin/bpkit-exercises copy $(or $(DEST),my-exercises)

clean:
	rm -rf _build site_assets
