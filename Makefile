# TaskSync: the entry points a newcomer types.
#   make run    install what is needed, then start everything at http://127.0.0.1:8000
#   make test   install what is needed, then run the whole test suite
#   make soak   32 people for 5 minutes: no 5xx, no lost write, flat memory
#   make bench  TaskSync under load against a bare Flask app and pgbench: table, bench/results/
#   make lint   static checks: ruff (lint and format), eslint over the web client, mypy, Spectral and
#               Redocly on the OpenAPI document
#   make lock   re-pin the dependencies after editing a requirements.in

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements-dev.txt services/*/pyproject.toml packages/*/pyproject.toml | cksum | cut -d' ' -f1)
UV := $(VENV)/bin/uv

.PHONY: run test lint soak bench lock clean

NODE_STAMP := node_modules/.installed

$(STAMP): requirements-dev.txt services/*/pyproject.toml packages/*/pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip==25.3"
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -e packages/tasksync-common -e services/rooms -e services/tasks -e services/gateway
	@rm -f $(VENV)/.installed-*
	@touch $@

# The checkers from the npm registry (eslint, Spectral, Redocly, pa11y), pinned in package-lock.json.
# Puppeteer (under pa11y) would fetch a browser of its own: the tests use Debian's chromium instead.
$(NODE_STAMP): package-lock.json
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	@touch $@

run: $(STAMP)
	$(PY) -m tools.stack

test: lint
	$(PY) -m pytest

# The OpenAPI document as the gateway serves it, built in-process (tools/openapi_document.py):
# Spectral (.spectral.yaml) and Redocly (redocly.yaml) must find nothing in it.
OPENAPI_DOCUMENT := build/openapi.json

# $(call check,NAME,COMMAND) runs one checker and remembers its name if it fails, so that every
# checker runs and the last line names the ones that failed.
check = echo "--- $(1): $(2)"; $(2) || failed="$$failed, $(1)";

lint: $(STAMP) $(NODE_STAMP)
	@failed=""; rm -f $(OPENAPI_DOCUMENT); \
	$(call check,ruff check,$(VENV)/bin/ruff check .) \
	$(call check,ruff format,$(VENV)/bin/ruff format --check .) \
	$(call check,self-contained,$(PY) -m tools.self_contained) \
	$(call check,eslint,node_modules/.bin/eslint .) \
	$(call check,mypy,$(VENV)/bin/mypy) \
	$(call check,openapi document,$(PY) -m tools.openapi_document $(OPENAPI_DOCUMENT)) \
	$(call check,spectral,node_modules/.bin/spectral lint --fail-severity=hint --quiet $(OPENAPI_DOCUMENT)) \
	$(call check,redocly,REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true node_modules/.bin/redocly lint --format=stylish $(OPENAPI_DOCUMENT)) \
	if [ -n "$$failed" ]; then echo "make lint: FAILED: $${failed#, }" >&2; exit 1; fi; \
	echo "make lint: all checkers passed"

soak: $(STAMP)
	$(PY) -m tools.soak --users 32 --seconds 300

bench: $(STAMP)
	$(PY) -m bench

lock: $(STAMP)
	$(PY) -m pip install --quiet "uv==0.13.8"
	for service in rooms tasks gateway; do \
	  (cd services/$$service && ../../$(UV) pip compile -q requirements.in -o requirements.txt --python-version 3.11 --no-header); \
	done
	$(UV) pip compile -q requirements-dev.in -o requirements-dev.txt --python-version 3.11 --no-header

clean:
	rm -rf $(VENV) .pytest_cache
