# Two commands set up everything on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test venv deps db deploy demo bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(VENV)/.deps: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

deps: $(VENV)/.deps

db: deps
	$(BIN)/flask db upgrade

deploy: db
	$(BIN)/flask processes deploy --by setup

demo: deploy
	$(BIN)/flask demo

# The service with demo data on SQLite, and the worker beside it.
run: demo
	@echo "Qamqor on http://$(HOST):$(PORT)  (demo users: <agency>.staff / <agency>.supervisor, owner, auditor, admin; password demo-password)"
	QAMQOR_INSECURE_COOKIES=1 $(BIN)/flask worker run & WORKER=$$!; \
	trap "kill $$WORKER" EXIT INT TERM; \
	QAMQOR_INSECURE_COOKIES=1 $(BIN)/flask run --host $(HOST) --port $(PORT)

test: deps
	$(BIN)/python -m pytest -q

bench: deps
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) instance
