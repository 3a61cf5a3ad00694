# Two commands on a fresh machine (Python 3.11+):
#   make serve   install everything, build the graph from seeds/ and serve it
#   make test    install everything and run the whole test suite (lint, types, tests)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: serve build test lint typecheck pytest lock system-deps ui-assets clean

$(STAMP): requirements.lock requirements-dev.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

ui-assets: $(STAMP)
	@if [ -f package.json ]; then bash scripts/install-ui-assets.sh; fi

system-deps:
	bash scripts/install-system-deps.sh

build: $(STAMP) ui-assets
	$(BIN)/kg build

serve: $(STAMP) ui-assets
	$(BIN)/kg serve

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) ui-assets system-deps
	$(BIN)/pytest

test: lint typecheck pytest

# Regenerate the pinned, hashed lock files after editing requirements*.in.
lock:
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile --python-version 3.11 --generate-hashes requirements.in -o requirements.lock
	$(BIN)/uv pip compile --python-version 3.11 --generate-hashes requirements-dev.in -o requirements-dev.lock

clean:
	rm -rf $(VENV) var build *.egg-info node_modules
