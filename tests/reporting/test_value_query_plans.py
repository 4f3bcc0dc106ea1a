"""The lookups of value history and checks are served by indexes: a value's changes, the
changes counted per value of a report, the previous accepted values of a country, the
direction of an indicator code (SQLite's EXPLAIN QUERY PLAN)."""
import pytest
from helpers import Statements, sign_in

from coordination.extensions import db

TABLES = ("value_changes", "indicator_values", "indicators", "country_reports")


def recorded(app, call):
    with app.app_context():
        engine = db.engine
    with Statements(engine) as recorder:
        call()
    return recorder.seen


def plans(app, seen, needle: str) -> list[tuple[str, list[str]]]:
    found = []
    with app.app_context():
        with db.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            for statement, parameters in seen:
                if statement.lstrip().upper().startswith("SELECT") and needle in statement:
                    rows = raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
                    found.append((statement, [row[-1] for row in rows]))
    return found


def scans(found) -> list:
    return [(statement, plan) for statement, plan in found
            if any(line.startswith(f"SCAN {table}") and "USING" not in line for table in TABLES for line in plan)]


def test_sqlite_reads_history_counts_previous_values_and_directions_from_indexes(app, client, session, tokens,
                                                                                 open_cycle):
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    report_id = open_cycle["report"]
    for value in (30.0, 60.0):
        client.put(f"/api/v1/reports/{report_id}/values/SPF_COVERAGE_TOTAL", json={"value": value},
                   headers=tokens["coordinator"])
    sign_in(client, "coordinator.ph@example.org")

    def read():
        for path in (f"/api/v1/reports/{report_id}/values/SPF_COVERAGE_TOTAL/history",
                     f"/api/v1/reports/{report_id}/checks"):
            assert client.get(path, headers=tokens["coordinator"]).status_code == 200
        assert client.get(f"/reports/{report_id}").status_code == 200
        assert client.get(f"/reports/{report_id}/values/SPF_COVERAGE_TOTAL/history").status_code == 200
        assert client.put("/api/v1/countries/PH/targets/SPF_HEALTH_OOP", json={"floor": 40, "target": 20},
                          headers=tokens["coordinator"]).status_code == 200

    seen = recorded(app, read)
    history = plans(app, seen, "value_changes")
    previous = plans(app, seen, "reporting_cycles.deadline <")
    direction = [p for p in plans(app, seen, "indicators.better") if "indicators.code = " in p[0]]
    assert len(history) >= 3 and len(previous) >= 2 and direction
    assert scans(history + previous + direction) == []
