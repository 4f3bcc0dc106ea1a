"""What backups and restores of either database share: the errors, what a backup is, and the
checks of a file and a database URL."""
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
KIND_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message tells the operator why."""


@dataclass(frozen=True)
class Written:
    path: Path
    size: int
    sha256: str


@dataclass(frozen=True)
class Plan:
    """What a restore does: which file, checked, replaces which database."""

    kind: str
    source: Path
    size: int
    target: str
    revision: str | None = None  # the schema revision the backup holds, where it can be read

    def describe(self) -> str:
        revision = f", schema revision {self.revision}" if self.revision else ""
        return (f"replace everything in {self.target} with the {KIND_LABELS[self.kind]} backup "
                f"{self.source} ({self.size} bytes{revision})")



def database_kind(url: URL) -> str:
    backend = url.get_backend_name()
    if backend not in KIND_LABELS:
        raise BackupError(f"backups of {backend} databases are not supported (only SQLite and PostgreSQL)")
    return backend


def file_kind(path: Path) -> str | None:
    """``sqlite`` or ``postgresql`` (a pg_dump custom archive), from the file's first bytes."""
    with open(path, "rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC:
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    return None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def describe_database(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        return f"the SQLite database {url.database}"
    host = url.host or url.query.get("host") or "the local socket"
    port = f":{url.port}" if url.port else ""
    return f"the PostgreSQL database {url.database!r} on {host}{port}"


def one_line(message: str) -> str:
    return "; ".join(line.strip() for line in str(message).strip().splitlines() if line.strip())


def fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # not every file system syncs a directory
    finally:
        os.close(fd)
