# CSE Portal — the two commands: `make run` (demo) and `make test` (every test).
# Without DATABASE_URL both use an embedded PostgreSQL (pgserver) with its data under .data/;
# `make run` stops it when the server stops, and `make stop` stops it at any time.

SHELL := /bin/bash
# .python-version selects 3.12 through pyenv; python3.12 is used directly where it exists.
PYTHON ?= $(shell command -v python3.12 2>/dev/null || echo python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Tests run in two processes (pytest-xdist): the machine this project is built on has 2 cores.
TEST_WORKERS ?= 2

DEMO_ENV := CSE_ENV=demo CSE_REQUIRE_2FA=$${CSE_REQUIRE_2FA:-false}

.PHONY: install system-deps run stop test lint check-deploy clean-data help bench

help:
	@echo "make run    - install, start the database, migrate, load demo data, serve on http://$(HOST):$(PORT)"
	@echo "make stop   - stop the embedded PostgreSQL (if a demo left it running)"
	@echo "make test   - install (system packages too, on Debian as root) and run every test"
	@echo "make lint   - ruff (lint + format check), mypy and the import layers (lint-imports)"
	@echo "make bench  - the pages and the PDF against their floor on CHILDREN=$(CHILDREN) children"

$(BIN)/.installed: requirements.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 12), "CSE Portal needs Python 3.12 (see .python-version); found " + sys.version.split()[0]'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

install: $(BIN)/.installed

# The system packages the tests need (Chromium, poppler-utils, Pango, HarfBuzz, a font): on
# Debian as root, installs what is missing; elsewhere stops with the command to run.
system-deps:
	@scripts/system-deps.sh

run: install
	$(DEMO_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEMO_ENV) $(BIN)/python manage.py load_demo
	@# Prints "Serving …" once the server answers; stops the embedded database when it stops.
	$(DEMO_ENV) $(BIN)/python scripts/serve_demo.py $(HOST) $(PORT)

stop:
	@if [ -x $(BIN)/python ]; then $(BIN)/python -m cse_portal.embedded_db stop; fi

test: system-deps install
	CSE_ENV=test $(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	CSE_ENV=test $(BIN)/mypy
	$(BIN)/lint-imports --no-cache

check-deploy: install
	CSE_ENV=production DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-ci-check-only-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')} \
	  DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-cse-portal.example.org} \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

clean-data:
	rm -rf .data

# Benchmarks (a printed table, not a test): the volume data set in a database of its own,
# generated once (CHILDREN=2000 for a quick run in another BENCH_DB), then every page against
# its floor, then the child's whole file as a PDF against WeasyPrint alone.
CHILDREN ?= 200000
BENCH_DB ?= cse_volume_bench
BENCH_RUNS ?= 15
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/$(BENCH_DB)

bench: install
	CSE_ENV=test DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python scripts/bench.py \
	  --children $(CHILDREN) --runs $(BENCH_RUNS)
	CSE_ENV=test DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python scripts/bench_door.py
	CSE_ENV=test DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python scripts/bench_pdf.py --pages 20
