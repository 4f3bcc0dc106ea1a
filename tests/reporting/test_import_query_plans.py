"""The lookups of the import pages are served by indexes: the waiting upload by its id, and the
removal of the uploader's earlier uploads for the report and of those expired (SQLite's
EXPLAIN QUERY PLAN)."""
import pytest
from helpers import Statements, signed_in_client
from test_import_pages import FILLED, post_file, shown_digest, text

from coordination.extensions import db


def test_sqlite_finds_and_removes_waiting_uploads_through_indexes(app, session, open_cycle):
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    report_id = open_cycle["report"]
    web = signed_in_client(app, "coordinator.ph@example.org")
    post_file(web, report_id, FILLED)
    with app.app_context():
        engine = db.engine
    with Statements(engine) as recorder:
        location = post_file(web, report_id, FILLED).headers["Location"]
        assert web.post(location, data={"shown": shown_digest(text(web.get(location)))}).status_code == 302
    found = []
    with app.app_context(), db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        for statement, parameters in recorder.seen:
            if "pending_imports" in statement and statement.lstrip().upper().startswith(("SELECT", "DELETE")):
                found.append((statement, [row[-1] for row in raw.execute(f"EXPLAIN QUERY PLAN {statement}",
                                                                           parameters).fetchall()]))
    assert any(s.lstrip().upper().startswith("DELETE") and "created_at" in s for s, _ in found)
    assert any(s.lstrip().upper().startswith("SELECT") for s, _ in found)
    scans = [(s, plan) for s, plan in found
             if any(line.startswith("SCAN pending_imports") and "USING" not in line for line in plan)]
    assert scans == []
