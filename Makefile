# The two commands of the README:
#   make run    install, migrate, load demo content, start web + worker + beat
#   make test   install the dev requirements and run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test install install-dev js-tools clean-var

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

install: $(VENV)/.runtime-installed
install-dev: $(VENV)/.dev-installed

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
	PATH="$(CURDIR)/$(BIN):$$PATH" DJANGO_SETTINGS_MODULE=parkportal.settings.dev $(BIN)/honcho start

test: install-dev js-tools
	$(BIN)/python -m pytest $(PYTEST_ARGS)
