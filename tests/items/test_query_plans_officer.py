""""Assigned to me" (the inbox's section, the list's filter, the API's assignee=me) reads the
officer's index: no full scan of action_items, no temporary B-tree for a sort or a grouping, and
as many statements at 5 items as at 50."""
import pytest
from helpers import api_token, sign_in
from sqlalchemy import select, text
from test_scale import STAFF, add_items, fixed_clock, plans, statements_of  # noqa: F401 - the clock fixture

from coordination.auth.models import User

PAGES = ["/", "/items?assignee=me", "/items?assignee=me&state=in_progress", "/items?assignee=me&sort=state",
         "/items?assignee=me&sort=ministry", "/items?assignee=me&overdue=true", "/items?assignee=me&per_page=50"]
API_PATHS = ["/api/v1/items?assignee=me", "/api/v1/items?assignee=me&page=2&per_page=10",
             "/api/v1/items?assignee=me&sort=priority"]


def name_officer(session):
    """The staff user is the officer of every other item their ministry holds."""
    staff = session.scalar(select(User).where(User.email == STAFF))
    session.execute(text("UPDATE action_items SET assignee_id = :u WHERE ministry_id = :m AND id % 2 = 0"),
                    {"u": staff.id, "m": staff.ministry_id})
    session.commit()


def test_assigned_to_me_sends_as_many_statements_at_5_as_at_50_items(app, client, session):
    sign_in(client, STAFF)
    add_items(session, 5)
    name_officer(session)
    few = [len(statements_of(app, client, path)) for path in PAGES]
    headers = api_token(client, STAFF)
    few_api = [len(statements_of(app, client, path, headers)) for path in API_PATHS]
    add_items(session, 45, start=5)
    name_officer(session)
    assert [len(statements_of(app, client, path)) for path in PAGES] == few
    assert [len(statements_of(app, client, path, headers)) for path in API_PATHS] == few_api


def test_sqlite_reads_assigned_to_me_from_the_officers_index(app, client, session):
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    add_items(session, 40)
    name_officer(session)
    sign_in(client, STAFF)
    seen = []
    for path in PAGES:
        seen += statements_of(app, client, path)
    headers = api_token(client, STAFF)
    for path in API_PATHS:
        seen += statements_of(app, client, path, headers)
    checked = [(statement, plan) for statement, plan in plans(app, seen) if "assignee_id =" in statement]
    assert len(checked) >= len(PAGES) + len(API_PATHS) - 1
    bad = [(statement, plan) for statement, plan in checked
           if any(line.startswith("SCAN action_items") or "TEMP B-TREE" in line for line in plan)]
    assert bad == []
    # The officer's own index, but for the priority order, which reads (country, priority) in order.
    assert all(any("ix_action_items_assignee_due" in line for line in plan) for statement, plan in checked
               if "priority =" not in statement)

