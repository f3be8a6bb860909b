# CSE Portal — the two commands: `make run` (demo) and `make test` (every test).
# Without DATABASE_URL both use an embedded PostgreSQL (pgserver) with its data under .data/.

SHELL := /bin/bash
# .python-version selects 3.12 through pyenv; python3.12 is used directly where it exists.
PYTHON ?= $(shell command -v python3.12 2>/dev/null || echo python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-fast lint typecheck check-deploy benchmark clean-data help

help:
	@echo "make run    - install, start the database, migrate, load demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test   - install and run every test (browser tests included)"
	@echo "make lint   - ruff (lint + format check), mypy and the import layers (lint-imports)"

$(BIN)/.installed: requirements.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 12), "CSE Portal needs Python 3.12 (see .python-version); found " + sys.version.split()[0]'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

install: $(BIN)/.installed

run: install
	CSE_ENV=demo CSE_REQUIRE_2FA=$${CSE_REQUIRE_2FA:-false} $(BIN)/python manage.py migrate --no-input
	CSE_ENV=demo CSE_REQUIRE_2FA=$${CSE_REQUIRE_2FA:-false} $(BIN)/python manage.py load_demo
	@echo "Serving CSE Portal on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	CSE_ENV=demo CSE_REQUIRE_2FA=$${CSE_REQUIRE_2FA:-false} $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	CSE_ENV=test $(BIN)/pytest $(PYTEST_ARGS)

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
