"""Writing outbox rows: the one place that inserts with the unique key doing the
de-duplication, so that concurrent writers (three sweeps at once) queue each row once."""
from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite

from coordination.reminders.models import PENDING, Notification

CHUNK = 500  # rows per INSERT: far below SQLite's limit of bound parameters


def row(*, user_id: int, kind: str, title: str, now: datetime, occurred_at: datetime, body: str = "",
        url: str = "", subject_type: str | None = None, subject_id: int | None = None,
        offset_days: int | None = None, due_date=None, event: str | None = None) -> dict:
    """Every column of a new pending row (a multi-row INSERT fills no Python defaults)."""
    return {
        "user_id": user_id, "kind": kind, "subject_type": subject_type, "subject_id": subject_id,
        "offset_days": offset_days, "due_date": due_date, "event": event, "title": title[:300],
        "body": body, "url": url[:300], "occurred_at": occurred_at, "created_at": now, "read_at": None,
        "status": PENDING, "attempts": 0, "next_attempt_at": now, "claimed_at": None, "claim_token": None,
        "sent_at": None, "last_error": "", "digest_id": None,
    }


def insert_new(session, rows: list[dict]) -> list[int]:
    """INSERT ... ON CONFLICT DO NOTHING; the ids of the rows actually inserted.

    Callers pass rows in a stable order (sorted by key): on PostgreSQL two writers that
    insert the same keys in the same order wait for each other instead of deadlocking."""
    if not rows:
        return []
    dialect = session.get_bind().dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}.get(dialect)
    if insert is None:
        raise RuntimeError(f"the outbox supports SQLite and PostgreSQL, not {dialect}")
    table = Notification.__table__
    # One statement with the rows as parameters: SQLAlchemy caches it and batches the rows
    # into multi-row VALUES itself ("insertmanyvalues"), where a .values(rows) statement
    # would be compiled anew for every sweep.
    statement = insert(table).on_conflict_do_nothing().returning(table.c.id)
    inserted: list[int] = []
    for start in range(0, len(rows), CHUNK):
        inserted.extend(session.execute(statement, rows[start:start + CHUNK]).scalars().all())
    return inserted
