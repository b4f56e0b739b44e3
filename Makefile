# Binjai Smart City portal. `make run` to try it, `make test` to check it.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Tests and benchmarks run against the real services, never SQLite.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/binjai_portal
TEST_REDIS_URL ?= redis://127.0.0.1:6379/1
TEST_CACHE_URL ?= redis://127.0.0.1:6379/2

.PHONY: run run-bank test lint bench worker beat install install-test services-check chromium messages clean sim-bpjs sim-satusehat sim-mobilejkn

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## run: install into .venv, migrate, load demo data, serve http://127.0.0.1:8000 (SQLite, Celery eager, DEBUG=1)
# DEBUG is off unless asked for: the development server asks for it here.
# Links in e-mail, SMS and the certificate QR point to where this server runs
# (`make run PORT=8101` links to :8101), unless SITE_URL is given.
SITE_URL ?= http://$(HOST):$(PORT)
RUN_ENV := env -u DATABASE_URL -u REDIS_URL -u CACHE_URL DEBUG=1 SITE_URL=$(SITE_URL)
run: install
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py seed_demo
	$(RUN_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

## run-bank: `make run` with the bank simulator (SNAP BI virtual account and QRIS) on BANK_PORT
## and the demo-only "Bayar (simulasi bank)" button; keys and settlement files in var/bank/
BANK_PORT ?= 8030
BANK_DIR := var/bank
BANK_ARGS := --key $(BANK_DIR)/bank-key.pem --client-id BANKSIM-DEMO --client-secret \
  demo-only-client-secret-0123456789 --partner-id BANKSIM --settlement-dir $(BANK_DIR)/settlement
BANK_ENV := BILLING_SNAP_CLIENT_ID=BANKSIM-DEMO BILLING_SNAP_PARTNER_ID=BANKSIM \
  BILLING_SNAP_CLIENT_SECRET=demo-only-client-secret-0123456789 \
  BILLING_SNAP_CLIENT_PUBLIC_KEY_FILE=$(BANK_DIR)/bank-key.pem.pub \
  BILLING_SNAP_PARTNER_SERVICE_ID=99999 BILLING_QRIS_ACQUIRER_DOMAIN=ID.DEMO.SIMULATOR \
  BILLING_QRIS_MERCHANT_PAN=9360999900000000001 BILLING_QRIS_MERCHANT_ID=DEMO \
  BILLING_SETTLEMENT_DIR=$(BANK_DIR)/settlement BILLING_DEMO_PAYMENTS=1 \
  BILLING_DEMO_BANK_URL=http://$(HOST):$(BANK_PORT)
run-bank: install
	mkdir -p $(BANK_DIR)
	$(BIN)/python -m simulators.bank $(BANK_ARGS) --make-key-only
	$(RUN_ENV) $(BANK_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BANK_ENV) $(BIN)/python manage.py seed_demo
	$(BIN)/python -m simulators.bank $(BANK_ARGS) --host $(HOST) --port $(BANK_PORT) \
	  --portal http://$(HOST):$(PORT) & bank=$$!; trap "kill $$bank" EXIT; \
	  $(RUN_ENV) $(BANK_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

## test: install test tools and Chromium, check PostgreSQL and Redis, run ruff, import-linter and pytest
# pytest runs with DEBUG=0 and the test switches (pyproject.toml, [tool.pytest_env]), on
# TEST_WORKERS pytest-xdist workers (auto: one per core; 0 runs serially), each with its
# own test database (<name>_gwN), Redis databases (TEST_REDIS_URL's and TEST_CACHE_URL's
# number + 2N), cache key prefix and share of the test servers' ports (conftest.py,
# tests/servers.py). --dist loadfile keeps a file's tests on one worker, so a module's
# once-built fixtures are built once; conftest.py's scheduler sends the slowest files
# first and runs the access matrix's parts as separate work units, so no worker idles
# while another runs the matrix alone.
TEST_WORKERS ?= auto
test: install-test chromium services-check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) CACHE_URL=$(TEST_CACHE_URL) \
	  $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

chromium:
	@command -v chromium >/dev/null 2>&1 || command -v /usr/bin/chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's Chromium for the browser tests"; \
	  apt-get install -y chromium >/dev/null || { apt-get update && apt-get install -y chromium; }; }

services-check: install
	@DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(BIN)/python -m binjai_portal.core.servicecheck

## bench: the whole benchmark set in under 10 minutes: page load (cached and uncached, CPU per
## request), the booking burst and the command center at scale, each on a database of its
## own beside TEST_DATABASE_URL's (<name>_bench, <name>_bench_burst, <name>_bench_scale).
## Every script runs even when one fails; the target fails when any did.
BENCH_LOAD_ARGS ?= --quick
BENCH_BURST_ARGS ?=
BENCH_SCALE_ARGS ?=
BENCH_DB_BASE = $(notdir $(TEST_DATABASE_URL))
bench: install-test services-check
	@rc=0; \
	echo "== bench/load.py $(BENCH_LOAD_ARGS)"; \
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
	  BENCH_DB_NAME=$(BENCH_DB_BASE)_bench \
	  $(BIN)/python bench/load.py $(BENCH_LOAD_ARGS) || rc=1; \
	echo "== bench/booking_burst.py $(BENCH_BURST_ARGS)"; \
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
	  BURST_DATABASE=$(BENCH_DB_BASE)_bench_burst BENCH_QUICK=1 \
	  $(BIN)/python bench/booking_burst.py $(BENCH_BURST_ARGS) || rc=1; \
	echo "== bench/scale.py $(BENCH_SCALE_ARGS)"; \
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
	  BENCH_DB_NAME=$(BENCH_DB_BASE)_bench_scale BENCH_QUICK=1 \
	  BENCH_SCALE_FACTOR=$${BENCH_SCALE_FACTOR:-0.1} BENCH_DURATION=$${BENCH_DURATION:-3s} \
	  BENCH_WARMUP=$${BENCH_WARMUP:-1s} \
	  $(BIN)/python bench/scale.py $(BENCH_SCALE_ARGS) || rc=1; \
	if [ $$rc -ne 0 ]; then echo "make bench: a benchmark failed (see above)"; fi; \
	exit $$rc

worker: install
	DEBUG=$${DEBUG:-1} $(BIN)/celery -A binjai_portal worker --loglevel=INFO

beat: install
	DEBUG=$${DEBUG:-1} $(BIN)/celery -A binjai_portal beat --loglevel=INFO --schedule=$(VENV)/celerybeat-schedule

## messages: refresh locale/en from the source strings and compile them
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=static --ignore=staticfiles --ignore=tests --ignore=bench --no-obsolete
	DEBUG=1 $(BIN)/python manage.py makemessages -l en -d djangojs --ignore=.venv --ignore=static/vendor --ignore=staticfiles --no-obsolete
	DEBUG=1 $(BIN)/python manage.py compilemessages -l en --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles

## sim-bpjs / sim-satusehat: the national platforms' simulators beside `make run` (ports 8031, 8032,
## the portal's defaults for BPJS_ANTREAN_URL and SATUSEHAT_*_URL; the demo puskesmas uses their keys)
sim-bpjs: install
	$(BIN)/python -m simulators.bpjs --port 8031 --accept-unknown
sim-satusehat: install
	$(BIN)/python -m simulators.satusehat --port 8032 --any-nik
## sim-mobilejkn: drive the demo puskesmas's WS Antrean like the Mobile JKN app (demo patient)
sim-mobilejkn: install
	$(BIN)/python -m simulators.mobilejkn --url http://$(HOST):$(PORT)/api/jkn/ --username jkn-demo \
	  --password demo-jkn-ws --kodepoli UMU --nik 1275010101900001 --nomorkartu 0001234567890
