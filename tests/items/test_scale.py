"""What keeps the item pages flat as the items grow, asserted without timing: the statements
each page sends do not grow with the items, SQLite's plans for them read an index in order
(no full scan of action_items, no sort for ORDER BY), and the counts the database keeps stay
equal to a recount after every kind of change."""
from datetime import UTC, date, datetime, timedelta

import pytest
from helpers import Statements, api_token, sign_in
from sqlalchemy import select, text

from coordination import clock
from coordination.auth.models import User
from coordination.database import transactions
from coordination.directory.models import Ministry
from coordination.extensions import db
from coordination.items import counts
from coordination.items.models import ActionItem

COORDINATOR = "coordinator.ph@example.org"
STAFF = "staff.ph.dswd@example.org"
SECRETARIAT = "secretariat@example.org"
NOW = datetime(2027, 3, 17, 2, 0, tzinfo=UTC)  # 17 March in Manila
STATES = ("draft", "assigned", "in_progress", "blocked", "submitted", "completed", "declined", "cancelled")

LIST_PATHS = ["/items", "/items?per_page=50", "/items?per_page=100&page=2", "/items?state=assigned",
              "/items?overdue=true", "/items?guarantee=health", "/items?q=item", "/items?sort=state",
              "/items?sort=ministry", "/items?sort=priority", "/items?sort=updated",
              "/items?sort=ministry&state=in_progress&overdue=true"]
PAGES = [(COORDINATOR, path) for path in LIST_PATHS] + [
    (COORDINATOR, "/"), (STAFF, "/"), (STAFF, "/items"), (SECRETARIAT, "/"), (SECRETARIAT, "/items/summary")]
API_PATHS = ["/api/v1/items", "/api/v1/items?per_page=50&state=in_progress", "/api/v1/items?overdue=true&page=2",
             "/api/v1/items?sort=priority"]


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


def add_items(session, count: int, *, start: int = 0) -> None:
    """``count`` items of the Philippines in every state, over two ministries and none, due
    from two months ago to two months ahead."""
    coordinator = session.scalar(select(User).where(User.email == COORDINATOR))
    ministries = session.scalars(select(Ministry.id).where(Ministry.country_code == "PH")
                                 .order_by(Ministry.acronym).limit(2)).all()
    dswd = session.scalar(select(Ministry.id).where(Ministry.country_code == "PH", Ministry.acronym == "DSWD"))
    holders = [dswd, *ministries, None]
    for n in range(start, start + count):
        state = STATES[n % len(STATES)]
        session.add(ActionItem(
            country_code="PH", title=f"Item {n}", description="", state=state,
            ministry_id=None if state == "draft" else holders[n % 3],
            due_date=NOW.date() + timedelta(days=n * 7 % 120 - 60),
            priority=("low", "normal", "high")[n % 3], guarantee=("health", None)[n % 2],
            created_by_id=coordinator.id, created_at=NOW, updated_at=NOW - timedelta(minutes=n)))
    session.commit()




def statements_of(app, client, path, headers=None):
    with app.app_context():
        engine = db.engine
    with Statements(engine) as recorder:
        response = client.get(path, headers=headers or {})
        assert response.status_code == 200, (path, response.get_data(as_text=True)[:500])
    return recorder.seen


def who(client, email):
    client.post("/logout")
    sign_in(client, email)


@pytest.mark.parametrize("email, path", PAGES)
def test_pages_send_as_many_statements_at_5_as_at_50_items(app, client, session, email, path):
    sign_in(client, email)
    add_items(session, 5)
    few = len(statements_of(app, client, path))
    add_items(session, 45, start=5)
    assert len(statements_of(app, client, path)) == few


def test_the_api_list_sends_as_many_statements_at_5_as_at_50_items(app, client, session):
    headers = api_token(client, COORDINATOR)
    add_items(session, 5)
    few = [len(statements_of(app, client, path, headers)) for path in API_PATHS]
    add_items(session, 45, start=5)
    assert [len(statements_of(app, client, path, headers)) for path in API_PATHS] == few


def plans(app, seen) -> list[tuple[str, list[str]]]:
    """SQLite's EXPLAIN QUERY PLAN of each SELECT that reads action_items."""
    found = []
    with app.app_context():
        with db.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            for statement, parameters in seen:
                if statement.lstrip().upper().startswith("SELECT") and "action_items" in statement:
                    rows = raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
                    found.append((statement, [row[-1] for row in rows]))
    return found


def test_sqlite_reads_the_lists_board_summary_and_inbox_from_indexes_in_order(app, client, session):
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    add_items(session, 40)
    seen = []
    for email, path in PAGES:
        who(client, email)
        seen += statements_of(app, client, path)
    headers = api_token(client, COORDINATOR)
    for path in API_PATHS:
        seen += statements_of(app, client, path, headers)
    checked = plans(app, seen)
    assert len(checked) > len(PAGES)
    bad = [(statement, plan) for statement, plan in checked
           if any(line.startswith("SCAN action_items") or "USE TEMP B-TREE FOR ORDER BY" in line for line in plan)]
    assert bad == []


def recount(session) -> dict:
    dialect = session.get_bind().dialect.name
    key = counts._key(dialect, "action_items")
    return {tuple(row[:4]): row[4] for row in session.execute(text(
        f"SELECT {key}, count(*) FROM action_items GROUP BY {key}"))}  # noqa: S608 - fixed SQL


def kept(session) -> dict:
    return {(c.country_code, c.ministry_id, c.state, c.due_month): c.items
            for c in session.scalars(select(counts.ItemCount)) if c.items}


def normalised(found: dict) -> dict:
    return {(country, ministry, state, month if isinstance(month, date) else date.fromisoformat(month)): n
            for (country, ministry, state, month), n in found.items()}


def test_the_counts_follow_every_change_in_the_same_transaction(app, client, session):
    sign_in(client, COORDINATOR)
    headers = api_token(client, COORDINATOR)
    add_items(session, 16)
    assert normalised(kept(session)) == normalised(recount(session))
    dswd = session.scalar(select(Ministry).where(Ministry.country_code == "PH", Ministry.acronym == "DSWD"))
    dole = session.scalar(select(Ministry).where(Ministry.country_code == "PH", Ministry.acronym == "DOLE"))
    created = client.post("/api/v1/items", headers=headers, json={
        "title": "Counted", "due_date": "2027-01-15", "ministry_id": dswd.id}).get_json()
    item_id, version = created["id"], created["version"]
    steps = [("POST", {"trigger": "assign"}), ("PATCH", {"due_date": "2027-06-30"}),
             ("POST", {"trigger": "transfer", "ministry_id": dole.id, "comment": "Theirs."}),
             ("POST", {"trigger": "cancel", "comment": "Not needed."})]
    for method, body in steps:
        if method == "PATCH":
            response = client.patch(f"/api/v1/items/{item_id}", headers=headers, json={"version": version, **body})
        else:
            response = client.post(f"/api/v1/items/{item_id}/transitions", headers=headers,
                                   json={"version": version, **body})
        assert response.status_code == 200, response.get_json()
        version = response.get_json()["version"]
        session.expire_all()
        assert normalised(kept(session)) == normalised(recount(session)), body
    # A change rolled back takes its counts with it.
    before = kept(session)
    with app.app_context(), transactions():  # one transaction, also on SQLite
        db.session.execute(text("UPDATE action_items SET state = 'assigned', due_date = :d WHERE id = :i"),
                           {"d": date(2027, 2, 1), "i": item_id})
        assert kept(db.session) != before
        db.session.rollback()
        db.session.remove()
    assert kept(session) == before


def test_the_board_counts_overdue_items_of_this_month_and_of_earlier_months(app, client, session):
    coordinator = session.scalar(select(User).where(User.email == COORDINATOR))
    today = date(2027, 3, 17)
    for due, state in ((today - timedelta(days=40), "assigned"), (date(2027, 3, 2), "in_progress"),
                       (today, "assigned"), (date(2027, 3, 1), "completed"), (date(2026, 12, 1), "submitted")):
        session.add(ActionItem(country_code="PH", title=f"Due {due}", description="", state=state, due_date=due,
                               priority="normal", created_by_id=coordinator.id, created_at=NOW, updated_at=NOW))
    session.commit()
    sign_in(client, COORDINATOR)
    board = client.get("/").get_data(as_text=True)
    assert "3</strong> action items overdue" in board
    listed = client.get("/items?overdue=true").get_data(as_text=True)
    assert "3 action items" in listed and listed.count("data-item-link") == 3
    who(client, SECRETARIAT)
    summary = client.get("/api/v1/items/summary", headers=api_token(client, SECRETARIAT)).get_json()
    philippines = next(row for row in summary["countries"] if row["country"] == "PH")
    assert (philippines["total"], philippines["overdue"]) == (5, 3)


def test_the_web_list_honours_per_page_and_sorts_by_a_column(app, client, session):
    add_items(session, 120)
    sign_in(client, COORDINATOR)
    for per_page in (25, 50, 100):
        page = client.get(f"/items?per_page={per_page}").get_data(as_text=True)
        assert page.count("data-item-link") == per_page
        assert f'<option value="{per_page}" selected>' in page
    assert client.get("/items?per_page=7").get_data(as_text=True).count("data-item-link") == 25
    last = client.get("/items?per_page=50&page=3").get_data(as_text=True)
    assert last.count("data-item-link") == 20 and "120 action items" in last
    newest = client.get("/items?sort=updated&per_page=25").get_data(as_text=True)
    assert newest.index(">Item 0<") < newest.index(">Item 1<") < newest.index(">Item 24<")
    by_priority = client.get("/items?sort=priority&per_page=100&page=1").get_data(as_text=True)
    rows = by_priority.split("data-item-link")[1:]
    assert "High" in rows[0] and "High" in rows[39] and "Normal" in rows[40]
    # A page across two priorities: the last 15 high ones, then the first 10 normal ones.
    across = client.get("/items?sort=priority&per_page=25&page=2").get_data(as_text=True)
    rows = across.split("data-item-link")[1:]
    assert len(rows) == 25 and "120 action items" in across
    assert all("High" in row for row in rows[:15]) and all("Normal" in row for row in rows[15:])
    assert client.get("/items?sort=priority&per_page=25&page=5").get_data(as_text=True).count("data-item-link") == 20
    # Open items first, each half by due date; then the second page goes on where the first ended.
    first = [int(part.split(">Item ")[1].split("<")[0]) for part in
             client.get("/items?per_page=100").get_data(as_text=True).split("data-item-link")[1:]]
    second = [int(part.split(">Item ")[1].split("<")[0]) for part in
              client.get("/items?per_page=100&page=2").get_data(as_text=True).split("data-item-link")[1:]]
    assert len(set(first + second)) == 120
    with app.app_context():
        items = {i.id: i for i in db.session.scalars(select(ActionItem))}
        by_title = {int(i.title.split()[1]): i for i in items.values()}
        shown = [by_title[n] for n in first + second]
        assert [not i.is_open for i in shown] == sorted(not i.is_open for i in shown)
        open_dues = [i.due_date for i in shown if i.is_open]
        assert open_dues == sorted(open_dues)
