# Two commands on a fresh machine: `make run` (the site with demo content) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint migrations-check clean bench

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: export DJANGO_DEBUG ?= 1
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo ""
	@echo "  Site:  http://$(HOST):$(PORT)/"
	@echo "  Admin: http://$(HOST):$(PORT)/admin/  (local demo login: demo / mindlab-demo)"
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

# Tests load settings as production does (DEBUG off), so they need a secret key (this one is for tests
# only) and host names; the test client speaks plain HTTP, so no redirect to HTTPS.
test: export DJANGO_SECRET_KEY ?= insecure-key-for-the-test-suite-only
test: export DJANGO_ALLOWED_HOSTS ?= testserver,localhost,127.0.0.1
test: export DJANGO_SECURE_SSL_REDIRECT ?= 0
test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .

migrations-check: export DJANGO_DEBUG ?= 1
migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache

# Speed of every public page, uncached and cached, with reference rows (see docs/performance.md).
bench: install
	$(PY) -m bench.run $(BENCH_ARGS)
