# Two commands set everything up on a fresh Debian/Ubuntu machine with Python 3.11:
#   make run   - install, migrate, load reference and demo data, serve on 127.0.0.1:8000
#                with the background worker (notifications, LINE pushes, PDF reports made ready)
#   make test  - install and run the whole test suite (in parallel, Hypothesis derandomised)
#   make fuzz  - the property tests with many random examples, on demand
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# Tests run with development defaults and never read a developer's .env.
TEST_ENV := ENV_FILE= DEBUG=true SECRET_KEY=test-only-secret-key
# Test processes in parallel (pytest-xdist): one a core; TEST_WORKERS=0 runs in one.
TEST_WORKERS ?= auto

.PHONY: run test fuzz install check-system e2e-deps lint format messages clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { \
	  echo "$(PYTHON) was not found. Install it: sudo apt-get install python3.11 python3.11-venv"; exit 1; }
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "Could not create a virtual environment. Install: sudo apt-get install python3.11-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

check-system: install
	@$(BIN)/python -m huahin_meetings.system_check

.env:
	@$(BIN)/python -m huahin_meetings.dotenv > .env
	@echo "Wrote .env for local development."

run: check-system .env
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_reference_data
	$(BIN)/python manage.py seed_demo
	@echo "Serving on http://$(HOST)/ with the background worker; Ctrl-C stops both."
	@trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	nice -n 10 $(BIN)/python manage.py db_worker & worker=$$!; \
	$(BIN)/python manage.py runserver $(HOST)

test: check-system
	$(TEST_ENV) $(BIN)/python -m pytest -n $(TEST_WORKERS) --hypothesis-profile=ci $(PYTEST_ARGS)

# Random exploration: every Hypothesis test with thousands of fresh examples. What it
# finds is printed (with the @reproduce_failure blob) and kept in .hypothesis/; add
# each case to the test as an explicit @example so that `make test` checks it always.
fuzz: check-system
	$(TEST_ENV) $(BIN)/python -m pytest -n $(TEST_WORKERS) -m hypothesis --hypothesis-profile=fuzz $(PYTEST_ARGS)

# What the browser tests (tests/e2e) need beyond Python: Debian's chromium (and poppler's
# pdftotext, one of the readers the PDF text layer is checked with), installed
# when missing if we are root, and axe-core from npm. It never fails: what cannot be
# installed is named, and the tests that need it skip saying so.
e2e-deps:
	@if command -v chromium >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; then \
	  echo "chromium and pdftotext are installed."; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils; } \
	    || echo "Could not install chromium and poppler-utils with apt-get: the tests that need them will be skipped."; \
	else \
	  echo "chromium or pdftotext is missing and cannot be installed without root: the tests that need them will be skipped (as root: apt-get install chromium poppler-utils)."; \
	fi
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --loglevel=error \
	    || echo "npm ci failed: the accessibility checks will be skipped."; \
	else \
	  echo "npm is missing: the accessibility checks (axe-core) will be skipped (apt-get install npm, then make e2e-deps)."; \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install
	$(TEST_ENV) $(BIN)/python manage.py makemessages -l th --ignore=.venv --ignore=staticfiles --ignore=node_modules
	$(TEST_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) staticfiles

# Benchmarks: the monthly summary PDF (SQLite), then the pages at scale (PostgreSQL on
# 127.0.0.1:5432; it creates and keeps huahin_bench_small and huahin_bench_large).
.PHONY: bench
bench: check-system
	$(BIN)/python bench/pdf_documents.py
	$(BIN)/python bench/scale.py

# The load benchmark: 100 signed-in users of a meeting day and the QR check-in rush
# against gunicorn (gunicorn.conf.py) on 127.0.0.1, with huahin_bench_large (made by
# `make bench` or bench/scale.py). LOAD_ARGS="--conn-max-age 0 60" compares settings;
# LOAD_ARGS=--sqlite runs the rush on SQLite while PDFs render.
.PHONY: bench-load
LOAD_ARGS ?=
bench-load: check-system
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	$(BIN)/python bench/load.py $(LOAD_ARGS)
