"""SQLite: the online backup API copies the database in one read transaction (a consistent
snapshot; under WAL the writers go on meanwhile) into a self-contained file; a restore copies a
verified backup back through the same API into the live file."""
import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import URL

from coordination.backup.files import BackupError

# How long SQLite waits for a lock another connection holds (the application's own setting).
SQLITE_BUSY_SECONDS = 15


def database_file(url: URL) -> Path:
    database = url.database
    if not database or database == ":memory:" or url.query.get("mode") == "memory":
        raise BackupError("the configured SQLite database lives in memory: there is no file to back up or restore")
    return Path(database)


def connect(path: Path, mode: str) -> sqlite3.Connection:
    """A connection that never creates ``path`` (``mode`` rw or ro); ``immutable`` for backups."""
    query = "mode=ro&immutable=1" if mode == "immutable" else f"mode={mode}"
    return sqlite3.connect(f"{path.resolve().as_uri()}?{query}", uri=True, timeout=SQLITE_BUSY_SECONDS,
                           isolation_level=None)


def copy(source: Path, partial: Path) -> None:
    try:
        with closing(connect(source, "rw")) as src, \
                closing(sqlite3.connect(partial, isolation_level=None)) as dst:
            # All pages in one step: one read transaction, so one consistent snapshot.
            src.backup(dst)
            # A self-contained file: no write-ahead log beside it when it is opened later.
            dst.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as exc:
        raise BackupError(f"could not copy the SQLite database {source}: {exc}") from None


def check(source: Path) -> str | None:
    """Refuse a file that is not a sound SQLite database of this application; its revision."""
    with open(source, "rb") as handle:
        header = handle.read(100)
    if header[18:20] == b"\x02\x02" and Path(f"{source}-wal").exists():
        raise BackupError(f"{source} has a write-ahead log beside it: it is a live database, not a backup "
                          f"(take one with `flask backup`)")
    try:
        with closing(connect(source, "immutable")) as conn:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise BackupError(f"{source} fails SQLite's integrity check: {'; '.join(problems[:5])}")
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{source} is damaged: {exc}") from None
    if "users" not in tables:
        raise BackupError(f"{source} is a SQLite database but not one of this application (it has no users table)")
    return revision


def restore(source: Path, live: Path) -> None:
    """Copy the backup into the live file through SQLite's backup API: in one write
    transaction of the live database, which open connections then see, and which SQLite
    rolls back if it fails half-way. (Renaming a file over the live one would leave running
    processes writing into the replaced file, and its -wal file beside the new one.)"""
    try:
        with closing(connect(source, "immutable")) as src, \
                closing(sqlite3.connect(live, timeout=SQLITE_BUSY_SECONDS, isolation_level=None)) as dst:
            src.backup(dst)
    except sqlite3.Error as exc:
        raise BackupError(f"could not restore into {live}: {exc}; the database is unchanged") from None
