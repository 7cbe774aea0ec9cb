# Two commands matter: `make run` (demo on SQLite at http://127.0.0.1:5000) and `make test`.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi

.PHONY: run test test-faketime install migrate demo bench clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) demo

run: demo
	$(FLASK) run --host 127.0.0.1 --port 5000

test: install
	$(PY) -m mypy
	$(PY) -m pytest

# No test may read the machine's clock: the suite must pass on any day, so run it on a late one (Debian's faketime).
FAKE_NOW ?= 2027-12-31 23:00
test-faketime: install
	faketime '$(FAKE_NOW)' $(PY) -m pytest -q -m "not browser and not postgres" -p no:cacheprovider

bench: install
	@for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .mypy_cache test-artifacts
