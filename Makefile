# readout: the two commands of the README, and a few more.
#   make build   set up .venv (Python 3.11, exact pinned wheels with hashes) and build seeds/ → output/
#   make test    set up .venv with the dev extras and run the whole test suite
# Only Python 3.11 with pip (and make) is needed beforehand; nothing is downloaded at run time.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check
INPUT  ?= seeds
OUTPUT ?= output

.PHONY: build test setup setup-dev lint dev release evaluate benchmark lock clean

build: setup
	$(BIN)/readout build --input $(INPUT) --output $(OUTPUT)

test: setup-dev
	$(BIN)/python -m pytest -q -p no:cacheprovider

setup: $(VENV)/.runtime-installed
setup-dev: $(VENV)/.dev-installed

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), f"readout needs Python 3.11, {sys.executable} is {sys.version.split()[0]}; run make PYTHON=/path/to/python3.11"'
	$(PYTHON) -m venv $(VENV)

# --no-deps: the lock file lists every transitive dependency with its hash; nothing else is resolved.
$(VENV)/.runtime-installed: requirements.lock pyproject.toml | $(BIN)/python
	$(PIP) install --quiet --no-deps --require-hashes -r requirements.lock
	$(PIP) install --quiet --no-deps --no-build-isolation -e .
	$(PIP) check
	@touch $@

$(VENV)/.dev-installed: requirements-dev.lock pyproject.toml | $(BIN)/python
	$(PIP) install --quiet --no-deps --require-hashes -r requirements-dev.lock
	$(PIP) install --quiet --no-deps --no-build-isolation -e .
	$(PIP) check
	@touch $@ $(VENV)/.runtime-installed

lint: setup-dev
	$(BIN)/ruff check pipeline assets schemas tests scripts

# The Dagster UI on http://127.0.0.1:3000 (same assets, same READOUT_INPUT/READOUT_OUTPUT settings).
dev: setup
	DAGSTER_HOME=$(CURDIR)/.dagster_home; mkdir -p $$DAGSTER_HOME; \
	DAGSTER_HOME=$$DAGSTER_HOME $(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

release: setup
	$(BIN)/readout release --output $(OUTPUT) --gold tests/fixtures/seeds_gold.json

evaluate: setup
	$(BIN)/readout evaluate --output $(OUTPUT)

benchmark: setup
	$(BIN)/python scripts/benchmark.py

# Re-pin: regenerate both lock files from requirements*.in (needs network access to PyPI).
lock: setup-dev
	$(PIP) install --quiet uv==0.13.9
	$(BIN)/uv pip compile requirements.in --python-version 3.11 --generate-hashes --no-header -o requirements.lock
	$(BIN)/uv pip compile requirements-dev.in --python-version 3.11 --generate-hashes --no-header -o requirements-dev.lock

clean:
	rm -rf $(OUTPUT)/tables $(OUTPUT)/cache .pytest_cache .ruff_cache
