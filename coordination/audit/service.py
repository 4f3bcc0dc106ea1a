"""Writing and reading audit events. ``record`` flushes; the caller commits, so that an
event is kept exactly when what it describes is."""
from datetime import datetime

from sqlalchemy import func, select

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


def search(session, *, type: str | None = None, email: str | None = None, since: datetime | None = None):
    """The statement of the events that match, newest first (for paging)."""
    statement = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if type:
        statement = statement.where(AuditEvent.type == type)
    if email:
        statement = statement.where(AuditEvent.email == email.strip().lower())
    if since is not None:
        statement = statement.where(AuditEvent.at >= since)
    return statement


def count(session, statement) -> int:
    return session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
