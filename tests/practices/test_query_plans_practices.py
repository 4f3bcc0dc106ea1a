"""The library's statements are served by indexes: SQLite's plans for every statement reading
practices or practice_questions on the paths of the library (with each filter), one practice,
the country page and the secretariat's home search an index, never scan the table."""
import pytest
from helpers import Statements, sign_in

from coordination.extensions import db


def sqlite_plans(app, seen, tables) -> list[tuple[str, list[str]]]:
    found = []
    with app.app_context():
        with db.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            for statement, parameters in seen:
                if statement.lstrip().upper().startswith("SELECT") and any(t in statement for t in tables):
                    rows = raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
                    found.append((statement, [row[-1] for row in rows]))
    return found


@pytest.mark.parametrize("email", ["coordinator.ph@example.org", "observer@example.org", "secretariat@example.org"])
def test_the_library_and_a_practice_read_indexes(app, client, session, email):
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    sign_in(client, email)
    with app.app_context():
        engine = db.engine
    with Statements(engine) as recorder:
        for query in ({}, {"guarantee": "health"}, {"country": "TH"}, {"q": "registry"},
                      {"guarantee": "overall", "country": "PH", "page": "2"}):
            assert client.get("/practices", query_string=query).status_code == 200
        assert client.get("/practices/1").status_code == 200
        client.get("/countries/PH")
        client.get("/")
    checked = sqlite_plans(app, recorder.seen, ("FROM practices", "FROM practice_questions"))
    assert len(checked) >= 8
    bad = [(statement, plan) for statement, plan in checked
           if any(line.startswith(("SCAN practices", "SCAN practice_questions")) for line in plan)]
    assert bad == []
