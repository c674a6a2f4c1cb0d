# ssblab: the two set-up commands of the README.
#   make demo  — create .venv, install ssblab, run the tour on bundled data, results in ./out/
#   make test  — create .venv with the dev extras, run lint and the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
OUT := out

.PHONY: demo test lint chromium clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	mkdir -p $(OUT)
	$(BIN)/python examples/demo.py --out $(OUT)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks examples docs
	$(BIN)/ruff format --check src tests benchmarks examples docs

# the browser tests (tests/web/test_browser.py) need Debian's chromium: installed when missing
# if run as root with apt-get, otherwise those tests are skipped with the reason
chromium:
	.ci/ensure-chromium

# one BLAS thread per xdist worker: with both cores busy, OpenBLAS's spinning threads made small
# dense solves (an 81-point DRT) 100x slower (4 s instead of 0.03 s)
test: lint chromium
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 $(BIN)/python -m pytest -n auto

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache
