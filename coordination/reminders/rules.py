"""Reminder rules as arithmetic: no database, no Flask (``describe`` translates, in English
outside an application).

A rule is an offset in days from a due date. It falls due at ``hour`` o'clock local
time, in the owning country's time zone, on the day ``due date + offset``. After the last
configured offset the rule repeats every ``repeat`` days (0: no repeat). At an instant t,
the *due rule* of a subject is the latest offset that has fallen due by t.

Working days: a rule whose day is not a working day of the subject's country (its weekend, a
public holiday: coordination/workdays.py) falls due on the working day before, at the same hour.
The functions take the country's ISO code for this (None: every day counts, as in plain
arithmetic).
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext, ngettext

from coordination import clock, workdays


@dataclass(frozen=True)
class Settings:
    """The rules' configuration (coordination/config.py)."""

    hour: int = 8
    item_offsets: tuple[int, ...] = (-7, -1, 0, 1)
    report_offsets: tuple[int, ...] = (-30, -14, -7, -1, 1)
    repeat: int = 7
    escalation: int = 1  # from this offset on, coordinators (items) and the secretariat (reports)

    @classmethod
    def from_config(cls, config) -> "Settings":
        return cls(
            hour=config["REMINDER_HOUR"],
            item_offsets=tuple(config["ITEM_REMINDER_OFFSETS"]),
            report_offsets=tuple(config["REPORT_REMINDER_OFFSETS"]),
            repeat=config["REMINDER_REPEAT_DAYS"],
            escalation=config["REMINDER_ESCALATION_OFFSET"],
        )


def last_fired_day(instant: datetime, timezone: str, hour: int) -> date:
    """The latest local day whose rule hour has passed at ``instant``: every rule of that
    day or an earlier one has fallen due, none of a later day."""
    local = clock.local(instant, timezone)
    return local.date() if local.time() >= time(hour) else local.date() - timedelta(days=1)


def reach_day(instant: datetime, timezone: str, hour: int, country: str | None = None) -> date:
    """The latest rule day whose rules have fallen due at ``instant``: the last fired day, and
    after it the non-working days of ``country`` that follow it (their rules fell due on the
    working day before, which has passed)."""
    day = last_fired_day(instant, timezone, hour)
    if country is None:
        return day
    for _ in range(workdays.LONGEST_CLOSURE_DAYS + 7):
        following = day + timedelta(days=1)
        if workdays.is_working_day(country, following):
            break
        day = following
    return day


def rule_day(due_date: date, offset: int, country: str | None = None) -> date:
    """The day the rule ``offset`` of ``due_date`` falls due: due date + offset, or the working
    day before it when that is not a working day of ``country``."""
    day = due_date + timedelta(days=offset)
    return workdays.on_or_before(country, day) if country is not None else day


def days_from_due(due_date: date, offset: int, country: str | None = None) -> int:
    """How far from the due date the rule ``offset`` really falls due (moved to a working day):
    what its reminder says ("due in 2 days" on a Friday for a Sunday, not "due today")."""
    return (rule_day(due_date, offset, country) - due_date).days


def due_offset(days_after_due: int, offsets: tuple[int, ...], repeat: int) -> int | None:
    """The latest offset <= ``days_after_due`` (the last fired day minus the due date):
    one of ``offsets``, or past the last one, the last plus a multiple of ``repeat``.
    None when not even the first offset has fallen due."""
    if not offsets or days_after_due < offsets[0]:
        return None
    last = offsets[-1]
    if days_after_due >= last:
        if repeat <= 0:
            return last
        return last + (days_after_due - last) // repeat * repeat
    return max(offset for offset in offsets if offset <= days_after_due)


def due_rule(due_date: date, instant: datetime, timezone: str, offsets: tuple[int, ...],
             repeat: int, hour: int, country: str | None = None) -> int | None:
    """The due rule of a subject due on ``due_date`` at ``instant`` (of a subject of ``country``:
    counting the rules moved to an earlier working day)."""
    return due_offset((reach_day(instant, timezone, hour, country) - due_date).days, offsets, repeat)


def with_due_rule(rows, due_date_of, now: datetime, zones: dict[str, str], offsets: tuple[int, ...],
                  settings: "Settings") -> list[tuple]:
    """``(row, offset)`` for each of ``rows`` (each with a ``country_code``) whose due rule has
    fallen due at ``now``; ``due_date_of(row)`` gives the date the offsets count from."""
    found = []
    for row in rows:
        offset = due_rule(due_date_of(row), now, zones[row.country_code], offsets, settings.repeat, settings.hour,
                          row.country_code)
        if offset is not None:
            found.append((row, offset))
    return found


def fell_due_at(due_date: date, offset: int, timezone: str, hour: int, country: str | None = None) -> datetime:
    """The instant the rule ``offset`` of ``due_date`` falls due, as an aware datetime."""
    return datetime.combine(rule_day(due_date, offset, country), time(hour), tzinfo=ZoneInfo(timezone))


def horizon(instant: datetime, timezones, offsets: tuple[int, ...], hour: int) -> date | None:
    """The latest due date that can have a rule due at ``instant`` in any of ``timezones``:
    the latest reach day minus the earliest (most negative) offset. Subjects due later have
    nothing due yet, so the sweep never reads them. ``timezones``: time zone names, or a dict
    of country codes to their time zones (then each country's non-working days count)."""
    if isinstance(timezones, dict):
        days = [reach_day(instant, tz, hour, code) for code, tz in timezones.items()]
    else:
        days = [last_fired_day(instant, tz, hour) for tz in set(timezones)]
    if not days or not offsets:
        return None
    return max(days) - timedelta(days=offsets[0])


def describe(offset: int) -> str:
    """The offset as a reader says it, in the language in use: "due in 7 days", "due today",
    "3 days overdue"."""
    if offset < -1:
        return ngettext("due in %(num)d day", "due in %(num)d days", -offset)
    if offset == -1:
        return gettext("due tomorrow")
    if offset == 0:
        return gettext("due today")
    return ngettext("%(num)d day overdue", "%(num)d days overdue", offset)
