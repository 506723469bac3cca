# Two commands work on a fresh machine: `make demo` and `make test`; each sets itself up.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test fuzz bench bench-spark lint docs clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The Spark extra (pyspark, large) for the tests and bench-spark only; without it, or without
# Java, the Spark tests skip and say why.
SPARK := $(VENV)/.spark

$(SPARK): $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,spark]' \
	  || echo "pyspark could not be installed: the Spark tests will skip" >&2
	touch $(SPARK)

demo: setup
	$(BIN)/payaudit check sample_data --fail-on never

test: setup $(SPARK)
	$(BIN)/pytest

# The loader's fuzz suite at length (make test runs a few examples of it).
fuzz: setup
	PAYAUDIT_FUZZ_EXAMPLES=$${PAYAUDIT_FUZZ_EXAMPLES:-300} $(BIN)/pytest tests/test_fuzz.py

bench: setup
	$(BIN)/python bench/run.py

bench-spark: setup $(SPARK)
	$(BIN)/python bench/spark.py

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

# docs/inputs.md and docs/rules.md are generated from the contracts, the rules and the rule pack.
docs: setup
	$(BIN)/python -m payaudit.docs docs

clean:
	rm -rf $(VENV) build dist src/*.egg-info
