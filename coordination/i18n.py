"""The languages of the application, and dates, times and numbers as each language writes them.

Flask-Babel translates; this module chooses the language and formats:

- **The language** of a request (``select_locale``): the signed-in user's choice (the
  ``locale`` column of users: the account page, the header's switcher, ``PATCH /api/v1/me``),
  else the session's choice (an anonymous visitor chooses on the sign-in page), else the best
  match of the browser's ``Accept-Language``, else English. An e-mail is written in its
  recipient's language (``recipient_locale``, ``in_language``): the user's choice, else English
  (no browser asks for it).
- **The time zone** of a request (``select_timezone``): the signed-in user's (User.timezone).
- **Formats** (``format_day``, ``format_instant``, ``format_number``, ``format_percent``; in
  templates the filters ``day``, ``local``, ``number`` and ``percent``): Babel's, for the language
  of the request. English keeps the application's own style, as the region writes it: day, month,
  year and a 24-hour clock ("05 Mar 2027, 14:30"), a space before the percent sign ("34.9 %").

Marking a string for translation (then ``make messages``, translate the new entries of each
``translations/LANG/LC_MESSAGES/messages.po``, and add the feature's folders to MARKED in
tests/test_translations.py):

- Python, at the moment of use (a flash, a service's error): ``gettext("Saved.")``, with
  placeholders ``gettext("%(email)s is saved.", email=...)``, never an f-string; counts with
  ``ngettext("%(num)d day", "%(num)d days", n)``.
- What is defined once and rendered later (form labels, validator messages, label dicts):
  ``lazy_gettext as _l``. A constant that code compares or passes on in English:
  ``N_("...")`` here, and ``gettext(CONSTANT)`` where it is shown.
- Templates: ``{{ _('Text') }}``, ``{{ _('Hello %(name)s', name=x) }}`` (a literal % is %%),
  ``{% trans count=n %}...{% pluralize %}...{% endtrans %}`` for sentences with markup or counts.
- Dates and numbers through this module's formats, never ``strftime`` or ``f"{x:,}"``.
- Codes (JSON field names, error codes, states) never change with the language.
"""
from contextlib import contextmanager
from datetime import date, datetime, tzinfo
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import flask_babel
from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_time as babel_format_time
from babel.dates import get_datetime_format
from babel.numbers import NumberPattern, parse_pattern
from flask import Flask, g, has_request_context, request, session
from flask_login import current_user

from coordination import clock
from coordination.extensions import babel

# Each language under its own name: the switcher lists them so, whatever the page's language.
LANGUAGES = {
    "en": "English",
    "id": "Bahasa Indonesia",
    "th": "ไทย",
    "vi": "Tiếng Việt",
}
DEFAULT_LOCALE = "en"
# Where an anonymous visitor's choice (and a signed-in user's, for after they sign out) is kept.
SESSION_KEY = "locale"
TRANSLATIONS = Path(__file__).resolve().parent / "translations"

# The application's English: day month year, a 24-hour clock, "34.9 %". Other languages take
# CLDR's patterns of the same length (medium: "31 Mar 2027", long: "31 March 2027", full:
# "Wednesday 31 March 2027").
ENGLISH_DATES = {"medium": "dd MMM y", "long": "dd MMMM y", "full": "EEEE dd MMMM y"}
ENGLISH_DATE_AND_TIME = "{1}, {0}"
ENGLISH_PERCENT = "#,##0.## %"
FRACTION_DIGITS = 2


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it: a module constant that is
    translated where it is used (``gettext(CONSTANT)``) and compared in English elsewhere."""
    return message


def known(code) -> str | None:
    """``code`` when it is one of LANGUAGES, else None."""
    return code if isinstance(code, str) and code in LANGUAGES else None


def _uses_the_session() -> bool:
    """Pages do; the JSON API has no session (its user comes with the bearer token)."""
    return request.blueprint != "api"


def _signed_in_user():
    user = g.get("api_user")
    if user is None and _uses_the_session() and current_user.is_authenticated:
        user = current_user
    return user


def select_locale() -> str:
    """The language of this request (see the module's docstring)."""
    if not has_request_context():
        return DEFAULT_LOCALE
    chosen = known(getattr(_signed_in_user(), "locale", None))
    if chosen is None and _uses_the_session():
        chosen = known(session.get(SESSION_KEY))
    return chosen or request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LOCALE


def select_timezone() -> str | None:
    """The signed-in user's time zone; None (UTC) for anonymous requests."""
    if not has_request_context():
        return None
    return getattr(_signed_in_user(), "timezone", None)


def current_locale() -> str:
    """The code of the language in use (the request's, or the one ``in_language`` forces)."""
    return known(getattr(flask_babel.get_locale(), "language", None)) or DEFAULT_LOCALE


def recipient_locale(code) -> str:
    """The language to write to a user in, from the user's ``locale``: their choice, else English."""
    return known(code) or DEFAULT_LOCALE


@contextmanager
def in_language(code):
    """Translate and format in ``code`` inside the block (an e-mail, an outbox row for its
    recipient), whatever the request's language; outside an application context, English."""
    with flask_babel.force_locale(recipient_locale(code)):
        yield


def return_path() -> str:
    """Where the language switcher of this page brings the visitor back to: this page; for a page
    that answers a form, the page the form was on (the Referer, when it is this site's)."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path.startswith("/"):
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return "/"


def refresh() -> None:
    """The language was changed during this request: choose it anew for what is rendered next."""
    flask_babel.refresh()


# -- formats ---------------------------------------------------------------------------------------

def _locale() -> Locale:
    return flask_babel.get_locale() or Locale.parse(DEFAULT_LOCALE)


def _english(locale: Locale) -> bool:
    return locale.language == "en"


def format_day(value: date | None, style: str = "medium") -> str:
    """A calendar date: ``medium`` 31 Mar 2027, ``long`` 31 March 2027, ``full`` Wednesday 31 March 2027."""
    if value is None:
        return ""
    locale = _locale()
    return babel_format_date(value, ENGLISH_DATES[style] if _english(locale) else style, locale=locale)


def format_instant(value: datetime | None, timezone: str | tzinfo, style: str = "medium",
                   seconds: bool = False) -> str:
    """An instant on the wall clock of ``timezone``: 31 Mar 2027, 14:30 (``style`` as format_day's;
    with ``seconds``, 14:30:05)."""
    if value is None:
        return ""
    locale = _locale()
    local = clock.local(value, timezone)
    if _english(locale):
        time_pattern, combined = ("HH:mm:ss" if seconds else "HH:mm"), ENGLISH_DATE_AND_TIME
    else:
        time_pattern, combined = ("medium" if seconds else "short"), get_datetime_format(style, locale=locale)
    time_text = babel_format_time(local.time(), time_pattern, locale=locale)
    return combined.replace("'", "").replace("{0}", time_text).replace("{1}", format_day(local.date(), style))


def format_time(value: datetime | None, timezone: str | tzinfo) -> str:
    """The time of day of an instant on the wall clock of ``timezone``: 14:30."""
    if value is None:
        return ""
    locale = _locale()
    return babel_format_time(clock.local(value, timezone).time(), "HH:mm" if _english(locale) else "short",
                             locale=locale)


def _pattern(pattern: str, fraction_digits: int) -> NumberPattern:
    parsed = parse_pattern(pattern)
    parsed.frac_prec = (0, fraction_digits)
    return parsed


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def format_number(value, fraction_digits: int = FRACTION_DIGITS) -> str:
    """A number with the language's separators, at most ``fraction_digits`` decimals: 1,234,567.5."""
    locale = _locale()
    return _pattern(locale.decimal_formats[None].pattern, fraction_digits).apply(_decimal(value), locale)


def format_percent(value, fraction_digits: int = FRACTION_DIGITS) -> str:
    """A percentage given in percent (34.9 for 34.9 %): 34.9 %, in Thai 34.9%, in Vietnamese 34,9%."""
    locale = _locale()
    pattern = ENGLISH_PERCENT if _english(locale) else locale.percent_formats[None].pattern
    return _pattern(pattern, fraction_digits).apply(_decimal(value) / 100, locale)


# -- the application ---------------------------------------------------------------------------------

def _vary(response):
    """A page's language may come from Accept-Language: caches keep one copy per language."""
    if request.endpoint != "static" and not (request.endpoint or "").endswith(".static"):
        response.vary.add("Accept-Language")
    return response


def init_app(app: Flask) -> None:
    babel.init_app(app, default_locale=DEFAULT_LOCALE, default_translation_directories=str(TRANSLATIONS),
                   locale_selector=select_locale, timezone_selector=select_timezone)
    # {% trans %} blocks may span lines in the templates: their messages are one line each.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.add_template_filter(format_day, "day")
    app.add_template_filter(format_instant, "local")
    app.add_template_filter(format_number, "number")
    app.add_template_filter(format_percent, "percent")
    app.context_processor(lambda: {"languages": LANGUAGES, "current_locale": current_locale,
                                   "return_path": return_path})
    app.after_request(_vary)
