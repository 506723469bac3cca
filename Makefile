# Two commands work on a fresh machine: `make demo` and `make test`; each sets itself up.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test bench bench-spark lint clean

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

bench: setup
	$(BIN)/python bench/run.py

bench-spark: setup $(SPARK)
	$(BIN)/python bench/spark.py

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

clean:
	rm -rf $(VENV) build dist src/*.egg-info
