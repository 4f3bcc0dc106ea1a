"""Dates, times and numbers as each language writes them (coordination/i18n.py): English keeps
the application's own style; Bahasa Indonesia, Thai and Vietnamese take Babel's."""
from datetime import UTC, date, datetime

import pytest

from coordination import create_app, i18n
from coordination.reporting.values import format_value

DAY = date(2027, 3, 3)
INSTANT = datetime(2027, 3, 31, 15, 59, 5, tzinfo=UTC)  # 23:59:05 in Manila


@pytest.fixture(scope="module")
def bare_app():
    return create_app({"TESTING": True, "SECRET_KEY": "formats", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def formatted(app, code, function, *args, **kwargs):
    with app.app_context(), i18n.in_language(code):
        return function(*args, **kwargs)


def test_english_reads_as_before(bare_app):
    assert formatted(bare_app, "en", i18n.format_day, DAY) == "03 Mar 2027"
    assert formatted(bare_app, "en", i18n.format_day, DAY, "long") == "03 March 2027"
    assert formatted(bare_app, "en", i18n.format_day, DAY, "full") == "Wednesday 03 March 2027"
    assert formatted(bare_app, "en", i18n.format_instant, INSTANT, "Asia/Manila") == "31 Mar 2027, 23:59"
    assert formatted(bare_app, "en", i18n.format_instant, INSTANT, "Asia/Manila", "full") == (
        "Wednesday 31 March 2027, 23:59")
    assert formatted(bare_app, "en", i18n.format_instant, INSTANT, "UTC", seconds=True) == "31 Mar 2027, 15:59:05"
    assert formatted(bare_app, "en", i18n.format_time, INSTANT, "Asia/Bangkok") == "22:59"
    assert formatted(bare_app, "en", format_value, 34.9, "percent") == "34.9 %"
    assert formatted(bare_app, "en", format_value, 100.0, "percent") == "100 %"
    assert formatted(bare_app, "en", format_value, 1234567.5, "currency") == "1,234,567.5"
    assert formatted(bare_app, "en", format_value, 2 / 3, "number") == "0.67"
    assert formatted(bare_app, "en", format_value, True, "yes_no") == "Yes"


@pytest.mark.parametrize(("code", "day", "percent", "number"), [
    ("id", "3 Mar 2027", "34,9%", "1.234.567,5"),
    ("th", "3 มี.ค. 2027", "34.9%", "1,234,567.5"),
    ("vi", "3 thg 3, 2027", "34,9%", "1.234.567,5"),
])
def test_each_language_writes_its_own_way(bare_app, code, day, percent, number):
    assert formatted(bare_app, code, i18n.format_day, DAY) == day
    assert formatted(bare_app, code, format_value, 34.9, "percent") == percent
    assert formatted(bare_app, code, format_value, 1234567.5, "number") == number
    instant = formatted(bare_app, code, i18n.format_instant, INSTANT, "Asia/Manila")
    assert "23:59" in instant or "23.59" in instant  # Indonesian writes 23.59
    assert "2027" in instant


def test_outside_an_application_english(bare_app):
    assert i18n.format_day(DAY) == "03 Mar 2027"
    assert i18n.current_locale() == "en"
    with i18n.in_language("th"):  # no application context: nothing to translate with
        assert i18n.format_percent(12.5) == "12.5 %"


def test_unknown_codes_are_english():
    assert i18n.known("th") == "th" and i18n.known("fr") is None and i18n.known(None) is None
    assert i18n.recipient_locale("xx") == "en" and i18n.recipient_locale(None) == "en"
    assert i18n.recipient_locale("vi") == "vi"
