# The two set-up commands of the README: `make run` (the demo on SQLite) and `make test` (everything).
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
# pytest-xdist workers per database: one per core ("auto"); PYTEST_WORKERS=0 runs the tests in this process.
PYTEST_WORKERS ?= auto
# Bytecode is written even where the environment says not to: every worker imports the project and rewrites the same
# ~170 test modules, about 3 s of CPU each time without the cache.
PYTEST = PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder

.PHONY: run test test-sqlite test-postgres lint check system-deps postgres

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
	$(BIN)/python scripts/check_app_cycles.py
	DEBUG=1 DATABASE_URL=sqlite://:memory: $(BIN)/mypy

# The inner loop: lint, then the suite on SQLite without the browser tests.
check: lint
	DATABASE_URL= $(PYTEST) -m "not browser"

test-sqlite: $(BIN)/cchc system-deps
	DATABASE_URL= $(PYTEST)

test-postgres: $(BIN)/cchc system-deps postgres
	DATABASE_URL=$(TEST_DATABASE_URL) $(PYTEST) $(POSTGRES_ONLY)

# Both databases at once: each phase runs on every core, and the two fill each other's idle time (one waits for
# PostgreSQL while the other computes). -O prints each phase's output in one piece when it ends. The tests that use
# no database (and no browser) run on SQLite only: on PostgreSQL they would repeat the same code on the same data.
test: lint
	$(MAKE) --no-print-directory -j2 -O test-sqlite test-postgres POSTGRES_ONLY=--database-tests-only
