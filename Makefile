# Freshet developer targets. `make help` lists them.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: help install fmt lint test bench quickstart

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

install:  ## create .venv and install Freshet with its dev extra
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -e '.[dev]'

fmt:  ## format the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

lint:  ## check style without changing files
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test:  ## run the whole test suite (as CI does)
	$(BIN)/python -m pytest

quickstart:  ## run queries/quickstart.sql
	$(BIN)/freshet -f queries/quickstart.sql

bench:  ## print start-up time (median of 5) and streaming throughput (rows/s, peak MB)
	$(BIN)/python -m engine.bench.startup
	$(BIN)/python -m engine.bench.streaming
