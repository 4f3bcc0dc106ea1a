"""The lookups of a report's submissions are served by indexes: its submissions, the next
number, one submission by number and a submission's values (SQLite's EXPLAIN QUERY PLAN)."""
import pytest
from helpers import sign_in
from test_submissions import step
from test_value_query_plans import plans, recorded

TABLES = ("report_submissions", "submitted_values")


def test_sqlite_reads_submissions_and_their_values_from_indexes(app, client, session, tokens, open_cycle,
                                                               fill_required):
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    report_id = open_cycle["report"]
    step(client, tokens, report_id, "start")
    fill_required(report_id)
    sign_in(client, "secretariat@example.org")

    def read():
        step(client, tokens, report_id, "submit")
        step(client, tokens, report_id, "send_back", who="secretariat", comment="Check the sources")
        step(client, tokens, report_id, "revise")
        step(client, tokens, report_id, "submit")
        for path in ("submissions", "submissions/2", "changes?since=1"):
            assert client.get(f"/api/v1/reports/{report_id}/{path}", headers=tokens["secretariat"]).status_code == 200
        assert client.get(f"/reports/{report_id}").status_code == 200
        assert client.get(f"/reports/{report_id}/submissions/1").status_code == 200

    seen = recorded(app, read)
    found = plans(app, seen, "report_submissions") + plans(app, seen, "submitted_values")
    assert len(found) >= 6
    assert [(statement, plan) for statement, plan in found
            if any(line.startswith(f"SCAN {table}") and "USING" not in line for table in TABLES for line in plan)] == []
