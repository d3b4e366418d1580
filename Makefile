# claimhouse: `make demo` and `make test` set everything up from a fresh clone.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DIR ?= demo-output
WHEEL_VENV := $(CURDIR)/build/wheel-venv

.PHONY: demo test lint typecheck unit wheel-check bench bench-tokenizer clean fuzz

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(PY) -m claimhouse.demo --out $(DEMO_DIR)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q

# Build the wheel, install it alone in a fresh venv and run a command from it, so package
# data (maps/, code lists) cannot go missing from a release.
wheel-check: $(STAMP)
	rm -rf build/lib build/bdist.* $(WHEEL_VENV) dist  # build/fuzz keeps its corpora
	$(PY) -m build --wheel -q --outdir dist . >/dev/null
	$(PYTHON) -m venv $(WHEEL_VENV)
	$(WHEEL_VENV)/bin/pip install -q --disable-pip-version-check dist/*.whl
	cd /tmp && $(WHEEL_VENV)/bin/claimhouse inspect $(CURDIR)/fixtures/x12/835-sample.x12 >/dev/null
	cd /tmp && $(WHEEL_VENV)/bin/python -m claimhouse.selfcheck

test: lint typecheck wheel-check unit

# Byte-compile first, as pip does when it installs a wheel: an editable install under
# PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module from source at each start,
# which the end-to-end `claimhouse parse` figures would count.
bench: $(STAMP)
	$(PY) -m compileall -q src/claimhouse
	$(PY) bench/run.py

bench-tokenizer: $(STAMP)
	$(PY) bench/run.py tokenizer

# Coverage-guided fuzzing (atheris), outside `make test`: every target FUZZ_SECONDS each;
# `make fuzz-<target>` runs one. Corpus and crashes under build/fuzz/<target>/.
FUZZ_SECONDS ?= 600
FUZZ_TARGETS := tokenizer envelope 835 837 acks json validate parse
FUZZ_STAMP := $(VENV)/.fuzz-stamp

$(FUZZ_STAMP): $(STAMP)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test,fuzz]'
	touch $(FUZZ_STAMP)

fuzz: $(addprefix fuzz-,$(FUZZ_TARGETS))

fuzz-%: $(FUZZ_STAMP)
	$(PY) -m tests.fuzz.fuzz_$* -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1

clean:
	rm -rf build dist $(DEMO_DIR) .pytest_cache .mypy_cache .ruff_cache
