# The two commands: `make demo` and `make test`. Both create .venv and install from the lock file first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench services clean

$(STAMP): pyproject.toml setup.py requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/groundswell demo

services:
	bash scripts/services.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(STAMP) services lint
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/groundswell bench ingest --units 20000 --json

clean:
	rm -rf $(VENV) .groundswell
