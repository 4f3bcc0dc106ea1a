"""`flask backup` and `flask restore`, on SQLite and PostgreSQL."""
import hashlib
import os
import re
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path

import flask_migrate
import pytest
from helpers import root_conftest
from sqlalchemy import create_engine, inspect, make_url, select, text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.pool import NullPool
from test_migrations import differences, drop_everything, head_revision

from coordination import ROOT, backup, create_app
from coordination.auth.models import User
from coordination.extensions import db
from coordination.items import service

PRINTED = re.compile(r"^backup written: (?P<file>.+) \((?P<size>\d+) bytes, sha256 (?P<sha256>[0-9a-f]{64})\)$")

# Creates action items through the service, one transaction each (the item and its "create"
# event), until told to stop; touches READY once it has written a few.
WRITER = """
import sys, time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from coordination import create_app
from coordination.auth.models import User
from coordination.extensions import db
from coordination.items import service

url, stop, ready = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
app = create_app({"TESTING": True, "SECRET_KEY": "writer", "SQLALCHEMY_DATABASE_URI": url})
written, deadline = 0, time.monotonic() + 60
with app.app_context():
    actor_id = db.session.scalars(select(User.id).where(User.email == "coordinator.ph@example.org")).one()
    while not stop.exists() and time.monotonic() < deadline:
        actor = db.session.get(User, actor_id)
        service.create_item(db.session, actor, {"title": f"Written during the backup {written}",
                                                "due_date": "2027-06-30"}, datetime(2027, 3, 1, tzinfo=UTC))
        db.session.commit()
        written += 1
        if written == 20:
            ready.touch()
print(written)
"""


def is_postgres(database_url: str) -> bool:
    return database_url.startswith("postgresql")


def run_backup(runner, path: Path, *extra: str):
    return runner.invoke(args=["backup", str(path), *extra])


def run_restore(runner, path: Path, *extra: str):
    return runner.invoke(args=["restore", str(path), *extra])


def clean_exit(result, code: int) -> None:
    """The command ended with ``code`` and a message, not a traceback."""
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


def take_backup(runner, path: Path) -> Path:
    result = run_backup(runner, path)
    clean_exit(result, 0)
    return path


def table_counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        names = sorted(inspect(conn).get_table_names())
        counts = {name: conn.scalar(text(f'SELECT count(*) FROM "{name}"')) for name in names}
        conn.rollback()
    return counts


def url_counts(url) -> dict[str, int]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        return table_counts(engine)
    finally:
        engine.dispose()


def live_counts(app) -> dict[str, int]:
    with app.app_context():
        db.session.remove()
        return table_counts(db.engine)


def items_without_their_create_event(url) -> int:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return conn.scalar(text(
                "SELECT count(*) FROM action_items a WHERE NOT EXISTS (SELECT 1 FROM item_events e "
                "WHERE e.item_id = a.id AND e.trigger = 'create')"))
    finally:
        engine.dispose()


def add_country(app, code: str, name: str) -> None:
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(text("INSERT INTO countries (code, name, timezone) VALUES (:c, :n, 'UTC')"),
                     {"c": code, "n": name})


def add_item(app, title: str) -> None:
    """An action item and its "create" event, through the service."""
    with app.app_context():
        actor = db.session.scalars(select(User).where(User.email == "coordinator.ph@example.org")).one()
        service.create_item(db.session, actor, {"title": title, "due_date": "2027-06-30"},
                            datetime(2027, 3, 1, tzinfo=UTC))
        db.session.commit()
        db.session.remove()


def country_names(app) -> set[str]:
    with app.app_context(), db.engine.connect() as conn:
        names = set(conn.scalars(text("SELECT name FROM countries")))
        conn.rollback()
    return names


def pg_tool(url, name: str) -> Path:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            major = int(conn.exec_driver_sql("SHOW server_version_num").scalar()) // 10000
    finally:
        engine.dispose()
    return backup.find_tool(name, major)


@contextmanager
def scratch_postgres_database(url):
    """An empty database beside the test's own, dropped afterwards."""
    parsed = make_url(url)
    name = f"{parsed.database}_restore_{uuid.uuid4().hex[:8]}"
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield parsed.set(database=name)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def backup_counts(database_url, path: Path) -> dict[str, int]:
    """Every table's count in the backup file itself: SQLite opens it (and checks its
    integrity); a pg_dump archive is restored with pg_restore into a fresh database."""
    if not is_postgres(database_url):
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        url = f"sqlite:///{path}"
        return url_counts(url) | {"(create events missing)": items_without_their_create_event(url)}
    with scratch_postgres_database(database_url) as scratch:
        completed = subprocess.run(
            [str(pg_tool(database_url, "pg_restore")), "--exit-on-error", "--no-owner",
             f"--dbname={scratch.database}", str(path)],
            env=backup.libpq_environment(scratch), capture_output=True, text=True)
        assert completed.returncode == 0, completed.stderr
        counts = url_counts(scratch)
        return counts | {"(create events missing)": items_without_their_create_event(scratch)}


@pytest.fixture
def restores_schema(database_url, pytestconfig):
    """The test replaces the PostgreSQL schema: the next test builds its own."""
    yield
    if is_postgres(database_url):
        root_conftest(pytestconfig).mark_postgres_schema_dirty()


# -- backup ---------------------------------------------------------------------------------


def test_the_printed_size_and_sha256_match_the_file(runner, tmp_path):
    path = tmp_path / "nightly.backup"
    result = run_backup(runner, path)

    clean_exit(result, 0)
    printed = PRINTED.match(result.output.strip())
    assert printed, result.output
    assert printed["file"] == str(path)
    assert int(printed["size"]) == path.stat().st_size > 0
    assert printed["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    # It holds password hashes: only its owner reads it; and no temporary file is left.
    assert path.stat().st_mode & 0o077 == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nightly.backup"]


def test_a_backup_is_of_the_configured_kind(runner, database_url, tmp_path):
    path = take_backup(runner, tmp_path / "copy")
    assert backup.file_kind(path) == ("postgresql" if is_postgres(database_url) else "sqlite")
    if not is_postgres(database_url):
        # One self-contained file, not a database expecting a write-ahead log beside it.
        assert path.read_bytes()[18:20] == b"\x01\x01"


def test_a_backup_never_overwrites_a_file_unless_forced(runner, tmp_path):
    path = tmp_path / "existing"
    path.write_bytes(b"yesterday's backup")

    result = run_backup(runner, path)

    clean_exit(result, 1)
    assert "exists already" in result.output and "--force" in result.output
    assert path.read_bytes() == b"yesterday's backup"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing"]

    forced = run_backup(runner, path, "--force")
    clean_exit(forced, 0)
    assert PRINTED.match(forced.output.strip())["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing"]


def test_a_backup_into_a_missing_directory_is_a_clear_error(runner, tmp_path):
    result = run_backup(runner, tmp_path / "no-such-folder" / "backup")

    clean_exit(result, 1)
    assert f"the directory {tmp_path / 'no-such-folder'} does not exist" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_failed_backup_leaves_no_file_under_its_name(app, runner, database_url, tmp_path, monkeypatch):
    folder = tmp_path / "backups"
    folder.mkdir()
    if is_postgres(database_url):
        # A pg_dump that writes half an archive, then loses its connection.
        tools = tmp_path / "bin"
        tools.mkdir()
        fake = tools / "pg_dump"
        fake.write_text("#!/bin/sh\nprintf 'PGDMP half an archive'\necho 'pg_dump: error: connection lost' >&2\n"
                        "exit 1\n")
        fake.chmod(0o755)
        app.config["PG_BIN_DIR"] = str(tools)
    else:
        def half_a_copy(source, partial):
            partial.write_bytes(b"SQLite format 3\x00 and then the disk was full")
            raise backup.BackupError("could not copy the SQLite database: database or disk is full")
        monkeypatch.setattr(backup.sqlite, "copy", half_a_copy)

    result = run_backup(runner, folder / "tonight")

    clean_exit(result, 1)
    assert "backup failed:" in result.output
    assert list(folder.iterdir()) == []


def test_a_backup_of_the_configured_database_while_another_process_writes_restores_consistently(
        app, runner, database_url, tmp_path, restores_schema):
    before = live_counts(app)
    stop, ready = tmp_path / "stop", tmp_path / "ready"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, database_url, str(stop), str(ready)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert writer.poll() is None, writer.communicate()
            assert time.monotonic() < deadline, "the writer wrote nothing"
            time.sleep(0.05)
        path = take_backup(runner, tmp_path / "during-writes")
        time.sleep(0.5)  # the writer goes on after the backup too
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    written = int(out)
    after = live_counts(app)
    assert after["action_items"] == before["action_items"] + written

    held = backup_counts(database_url, path)

    # The backup holds a moment between the writes: some before it, some after it ...
    assert before["action_items"] + 20 <= held["action_items"] < after["action_items"]
    # ... and that moment is one snapshot: every item with its history, as committed together.
    assert held["item_events"] - before["item_events"] == held["action_items"] - before["action_items"]
    assert held.pop("(create events missing)") == 0

    result = run_restore(runner, path, "--yes")

    clean_exit(result, 0)
    restored = live_counts(app)
    assert {name: restored[name] for name in held} == held
    if not is_postgres(database_url):
        with app.app_context(), db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").fetchall() == [("ok",)]
            conn.rollback()


# -- restore --------------------------------------------------------------------------------


def test_a_restore_without_yes_says_what_it_would_do_and_changes_nothing(app, runner, database_url, tmp_path):
    path = take_backup(runner, tmp_path / "before-the-change")
    add_country(app, "ZZ", "Added after the backup")
    counts = live_counts(app)

    result = run_restore(runner, path)

    clean_exit(result, 1)
    assert "would replace everything in" in result.output
    assert str(path) in result.output and "--yes" in result.output and "Nothing was changed" in result.output
    assert live_counts(app) == counts
    assert "Added after the backup" in country_names(app)


def test_a_restore_replaces_the_database_and_open_connections_see_it(app, runner, tmp_path, restores_schema):
    path = take_backup(runner, tmp_path / "before-the-change")
    counts = live_counts(app)
    add_country(app, "ZZ", "Added after the backup")
    with app.app_context():
        engine = db.engine
    with engine.connect() as conn:
        assert "Added after the backup" in set(conn.scalars(text("SELECT name FROM countries")))
        conn.rollback()

        result = run_restore(runner, path, "--yes")

        clean_exit(result, 0)
        assert result.output.startswith("restored: ")
        # The connection opened before the restore reads the restored database.
        assert "Added after the backup" not in set(conn.scalars(text("SELECT name FROM countries")))
        conn.rollback()
    assert live_counts(app) == counts


def test_a_restore_keeps_the_history_tables_append_only(app, runner, tmp_path, restores_schema):
    add_item(app, "Its history is kept")
    path = take_backup(runner, tmp_path / "backup")
    clean_exit(run_restore(runner, path, "--yes"), 0)

    with app.app_context(), db.engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM item_events")) == 1
        for statement in ("UPDATE item_events SET comment = 'rewritten'", "DELETE FROM item_events"):
            with pytest.raises(DatabaseError, match="append-only"):
                conn.execute(text(statement))
            conn.rollback()


def damaged_copies(database_url, good: Path, folder: Path) -> list[tuple[str, Path]]:
    """Files a restore must refuse, each with (a pattern of) the reason it must give."""
    garbage = folder / "garbage"
    garbage.write_bytes(b"this is not a backup\n" * 100)
    files = [("neither a SQLite database nor a pg_dump custom archive", garbage)]
    if not is_postgres(database_url):
        other = folder / "postgres.dump"
        other.write_bytes(b"PGDMP\x01\x0e\x00\x04\x08\x01\x01" + b"\x00" * 500)
        files.append(("is a backup of a PostgreSQL database", other))
        data = bytearray(good.read_bytes())
        page = 4096
        broken = folder / "broken-pages.sqlite"
        for start in range(page, len(data), 3 * page):  # every third page's b-tree header
            data[start:start + 12] = b"\xff" * 12
        broken.write_bytes(bytes(data))
        files.append(("damaged|fails SQLite's integrity check", broken))
        truncated = folder / "truncated.sqlite"
        truncated.write_bytes(good.read_bytes()[: len(data) // 2])
        files.append(("damaged|fails SQLite's integrity check", truncated))
        foreign = folder / "someone-elses.sqlite"
        with closing(sqlite3.connect(foreign)) as conn:
            conn.execute("CREATE TABLE bookmarks (url TEXT)")
            conn.commit()
        files.append(("not one of this application", foreign))
    else:
        other = folder / "sqlite.backup"
        with closing(sqlite3.connect(other)) as conn:
            conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY)")
            conn.commit()
        files.append(("is a backup of a SQLite database", other))
        truncated = folder / "truncated.dump"
        truncated.write_bytes(good.read_bytes()[:2000])
        files.append(("not a readable pg_dump archive", truncated))
        # Damaged data behind an intact table of contents: pg_restore --list passes, the
        # restore itself fails half-way, and its transaction is rolled back.
        pg_restore = pg_tool(database_url, "pg_restore")
        data = good.read_bytes()
        for fraction in (0.95, 0.9, 0.85, 0.8, 0.75, 0.7):
            at = int(len(data) * fraction)
            candidate = folder / f"damaged-{fraction}.dump"
            candidate.write_bytes(data[:at] + b"\xff" * 64 + data[at + 64:])
            if subprocess.run([str(pg_restore), "--list", str(candidate)], capture_output=True).returncode == 0:
                files.append(("failed, the database is unchanged", candidate))
                break
        else:
            pytest.fail("no damaged archive that passes pg_restore --list")
    return files


def test_a_damaged_or_foreign_file_is_refused_and_the_database_is_unchanged(
        app, runner, database_url, tmp_path, restores_schema):
    good = take_backup(runner, tmp_path / "good")
    add_country(app, "ZZ", "Added after the backup")
    counts = live_counts(app)

    for reason, path in damaged_copies(database_url, good, tmp_path):
        result = run_restore(runner, path, "--yes")

        clean_exit(result, 1)
        assert result.output.startswith("restore failed: "), result.output
        assert re.search(reason, result.output), (reason, result.output)
        assert live_counts(app) == counts, reason
        assert "Added after the backup" in country_names(app)


def test_a_restore_of_a_missing_file_is_a_clear_error(runner, tmp_path):
    result = run_restore(runner, tmp_path / "nothing-here", "--yes")

    clean_exit(result, 1)
    assert f"{tmp_path / 'nothing-here'} does not exist" in result.output


def test_a_backup_of_an_older_revision_restores_and_upgrades(make_app, database_url, tmp_path, restores_schema):
    app = make_app()
    runner = app.test_cli_runner()
    directory = str(ROOT / "migrations")
    with app.app_context():
        drop_everything()
        flask_migrate.upgrade(directory=directory, revision="0004")
    add_country(app, "PH", "Philippines at revision 0004")
    path = take_backup(runner, tmp_path / "at-0004")
    with app.app_context():
        flask_migrate.upgrade(directory=directory)
        assert "audit_events" in inspect(db.engine).get_table_names()
    add_country(app, "TH", "Added at the current revision")

    result = run_restore(runner, path, "--yes")

    clean_exit(result, 0)
    assert "schema revision 0004" in result.output and "db upgrade" in result.output
    with app.app_context():
        db.engine.dispose()
        assert backup.schema_revision(db.engine.url) == "0004"
        # The tables of the newer revision went with the rest: the upgrade can create them.
        assert "audit_events" not in inspect(db.engine).get_table_names()
    assert country_names(app) == {"Philippines at revision 0004"}

    upgraded = runner.invoke(args=["db", "upgrade"])

    assert upgraded.exit_code == 0, upgraded.output
    with app.app_context():
        assert backup.schema_revision(db.engine.url) == head_revision()
        assert differences() == []
    assert country_names(app) == {"Philippines at revision 0004"}


# -- the PostgreSQL programs ------------------------------------------------------------------


def postgres_only(database_url):
    if not is_postgres(database_url):
        pytest.skip("pg_dump and pg_restore concern PostgreSQL only")


def test_credentials_reach_pg_dump_through_the_environment_only(database_url, make_app, tmp_path):
    postgres_only(database_url)
    with_password = make_url(database_url).set(password="s3cret-Pa55").render_as_string(hide_password=False)
    tools = tmp_path / "bin"
    tools.mkdir()
    fake = tools / "pg_dump"
    seen = tmp_path / "seen"
    fake.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {seen}\nprintf "%s %s %s" "$PGPASSWORD" "$PGDATABASE" '
                    f'"$PGHOST" >> {seen}\nprintf "PGDMP archive"\n')
    fake.chmod(0o755)
    app = make_app(SQLALCHEMY_DATABASE_URI=with_password, PG_BIN_DIR=str(tools))

    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "b")])

    clean_exit(result, 0)
    arguments, environment = seen.read_text().rsplit("\n", 1)
    assert "s3cret" not in arguments and "s3cret" not in result.output
    assert arguments.split("\n") == ["--format=custom", "--no-password"]
    url = make_url(database_url)
    assert environment == f"s3cret-Pa55 {url.database} {url.host}"


def test_a_missing_pg_dump_is_a_clear_error(database_url, make_app, tmp_path, monkeypatch):
    postgres_only(database_url)
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    app = make_app(PG_BIN_DIR=str(empty))

    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "b")])

    clean_exit(result, 1)
    assert f"pg_dump not found in PG_BIN_DIR ({empty})" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty-bin"]

    # Nothing on the PATH nor in /usr/lib/postgresql either: say what to install.
    monkeypatch.setattr(backup.postgres.shutil, "which", lambda name: None)
    monkeypatch.setattr(backup.postgres.glob, "glob", lambda pattern: [])
    archive = tmp_path / "archive.dump"
    archive.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 100)
    app = make_app()
    for command, tool in ((["backup", str(tmp_path / "b")], "pg_dump"), (["restore", str(archive), "--yes"],
                                                                          "pg_restore")):
        result = app.test_cli_runner().invoke(args=command)

        clean_exit(result, 1)
        assert f"{tool} not found: install the PostgreSQL" in result.output and "PG_BIN_DIR" in result.output
    assert not (tmp_path / "b").exists()


def test_the_tool_of_the_servers_version_is_chosen(monkeypatch, tmp_path):
    tools = {}
    for version in (13, 15, 16):
        path = tmp_path / str(version) / "pg_dump"
        path.parent.mkdir()
        path.write_text(f"#!/bin/sh\necho 'pg_dump (PostgreSQL) {version}.2'\n")
        path.chmod(0o755)
        tools[version] = path
    monkeypatch.setattr(backup.postgres.shutil, "which", lambda name: str(tools[16]))
    monkeypatch.setattr(backup.postgres.glob, "glob", lambda pattern: [str(tools[13]), str(tools[15])])

    assert backup.find_tool("pg_dump", 15) == tools[15]
    assert backup.find_tool("pg_dump", 14) == tools[15]  # the nearest newer: an older one refuses
    assert backup.find_tool("pg_dump", 16) == tools[16]
    with pytest.raises(backup.BackupError, match="no pg_dump of PostgreSQL 17 or newer"):
        backup.find_tool("pg_dump", 17)
    assert backup.find_tool("pg_dump", 99, str(tools[13].parent)) == tools[13]  # PG_BIN_DIR decides


def test_an_unreachable_database_is_a_clear_error(pytestconfig, tmp_path):
    settings = root_conftest(pytestconfig).TEST_SETTINGS
    # Nothing listens on port 1; the password must not show in the message.
    app = create_app({**settings, "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://spf:hidden@127.0.0.1:1/spf"})
    archive = tmp_path / "archive.dump"
    archive.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 100)

    for command, what in ((["backup", str(tmp_path / "b")], "backup"), (["restore", str(archive), "--yes"], "restore")):
        result = app.test_cli_runner().invoke(args=command)

        clean_exit(result, 1)
        assert result.output.startswith(f"{what} failed: cannot connect to the PostgreSQL database 'spf' on "
                                        f"127.0.0.1:1"), result.output
        assert "hidden" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive.dump"]


def test_libpq_environment_carries_the_url():
    env = backup.libpq_environment(make_url(
        "postgresql+psycopg://app:p%40ss@db.example.org:6543/spf?sslmode=verify-full&connect_timeout=3"))
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGPASSWORD"], env["PGDATABASE"]) == (
        "db.example.org", "6543", "app", "p@ss", "spf")
    assert (env["PGSSLMODE"], env["PGCONNECT_TIMEOUT"]) == ("verify-full", "3")
    socket = backup.libpq_environment(make_url("postgresql+psycopg://app@/spf?host=/var/run/postgresql"))
    assert socket["PGHOST"] == "/var/run/postgresql"
    assert os.environ.get("PGPASSWORD") == socket.get("PGPASSWORD")
