"""The history of indicator values: every saved change of a value, its availability flag, its
reason or its note is one append-only row (the database refuses UPDATE and DELETE of them),
written by the service that saves the value, whoever saves it (the report page, the API, the
page of a data request). Services flush; the caller commits."""
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from coordination.i18n import N_
from coordination.reporting.models import CountryReport, IndicatorValue, ValueChange

SOURCES = ("page", "api", "data_request", "import", "migration", "demo")
SOURCE_LABELS = {"page": N_("The report page"), "api": N_("The API"), "data_request": N_("A data request"),
                 "import": N_("An import"), "migration": N_("Before the history was kept"),
                 "demo": N_("Demo data")}
TRACKED = ("availability", "number", "text", "flag", "breakdown", "reason", "note")


def state_of(row: IndicatorValue | None) -> tuple | None:
    """What a change is judged by: the value (in each column), the flag, the reason, the note."""
    if row is None:
        return None
    return tuple(getattr(row, name) for name in TRACKED)


def record_change(session, actor, row: IndicatorValue, now: datetime, source: str,
                  before: tuple | None = None, import_name: str | None = None) -> ValueChange | None:
    """Append the state ``row`` holds now, unless it equals ``before`` (a save that changed
    nothing is no change); ``import_name`` names the file of an import. ``row`` must have an id
    (flushed)."""
    if before is not None and state_of(row) == before:
        return None
    change = ValueChange(value_id=row.id, report_id=row.report_id, at=now, actor_id=actor.id if actor else None,
                         source=source, import_name=import_name, **{name: getattr(row, name) for name in TRACKED})
    change.reason, change.note = change.reason or "", change.note or ""
    session.add(change)
    session.flush()
    return change


def changes_of(session, row: IndicatorValue | None) -> list[ValueChange]:
    """The changes of one value, oldest first, with who made them (one query)."""
    if row is None or row.id is None:
        return []
    return list(session.scalars(select(ValueChange).where(ValueChange.value_id == row.id)
                                .options(joinedload(ValueChange.actor)).order_by(ValueChange.id)))


def change_counts(session, report: CountryReport) -> dict[int, int]:
    """How many changes each value of the report has, by value id (one query, over an index)."""
    return dict(session.execute(select(ValueChange.value_id, func.count()).where(
        ValueChange.report_id == report.id).group_by(ValueChange.value_id)).all())
