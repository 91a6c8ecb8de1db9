# CadreFlow — the two commands the README promises:
#   make run    virtualenv, packages, CJK font, migrations, demo district, server on 127.0.0.1:8000
#   make test   the same set-up plus test tools, then lint and the whole test suite
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST   ?= 127.0.0.1:8000

.PHONY: run test setup setup-dev system system-test migrate demo lint format bench messages clean

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install -q -r requirements-dev.txt
	@touch $@

setup: $(VENV)/.installed system
setup-dev: $(VENV)/.installed-dev system-test

system:
	@scripts/ensure_system_packages.sh run

system-test:
	@scripts/ensure_system_packages.sh test

migrate: setup
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo_district --address $(HOST)
	$(MANAGE) load_demo_reserve_pool
	$(MANAGE) load_demo_evaluations
	$(MANAGE) load_demo_exchange_plan
	$(MANAGE) load_demo_cases

run: demo
	$(MANAGE) runserver $(HOST)

lint: $(VENV)/.installed-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.installed-dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

test: setup-dev
	$(PY) -m ruff check .
	$(PY) -m pytest $(PYTEST_ARGS)

bench: setup-dev
	$(PY) bench/run_all.py

messages: setup-dev
	$(PY) scripts/update_translations.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
