# ZoneOS: `make demo` starts the platform with a demo zone; `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: install demo serve test lint format messages system-deps bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

## The platform at http://127.0.0.1:8000 with a demo zone on SQLite, plus its task worker.
demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	./scripts/serve

## Debian packages the browser tests and Chinese rendering need (Chromium, CJK fonts).
system-deps:
	./scripts/system-deps

## Lint, layering (import-linter contracts in pyproject.toml), migrations check, and every test
## (unit, API, permission matrix, schemathesis, browser).
test: install system-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n auto --maxprocesses=4 --dist loadgroup

lint: install
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format . && $(VENV)/bin/ruff check --fix .

## Refresh the translation catalogues after changing visible strings (needs GNU gettext).
messages: install
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=staticfiles
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

bench: install
	$(PY) bench/areas.py

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
