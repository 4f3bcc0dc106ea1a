"""Working days of each member state: its weekend and its public holidays (the ``holidays``
package, by ISO code). Brunei rests on Friday and Sunday; the others on Saturday and Sunday.

Plain functions of (country code, date); a country's calendar of one year is built once per
process and kept.
"""
from datetime import date, timedelta
from functools import lru_cache

import holidays

# Long closures (Myanmar's Thingyan, Viet Nam's Tết) stay well inside this many days.
LONGEST_CLOSURE_DAYS = 31


@lru_cache(maxsize=512)
def _calendar(country_code: str, year: int, language: str | None = None) -> holidays.HolidayBase:
    return holidays.country_holidays(country_code, years=year, language=language)


def weekend(country_code: str) -> frozenset[int]:
    """The weekdays (Monday 0 … Sunday 6) the country rests on."""
    return frozenset(_calendar(country_code, 2000).weekend)


def supported_languages(country_code: str) -> tuple[str, ...]:
    """The languages the country's holiday names come in."""
    return tuple(_calendar(country_code, 2000).supported_languages)


def is_working_day(country_code: str, day: date) -> bool:
    return day.weekday() not in weekend(country_code) and day not in _calendar(country_code, day.year)


def holiday_name(country_code: str, day: date, language: str | None = None) -> str | None:
    """The public holiday on ``day``, or None (a plain weekend day is no holiday)."""
    return _calendar(country_code, day.year, language).get(day)


def holidays_of(country_code: str, year: int, language: str | None = None) -> list[tuple[date, str]]:
    """The country's public holidays of ``year``, in date order."""
    return sorted(_calendar(country_code, year, language).items())


def on_or_before(country_code: str, day: date) -> date:
    """``day`` if it is a working day, else the last working day before it."""
    for _ in range(LONGEST_CLOSURE_DAYS + 7):
        if is_working_day(country_code, day):
            return day
        day -= timedelta(days=1)
    return day


def working_days_before(country_code: str, day: date, count: int) -> date:
    """The working day ``count`` working days before ``day`` (``day`` itself not counted)."""
    while count > 0:
        day -= timedelta(days=1)
        if is_working_day(country_code, day):
            count -= 1
    return day


def on_or_after(country_code: str, day: date) -> date:
    """``day`` if it is a working day, else the first working day after it."""
    for _ in range(LONGEST_CLOSURE_DAYS + 7):
        if is_working_day(country_code, day):
            return day
        day += timedelta(days=1)
    return day
