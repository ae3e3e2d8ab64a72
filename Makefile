# Two commands for a new user: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Test processes (pytest-xdist): `auto` is one per core; TEST_WORKERS=0 runs in this process.
TEST_WORKERS ?= auto


.PHONY: run test test-dates lint typecheck unit openapi clean topology-test

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) || { echo "Could not create a virtual environment. On Debian: apt-get install python3-venv"; exit 1; }
	@$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml sdk/python/pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	$(BIN)/python -m pip install -q -e ./sdk/python
	@touch $@

$(VENV)/.dev-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@

run: $(VENV)/.installed
	$(BIN)/slotbook migrate
	$(BIN)/slotbook demo
	$(BIN)/slotbook serve --host $(HOST) --port $(PORT)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check src tests benchmarks sdk/python
	$(BIN)/ruff format --check src tests benchmarks sdk/python
	$(BIN)/lint-imports

typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy

# A test file runs whole in one process, so its servers and browsers start once.
test: lint typecheck
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# The date-sensitive tests again, at six moments that break date assumptions (year end, leap
# day, DST in Europe and America, ...): see docs/testing.md. CI runs it; it takes minutes.
test-dates: $(VENV)/.dev-installed
	$(BIN)/python -m tests.on_dates
# deploy/ brought up on loopback (nginx, PgBouncer, two instances, two workers), loaded and
# killed mid-load; needs PostgreSQL, Redis, nginx, pgbouncer and openssl (docs/deploy.md).
topology-test: $(VENV)/.installed
	$(BIN)/python deploy/topology-test

# The OpenAPI document, committed so clients and reviewers see API changes in diffs.
openapi: $(VENV)/.installed
	$(BIN)/python -m slotbook.api.openapi_export docs/openapi.json
	$(BIN)/python sdk/python/tools/generate_models.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache slotbook.db slotbook.db-*
