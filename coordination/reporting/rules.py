"""Deadline rules of regional reporting, shared by the reporting services and the reminders:
the deadline that applies to a country is the latest extension granted to it in the cycle
(rows are kept, the latest counts), else the cycle's own deadline.

Two forms of the same rule: one over a loaded cycle, one as SQL for queries over many reports.
"""
from datetime import date

from sqlalchemy import func, select

from coordination.reporting.models import Extension, ReportingCycle


def effective_deadline(cycle: ReportingCycle, country_code: str) -> tuple[date, Extension | None]:
    """The deadline that applies to a country: the latest extension granted, else the cycle's."""
    granted = [e for e in cycle.extensions if e.country_code == country_code]
    if granted:
        return granted[-1].deadline, granted[-1]
    return cycle.deadline, None


def latest_extensions():
    """A subquery of the extension that counts for each (cycle, country) granted one: the latest
    (rows are kept). Columns: cycle_id, country_code, deadline, reason."""
    latest = (select(func.max(Extension.id).label("id"))
              .group_by(Extension.cycle_id, Extension.country_code).subquery())
    return (select(Extension.cycle_id, Extension.country_code, Extension.deadline, Extension.reason)
            .join(latest, latest.c.id == Extension.id).subquery())
