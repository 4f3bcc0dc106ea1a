"""Dates from outside (JSON bodies, forms): ISO 8601 calendar dates from 1900-01-01 to
2199-12-31, one rule for every door.

A due date or deadline outside that span is a typing mistake, never a plan, and the
arithmetic built on such dates (the day after a deadline, reminder offsets, local
midnights) overflows near 9999-12-31: refusing them at the door keeps every later page
and export answering.
"""
from datetime import date, datetime

from coordination.i18n import N_
from coordination.messages import msg

EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
# In English; coordination.messages.translate gives it in the request's language.
OUT_OF_RANGE = msg(N_("Enter a date from %(earliest)s to %(latest)s."), earliest=EARLIEST.isoformat(),
                   latest=LATEST.isoformat())


def parse_date(value) -> date | None:
    """``value`` (a date, or an ISO 8601 date string) as a date; None when it is not one.
    Says nothing of the span: ``in_range`` does (the schemas' ``day`` checks both)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def in_range(value: date) -> bool:
    return EARLIEST <= value <= LATEST

