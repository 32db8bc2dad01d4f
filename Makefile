# The two commands of the README:
#   make run    install, migrate, load demo content, start web + worker + beat
#   make test   install the dev requirements and run the whole test suite
# and, for maintainers:
#   make lock   recompile the locks (requirements*.txt, bench/requirements.txt) from the .in files
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
export HOST PORT
# pytest-xdist: one test process per core ("auto"); PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= auto

# The locks pin every package with its hashes: pip installs nothing else and
# nothing that differs from what was locked (hash-checking mode).
PIP_INSTALL := $(BIN)/python -m pip install --quiet --require-hashes --no-deps

.PHONY: run test install install-dev bench-tools js-tools lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(PIP_INSTALL) -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(PIP_INSTALL) -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

install: $(VENV)/.runtime-installed
install-dev: $(VENV)/.dev-installed

# What the benchmarks need beyond the dev set (pyvips for bench/media's reference, profilers).
bench-tools: install-dev
	$(PIP_INSTALL) -r bench/requirements.txt

# axe-core for the accessibility test. Without npm the browser tests skip
# locally; CI installs npm's package and fails instead of skipping.
js-tools:
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --silent --no-audit --no-fund; \
	else \
		echo "npm not found: the browser tests will be skipped (CI runs them)"; \
	fi

run: install
	DJANGO_SETTINGS_MODULE=parkportal.settings.dev $(BIN)/python manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=parkportal.settings.dev $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DJANGO_SETTINGS_MODULE=parkportal.settings.dev $(BIN)/python manage.py load_demo
	@echo "parkportal: http://$(HOST):$(PORT)/  admin: http://$(HOST):$(PORT)/admin/  (Ctrl-C stops web, worker and beat)"
	PATH="$(abspath $(BIN)):$$PATH" DJANGO_SETTINGS_MODULE=parkportal.settings.dev $(BIN)/python -m parkportal.stack Procfile

test: install-dev js-tools
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Recompile the locks with uv (in a tool venv of its own, never in the project's).
# Pins already in a lock are kept unless a .in file asks for another version:
# to move one package, change its pin in the .in file, or run
#   make lock UPGRADE=package
# then `make test` and commit the .in and .txt files together.
LOCK_VENV ?= $(VENV)-lock
UV_VERSION = 0.13.9
UV_COMPILE = $(LOCK_VENV)/bin/uv pip compile --quiet --generate-hashes --universal \
	--python-version 3.11 --custom-compile-command "make lock" \
	$(if $(UPGRADE),--upgrade-package $(UPGRADE))

lock:
	test -x $(LOCK_VENV)/bin/uv || { $(PYTHON) -m venv $(LOCK_VENV) && $(LOCK_VENV)/bin/pip install --quiet uv==$(UV_VERSION); }
	$(UV_COMPILE) requirements.in -o requirements.txt
	$(UV_COMPILE) requirements-dev.in -o requirements-dev.txt
	$(UV_COMPILE) bench/requirements.in -o bench/requirements.txt
