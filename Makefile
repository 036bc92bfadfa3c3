# Entry points: make run, make test, make bench. Everything runs inside .venv in the checkout.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/hankkeet extract
	@echo 'hankkeet is installed in $(BIN): run $(BIN)/hankkeet --help, or first: source $(BIN)/activate'

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/bench_gazetteer.py
	$(BIN)/python bench/bench_pipeline.py

clean:
	rm -rf $(VENV) build src/*.egg-info
