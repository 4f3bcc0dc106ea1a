"""PostgreSQL: ``pg_dump --format=custom`` (one snapshot of the whole database); a restore turns
the archive into SQL with ``pg_restore --clean --if-exists --no-owner`` and runs it through
``psql`` in one transaction that first empties the schemas it replaces. Credentials reach the
programs through the environment (PGPASSWORD and its siblings), never on their command line."""
import glob
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from coordination.backup.files import BackupError, describe_database, one_line

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


def server_major_version(url: URL) -> int:
    """The server's major version; a clear error when it cannot be reached."""
    connect_args = {} if "connect_timeout" in url.query else {"connect_timeout": 10}
    engine = create_engine(url, poolclass=NullPool, connect_args=connect_args)
    try:
        with engine.connect() as conn:
            number = int(conn.exec_driver_sql("SHOW server_version_num").scalar())
    except SQLAlchemyError as exc:
        reason = one_line(getattr(exc, "orig", None) or exc)
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


def dump(url: URL, pg_dump: Path, partial: Path) -> None:
    with open(partial, "wb") as out:
        # No database, user or password in the arguments: the environment carries them.
        completed = subprocess.run(  # noqa: S603 - the pg_dump find_tool chose, no shell
            [str(pg_dump), "--format=custom", "--no-password"], stdout=out, stderr=subprocess.PIPE,
            env=libpq_environment(url))
    if completed.returncode != 0:
        raise BackupError(f"pg_dump failed: {one_line(completed.stderr.decode(errors='replace'))}")


def archive_contents(source: Path, pg_restore: Path) -> str:
    completed = subprocess.run(  # noqa: S603 - the pg_restore find_tool chose, no shell
        [str(pg_restore), "--list", str(source)], capture_output=True)
    if completed.returncode != 0:
        reason = one_line(completed.stderr.decode(errors="replace"))
        raise BackupError(f"{source} is not a readable pg_dump archive: {reason}")
    return completed.stdout.decode(errors="replace")


def archive_schemas(contents: str) -> list[str]:
    schemas = re.findall(r"^\d+; \d+ \d+ SCHEMA - (\S+) ", contents, flags=re.MULTILINE)
    return sorted({"public", *schemas})


def _sql_text_array(values: list[str]) -> str:
    return "ARRAY[" + ", ".join("'" + value.replace("'", "''") + "'" for value in values) + "]::text[]"


def restore(url: URL, source: Path, pg_restore: Path, psql: Path, schemas: list[str]) -> None:
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
            output = one_line("\n".join(
                line for line in errors.read().decode(errors="replace").splitlines()
                if "there is already a transaction in progress" not in line))  # our BEGIN before the script's
            if output:
                messages.append(f"{program}: {output}")
    detail = "; ".join(messages) or f"pg_restore exited with {producer_code}, psql with {consumer_code}"
    raise BackupError(f"the restore of {source} failed, the database is unchanged: {detail}")
