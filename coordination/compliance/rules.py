"""Compliance arithmetic: plain functions of dates, instants, time zones and ``now``.

A deadline is a date interpreted in the reporting country's own time zone: a report is on
time when its *first* submission is made before 00:00 local time of the day after the
(effective) deadline. Nothing here reads the clock, the database or the request.
"""
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from coordination.i18n import N_

PENDING, ON_TIME, LATE, MISSING = "pending", "on_time", "late", "missing"
COMPLIANCE = (ON_TIME, LATE, MISSING, PENDING)
# In English, for comparisons and exports; shown through gettext().
COMPLIANCE_LABELS = {ON_TIME: N_("On time"), LATE: N_("Late"), MISSING: N_("Missing"), PENDING: N_("Pending")}


def _zone(timezone: str | tzinfo) -> tzinfo:
    return ZoneInfo(timezone) if isinstance(timezone, str) else timezone


def _aware(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("compliance needs timezone-aware instants")
    return instant


def cutoff(deadline: date, timezone: str | tzinfo) -> datetime:
    """The first instant that is too late: 00:00 of the day after ``deadline``, local time."""
    return datetime.combine(deadline + timedelta(days=1), time(0), tzinfo=_zone(timezone))


def local_date(instant: datetime, timezone: str | tzinfo) -> date:
    return _aware(instant).astimezone(_zone(timezone)).date()


def status(deadline: date, timezone: str | tzinfo, first_submitted_at: datetime | None, now: datetime,
           *, closed: bool = False) -> str:
    """``on_time``, ``late``, ``missing`` or ``pending`` for one report. A report of a closed
    (or published) cycle that was never submitted can no longer be: ``missing``, even before
    its deadline."""
    limit = cutoff(deadline, timezone)
    if first_submitted_at is not None:
        return ON_TIME if _aware(first_submitted_at) < limit else LATE
    return MISSING if closed or _aware(now) >= limit else PENDING


def days_late(deadline: date, timezone: str | tzinfo, first_submitted_at: datetime | None, now: datetime,
              *, closed: bool = False) -> int:
    """Late: the local date of the first submission minus the deadline date. Missing: today's
    local date minus the deadline date (0 while the deadline is ahead). On time and pending: 0."""
    state = status(deadline, timezone, first_submitted_at, now, closed=closed)
    if state == LATE:
        return (local_date(first_submitted_at, timezone) - deadline).days
    if state == MISSING:
        return max((local_date(now, timezone) - deadline).days, 0)
    return 0


def percent(part: int, whole: int) -> float:
    """``part`` of ``whole`` in percent, one decimal; 0 when nothing is expected."""
    if whole <= 0:
        return 0.0
    return round(100.0 * part / whole, 1)


def completeness(answered: int, required: int) -> float:
    """Required indicators answered, in percent (a template without required ones is complete)."""
    if required <= 0:
        return 100.0
    return percent(min(answered, required), required)


@dataclass(frozen=True)
class Totals:
    expected: int
    actual: int
    on_time: int
    late: int
    missing: int
    pending: int
    reporting_rate: float
    reporting_rate_on_time: float

    def count(self, compliance: str) -> int:
        return getattr(self, compliance)

    @property
    def decided(self) -> int:
        """Reports whose timeliness is known: submitted, or missing once the deadline has
        passed. A pending report (not submitted, its deadline still ahead) is not counted
        against anybody in "on time N of M"."""
        return self.expected - self.pending


def totals(statuses: Iterable[str]) -> Totals:
    """Expected reports (one per status), actual ones (submitted at least once) and the rates."""
    counts = {key: 0 for key in COMPLIANCE}
    for state in statuses:
        counts[state] += 1
    expected = sum(counts.values())
    actual = counts[ON_TIME] + counts[LATE]
    return Totals(expected=expected, actual=actual, on_time=counts[ON_TIME], late=counts[LATE],
                  missing=counts[MISSING], pending=counts[PENDING],
                  reporting_rate=percent(actual, expected),
                  reporting_rate_on_time=percent(counts[ON_TIME], expected))
