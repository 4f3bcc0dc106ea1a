"""Where attachments live: the migration that adds them keeps the history tables append-only;
a backup restored serves the same bytes; the lists of files are read from their indexes."""
import hashlib

import flask_migrate
import pytest
from attachment_support import upload
from helpers import PDF_BYTES, root_conftest, sign_in
from sqlalchemy import event, func, inspect, select, text
from sqlalchemy.exc import DatabaseError
from test_attachments_reports import attach as attach_to_report
from test_attachments_reports import open_report
from test_backup import clean_exit, restores_schema, run_restore, take_backup  # noqa: F401 - a fixture
from test_migrations import drop_everything

from coordination import ROOT, clock
from coordination.attachments.models import Attachment
from coordination.auth.models import User
from coordination.demo import seed_demo
from coordination.extensions import db
from coordination.items.service import create_item

MIGRATIONS = str(ROOT / "migrations")


def refuses_changes(conn, table: str) -> None:
    for statement in (f"UPDATE {table} SET comment = 'rewritten'", f"DELETE FROM {table}"):  # noqa: S608 - fixed SQL
        with pytest.raises(DatabaseError, match="append-only"):
            conn.execute(text(statement))
        conn.rollback()


def test_after_the_migration_the_history_tables_still_refuse_updates(make_app, database_url, pytestconfig):
    """0008 adds item_events.attachment_id and report_events.attachment_id with ALTER TABLE:
    their append-only triggers stay, also after a downgrade to 0007 and an upgrade again."""
    app = make_app()
    try:
        with app.app_context():
            drop_everything()
            flask_migrate.upgrade(directory=MIGRATIONS)
            seed_demo(db.session)
            coordinator = db.session.scalar(select(User).where(User.email == "coordinator.ph@example.org"))
            create_item(db.session, coordinator, {"title": "Kept", "due_date": "2027-03-31"}, clock.now())
            db.session.commit()
            db.session.remove()
            for step in ("head", "0007", "head"):
                if step == "0007":
                    flask_migrate.downgrade(directory=MIGRATIONS, revision="0007")
                elif "attachments" not in inspect(db.engine).get_table_names():  # back up to head
                    flask_migrate.upgrade(directory=MIGRATIONS)
                has_column = step == "head"
                for table in ("item_events", "report_events"):
                    assert ("attachment_id" in {c["name"] for c in inspect(db.engine).get_columns(table)}) == has_column
                with db.engine.connect() as conn:
                    assert conn.scalar(text("SELECT count(*) FROM item_events")) == 1
                    refuses_changes(conn, "item_events")
                    with pytest.raises(DatabaseError, match="append-only"):
                        conn.execute(text("UPDATE report_events SET comment = 'x'"))
                    conn.rollback()
    finally:
        root_conftest(pytestconfig).mark_postgres_schema_dirty()


def test_a_restored_backup_serves_the_same_bytes(app, client, runner, tokens, item_id, tmp_path, session,
                                                 restores_schema):  # noqa: F811 - the fixture
    data = PDF_BYTES + b"%" + bytes(range(256)) * 5000  # more than one chunk
    sent = upload(client, f"/api/v1/items/{item_id}/attachments", tokens["dswd"], "evidence.pdf", data).get_json()
    path = take_backup(runner, tmp_path / "with-files.backup")
    assert client.delete(f"/api/v1/attachments/{sent['id']}", headers=tokens["coordinator"]).status_code == 204
    with app.app_context():
        db.session.execute(text("DELETE FROM attachment_chunks"))
        db.session.commit()
    session.close()  # the test's own reads hold no lock that the restore would wait for

    clean_exit(run_restore(runner, path, "--yes"), 0)

    restored = client.get(f"/api/v1/attachments/{sent['id']}", headers=tokens["coordinator"])
    assert restored.status_code == 200
    assert hashlib.sha256(restored.data).hexdigest() == sent["sha256"] == hashlib.sha256(data).hexdigest()


def sqlite_plans(app, seen) -> list[tuple[str, list[str]]]:
    found = []
    with app.app_context(), db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        for statement, parameters in seen:
            if statement.lstrip().upper().startswith("SELECT") and "attachment" in statement:
                rows = raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
                found.append((statement, [row[-1] for row in rows]))
    return found


def test_sqlite_reads_the_files_of_an_item_and_a_report_from_their_indexes(app, client, tokens, item_id,
                                                                             ministries, session):
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    report = open_report(client, tokens, session)
    for n in range(3):
        upload(client, f"/api/v1/items/{item_id}/attachments", tokens["coordinator"], f"f{n}.pdf", PDF_BYTES)
        attach_to_report(client, report, tokens["coordinator"], f"r{n}.pdf")
    request = client.post(f"/api/v1/reports/{report}/assignments", headers=tokens["coordinator"],
                          json={"indicator_code": "SPF_CHILDREN", "ministry_id": ministries["DSWD"]}).get_json()
    upload(client, f"/api/v1/items/{request['item_id']}/attachments", tokens["dswd"], "d.pdf", PDF_BYTES)
    web = app.test_client()
    sign_in(web, "coordinator.ph@example.org")
    seen = []
    with app.app_context():
        engine = db.engine
    listener = lambda conn, cursor, statement, parameters, *rest: seen.append((statement, parameters))  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        for path in (f"/api/v1/items/{item_id}/attachments", f"/api/v1/reports/{report}/attachments"):
            assert client.get(path, headers=tokens["coordinator"]).status_code == 200
        for path in (f"/items/{item_id}", f"/reports/{report}"):
            assert web.get(path).status_code == 200
        first = session.scalar(select(func.min(Attachment.id)))
        assert client.get(f"/api/v1/attachments/{first}", headers=tokens["coordinator"]).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    checked = sqlite_plans(app, seen)
    assert len(checked) >= 5
    bad = [(statement, plan) for statement, plan in checked
           if any(line.startswith(("SCAN attachments", "SCAN attachment_chunks")) or "TEMP B-TREE" in line
                  for line in plan)]
    assert bad == []
