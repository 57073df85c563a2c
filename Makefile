# DSAR desk. `make help` lists the targets.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT
# `make test BROWSER=no` leaves out the browser tests and Debian's chromium.
BROWSER ?= yes
SYSTEM_DEPS := scripts/system-deps
TEST_PURPOSES := venv pdf tests $(if $(filter yes,$(BROWSER)),browser)
TEST_MARKS := $(if $(filter yes,$(BROWSER)),,-m "not browser")

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "Could not create the virtual environment: on Debian, install it with 'apt-get install python3-venv'."; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# First of all: a missing Debian package stops here, with the apt-get line,
# not later with a stack trace from pip or WeasyPrint.
system: ## Check the Debian packages of system-packages.txt; as root, install the missing ones
	@$(SYSTEM_DEPS) ensure $(TEST_PURPOSES)

system-run:
	@$(SYSTEM_DEPS) ensure venv pdf

install: system-run $(VENV)/.runtime ## Create the virtual environment and install the runtime packages

setup: install ## Migrate, load the demo configuration and the demo DPO account
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py create_demo_dpo

run: setup ## Set up and start the web server, a Celery worker and Celery beat (Ctrl-C stops all)
	$(PY) -m config.run_local

# pytest-xdist: one worker per core (each with its own var dir, see
# config/settings.py). `make test XDIST=` runs in one process.
XDIST ?= -n auto


test: system $(VENV)/.dev ## Install and run the whole test suite on the embedded defaults (BROWSER=no: without the browser tests)
	DSAR_VAR_DIR=$(CURDIR)/var/test $(PY) -m pytest $(XDIST) $(TEST_MARKS) $(PYTEST_ARGS)

lint: $(VENV)/.dev ## Lint (ruff), check the formatting (ruff format) and the types (mypy)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

deadcode: $(VENV)/.dev ## Look for dead code with vulture (settings in pyproject.toml)
	$(VENV)/bin/vulture

messages: $(VENV)/.dev ## Extract the strings to translate and compile the catalogues
	$(PY) manage.py makemessages -l nl -l fr -l de -l en --no-obsolete --ignore=.venv --ignore=var --ignore=bench
	$(PY) manage.py compilemessages --ignore=.venv

schema: ## Write the API contract to docs/openapi.json (commit it with the change)
	DSAR_VAR_DIR=$(CURDIR)/var/schema $(PY) manage.py spectacular --format openapi-json --validate --fail-on-warn --file docs/openapi.json

CLIENT_TMP := var/client-build
client: $(VENV)/.dev ## Generate the Python client (clients/python) from docs/openapi.json and build its wheel
	rm -rf $(CLIENT_TMP) && mkdir -p var
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/openapi-python-client generate --path docs/openapi.json \
	  --config clients/python/openapi-python-client.yaml --meta setup --output-path $(CLIENT_TMP)
	rm -rf clients/python/dsar_client
	cp -r $(CLIENT_TMP)/dsar_client $(CLIENT_TMP)/setup.py $(CLIENT_TMP)/pyproject.toml clients/python/
	$(PY) -m pip wheel --quiet --no-deps --no-build-isolation --wheel-dir clients/python/dist clients/python
	@ls clients/python/dist/*.whl

bench: $(VENV)/.dev ## Run the benchmarks (see bench/README.md)
	$(PY) -m bench

clean: ## Remove the local database, outbox, broker queue and files (not the venv)
	rm -rf var

.PHONY: help system system-run install setup run test lint deadcode messages schema client bench clean
