"""The watchers' and mentions' statements are served by indexes: SQLite's plans for every
statement reading item_watchers or users on the paths of watching, mentioning and being told
(the item page and its JSON, the buttons, the comment box's suggestions, a comment with a
mention, a step told to the watchers) search an index, never scan the table."""
import pytest
from helpers import Statements, api_token, sign_in
from test_watchers import DOLE, DSWD, make_item

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


def test_watching_and_mentioning_read_indexes(app, client, session):
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    item = make_item(session, state="assigned")
    staff, dole = api_token(client, DSWD), api_token(client, DOLE)
    with app.app_context():
        engine = db.engine
    with Statements(engine) as recorder:
        client.put(f"/api/v1/items/{item.id}/watchers/me", headers=dole)
        client.get(f"/api/v1/items/{item.id}", headers=dole)
        version = client.get(f"/api/v1/items/{item.id}", headers=staff).get_json()["version"]
        client.post(f"/api/v1/items/{item.id}/transitions", json={"trigger": "accept", "version": version},
                    headers=staff)
        client.post(f"/api/v1/items/{item.id}/comments", json={"comment": f"@{DOLE} and @nobody@example.org"},
                    headers=staff)
        client.delete(f"/api/v1/items/{item.id}/watchers/me", headers=dole)
        sign_in(client, DSWD)
        client.get(f"/items/{item.id}")
        client.get(f"/items/{item.id}/people.json", query_string={"q": "staff"})
        client.post(f"/items/{item.id}/watch")
    checked = sqlite_plans(app, recorder.seen, ("item_watchers", "FROM users"))
    assert len([s for s, _ in checked if "item_watchers" in s]) >= 6
    assert any("lower(users.email) LIKE" in s for s, _ in checked)  # the suggestions were planned too
    bad = [(statement, plan) for statement, plan in checked
           if any(line.startswith(("SCAN item_watchers", "SCAN users")) for line in plan)
           or ("item_watchers" in statement and any("TEMP B-TREE" in line for line in plan))]
    assert bad == []
