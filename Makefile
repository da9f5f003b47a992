# govbuy — the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?= -n 2

.PHONY: run test setup venv deps dev-deps db demo messages lint typecheck lint-imports check ci-postgres clean system-packages fonts

## make run: set everything up on a fresh clone and serve http://127.0.0.1:8000 with the task worker
run: deps db messages fonts
	@$(MANAGE) seed_demo --print-logins --port $(PORT)
	@PY=$(PY) HOST=$(HOST) PORT=$(PORT) scripts/run.sh

setup: deps db messages demo

venv: $(VENV)/bin/python
$(VENV)/bin/python:
	@PY=$$(scripts/find-python.sh) || exit 1; \
	  echo "Creating $(VENV) with $$PY"; \
	  "$$PY" -m venv $(VENV)

# Reinstall only when a lock file changes (the stamp holds the lock's digest).
deps: venv
	@stamp=$(VENV)/.base-$$(sha256sum requirements/base.txt | cut -c1-16); \
	  if [ ! -f $$stamp ]; then \
	    $(PY) -m pip install -q --require-hashes --no-deps -r requirements/base.txt 2>&1 | grep -v "^WARNING: Location" ; \
	    test $${PIPESTATUS[0]} -eq 0 && touch $$stamp; \
	  fi

dev-deps: deps
	@stamp=$(VENV)/.dev-$$(sha256sum requirements/dev.txt | cut -c1-16); \
	  if [ ! -f $$stamp ]; then \
	    $(PY) -m pip install -q --require-hashes --no-deps -r requirements/dev.txt 2>&1 | grep -v "^WARNING: Location" ; \
	    test $${PIPESTATUS[0]} -eq 0 && touch $$stamp; \
	  fi

db: deps
	@mkdir -p var
	@$(MANAGE) migrate --noinput -v 0

demo: db
	@$(MANAGE) seed_demo

messages: deps
	@$(MANAGE) compilemessages -v 0 --ignore=.venv

## make test: install what tests need and run the whole suite (SQLite, or PostgreSQL with DATABASE_URL)
# pytest's exit 5 ("no tests collected", e.g. a filtered run) is not a failure.
test: dev-deps messages system-packages
	@mkdir -p var
	@$(PY) -m pytest $(PYTEST_ARGS); rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; rc=0; fi; exit $$rc

# Chromium and CJK fonts for browser and PDF tests; installed when missing and we are root.
system-packages:
	@scripts/ensure-system-packages.sh

# The Chinese font PDF records need (installed when missing and we are root; else say what to install).
fonts:
	@scripts/ensure-system-packages.sh fonts

lint: dev-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	$(VENV)/bin/bandit -r govbuy -ll -q

check: dev-deps
	@mkdir -p var
	$(MANAGE) makemigrations --check --dry-run
	DJANGO_ENV=production DJANGO_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) DJANGO_ALLOWED_HOSTS=govbuy.example.gov.cn \
	  DJANGO_AUDIT_KEY=ci-only GOVBUY_BID_KEK=$$(head -c 32 /dev/urandom | base64) \
	  GOVBUY_IDENTITY_KEY=$$(head -c 48 /dev/urandom | base64) GOVBUY_TOTP_KEY=$$(head -c 48 /dev/urandom | base64) \
	  GOVBUY_SURVEY_CODE_KEY=$$(head -c 48 /dev/urandom | base64) \
	  GOVBUY_AUDIT_CHAIN_KEY=$$(head -c 48 /dev/urandom | base64) GOVBUY_AUDIT_CHECKPOINT_FILE=var/ci-audit-checkpoints.jsonl \
	  OCDS_OCID_PREFIX=ocds-a1b2c3 GOVBUY_PUBLIC_URL=https://govbuy.example.gov.cn \
	  $(MANAGE) check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var/*.sqlite3
