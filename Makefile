# Rekvi: `make run` starts the demo (embedded mode), `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.package-lock.json
TEST_SECRET_KEY := tests-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz
TEST_CREDENTIALS_KEY := OefjW2eb5t59uqyTFuFKv03-2VK0c_CvmYbU9iTX0DE=
I18N_IGNORE := --ignore=.venv --ignore=node_modules --ignore=var --ignore=tests --ignore=bench
#: Where `make run` serves the demo (e.g. make run ADDRESS=0.0.0.0:8080).
ADDRESS ?= 127.0.0.1:8000

.PHONY: run test install check messages openapi

## The demo: virtualenv, packages, database, Fjordby demo data, web server on $(ADDRESS).
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "Rekvi runs on http://$(ADDRESS)/ (Ctrl+C stops it). Log in with a login above."
	$(BIN)/python manage.py runserver $(ADDRESS)

## Every test: unit, integration (Celery worker with DATABASE_URL), browser (Chromium).
## With DATABASE_URL set, Rekvi wants keys of its own: the tests use public, test-only ones.
test: install
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$(TEST_SECRET_KEY)}" \
	CREDENTIALS_KEYS="$${CREDENTIALS_KEYS:-$(TEST_CREDENTIALS_KEY)}" \
	$(BIN)/pytest -n auto

install: $(STAMP) $(NODE_STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Rekvi needs Python 3.11 or newer (set PYTHON=python3.11)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund

## The static checks that .ci/run makes before the tests.
check: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file var/openapi.yaml
	diff -u docs/openapi.yaml var/openapi.yaml

## Regenerate docs/openapi.yaml after an API change (commit it with the change).
openapi: install
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file docs/openapi.yaml

## Update the Danish catalogue after changing texts, then translate and compile it.
messages: install
	$(BIN)/python manage.py makemessages -l da --no-location --no-wrap $(I18N_IGNORE)
	$(BIN)/python manage.py compilemessages -l da $(I18N_IGNORE)
