"""Writing and reading audit events. ``record`` flushes; the caller commits, so that an
event is kept exactly when what it describes is."""
from datetime import datetime

from sqlalchemy import func, select

from coordination import paging
from coordination.audit.filters import AuditFilters
from coordination.audit.models import EVENT_TYPES, AuditEvent


def record(session, type: str, now: datetime, *, actor=None, email: str = "", address: str = "",
           detail: dict | None = None) -> AuditEvent:
    if type not in EVENT_TYPES:
        raise ValueError(f"unknown audit event type {type!r}")
    event = AuditEvent(
        type=type, at=now, actor_id=actor.id if actor is not None else None,
        email=(email or (actor.email if actor is not None else ""))[:254],
        address=(address or "")[:64], detail=detail or {},
    )
    session.add(event)
    session.flush()
    return event


def page(session, filters: AuditFilters, number: int, per_page: int) -> tuple[list[AuditEvent], int]:
    """One page of the events that match, newest first, and how many match in all."""
    statement = select(AuditEvent)
    if filters.type:
        statement = statement.where(AuditEvent.type == filters.type)
    if filters.email:
        statement = statement.where(AuditEvent.email == filters.email)
    if filters.since is not None:
        statement = statement.where(AuditEvent.at >= filters.since)
    total = session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = session.scalars(statement.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                           .limit(per_page).offset(paging.offset(number, per_page))).all()
    return rows, total
