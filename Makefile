# Một Cửa — two commands: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench messages clean services-check

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

## run: set up and serve the portal with demo data at http://127.0.0.1:8000 (worker and beat too)
run: $(STAMP)
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	scripts/run.sh

## test: set up and run the whole suite against real PostgreSQL and Redis
test: $(STAMP)
	$(PY) scripts/check_services.py
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest --durations=15 $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

## bench: load data and measure the running portal (see bench/README.md)
bench: $(STAMP)
	$(PY) bench/run.py $(BENCH_ARGS)

## messages: extract and compile translations (vi is the default, en complete too)
messages: $(STAMP)
	$(PY) manage.py makemessages -l vi -l en --no-obsolete --ignore=.venv --ignore=bench --ignore=tests --ignore=var
	$(PY) scripts/fill_po.py
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache .hypothesis
