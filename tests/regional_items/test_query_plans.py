"""The regional items' statements are served by indexes: SQLite's plans for every statement
reading regional_items, or action items by regional_item_id, on the paths of the list (all, one
state, one member state's), one regional item with its parts' history, a part's item page, the
homes and the country page search an index, never scan a table whole."""
import pytest
from helpers import Statements, sign_in

from coordination.extensions import db


def sqlite_plans(app, seen, words) -> list[tuple[str, list[str]]]:
    found = []
    with app.app_context():
        with db.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            for statement, parameters in seen:
                if statement.lstrip().upper().startswith("SELECT") and any(w in statement for w in words):
                    rows = raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
                    found.append((statement, [row[-1] for row in rows]))
    return found


def whole_scan(line: str) -> bool:
    return line.startswith(("SCAN regional_items", "SCAN action_items", "SCAN item_events")) and "USING" not in line


def test_the_regional_items_read_indexes(app, client, tokens, regional, session):
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    part = {p["country"]: p["item_id"] for p in regional["parts"]}["PH"]
    with app.app_context():
        engine = db.engine
    with Statements(engine) as recorder:
        for name in ("secretariat", "ph", "observer"):
            client.get("/api/v1/regional-items", headers=tokens[name])
            client.get("/api/v1/regional-items?state=open", headers=tokens[name])
            client.get(f"/api/v1/regional-items/{regional['id']}", headers=tokens[name])
        sign_in(client, "secretariat@example.org")
        client.get("/")
        client.get("/countries/PH")
        client.get(f"/regional-items/{regional['id']}")
        sign_in(client, "coordinator.ph@example.org")
        client.get("/")
        client.get(f"/items/{part}")
        client.get("/regional-items?state=open")
    checked = sqlite_plans(app, recorder.seen, ("regional_item", ))
    assert len(checked) >= 10
    bad = [(statement, plan) for statement, plan in checked if any(whole_scan(line) for line in plan)]
    assert bad == []
