# One task runner for people and CI alike. Needs Python 3.11 (or 3.12) as $(PYTHON).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha256sum | cut -c1-12)
CUAD ?= ../shared/datasets/cuad

.PHONY: install demo serve screenshots test test-fast lint type check train eval eval-llm eval-baseline bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,train]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

## The main job on the embedded default: SQLite, offline extractors, the bundled sample.
demo: install
	$(BIN)/triage run app/samples/kepler-maritime/msa.pdf app/samples/kepler-maritime/order_form.docx --reference "Kepler Maritime B.V."

## The HTTP API with its in-process workers on the embedded default (docs at /docs).
serve: install
	$(BIN)/triage serve

## Screenshots of the upload, case, queue, approver and dashboard pages in var/screenshots
## (a fresh service with the bundled sample in it, photographed by Debian's chromium).
screenshots: install
	$(BIN)/python -m tests.web.screenshots --out var/screenshots

## The whole test suite (CI sets CI=true, which makes dataset- and service-backed tests mandatory).
test: install
	$(BIN)/python -m pytest

test-fast: install
	$(BIN)/python -m pytest -m "not slow"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

type: install
	$(BIN)/mypy extractors rules app evals benchmarks tests

check: lint type test

## Re-train the offline clause classifier on CUAD and write its artefact.
train: install
	$(BIN)/python -m evals.cuad.train --dataset $(CUAD)

## Decisions first (what the user sees), then the fact scores behind them.
eval: install
	$(BIN)/python -m evals.saas.decisions --report reports/decisions.html
	$(BIN)/python -m evals.cuad.evaluate --dataset $(CUAD)
	$(BIN)/python -m evals.saas.score

## The offline extractors beside the model in OPENAI_BASE_URL (or the local stub: ARGS=--stub).
eval-llm: install
	$(BIN)/python -m evals.compare_llm --cuad $(CUAD) $(ARGS)

## Accept today's decision figures as the baseline the test suite holds them to.
eval-baseline: install
	$(BIN)/python -m evals.saas.decisions --engine reference --write-baseline

bench: install
	$(BIN)/python benchmarks/ingest_cuad.py --dataset $(CUAD)
	$(BIN)/python benchmarks/decide.py
	$(BIN)/python benchmarks/extract_speed.py --dataset $(CUAD)
	$(BIN)/python benchmarks/llm.py --dataset $(CUAD)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis var
