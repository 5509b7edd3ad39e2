# Marsad: two commands for a fresh clone.
#   make run   set up and open the app on the bundled sample corpus
#   make test  set up (Python packages, Chromium, Arabic fonts) and run every test, browser tests included

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PORT   ?= 8501
CORPUS ?=

.PHONY: run test setup sysdeps unit bench bench-quick bench-views clean

setup: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

# Debian packages the browser tests and the word cloud need: Chromium, Arabic fonts, Raqm for Pillow.
sysdeps:
	@bash scripts/sysdeps.sh

# make run CORPUS=PATH opens PATH at start: an index (.duckdb) or a file/folder of articles.
run: setup
	$(if $(CORPUS),MARSAD_CORPUS='$(CORPUS)') $(PY) -m ui.serve --server.port $(PORT)

test: setup sysdeps
	$(PY) -m pytest

unit: setup
	$(PY) -m pytest -m "not e2e"

bench: setup
	$(PY) scripts/bench.py

bench-quick: setup
	$(PY) scripts/bench.py --sizes 10k --no-views

# make bench-views INDEX=var/bench/ant-100k.duckdb: every page's computations under five filters, and the naive baselines
INDEX ?= var/bench/ant-100k.duckdb
bench-views: setup
	$(PY) scripts/bench_views.py $(INDEX) --out var/bench/views.md

clean:
	rm -rf .cache var/cache .pytest_cache test-artifacts
