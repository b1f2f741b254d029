# Two commands for a new machine: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# Links in mail and the printed demo logins use the address the server listens on.
BASE_URL ?= http://$(HOST):$(PORT)
DEV := COPRODUCE_ENV=development BASE_URL=$(BASE_URL)

.PHONY: run test test-sqlite test-postgres test-browser bench lint fmt messages translations system-deps clean screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Reinstall when the package definition changes.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[postgres]'
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test,postgres]'
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run translations
	scripts/system-deps.sh run
	$(DEV) $(BIN)/coproduce init-db
	$(DEV) $(BIN)/coproduce content load
	$(DEV) $(BIN)/coproduce send-mail
	$(DEV) $(BIN)/coproduce demo
	@echo "Serving on http://$(HOST):$(PORT), with a job worker beside it  (Ctrl+C stops both)"
	$(DEV) scripts/run-with-worker.sh $(BIN) $(HOST) $(PORT)

system-deps:
	scripts/system-deps.sh test

# Unit and web tests on SQLite, again on a throwaway PostgreSQL, browser tests once.
test: $(VENV)/.installed-test system-deps translations
	scripts/test-all.sh

test-sqlite: $(VENV)/.installed-test
	$(BIN)/pytest tests --ignore=tests/browser -q

test-postgres: $(VENV)/.installed-test system-deps
	scripts/with-postgres.sh $(BIN)/pytest tests --ignore=tests/browser -q

test-browser: $(VENV)/.installed-test system-deps
	$(BIN)/pytest tests/browser -q

# Each demo role's home page at 390 and 1280 px, into screenshots/ (not kept in git).
screenshots: $(VENV)/.installed-test system-deps
	$(BIN)/python scripts/screenshots.py

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench

lint: $(VENV)/.installed-test
	$(BIN)/ruff check curriculum webapp tests bench scripts

fmt: $(VENV)/.installed-test
	$(BIN)/ruff check --fix curriculum webapp tests bench scripts

# Extract every user-facing string into the translation template, and carry new and changed
# ones into each language's catalogue (docs/translating.md says what to do next).
messages: $(VENV)/.installed-run
	mkdir -p webapp/translations
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_pgettext:1c,2 --no-location --sort-output \
		-o webapp/translations/messages.pot .
	$(BIN)/pybabel update -i webapp/translations/messages.pot -d webapp/translations \
		--width 100 --ignore-obsolete

# The compiled catalogues the app reads (kept in git too, rebuilt when a .po changes).
translations: webapp/translations/sv/LC_MESSAGES/messages.mo

webapp/translations/%/LC_MESSAGES/messages.mo: webapp/translations/%/LC_MESSAGES/messages.po | $(VENV)/.installed-run
	$(BIN)/pybabel compile -d webapp/translations -l $* --statistics

clean:
	rm -rf $(VENV) build .pytest_cache
