# The desk's commands. `make run` and `make test` are the two a newcomer needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON313 := $(shell scripts/find-python)
VENV := .venv
SAMVENV := .venv-sam
PY := $(VENV)/bin/python
export PYTHONPATH := layers/shared:local:tools
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: redrive help env run test lint types template unit service component workflow fuzz openapi browser chromium hard-days bench build \
	deploy deploy-site clean

help:
	@echo "make run        run the whole desk locally (API and pages on :3000, SMTP on :2525)"
	@echo "make test       lint, types, template checks, every test tier, and two tiers again on hard days"
	@echo "make bench      import times, call counts and speed figures (prints, never fails)"
	@echo "make openapi    rebuild /openapi.json from the routes (a test fails while it is stale)"
	@echo "make redrive    replay the failed-events queue (the local desk; STACK= and REGION= for AWS)"
	@echo "make build      sam build (no container)"
	@echo "make deploy     sam deploy --guided"
	@echo "make deploy-site  upload web/ and config.json to the site, invalidate CloudFront (STACK=, REGION=)"

$(VENV)/.installed: requirements-dev.lock
	@test -n "$(PYTHON313)" || { scripts/find-python; exit 1; }
	test -x $(PY) || $(PYTHON313) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check uv==0.9.30
	VIRTUAL_ENV=$(VENV) $(VENV)/bin/uv pip sync -q --python $(PY) requirements-dev.lock
	touch $@

$(SAMVENV)/.installed: requirements-sam.txt $(VENV)/.installed
	test -x $(SAMVENV)/bin/python || $(PYTHON313) -m venv $(SAMVENV)
	$(VENV)/bin/uv pip install -q --python $(SAMVENV)/bin/python -r requirements-sam.txt
	touch $@

env: $(VENV)/.installed $(SAMVENV)/.installed

run: $(VENV)/.installed
	$(PY) -m desk_local --port 3000 --smtp-port 2525 $(if $(WORKING_DAY_SECONDS),--working-day-seconds $(WORKING_DAY_SECONDS)) $(if $(NOW),--now $(NOW))

redrive: $(VENV)/.installed
	$(PY) tools/redrive.py $(if $(STACK),--stack $(STACK) --region $(or $(REGION),ap-southeast-3)) $(if $(DRY_RUN),--dry-run)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

types: $(VENV)/.installed
	$(VENV)/bin/mypy layers/shared/desk functions local/desk_local

template: $(SAMVENV)/.installed
	$(SAMVENV)/bin/cfn-lint template.yaml receiving/template.yaml
	$(SAMVENV)/bin/sam validate --lint --region ap-southeast-3
	PATH="$(dir $(PYTHON313)):$$PATH" $(SAMVENV)/bin/sam build --region ap-southeast-3 --build-dir .aws-sam/build >/dev/null
	@echo "template: cfn-lint, sam validate --lint and sam build passed"

unit: $(VENV)/.installed
	$(PY) -m pytest tests/unit -q -p no:cacheprovider

service: $(VENV)/.installed
	$(PY) -m pytest tests/service tests/behaviour -q -p no:cacheprovider

component: $(VENV)/.installed
	$(PY) -m pytest tests/component -q -p no:cacheprovider

workflow: $(VENV)/.installed
	$(PY) -m pytest tests/workflow -q -p no:cacheprovider

fuzz: $(VENV)/.installed
	$(PY) -m pytest tests/fuzz -q -p no:cacheprovider -n 2

# Rebuild /openapi.json from the routes (a unit test fails while the shipped copy is stale).
openapi: $(VENV)/.installed
	$(PY) tools/openapi.py

chromium:
	scripts/ensure-chromium

browser: $(VENV)/.installed chromium
	$(PY) -m pytest tests/browser -q -p no:cacheprovider

# Days a deadline desk gets wrong first: cuti bersama then Christmas, the last half hour of a year, and a
# Saturday in a year with no SKB yet. The component and workflow tiers run again with the desk on each.
HARD_DAYS := 2026-12-24T09:00:00+07:00 2026-12-31T23:30:00+07:00 2031-03-15T10:00:00+07:00

hard-days: $(VENV)/.installed
	@for now in $(HARD_DAYS); do \
	  echo "component and workflow tiers with the desk's clock at $$now"; \
	  DESK_TEST_NOW=$$now $(PY) -m pytest tests/component tests/workflow -q -p no:cacheprovider -n 2 || exit 1; \
	done

test: lint types template chromium hard-days
	$(PY) -m pytest tests -q -p no:cacheprovider -n 2

bench: $(VENV)/.installed
	$(PY) -m bench

build: $(SAMVENV)/.installed
	PATH="$(dir $(PYTHON313)):$$PATH" $(SAMVENV)/bin/sam build --region ap-southeast-3

deploy: build
	$(SAMVENV)/bin/sam deploy --guided

deploy-site: $(VENV)/.installed
	scripts/deploy-site $(or $(STACK),epurchasing-desk-dev) $(or $(REGION),ap-southeast-3)

clean:
	rm -rf .aws-sam .pytest_cache .mypy_cache .ruff_cache
