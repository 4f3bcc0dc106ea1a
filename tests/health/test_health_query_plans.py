"""The coordination-health figures' statements are served by indexes on both databases: the
cycle's table, its export and a member state over cycles read a country's items of the period
from ix_action_items_country_created and each item's events by its key, never a whole table
(SQLite's EXPLAIN QUERY PLAN; PostgreSQL's EXPLAIN with sequential scans forbidden, as the test
data is small enough for one to be cheapest)."""
from helpers import Statements, signed_in_client
from sqlalchemy import text

from coordination.extensions import db

from .test_health_api import LATER, build_history

TABLES = ("action_items", "item_events", "meetings", "meeting_ministries", "indicator_values",
          "country_reports", "mechanism_members", "mechanisms", "health_item_figures")


def recorded(app, client, paths):
    with app.app_context():
        engine = db.engine
    with Statements(engine) as recorder:
        for path in paths:
            assert client.get(path).status_code == 200, path
    return recorder.seen


def sqlite_plan(conn, statement, parameters) -> list[str]:
    raw = conn.connection.dbapi_connection
    return [row[-1] for row in raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()]


def postgres_plan(conn, statement, parameters) -> list[str]:
    """The plan with sequential scans forbidden: an index must still serve each table."""
    with conn.begin():
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        raw = conn.connection.dbapi_connection
        with raw.cursor() as cursor:
            cursor.execute(f"EXPLAIN {statement}", parameters)
            return [row[0] for row in cursor.fetchall()]


def test_the_figures_read_indexes(app, make_cycle, session, at):
    cycle_id = make_cycle()
    build_history(session, cycle_id)
    at(LATER)
    client = signed_in_client(app, "secretariat@example.org")
    seen = recorded(app, client, [f"/cycles/{cycle_id}/coordination", f"/cycles/{cycle_id}/coordination.csv",
                                  "/countries/PH/coordination"])
    with app.app_context():
        dialect = db.engine.dialect.name
        with db.engine.connect() as conn:
            found = [(statement, (sqlite_plan if dialect == "sqlite" else postgres_plan)(conn, statement, parameters))
                     for statement, parameters in seen
                     if statement.lstrip().upper().startswith("SELECT") and any(t in statement for t in TABLES)]
    assert len(found) >= 3 * 5  # five statements of figures on each of the three pages
    if dialect == "sqlite":
        assert [(statement, plan) for statement, plan in found
                if any(line.startswith(f"SCAN {table}") for table in TABLES for line in plan)] == []
        # A country's items of the period come from the (country, created) index, not all its items.
        items = [plan for statement, plan in found if "action_items.created_at >=" in statement]
        assert len(items) >= 6
        assert all(any("ix_action_items_country_created (country_code=? AND created_at>? AND created_at<?)" in line
                       for line in plan) for plan in items)
    else:
        # Which index the planner takes at this size is its choice; that one serves every table is the point.
        assert [(statement, plan) for statement, plan in found if any("Seq Scan" in line for line in plan)] == []
