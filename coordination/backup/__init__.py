"""Backups of the configured database while the application runs, and their restore.

SQLite (backup/sqlite.py): the online backup API copies the database in one read transaction (a
consistent snapshot; under WAL the writers go on meanwhile) into a self-contained file; a restore
copies a verified backup back through the same API into the live file, so connections that are
open see the restored database at their next transaction, and a restore that fails half-way is
rolled back by SQLite itself. PostgreSQL (backup/postgres.py): ``pg_dump --format=custom`` (one
snapshot of the whole database); a restore turns the archive into SQL with ``pg_restore --clean
--if-exists --no-owner`` and runs it through ``psql`` in one transaction that first empties the
schemas it replaces, so that tables of a newer schema go too and ``flask db upgrade`` can bring an
older backup up to date; a restore that fails changes nothing. Credentials reach the PostgreSQL
programs through the environment (PGPASSWORD and its siblings), never on their command line.

The functions take the database URL and paths and raise ``BackupError`` with a message for the
operator; the ``backup`` and ``restore`` commands (backup/cli.py) are their door from the CLI.
"""
import os
import re
import tempfile
from pathlib import Path

from sqlalchemy import create_engine, inspect, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from coordination.backup import postgres, sqlite
from coordination.backup.files import (
    KIND_LABELS,
    BackupError,
    Plan,
    Written,
    database_kind,
    describe_database,
    file_kind,
    fsync_directory,
    sha256_of,
)
from coordination.backup.postgres import find_tool, libpq_environment

__all__ = ["BackupError", "Plan", "Written", "backup", "check_restore", "file_kind", "find_tool",
           "libpq_environment", "restore", "schema_revision"]


def backup(database_url: str, target, *, force: bool = False, pg_bin_dir: str = "") -> Written:
    """Write a consistent copy of the database at ``database_url`` to ``target``.

    The copy is written to a temporary file beside ``target`` and renamed at the end, so that a
    failed backup never leaves a half file under the target's name; an existing ``target`` is
    kept unless ``force``."""
    url = make_url(database_url)
    kind = database_kind(url)
    target = Path(target)
    _check_target(target, force)
    if kind == "sqlite":
        source = sqlite.database_file(url)
        if not source.is_file():
            raise BackupError(f"the SQLite database {source} does not exist")
        if target.exists() and target.resolve() == source.resolve():
            raise BackupError(f"{target} is the configured database itself")

        def write(partial: Path) -> None:
            sqlite.copy(source, partial)
    else:
        major = postgres.server_major_version(url)
        pg_dump = find_tool("pg_dump", major, pg_bin_dir)

        def write(partial: Path) -> None:
            postgres.dump(url, pg_dump, partial)

    directory = target.parent
    try:
        fd, name = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".partial")
    except OSError as exc:
        raise BackupError(f"cannot write in the directory {directory}: {exc.strerror}") from None
    os.close(fd)  # created with mode 0600: a backup holds password hashes and MFA secrets
    partial = Path(name)
    try:
        write(partial)
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        size, digest = partial.stat().st_size, sha256_of(partial)
        _publish(partial, target, force)
        fsync_directory(directory)
    except OSError as exc:
        raise BackupError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        partial.unlink(missing_ok=True)
    return Written(target, size, digest)


def _check_target(target: Path, force: bool) -> None:
    directory = target.parent
    if not directory.is_dir():
        raise BackupError(f"the directory {directory} does not exist")
    if target.is_dir():
        raise BackupError(f"{target} is a directory: give the backup a file name")
    if target.exists() and not force:
        raise BackupError(f"{target} exists already: choose another name, or add --force to replace it")


def _publish(partial: Path, target: Path, force: bool) -> None:
    """Give the finished backup its name, atomically."""
    if force:
        os.replace(partial, target)
        return
    try:
        os.link(partial, target)  # fails if a file of that name appeared meanwhile
    except FileExistsError:
        raise BackupError(f"{target} exists already: choose another name, or add --force to replace it") from None
    except OSError:  # a file system without hard links
        if target.exists():
            raise BackupError(f"{target} exists already: choose another name, or add --force to replace it") from None
        os.replace(partial, target)


def _check_source(source: Path, kind: str) -> None:
    if not source.exists():
        raise BackupError(f"{source} does not exist")
    if not source.is_file():
        raise BackupError(f"{source} is not a file")
    found = file_kind(source)
    if found is None:
        raise BackupError(f"{source} is neither a SQLite database nor a pg_dump custom archive "
                          f"(pg_dump --format=custom), as `flask backup` writes")
    if found != kind:
        raise BackupError(f"{source} is a backup of a {KIND_LABELS[found]} database, but the configured database "
                          f"is {KIND_LABELS[kind]}: it cannot be restored here")


def check_restore(database_url: str, source, *, pg_bin_dir: str = "") -> Plan:
    """Check that ``source`` can replace the database at ``database_url``; what restoring does."""
    plan, _ = _prepare(make_url(database_url), Path(source), pg_bin_dir)
    return plan


def restore(database_url: str, source, *, pg_bin_dir: str = "") -> Plan:
    """Replace the database at ``database_url`` with the backup ``source``, once checked."""
    url = make_url(database_url)
    plan, run = _prepare(url, Path(source), pg_bin_dir)
    run()
    return plan


def _prepare(url: URL, source: Path, pg_bin_dir: str):
    kind = database_kind(url)
    _check_source(source, kind)
    size = source.stat().st_size
    if kind == "sqlite":
        live = sqlite.database_file(url)
        if live.exists() and live.resolve() == source.resolve():
            raise BackupError(f"{source} is the configured database itself")
        if not live.parent.is_dir():
            raise BackupError(f"the directory {live.parent} of the configured database does not exist")
        revision = sqlite.check(source)
        return Plan(kind, source, size, describe_database(url), revision), lambda: sqlite.restore(source, live)
    major = postgres.server_major_version(url)
    pg_restore, psql = find_tool("pg_restore", major, pg_bin_dir), find_tool("psql", major, pg_bin_dir)
    contents = postgres.archive_contents(source, pg_restore)
    if not re.search(r"^\d+; \d+ \d+ TABLE \S+ users ", contents, flags=re.MULTILINE):
        raise BackupError(f"{source} is a pg_dump archive but not one of this application (it has no users table)")
    schemas = postgres.archive_schemas(contents)
    return (Plan(kind, source, size, describe_database(url)),
            lambda: postgres.restore(url, source, pg_restore, psql, schemas))


def schema_revision(database_url: str) -> str | None:
    """The Alembic revision the database is at (None: not recorded)."""
    engine = create_engine(make_url(database_url), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.scalar(text("SELECT version_num FROM alembic_version"))
    finally:
        engine.dispose()
