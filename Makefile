# The two commands of the README. Both set everything up themselves.
#   make run   – opens socdesk on the bundled demo data
#   make test  – lint, format check and the whole test suite, offscreen
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test lint setup clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[test]"
	@sh build_scripts/ensure_qt_system_libs.sh $(PY)
	@touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	@sh build_scripts/ensure_qt_system_libs.sh $(PY) gui
	$(PY) -m socdesk

lint: $(STAMP)
	$(PY) -m ruff check socdesk tests benchmarks build_scripts
	$(PY) -m ruff format --check socdesk tests benchmarks build_scripts

test: lint
	$(PY) -m pytest

clean:
	rm -rf $(VENV) build dist *.egg-info
