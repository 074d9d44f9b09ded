# The two commands of the README, and the benchmarks. Everything installs into .venv.
PYTHON ?= python3
PORT ?= 5000
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The pinned versions of constraints.txt are the ones the suite last passed with.
$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test,postgres,redis,server]'
	touch $@

# The email queue drains in the background while the site is served, and stops with it.
# Emailed links point at the port served unless SITE_URL says otherwise.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: $(VENV)/.installed
	$(BIN)/course-engine demo
	$(BIN)/course-engine notifications send --watch 30 & trap 'kill $$!' EXIT; \
	$(BIN)/flask --app wsgi run --host 127.0.0.1 --port $(PORT)

# Coverage and its floor (pyproject.toml) apply to the whole suite only: with
# PYTEST_ARGS naming a subset, the subset runs without them.
test: $(VENV)/.installed
	$(BIN)/ruff check course_engine tests bench migrations wsgi.py
	$(BIN)/ruff format --check course_engine tests bench migrations wsgi.py
	$(BIN)/mypy
	$(BIN)/pytest $(if $(PYTEST_ARGS),$(PYTEST_ARGS),--cov=course_engine --cov-fail-under=95)

bench: $(VENV)/.installed
	$(BIN)/python -m bench.run
