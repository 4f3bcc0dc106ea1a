"""The history of an item's edits keeps the values: what changed, from what to what, in the
item's JSON (``changes``) and on its page, in the reader's language."""
from datetime import UTC, datetime

import flask_migrate
import pytest
from helpers import api_token, root_conftest, sign_in
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from coordination import ROOT
from coordination.auth.models import User
from coordination.demo import seed_demo
from coordination.directory.models import Ministry
from coordination.extensions import db
from coordination.items.models import ActionItem, ItemEvent

COORDINATOR = "coordinator.ph@example.org"


def ministry_id(session, acronym, country="PH"):
    return session.scalar(select(Ministry.id).where(Ministry.country_code == country, Ministry.acronym == acronym))


@pytest.fixture
def tokens(client):
    return {"coordinator": api_token(client, COORDINATOR), "dswd": api_token(client, "staff.ph.dswd@example.org"),
            "th": api_token(client, "coordinator.th@example.org")}


def create(client, headers, **fields):
    body = {"title": "Harmonise the social registry", "due_date": "2026-12-20", "description": "Link the records",
            **fields}
    response = client.post("/api/v1/items", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def edit(client, headers, item, **fields):
    return client.patch(f"/api/v1/items/{item['id']}", json={"version": item["version"], **fields}, headers=headers)


def test_an_edit_records_each_changed_field_with_its_old_and_new_value(client, session, tokens):
    dswd, dole = ministry_id(session, "DSWD"), ministry_id(session, "DOLE")
    item = create(client, tokens["coordinator"], supporter_ids=[dswd])
    response = edit(client, tokens["coordinator"], item, due_date="2027-01-10", priority="high",
                    title="Harmonise the registries", description="Link DSWD and PhilHealth records",
                    guarantee="health", supporter_ids=[dole, dswd])
    assert response.status_code == 200, response.get_json()
    events = response.get_json()["events"]
    assert [e["trigger"] for e in events] == ["create", "edit"]
    assert "changes" not in events[0]  # the other steps have none
    assert sorted(events[1]["changes"], key=lambda c: c["field"]) == [
        {"field": "description", "old": "Link the records", "new": "Link DSWD and PhilHealth records"},
        {"field": "due_date", "old": "2026-12-20", "new": "2027-01-10"},
        {"field": "guarantee", "old": None, "new": "health"},
        {"field": "priority", "old": "normal", "new": "high"},
        {"field": "supporting_ministry_ids", "old": [dswd], "new": sorted([dswd, dole])},
        {"field": "title", "old": "Harmonise the social registry", "new": "Harmonise the registries"},
    ]
    # What was there stays: the comment still names the fields.
    assert events[1]["comment"].startswith("Changed: ")
    again = client.get(f"/api/v1/items/{item['id']}", headers=tokens["coordinator"]).get_json()
    assert again["events"][1]["changes"] == events[1]["changes"]


def test_fields_sent_unchanged_are_not_recorded_and_an_edit_of_nothing_records_nothing(client, session, tokens):
    dswd = ministry_id(session, "DSWD")
    item = create(client, tokens["coordinator"], supporter_ids=[dswd])
    same = edit(client, tokens["coordinator"], item, title=item["title"], priority="normal", supporter_ids=[dswd])
    assert [e["trigger"] for e in same.get_json()["events"]] == ["create"]
    one = edit(client, tokens["coordinator"], same.get_json(), title=item["title"], due_date="2027-02-01")
    assert one.get_json()["events"][-1]["changes"] == [{"field": "due_date", "old": "2026-12-20", "new": "2027-02-01"}]


def test_who_may_not_edit_leaves_no_history(client, session, tokens):
    item = create(client, tokens["coordinator"])
    assert edit(client, tokens["dswd"], item, priority="high").status_code == 403
    assert edit(client, tokens["th"], item, priority="high").status_code == 404  # another country's
    refused = edit(client, tokens["coordinator"], item, due_date="someday")
    assert refused.status_code == 422
    events = session.scalars(select(ItemEvent).where(ItemEvent.item_id == item["id"])).all()
    assert [(e.trigger, e.changes) for e in events] == [("create", None)]


def page_of(client, item_id):
    response = client.get(f"/items/{item_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_item_page_shows_what_changed_from_what_to_what(client, session, tokens):
    item = create(client, tokens["coordinator"])
    edit(client, tokens["coordinator"], item, due_date="2027-01-10", priority="high", title="Harmonise <b>all</b>",
         description="New text")
    sign_in(client, COORDINATOR)
    page = page_of(client, item["id"])
    assert "Due date</span> 20 Dec 2026 → 10 Jan 2027" in page
    assert "Priority</span> Normal → High" in page
    assert "Title</span> ‘Harmonise the social registry’ → ‘Harmonise &lt;b&gt;all&lt;/b&gt;’" in page
    assert "The description changed." in page
    assert "<summary>Previous description</summary>" in page and "Link the records</div></details>" in page
    assert "Changed: " not in page  # the values say it


def test_the_history_speaks_the_readers_language(client, session, tokens):
    item = create(client, tokens["coordinator"])
    edit(client, tokens["coordinator"], item, due_date="2027-01-10", priority="high")
    sign_in(client, COORDINATOR)
    client.post("/language", data={"locale": "th", "next": "/items"})
    page = page_of(client, item["id"])
    assert "Due date</span>" not in page and "Priority</span>" not in page
    assert "Normal → High" not in page and "10 Jan 2027" not in page
    assert "2027" in page and " → " in page


def test_an_edit_recorded_before_the_values_were_kept_shows_as_before(client, session, tokens):
    item = create(client, tokens["coordinator"])
    coordinator = session.scalar(select(User).where(User.email == COORDINATOR))
    session.add(ItemEvent(item_id=item["id"], at=datetime(2026, 12, 1, tzinfo=UTC), actor_id=coordinator.id,
                          trigger="edit", from_state="draft", to_state="draft", comment="Changed: due date"))
    session.commit()
    sign_in(client, COORDINATOR)
    page = page_of(client, item["id"])
    assert "Edited the details" in page and "Changed: due date</blockquote>" in page
    events = client.get(f"/api/v1/items/{item['id']}", headers=tokens["coordinator"]).get_json()["events"]
    assert events[-1]["comment"] == "Changed: due date" and "changes" not in events[-1]


def test_the_history_stays_append_only_after_the_migration(make_app, database_url, pytestconfig):
    """0009 adds item_events.changes in place: the triggers that refuse UPDATE and DELETE stay,
    after the upgrade and after a downgrade and upgrade again."""
    from test_migrations import drop_everything

    app = make_app()
    directory = str(ROOT / "migrations")
    try:
        with app.app_context():
            drop_everything()
            flask_migrate.upgrade(directory=directory)
            seed_demo(db.session)
            coordinator = db.session.scalar(select(User).where(User.email == COORDINATOR))
            now = datetime(2026, 12, 2, tzinfo=UTC)
            item = ActionItem(country_code="PH", title="Kept", description="", state="draft", due_date=now.date(),
                              priority="normal", created_by_id=coordinator.id, created_at=now, updated_at=now)
            db.session.add(item)
            db.session.add(ItemEvent(item=item, at=now, actor_id=coordinator.id, trigger="edit",
                                     changes=[{"field": "priority", "old": "normal", "new": "high"}]))
            db.session.commit()
            for round_ in ("upgraded", "downgraded and upgraded"):
                for statement in ("UPDATE item_events SET comment = 'rewritten'", "DELETE FROM item_events"):
                    with pytest.raises(DatabaseError, match="append-only"):
                        with db.engine.begin() as conn:
                            conn.execute(text(statement))
                assert db.session.scalar(select(ItemEvent.changes)) == (
                    [{"field": "priority", "old": "normal", "new": "high"}] if round_ == "upgraded" else None)
                db.session.rollback()
                if round_ == "upgraded":
                    flask_migrate.downgrade(directory=directory, revision="0007")
                    flask_migrate.upgrade(directory=directory)
    finally:
        root_conftest(pytestconfig).mark_postgres_schema_dirty()


def test_an_unchanged_text_sent_back_by_the_web_form_is_no_change(client, session, tokens):
    """A browser sends a text area's lines ended by CR LF: the same description is no edit."""
    item = create(client, tokens["coordinator"], description="Line one\nLine two")
    sign_in(client, COORDINATOR)
    form = {"title": item["title"], "description": "Line one\r\nLine two", "due_date": "2027-01-10",
            "priority": "normal", "guarantee": "", "version": str(item["version"])}
    assert client.post(f"/items/{item['id']}/edit", data=form).status_code == 302
    events = client.get(f"/api/v1/items/{item['id']}", headers=tokens["coordinator"]).get_json()["events"]
    assert events[-1]["changes"] == [{"field": "due_date", "old": "2026-12-20", "new": "2027-01-10"}]
