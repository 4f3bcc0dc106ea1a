"""The action-item pages: forms, buttons per allowed trigger, stale versions, query counts."""
from datetime import UTC, date, datetime

import pytest
from helpers import sign_in
from sqlalchemy import event, func, select

from coordination.auth.models import User
from coordination.directory.models import Ministry
from coordination.items.models import ActionItem, ItemEvent

COORDINATOR = "coordinator.ph@example.org"
NOW = datetime(2027, 1, 4, 2, 0, tzinfo=UTC)


def ministry(session, acronym, country="PH"):
    return session.scalar(select(Ministry).where(Ministry.country_code == country, Ministry.acronym == acronym))


def make_items(session, count, *, state="assigned", acronym="DSWD", due=date(2025, 12, 1)):
    coordinator = session.scalar(select(User).where(User.email == COORDINATOR))
    holder = ministry(session, acronym)
    items = [ActionItem(country_code="PH", title=f"Item {n}", description="", state=state, ministry_id=holder.id,
                        due_date=due, priority="normal", created_by_id=coordinator.id, created_at=NOW,
                        updated_at=NOW) for n in range(count)]
    session.add_all(items)
    session.commit()
    return items


def test_new_item_form_assigns_the_item_to_the_ministry_chosen(client, session):
    sign_in(client, COORDINATOR)
    dswd = ministry(session, "DSWD")
    response = client.post("/items/new", data={
        "title": "Unify the targeting database", "description": "Listahanan 3", "due_date": "2027-05-31",
        "priority": "high", "guarantee": "children", "ministry_id": str(dswd.id)})
    assert response.status_code == 302
    item = session.scalar(select(ActionItem))
    assert (item.title, item.state, item.ministry_id, item.priority) == (
        "Unify the targeting database", "assigned", dswd.id, "high")
    assert [e.trigger for e in item.events] == ["create", "assign"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Unify the targeting database" in page and "saved and assigned to" in page


def test_new_item_form_without_a_ministry_keeps_a_draft(client, session):
    sign_in(client, COORDINATOR)
    response = client.post("/items/new", data={"title": "Later", "due_date": "2027-05-31", "priority": "normal"})
    assert response.status_code == 302
    item = session.scalar(select(ActionItem))
    assert (item.state, item.ministry_id) == ("draft", None)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "saved as a draft" in page and ">Assign" in page


@pytest.mark.parametrize("data, message", [
    ({"title": "", "due_date": "2027-05-31"}, "The title is required."),
    ({"title": "x" * 201, "due_date": "2027-05-31"}, "Use at most 200 characters."),
    ({"title": "Fine", "due_date": "next week"}, "Enter the due date as a date."),
])
def test_new_item_form_shows_errors_at_the_field(client, session, data, message):
    sign_in(client, COORDINATOR)
    response = client.post("/items/new", data={"priority": "normal", **data})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert session.scalar(select(func.count(ActionItem.id))) == 0


def test_only_coordinators_see_the_new_item_form(client):
    sign_in(client, "staff.ph.dswd@example.org")
    assert client.get("/items/new").status_code == 403


def test_item_page_offers_one_button_per_allowed_trigger(client, session):
    item = make_items(session, 1)[0]
    sign_in(client, "staff.ph.dswd@example.org")
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    for label in ("Accept", "Decline", "Hand over"):
        assert f">{label}" in page
    assert "Approve" not in page and ">Transfer" not in page
    client.post("/logout")
    sign_in(client, "staff.ph.dole@example.org")
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "Nothing is waiting for you on this item." in page


def test_item_page_of_another_country_is_404(client, session):
    item = make_items(session, 1)[0]
    for email in ("coordinator.th@example.org", "secretariat@example.org", "admin@example.org"):
        sign_in(client, email)
        assert client.get(f"/items/{item.id}").status_code == 404
        client.post("/logout")


def test_web_transition_with_missing_comment_shows_the_message(client, session):
    item = make_items(session, 1, state="in_progress")[0]
    sign_in(client, "staff.ph.dswd@example.org")
    response = client.post(f"/items/{item.id}/transitions", data={"trigger": "submit", "version": item.version})
    assert response.status_code == 422
    assert "Add a comment: it is required for this step." in response.get_data(as_text=True)
    session.rollback()
    assert session.get(ActionItem, item.id).state == "in_progress"


def test_stale_version_on_the_web_says_so_and_shows_the_new_state(client, session):
    item = make_items(session, 1)[0]
    seen = item.version
    sign_in(client, "staff.ph.dswd@example.org")
    assert client.post(f"/items/{item.id}/transitions", data={"trigger": "accept", "version": seen}).status_code == 302
    response = client.post(f"/items/{item.id}/transitions",
                           data={"trigger": "hand_over", "version": seen, "comment": "x",
                                 "ministry_id": ministry(session, "DOLE").id}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Someone else changed this item in the meantime" in page
    assert "In progress" in page


def test_comment_appears_in_the_history(client, session):
    item = make_items(session, 1)[0]
    sign_in(client, "staff.ph.dswd@example.org")
    response = client.post(f"/items/{item.id}/comments", data={"comment": "Data arrives Friday"},
                           follow_redirects=True)
    assert "Data arrives Friday" in response.get_data(as_text=True)
    assert session.scalar(select(ItemEvent.trigger).where(ItemEvent.item_id == item.id)) == "comment"


def test_list_filters(client, session):
    make_items(session, 3, acronym="DSWD")
    make_items(session, 2, state="in_progress", acronym="DOLE", due=date(2099, 1, 1))
    sign_in(client, COORDINATOR)
    assert client.get("/items").get_data(as_text=True).count('data-item-link') == 5
    dole = ministry(session, "DOLE")
    assert client.get(f"/items?ministry_id={dole.id}").get_data(as_text=True).count('data-item-link') == 2
    assert client.get("/items?overdue=true").get_data(as_text=True).count('data-item-link') == 3
    assert "No action item matches these filters." in client.get("/items?q=nothing-like-this").get_data(as_text=True)


def test_home_pages_per_role(client, session):
    make_items(session, 2)
    sign_in(client, COORDINATOR)
    board = client.get("/").get_data(as_text=True)
    assert "country board" in board and "2</strong> action items overdue" in board
    client.post("/logout")
    sign_in(client, "staff.ph.dswd@example.org")
    inbox = client.get("/").get_data(as_text=True)
    assert "DSWD inbox" in inbox and "Item 0" in inbox
    client.post("/logout")
    sign_in(client, "secretariat@example.org")
    overview = client.get("/").get_data(as_text=True)
    assert "Regional overview" in overview and "Item 0" not in overview


class QueryCounter:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, *args):
        self.count += 1


def queries_for(app, client, path):
    from coordination.extensions import db
    with app.app_context():
        engine = db.engine
    with QueryCounter(engine) as counter:
        assert client.get(path).status_code == 200
    return counter.count


@pytest.mark.parametrize("email, path", [
    (COORDINATOR, "/items"),
    (COORDINATOR, "/"),
    ("staff.ph.dswd@example.org", "/"),
    ("staff.ph.dswd@example.org", "/items"),
    ("secretariat@example.org", "/"),
])
def test_pages_issue_the_same_number_of_queries_for_5_and_50_items(app, client, session, email, path):
    sign_in(client, email)
    make_items(session, 5)
    few = queries_for(app, client, path)
    make_items(session, 45, acronym="DOLE")
    many = queries_for(app, client, path)
    assert few == many


def test_edit_form_changes_fields_and_records_the_change(client, session):
    item = make_items(session, 1)[0]
    seen = item.version
    sign_in(client, COORDINATOR)
    form = client.get(f"/items/{item.id}/edit").get_data(as_text=True)
    assert 'value="Item 0"' in form
    response = client.post(f"/items/{item.id}/edit", data={
        "title": "Renamed item", "due_date": "2027-02-01", "priority": "low", "guarantee": "",
        "version": seen}, follow_redirects=True)
    assert "The action item is saved." in response.get_data(as_text=True)
    session.expire_all()
    changed = session.get(ActionItem, item.id)
    assert (changed.title, changed.due_date, changed.priority) == ("Renamed item", date(2027, 2, 1), "low")
    assert "Edited the details" in response.get_data(as_text=True)
    stale = client.post(f"/items/{item.id}/edit", data={
        "title": "Lost", "due_date": "2027-02-01", "priority": "low", "version": seen},
        follow_redirects=True)
    assert "Someone else changed this item while you were editing it." in stale.get_data(as_text=True)
    session.expire_all()
    assert session.get(ActionItem, item.id).title == "Renamed item"
    client.post("/logout")
    sign_in(client, "staff.ph.dswd@example.org")
    assert client.get(f"/items/{item.id}/edit").status_code == 403


def test_workflow_help_page_draws_the_machine(client):
    sign_in(client, "observer@example.org")
    page = client.get("/help/workflow").get_data(as_text=True)
    assert "How an action item moves" in page and "<svg" in page and "stateDiagram-v2" in page


def test_the_inbox_shows_counts_and_the_first_items_of_each_section(client, session):
    make_items(session, 23)  # overdue, held by DSWD
    make_items(session, 2, state="in_progress", due=date(2099, 1, 1))
    sign_in(client, "staff.ph.dswd@example.org")
    page = client.get("/").get_data(as_text=True)
    assert page.count("data-item-link") == 20 + 2
    assert "Show all 23" in page and "overdue=true" in page
    assert "Nothing is waiting for acceptance." in page
