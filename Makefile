# Entry points: make run, make test, make bench, make refresh. Everything runs inside .venv in the checkout.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench refresh check clean screenshots

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

# Fetch the listing page and refresh hankkeet/ (scripts/refresh.sh): make's status is 0 when nothing changed and
# non-zero when it changed (refresh-summary.md then holds the markdown summary) or on an error (no summary).
refresh: $(STAMP)
	HANKKEET=$(BIN)/hankkeet bash scripts/refresh.sh

# PNGs of a page in headless Chromium (tests/browser.py), at phone and desktop width, into docs/:
# make screenshots PAGE=review.html NAME=review
PAGE ?= review.html
NAME ?= $(basename $(notdir $(PAGE)))
# The README's pictures: the review page of the listing and the diff page of the README's worked example, taken
# at phone and desktop width by the test suite's browser (headless Chromium) into docs/.
screenshots: $(STAMP)
	mkdir -p build
	$(BIN)/hankkeet review data/raw/kuntien-digihankkeet.txt --out build/review.html -q
	sed 's/^2\. Kaupunki omadataoperaattorina$$/&\nHANKE ON PÄÄTTYNYT./; s/^Muut kunnat: Loppi$$/Muut kunnat: Loppi, Riihimäki/; s/^LUMINA$$/LUMINA – Lean, uniform management/' data/raw/kuntien-digihankkeet.txt > build/uusi.txt
	$(BIN)/hankkeet diff data/raw/kuntien-digihankkeet.txt build/uusi.txt --format html > build/diff.html || [ $$? -eq 1 ]
	$(BIN)/python scripts/screenshots.py build/review.html --name review --out docs
	$(BIN)/python scripts/screenshots.py build/diff.html --name diff --out docs

clean:
	rm -rf $(VENV) build src/*.egg-info
