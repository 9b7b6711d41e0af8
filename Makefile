# The two commands: `make run` and `make test`. Everything else here serves them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lock clean-db

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Vigil needs Python 3.11 or newer; set PYTHON=python3.11")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

## run: install if needed, migrate the SQLite database, load reference and demo data, serve on 127.0.0.1:8000
# Always the laptop's SQLite and development settings: a DATABASE_URL or settings module exported for a team's
# server must never receive the demo data.
run: $(STAMP)
	env -u DATABASE_URL -u DJANGO_SETTINGS_MODULE $(BIN)/vigil setup
	env -u DATABASE_URL -u DJANGO_SETTINGS_MODULE $(BIN)/vigil runserver 127.0.0.1:8000

## test: lint, types, migrations check, the suite on SQLite, then on PostgreSQL when one is reachable
test: $(STAMP)
	@scripts/system-packages.sh
	$(BIN)/python scripts/run_tests.py

## lock: re-pin every dependency (after changing pyproject.toml); benchmarks install requirements-bench.lock
lock:
	$(BIN)/pip-compile --quiet --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links --extra dev --output-file requirements.lock pyproject.toml
	$(BIN)/pip-compile --quiet --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links --extra dev --extra bench --output-file requirements-bench.lock pyproject.toml
