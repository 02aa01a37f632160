# The two set-up commands of the README: `make run` (the demo on SQLite) and `make test` (everything).
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: run test test-sqlite test-postgres lint system-deps postgres

$(BIN)/cchc: pyproject.toml
	$(PYTHON) -m venv $(VENV) || (scripts/install-system-deps venv && $(PYTHON) -m venv $(VENV))
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: $(BIN)/cchc
	DEBUG=$${DEBUG:-1} $(BIN)/cchc demo

system-deps:
	scripts/install-system-deps chromium postgresql-client

postgres:
	scripts/ensure-postgres

lint: $(BIN)/cchc
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 DATABASE_URL=sqlite://:memory: $(BIN)/cchc makemigrations --check --dry-run

test-sqlite: $(BIN)/cchc system-deps
	DATABASE_URL= $(BIN)/python -m pytest

test-postgres: $(BIN)/cchc system-deps postgres
	DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/python -m pytest

test: lint test-sqlite test-postgres
