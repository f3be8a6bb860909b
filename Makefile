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

.PHONY: install system-deps run stop test lint check-deploy clean-data help bench serve worker load load-cluster backup restore

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

# The themes are read as production serves them: from summaries at most
# CSE_THEMES_REFRESH_MINUTES old (the production default, 15; the tests' default is 0).
bench: install
	CSE_ENV=test CSE_THEMES_REFRESH_MINUTES=$${CSE_THEMES_REFRESH_MINUTES:-15} \
	  DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python scripts/bench.py \
	  --children $(CHILDREN) --runs $(BENCH_RUNS)
	CSE_ENV=test DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python scripts/bench_door.py
	CSE_ENV=test DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python scripts/bench_pdf.py --pages 20

# --- Production server, load test, backups (docs/scaling.md) -------------------------------
# `make serve`: gunicorn (3 workers x 4 threads) with CSE_ENV=production settings over TLS
# with a local self-signed certificate (production cookies are secure-only), WhiteNoise for
# the collected static files. DATABASE_URL names the database; a test secret is made up
# unless DJANGO_SECRET_KEY is set. `make worker` runs the task worker (PDFs) beside it.
SERVE_ENV := CSE_ENV=production DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost} \
  DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-serve-test-only-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}
TLS_DIR := .data/tls

serve: install
	$(SERVE_ENV) $(BIN)/python manage.py migrate --no-input
	$(SERVE_ENV) $(BIN)/python manage.py createcachetable
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --no-input -v0
	scripts/dev_tls_cert.sh $(TLS_DIR) >/dev/null
	@echo "Serving https://127.0.0.1:8443 (self-signed certificate $(TLS_DIR)/cert.pem)"
	$(SERVE_ENV) CSE_TLS_CERT=$(TLS_DIR)/cert.pem CSE_TLS_KEY=$(TLS_DIR)/key.pem \
	  $(BIN)/gunicorn -c deploy/gunicorn.conf.py cse_portal.wsgi

worker: install
	$(SERVE_ENV) $(BIN)/python manage.py db_worker

# The load test (Locust, headless, loopback only): LOAD_USERS officers (50) for LOAD_TIME
# (3m) against one app server, or two behind one address (load-cluster), plus a task worker.
# LOAD_DATABASE_URL names the database it makes afresh at every run (scripts/load/fresh_db.sh;
# one it did not make is left alone) and fills with demo data and load officers.
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/cse_load
load: install
	LOAD_DATABASE_URL=$(LOAD_DATABASE_URL) SERVERS=1 CSE_WORKERS=3 scripts/load/run.sh

load-cluster: install
	LOAD_DATABASE_URL=$(LOAD_DATABASE_URL) SERVERS=2 CSE_WORKERS=2 scripts/load/run.sh

# Backups: pg_dump's custom format of DATABASE_URL into BACKUP (default .data/backups/…);
# `make restore BACKUP=file TARGET_DATABASE_URL=…` restores into a new, empty database.
# With neither DATABASE_URL nor TARGET_DATABASE_URL: the embedded server's database, with the
# wheel's own pg_dump and pg_restore, while the server runs (cse_portal.embedded_db exec); a
# restore then needs TARGET_DATABASE=name of the new database on that server.
WITH_DB = $(if $(DATABASE_URL),,$(BIN)/python -m cse_portal.embedded_db exec --)

backup: $(if $(DATABASE_URL),,install)
	$(WITH_DB) scripts/backup.sh backup "$${BACKUP:-.data/backups/cse-$$(date -u +%Y%m%dT%H%M%SZ).dump}"

restore: $(if $(TARGET_DATABASE_URL)$(DATABASE_URL),,install)
	@test -n "$(BACKUP)" || { echo "make restore BACKUP=file TARGET_DATABASE_URL=postgres://…/new_db (or TARGET_DATABASE=new_db on the embedded server)"; exit 2; }
	$(if $(TARGET_DATABASE_URL)$(DATABASE_URL),,$(BIN)/python -m cse_portal.embedded_db exec --) scripts/backup.sh restore "$(BACKUP)"
