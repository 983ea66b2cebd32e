# Two commands set up everything on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-shifted-clock venv deps db deploy demo bench bench-hotpath clean assets lint lint-bpmn system-packages-run system-packages-test

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(VENV)/.deps: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

deps: $(VENV)/.deps

# Debian packages beside the Python and npm ones (tools/system-packages.sh says which and why).
system-packages-run:
	bash tools/system-packages.sh run

system-packages-test:
	bash tools/system-packages.sh test

# Browser assets from npm (package-lock.json pins them), copied where the pages serve them.
VENDOR := app/static/vendor
$(VENDOR)/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/bpmn-js $(VENDOR)/bpmn-js-properties-panel $(VENDOR)/properties-panel
	cp -R node_modules/bpmn-js/dist/. $(VENDOR)/bpmn-js/
	cp node_modules/bpmn-js-properties-panel/dist/bpmn-js-properties-panel.umd.js $(VENDOR)/bpmn-js-properties-panel/
	cp -R node_modules/@bpmn-io/properties-panel/dist/assets/. $(VENDOR)/properties-panel/
	# bpmn-js-i18n ships ES modules ("export default {...}"); the page loads plain scripts, so the Russian
	# catalog is copied as one that hands its words to the modeler (app/static/modeler/modeler.js)
	mkdir -p $(VENDOR)/bpmn-js-i18n
	sed '1s/^export default /(window.qamqorBpmnWords = window.qamqorBpmnWords || {}).vendorRu = /' \
	    node_modules/bpmn-js-i18n/translations/ru.js > $(VENDOR)/bpmn-js-i18n/ru.js
	touch $@

assets: $(VENDOR)/.stamp

db: deps
	$(BIN)/flask db upgrade
	$(BIN)/flask cases reindex

deploy: db
	$(BIN)/flask processes deploy --by setup

demo: deploy
	$(BIN)/flask demo

# The service with demo data on SQLite, and the worker beside it.
run: system-packages-run demo assets
	@echo "Qamqor on http://$(HOST):$(PORT)  (demo users: <agency>.staff / <agency>.supervisor, owner, auditor, admin; password demo-password)"
	QAMQOR_INSECURE_COOKIES=1 $(BIN)/flask worker run & WORKER=$$!; \
	trap "kill $$WORKER" EXIT INT TERM; \
	QAMQOR_INSECURE_COOKIES=1 $(BIN)/flask run --host $(HOST) --port $(PORT)

test: system-packages-test deps assets lint lint-bpmn
	$(BIN)/python -m pytest -q

# The suite again with the whole process's clock (and every process it starts) three years ahead:
# a test tied to today's date fails here before it lands. Needs Debian's faketime (.ci/run installs it).
test-shifted-clock: system-packages-test deps assets
	faketime -f "+3y" $(BIN)/python -m pytest -q

lint: deps
	$(BIN)/ruff check .

# The diagrams are source code: bpmnlint (rules in .bpmnlintrc) checks every one of processes/.
lint-bpmn: assets
	@if ls processes/*.bpmn >/dev/null 2>&1; then npx --no-install bpmnlint processes/*.bpmn; fi

bench: deps
	$(BIN)/python -m bench

# Only the hot path (issue 16): one completion on SQLite and PostgreSQL side by side, and throughput by process
# model; writes bench/results/results-hotpath-throughput.md. A few minutes instead of the whole bench's quarter hour.
bench-hotpath: deps
	$(BIN)/python -m bench hotpath throughput

clean:
	rm -rf $(VENV) instance
