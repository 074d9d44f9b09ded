# The two commands of the README, and the benchmarks. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# The email queue drains in the background while the site is served, and stops with it.
run: $(VENV)/.installed
	$(BIN)/course-engine demo
	$(BIN)/course-engine notifications send --watch 30 & trap 'kill $$!' EXIT; \
	$(BIN)/flask --app wsgi run --host 127.0.0.1 --port 5000

test: $(VENV)/.installed
	$(BIN)/ruff check course_engine tests bench migrations wsgi.py
	$(BIN)/pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed
	$(BIN)/python -m bench.run
