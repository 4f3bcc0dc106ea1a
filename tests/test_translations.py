"""The message catalogue (coordination/translations): complete in every language, in step with
the code, and no English left unmarked in the templates.

MARKED lists the templates (files or folders) whose every user-visible text is marked, and the
Python modules whose every user-visible string is: all of them. The checks of completeness and
of unmarked English run over MARKED.
"""
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.checkers import python_format
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from jinja2 import Environment, nodes

from coordination import ROOT
from coordination.i18n import LANGUAGES, TRANSLATIONS

MARKED = [
    # Every template: the pages and the e-mails.
    "templates/",
    # Python: every user-visible string of the application (pages, flashes, API messages and field
    # errors, e-mails, outbox rows, calendar events, the exports' sheets). The command-line output of
    # `flask` commands (backup, sweep, demo) and the configuration's errors are operators' text, in English.
    "coordination/",
]
TRANSLATED = [code for code in LANGUAGES if code != "en"]  # English is the source language

# Text that stays as it is in every language, and why.
ALLOWED = [
    # The product's name: the authenticator app's entry and the e-mails' sender carry it.
    "SPF Coordination",
    # A time zone's name, as the tz database writes it.
    "UTC",
]


def is_marked(path: str) -> bool:
    return any(path == entry or (entry.endswith("/") and path.startswith(entry)) for entry in MARKED)


# -- the catalogue is in step with the code ---------------------------------------------------------


def makefile_keywords() -> list[str]:
    """The extraction's keywords, as `make messages` passes them."""
    line = re.search(r"^BABEL_KEYWORDS\s*:=\s*(.+)$", (ROOT / "Makefile").read_text(), re.M).group(1)
    return line.split()


def messages(catalog) -> set[tuple]:
    return {(message.id, message.context) for message in catalog if message.id}


def read(path: Path, locale=None):
    with path.open("rb") as file:
        return read_po(file, locale=locale)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """What `pybabel extract` finds in the code now."""
    target = tmp_path_factory.mktemp("catalogue") / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), *makefile_keywords(),
                                "-o", str(target), str(ROOT)])
    return read(target)


def relative(path: str) -> str:
    return Path(path).resolve().relative_to(ROOT).as_posix() if Path(path).is_absolute() else path


def test_the_committed_template_holds_what_the_code_marks(extracted):
    """A string marked in the code and missing from messages.pot (or the other way round): run
    `make messages`, then translate what it adds."""
    committed = read(TRANSLATIONS / "messages.pot")
    assert sorted(messages(extracted) - messages(committed), key=str) == [], "run `make messages`"
    assert sorted(messages(committed) - messages(extracted), key=str) == [], "run `make messages`"


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_language_has_the_messages_of_the_template(code):
    template = read(TRANSLATIONS / "messages.pot")
    catalogue = read(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po", code)
    assert sorted(messages(template) ^ messages(catalogue), key=str) == [], "run `make messages`"


# -- every message is translated ------------------------------------------------------------------------


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_of_the_marked_parts_is_translated(code):
    template = read(TRANSLATIONS / "messages.pot")
    catalogue = read(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po", code)
    problems = []
    for message in template:
        if not message.id or not any(is_marked(relative(path)) for path, _ in message.locations):
            continue
        translated = catalogue.get(message.id, message.context)
        strings = translated.string if isinstance(translated.string, tuple | list) else [translated.string]
        if translated.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        elif not all(strings) or len(strings) != catalogue.num_plurals and translated.pluralizable:
            problems.append(f"untranslated: {message.id!r}")
        else:
            try:
                python_format(catalogue, translated)
            except Exception as error:  # noqa: BLE001 - babel's TranslationError, with its reason
                problems.append(f"placeholders differ in {message.id!r}: {error}")
    assert problems == []


def test_the_compiled_catalogues_are_there():
    """`make translations` (part of make install, run and test) compiles each .po into its .mo."""
    for code in TRANSLATED:
        compiled = TRANSLATIONS / code / "LC_MESSAGES" / "messages.mo"
        source = compiled.with_suffix(".po")
        assert compiled.exists() and compiled.stat().st_mtime >= source.stat().st_mtime, "run `make translations`"


# -- no user-visible English outside _() and {% trans %} -----------------------------------------------------


GETTEXT = {"_", "gettext", "ngettext", "pgettext", "npgettext"}
# Attributes people read or hear: placeholders, tooltips, image text, labels for screen readers.
READ_ATTRIBUTES = {"placeholder", "title", "alt", "aria-label", "aria-description", "label"}
SHOWN_VALUES = {"submit", "button", "reset"}  # <input type=...>: the value is the button's text


def has_words(text: str) -> bool:
    for allowed in ALLOWED:
        text = text.replace(allowed, "")
    return any(character.isalpha() for character in text)


def prose(value: str) -> bool:
    """A string literal in an expression that reads as text for people ("Regional", "Save it"),
    not as a name (an endpoint, a CSS class, a field's name)."""
    return has_words(value) and (any(c.isspace() for c in value.strip()) or value.strip()[:1].isupper())


class _Text(HTMLParser):
    """The text nodes and read attributes of the template's HTML, once the Jinja is gone."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skipping += 1
        attrs = dict(attrs)
        for name in READ_ATTRIBUTES & set(attrs):
            if attrs[name] and has_words(attrs[name]):
                self.found.append(f'<{tag} {name}="{attrs[name]}">')
        if tag == "input" and (attrs.get("type") or "").lower() in SHOWN_VALUES and has_words(attrs.get("value") or ""):
            self.found.append(f'<input value="{attrs["value"]}">')

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skipping = max(0, self._skipping - 1)

    def handle_data(self, data):
        if not self._skipping and has_words(data):
            self.found.append(" ".join(data.split()))


def unmarked_text(source: str) -> list[str]:
    """What a template shows people that is not marked for translation: text between the tags
    and in read attributes, and text-like string literals in its expressions."""
    environment = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)  # parsed, never rendered
    environment.policies["ext.i18n.trimmed"] = True
    tree = environment.parse(source)
    translated = {id(argument) for call in tree.find_all(nodes.Call)
                  if isinstance(call.node, nodes.Name) and call.node.name in GETTEXT for argument in call.args}
    keys = {id(item.arg) for item in tree.find_all(nodes.Getitem)}  # config['NAME']: a name, not text
    translated |= keys
    literals = [f"literal {const.value!r}" for const in tree.find_all(nodes.Const)
                if isinstance(const.value, str) and id(const) not in translated and prose(const.value)]
    parser = _Text()
    # The HTML that is the template's own: Jinja's comments, tags, expressions and {% trans %}
    # blocks are gone; what an expression printed is an empty string.
    parser.feed("".join(data.data for data in tree.find_all(nodes.TemplateData)))
    parser.close()
    return parser.found + literals


def marked_templates() -> list[str]:
    return sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "templates").rglob("*")
                  if path.is_file() and is_marked(path.relative_to(ROOT).as_posix()))


@pytest.mark.parametrize("name", marked_templates())
def test_no_unmarked_english_in_a_marked_template(name):
    assert unmarked_text((ROOT / name).read_text()) == []


def test_the_scanner_finds_what_is_not_marked():
    """The check above is no rubber stamp."""
    found = unmarked_text(
        '{# a comment #}<p>{{ _("Marked") }} and plain</p><input placeholder="Name or e-mail">'
        '<input type="submit" value="Send"><img alt="{{ _("A chart") }}"><option>All events</option>'
        "{% trans %}Kept{% endtrans %}{{ user.code or 'Regional' }}{{ render(x, style='primary') }}"
        "{{ config['PASSWORD_RESET_MINUTES'] }}"
        "<title>{% block t %}{% endblock %} · SPF Coordination</title><span>{{ n }} %</span>")
    assert found == ["and plain", '<input placeholder="Name or e-mail">', '<input value="Send">', "All events",
                     "literal 'Regional'"]
