# Two commands work on a fresh machine: `make demo` and `make test`; each sets itself up.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test fuzz bench lint docs clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: setup
	$(BIN)/payaudit check sample_data --fail-on never

test: setup
	$(BIN)/pytest

# The loader's fuzz suite at length (make test runs a few examples of it).
fuzz: setup
	PAYAUDIT_FUZZ_EXAMPLES=$${PAYAUDIT_FUZZ_EXAMPLES:-300} $(BIN)/pytest tests/test_fuzz.py

bench: setup
	$(BIN)/python bench/run.py

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

# docs/inputs.md and docs/rules.md are generated from the contracts, the rules and the rule pack.
docs: setup
	$(BIN)/python -m payaudit.docs docs

clean:
	rm -rf $(VENV) build dist src/*.egg-info
