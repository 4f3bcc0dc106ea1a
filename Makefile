# The two commands of the README: `make run` and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test install install-test lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# The scheduler (reminders and their e-mail) runs beside the web server; Ctrl-C or the end
# of the web server stops it too.
run: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	$(FLASK) scheduler & scheduler=$$!; \
	trap 'kill -TERM $$scheduler 2>/dev/null; wait $$scheduler' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

# Style, the architecture (import-linter's contracts in setup.cfg: layers, no circles), then
# the security checks: bandit over the package (medium and high findings; each accepted one
# carries a `# nosec` with its reason) and pip-audit over the installed packages.
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/bandit -r coordination -ll -q
	$(BIN)/pip-audit --skip-editable --progress-spinner off

test: lint
	$(BIN)/pytest -n 2 --dist loadfile

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .import_linter_cache
