"""Backups of the configured database while the application runs, and their restore.

SQLite: the online backup API copies the database in one read transaction (a consistent
snapshot; under WAL the writers go on meanwhile) into a self-contained file; a restore copies a
verified backup back through the same API into the live file, so connections that are open see
the restored database at their next transaction, and a restore that fails half-way is rolled back
by SQLite itself. PostgreSQL: ``pg_dump --format=custom`` (one snapshot of the whole database);
a restore turns the archive into SQL with ``pg_restore --clean --if-exists --no-owner`` and runs
it through ``psql`` in one transaction that first empties the schemas it replaces, so that tables
of a newer schema go too and ``flask db upgrade`` can bring an older backup up to date; a restore
that fails changes nothing. Credentials reach the PostgreSQL programs through the environment
(PGPASSWORD and its siblings), never on their command line.

The functions take the database URL and paths and raise ``BackupError`` with a message for the
operator; the ``backup`` and ``restore`` commands at the end are their door from the CLI.
"""
import glob
import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import create_engine, inspect, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
KIND_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# How long SQLite waits for a lock another connection holds (the application's own setting).
SQLITE_BUSY_SECONDS = 15
# How long a restore waits for the locks of tables that running processes use.
PG_LOCK_TIMEOUT = "60s"
APPLICATION_NAME = "spf-coordination backup"

# URL query parameters that libpq also reads from the environment.
LIBPQ_ENVIRONMENT = {
    "host": "PGHOST", "hostaddr": "PGHOSTADDR", "port": "PGPORT", "user": "PGUSER",
    "password": "PGPASSWORD", "dbname": "PGDATABASE", "passfile": "PGPASSFILE",
    "service": "PGSERVICE", "options": "PGOPTIONS", "application_name": "PGAPPNAME",
    "connect_timeout": "PGCONNECT_TIMEOUT", "sslmode": "PGSSLMODE", "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY", "sslrootcert": "PGSSLROOTCERT", "sslcrl": "PGSSLCRL",
    "channel_binding": "PGCHANNELBINDING", "gssencmode": "PGGSSENCMODE",
    "krbsrvname": "PGKRBSRVNAME", "target_session_attrs": "PGTARGETSESSIONATTRS",
}

# Run first in the restore's transaction: drop what the schemas being replaced hold (tables,
# views, sequences, routines, types), including what the archive does not know (the tables of
# a newer migration), which ``pg_restore --clean`` alone would leave behind. Objects that belong
# to an extension stay.
EMPTY_SCHEMAS = """
DO $restore$
DECLARE
  r record;
  schemas text[] := {schemas};
BEGIN
  FOR r IN
    SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END AS kind,
           format('%I.%I', n.nspname, c.relname) AS name
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = ANY (schemas) AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                       AND d.objid = c.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('DROP %s IF EXISTS %s CASCADE', r.kind, r.name);
  END LOOP;
  FOR r IN
    SELECT format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) AS name
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = ANY (schemas)
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                       AND d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('DROP ROUTINE IF EXISTS %s CASCADE', r.name);
  END LOOP;
  FOR r IN
    SELECT CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END AS kind,
           format('%I.%I', n.nspname, t.typname) AS name
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname = ANY (schemas) AND t.typtype IN ('c', 'd', 'e', 'r')
       AND (t.typtype <> 'c' OR (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass
                       AND d.objid = t.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('DROP %s IF EXISTS %s CASCADE', r.kind, r.name);
  END LOOP;
END
$restore$;
"""


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


# -- shared --------------------------------------------------------------------------------


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


def _one_line(message: str) -> str:
    return "; ".join(line.strip() for line in str(message).strip().splitlines() if line.strip())


def _fsync_directory(directory: Path) -> None:
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


# -- backup --------------------------------------------------------------------------------


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
        source = _sqlite_file(url)
        if not source.is_file():
            raise BackupError(f"the SQLite database {source} does not exist")
        if target.exists() and target.resolve() == source.resolve():
            raise BackupError(f"{target} is the configured database itself")

        def write(partial: Path) -> None:
            _sqlite_backup(source, partial)
    else:
        major = _postgres_major_version(url)
        pg_dump = find_tool("pg_dump", major, pg_bin_dir)

        def write(partial: Path) -> None:
            _pg_dump(url, pg_dump, partial)

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
        _fsync_directory(directory)
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


# -- SQLite --------------------------------------------------------------------------------


def _sqlite_file(url: URL) -> Path:
    database = url.database
    if not database or database == ":memory:" or url.query.get("mode") == "memory":
        raise BackupError("the configured SQLite database lives in memory: there is no file to back up or restore")
    return Path(database)


def _sqlite_connect(path: Path, mode: str) -> sqlite3.Connection:
    """A connection that never creates ``path`` (``mode`` rw or ro); ``immutable`` for backups."""
    query = "mode=ro&immutable=1" if mode == "immutable" else f"mode={mode}"
    return sqlite3.connect(f"{path.resolve().as_uri()}?{query}", uri=True, timeout=SQLITE_BUSY_SECONDS,
                           isolation_level=None)


def _sqlite_backup(source: Path, partial: Path) -> None:
    try:
        with closing(_sqlite_connect(source, "rw")) as src, \
                closing(sqlite3.connect(partial, isolation_level=None)) as dst:
            # All pages in one step: one read transaction, so one consistent snapshot.
            src.backup(dst)
            # A self-contained file: no write-ahead log beside it when it is opened later.
            dst.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as exc:
        raise BackupError(f"could not copy the SQLite database {source}: {exc}") from None


def _check_sqlite_backup(source: Path) -> str | None:
    """Refuse a file that is not a sound SQLite database of this application; its revision."""
    with open(source, "rb") as handle:
        header = handle.read(100)
    if header[18:20] == b"\x02\x02" and Path(f"{source}-wal").exists():
        raise BackupError(f"{source} has a write-ahead log beside it: it is a live database, not a backup "
                          f"(take one with `flask backup`)")
    try:
        with closing(_sqlite_connect(source, "immutable")) as conn:
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


def _sqlite_restore(source: Path, live: Path) -> None:
    """Copy the backup into the live file through SQLite's backup API: in one write
    transaction of the live database, which open connections then see, and which SQLite
    rolls back if it fails half-way. (Renaming a file over the live one would leave running
    processes writing into the replaced file, and its -wal file beside the new one.)"""
    try:
        with closing(_sqlite_connect(source, "immutable")) as src, \
                closing(sqlite3.connect(live, timeout=SQLITE_BUSY_SECONDS, isolation_level=None)) as dst:
            src.backup(dst)
    except sqlite3.Error as exc:
        raise BackupError(f"could not restore into {live}: {exc}; the database is unchanged") from None


# -- PostgreSQL ----------------------------------------------------------------------------


def libpq_environment(url: URL) -> dict[str, str]:
    """The environment that points pg_dump, pg_restore and psql at ``url``'s database."""
    env = dict(os.environ)
    for key, value in url.query.items():
        name = LIBPQ_ENVIRONMENT.get(key)
        if name:
            env[name] = value[-1] if isinstance(value, tuple) else value
    for name, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                        ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value:
            env[name] = str(value)
    env.setdefault("PGCONNECT_TIMEOUT", "10")
    env.setdefault("PGAPPNAME", APPLICATION_NAME)
    return env


def _postgres_major_version(url: URL) -> int:
    """The server's major version; a clear error when it cannot be reached."""
    connect_args = {} if "connect_timeout" in url.query else {"connect_timeout": 10}
    engine = create_engine(url, poolclass=NullPool, connect_args=connect_args)
    try:
        with engine.connect() as conn:
            number = int(conn.exec_driver_sql("SHOW server_version_num").scalar())
    except SQLAlchemyError as exc:
        reason = _one_line(getattr(exc, "orig", None) or exc)
        raise BackupError(f"cannot connect to {describe_database(url)}: {reason}") from None
    finally:
        engine.dispose()
    return number // 10000


def tool_version(path: Path) -> int | None:
    try:
        completed = subprocess.run(  # noqa: S603 - a program of our own choosing, no shell
            [str(path), "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"\(PostgreSQL\) (\d+)", completed.stdout)
    return int(found.group(1)) if completed.returncode == 0 and found else None


def find_tool(name: str, server_major: int, pg_bin_dir: str = "") -> Path:
    """``name`` (pg_dump, pg_restore, psql) of the server's major version: from ``pg_bin_dir``
    when set, else the PATH's or one of /usr/lib/postgresql/*/bin; a newer one if no exact match
    (an older pg_dump refuses a newer server)."""
    if pg_bin_dir:
        candidate = Path(pg_bin_dir) / name
        if not (candidate.is_file() and os.access(candidate, os.X_OK)):
            raise BackupError(f"{name} not found in PG_BIN_DIR ({pg_bin_dir})")
        return candidate
    candidates = []
    on_path = shutil.which(name)
    if on_path:
        candidates.append(Path(on_path))
    candidates += [Path(p) for p in sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))]
    versions = [(version, path) for path in candidates if (version := tool_version(path)) is not None]
    for version, path in versions:
        if version == server_major:
            return path
    newer = sorted((version, str(path)) for version, path in versions if version > server_major)
    if newer:
        return Path(newer[0][1])
    install = (f"install the PostgreSQL {server_major} client programs (Debian: apt-get install "
               f"postgresql-client-{server_major}) or set PG_BIN_DIR to their directory")
    if not versions:
        raise BackupError(f"{name} not found: {install}")
    found = ", ".join(f"{path} ({version})" for version, path in versions)
    raise BackupError(f"no {name} of PostgreSQL {server_major} or newer found (only {found}): {install}")


def _pg_dump(url: URL, pg_dump: Path, partial: Path) -> None:
    with open(partial, "wb") as out:
        # No database, user or password in the arguments: the environment carries them.
        completed = subprocess.run(  # noqa: S603 - the pg_dump find_tool chose, no shell
            [str(pg_dump), "--format=custom", "--no-password"], stdout=out, stderr=subprocess.PIPE,
            env=libpq_environment(url))
    if completed.returncode != 0:
        raise BackupError(f"pg_dump failed: {_one_line(completed.stderr.decode(errors='replace'))}")


def _archive_contents(source: Path, pg_restore: Path) -> str:
    completed = subprocess.run(  # noqa: S603 - the pg_restore find_tool chose, no shell
        [str(pg_restore), "--list", str(source)], capture_output=True)
    if completed.returncode != 0:
        reason = _one_line(completed.stderr.decode(errors="replace"))
        raise BackupError(f"{source} is not a readable pg_dump archive: {reason}")
    return completed.stdout.decode(errors="replace")


def _archive_schemas(contents: str) -> list[str]:
    schemas = re.findall(r"^\d+; \d+ \d+ SCHEMA - (\S+) ", contents, flags=re.MULTILINE)
    return sorted({"public", *schemas})


def _sql_text_array(values: list[str]) -> str:
    return "ARRAY[" + ", ".join("'" + value.replace("'", "''") + "'" for value in values) + "]::text[]"


def _pg_restore(url: URL, source: Path, pg_restore: Path, psql: Path, schemas: list[str]) -> None:
    """pg_restore's script through psql, in one transaction that commits only if pg_restore
    read the whole archive and every statement succeeded; otherwise nothing changes.

    With --single-transaction the script ends in the one COMMIT, written once the archive was
    read to its end; ours opens the transaction before it (its own BEGIN is then a warning), so
    that emptying the schemas and restoring them are one."""
    env = libpq_environment(url)
    opening = ("BEGIN;\n"
               f"SET LOCAL lock_timeout = '{PG_LOCK_TIMEOUT}';\n"
               "SET LOCAL client_min_messages = warning;\n"
               + EMPTY_SCHEMAS.format(schemas=_sql_text_array(schemas)))
    with tempfile.TemporaryFile() as restore_errors, tempfile.TemporaryFile() as psql_errors:
        producer = subprocess.Popen(  # noqa: S603 - the pg_restore find_tool chose, no shell
            [str(pg_restore), "--clean", "--if-exists", "--no-owner", "--single-transaction", "--file=-",
             str(source)],
            stdout=subprocess.PIPE, stderr=restore_errors, env=env)
        consumer = subprocess.Popen(  # noqa: S603 - the psql find_tool chose, no shell
            [str(psql), "--no-psqlrc", "--quiet", "--no-password", "--set=ON_ERROR_STOP=1", "--file=-"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=psql_errors, env=env)
        try:
            consumer.stdin.write(opening.encode())
            # A script cut short (a damaged archive) has no COMMIT: psql reaches the end of its
            # input inside the transaction, which the server then rolls back.
            shutil.copyfileobj(producer.stdout, consumer.stdin, 1024 * 1024)
        except BrokenPipeError:
            pass  # psql stopped at an error: its message says which
        finally:
            producer.stdout.close()
            try:
                consumer.stdin.close()
            except BrokenPipeError:
                pass
            producer_code, consumer_code = producer.wait(), consumer.wait()
        if producer_code == 0 and consumer_code == 0:
            return
        messages = []
        for program, errors in (("psql", psql_errors), ("pg_restore", restore_errors)):
            errors.seek(0)
            output = _one_line("\n".join(
                line for line in errors.read().decode(errors="replace").splitlines()
                if "there is already a transaction in progress" not in line))  # our BEGIN before the script's
            if output:
                messages.append(f"{program}: {output}")
    detail = "; ".join(messages) or f"pg_restore exited with {producer_code}, psql with {consumer_code}"
    raise BackupError(f"the restore of {source} failed, the database is unchanged: {detail}")


# -- restore -------------------------------------------------------------------------------


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
        live = _sqlite_file(url)
        if live.exists() and live.resolve() == source.resolve():
            raise BackupError(f"{source} is the configured database itself")
        if not live.parent.is_dir():
            raise BackupError(f"the directory {live.parent} of the configured database does not exist")
        revision = _check_sqlite_backup(source)
        return Plan(kind, source, size, describe_database(url), revision), lambda: _sqlite_restore(source, live)
    major = _postgres_major_version(url)
    pg_restore, psql = find_tool("pg_restore", major, pg_bin_dir), find_tool("psql", major, pg_bin_dir)
    contents = _archive_contents(source, pg_restore)
    if not re.search(r"^\d+; \d+ \d+ TABLE \S+ users ", contents, flags=re.MULTILINE):
        raise BackupError(f"{source} is a pg_dump archive but not one of this application (it has no users table)")
    schemas = _archive_schemas(contents)
    return (Plan(kind, source, size, describe_database(url)),
            lambda: _pg_restore(url, source, pg_restore, psql, schemas))


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


# -- the commands --------------------------------------------------------------------------


def _configured_url() -> str:
    from coordination.extensions import db

    # The engine's URL: Flask-SQLAlchemy has made a relative SQLite path absolute.
    return db.engine.url.render_as_string(hide_password=False)


def _fail(what: str, exc: BackupError):
    click.echo(f"{what} failed: {exc}", err=True)
    raise SystemExit(1)


@click.command("backup")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@with_appcontext
def backup_command(file: Path, force: bool):
    """Write a consistent copy of the database to FILE while the application runs."""
    from flask import current_app

    try:
        written = backup(_configured_url(), file, force=force, pg_bin_dir=current_app.config["PG_BIN_DIR"])
    except BackupError as exc:
        _fail("backup", exc)
    click.echo(f"backup written: {file} ({written.size} bytes, sha256 {written.sha256})")


@click.command("restore")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Really replace the database (stop the web and the scheduler first).")
@with_appcontext
def restore_command(file: Path, yes: bool):
    """Replace the database with the backup FILE; then run `flask db upgrade`."""
    from flask import current_app

    from coordination.extensions import db

    url = _configured_url()
    pg_bin_dir = current_app.config["PG_BIN_DIR"]
    try:
        if not yes:
            plan = check_restore(url, file, pg_bin_dir=pg_bin_dir)
            click.echo(f"restore refused: this would {plan.describe()}. Nothing was changed; "
                       f"stop the web and the scheduler, then run again with --yes.", err=True)
            raise SystemExit(1)
        # This process's own connections hold nothing while the database is replaced.
        db.session.remove()
        db.engine.dispose()
        plan = restore(url, file, pg_bin_dir=pg_bin_dir)
    except BackupError as exc:
        _fail("restore", exc)
    try:
        revision = schema_revision(url)
    except SQLAlchemyError:
        revision = None
    click.echo(f"restored: {plan.target} now holds {file} (schema revision {revision or 'not recorded'}).")
    if revision not in _head_revisions():
        click.echo("Run `flask --app wsgi db upgrade` to bring it to the current schema.")


def _head_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    from coordination import ROOT

    return set(ScriptDirectory(str(ROOT / "migrations")).get_heads())
