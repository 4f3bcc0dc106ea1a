# The two commands of the README: `make run` and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test install install-test lint clean messages translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed translations
install-test: $(VENV)/.installed-test translations node_modules/.installed

# axe-core for the browser tests' accessibility check (package.json pins it, package-lock.json
# holds its hash): the tests inject node_modules/axe-core/axe.min.js into the pages, never a CDN.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# The message catalogue (Flask-Babel): messages.pot holds every string marked for translation,
# LANG/LC_MESSAGES/messages.po its translation into each language (for translators, committed),
# messages.mo the compiled form the application reads (a build product, not committed).
TRANSLATIONS := coordination/translations
POT := $(TRANSLATIONS)/messages.pot
CATALOGUES := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)
BABEL_KEYWORDS := -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2

# After marking strings: extract them into messages.pot and merge it into every messages.po
# (new messages come untranslated, changed ones fuzzy: the tests fail until they are translated).
messages: $(VENV)/.installed
	$(BIN)/pybabel -q extract -F babel.cfg $(BABEL_KEYWORDS) -c TRANSLATORS: \
		--project "SPF Coordination" --copyright-holder "SPF Coordination" -o $(POT) .
	$(BIN)/pybabel -q update -i $(POT) -d $(TRANSLATIONS)

# Compile each catalogue whose .po is newer than its .mo.
translations: $(CATALOGUES:.po=.mo)

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel compile -i $< -o $@ -l $*

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
	rm -rf $(VENV) node_modules instance .pytest_cache .ruff_cache .import_linter_cache $(TRANSLATIONS)/*/LC_MESSAGES/*.mo
