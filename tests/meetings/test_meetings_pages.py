"""The meeting pages: record a meeting with labelled checkboxes, record a decision in one step,
the decisions' states on the meeting page (one query for all), the lists, the coordinator's
home panel, "Decided at" on the item page; who sees what, from every role."""
import re

import pytest
from helpers import Statements, field_errors, sign_in
from sqlalchemy import func, select

from coordination import clock
from coordination.directory.models import Ministry
from coordination.extensions import db
from coordination.items.models import ActionItem
from coordination.meetings.demo import seed_meetings
from coordination.meetings.models import Meeting

PH = "coordinator.ph@example.org"


def ministry(session, country, acronym):
    return session.scalar(select(Ministry.id).where(Ministry.country_code == country, Ministry.acronym == acronym))


@pytest.fixture
def demo(app):
    with app.app_context():
        seed_meetings(db.session, clock.now())
        db.session.commit()
    return app


def meeting_of(session, country):
    where = Meeting.country_code == country if country else Meeting.country_code.is_(None)
    return session.scalar(select(Meeting).where(where))


def test_the_form_has_a_labelled_checkbox_per_ministry_of_the_country(client, session):
    sign_in(client, PH)
    page = client.get("/meetings/new").get_data(as_text=True)
    dswd = ministry(session, "PH", "DSWD")
    assert re.search(rf'<input[^>]*id="attendee_ministry_ids-\d+"[^>]*value="{dswd}"', page)
    assert 'for="attendee_ministry_ids-0"' in page and "<legend" in page
    assert "SSO" not in page  # Thailand's ministries are not offered


def test_a_coordinator_records_a_meeting_and_a_decision_from_the_pages(client, session):
    sign_in(client, PH)
    dswd, dole = ministry(session, "PH", "DSWD"), ministry(session, "PH", "DOLE")
    response = client.post("/meetings/new", data={"title": "Council, first quarter", "held_on": "2027-01-20",
                                                  "attendee_ministry_ids": [dswd, dole], "minutes": "Agreed."})
    assert response.status_code == 302
    meeting = session.scalar(select(Meeting).where(Meeting.title == "Council, first quarter"))
    assert meeting.country_code == "PH" and {m.id for m in meeting.ministries} == {dswd, dole}
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Record a decision" in page and "DSWD" in page and "Agreed." in page
    decided = client.post(f"/meetings/{meeting.id}/decisions", data={
        "text": "Cost the child benefit", "due_date": "2027-03-31", "ministry_id": str(dole)})
    assert decided.status_code == 302
    item = session.scalar(select(ActionItem).where(ActionItem.meeting_id == meeting.id))
    assert item.title == "Cost the child benefit" and item.state == "assigned" and item.ministry_id == dole
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert f'href="/items/{item.id}"' in page and "Assigned" in page
    item_page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "Decided at Council, first quarter" in item_page and f'href="/meetings/{meeting.id}"' in item_page


def test_bad_input_on_the_pages_answers_422_with_the_field_marked_and_keeps_nothing(client, session):
    sign_in(client, PH)
    sso = ministry(session, "TH", "SSO")
    before = session.scalar(select(func.count()).select_from(Meeting))
    response = client.post("/meetings/new", data={"title": "x", "held_on": "2027-01-20",
                                                  "attendee_ministry_ids": [sso]})
    assert response.status_code == 422 and "attendee_ministry_ids" in field_errors(response)
    assert client.post("/meetings/new", data={"title": "", "held_on": ""}).status_code == 422
    assert session.scalar(select(func.count()).select_from(Meeting)) == before
    meeting = client.post("/meetings/new", data={"title": "Council", "held_on": "2027-01-20"})
    meeting_id = int(meeting.headers["Location"].rsplit("/", 1)[1])
    items = session.scalar(select(func.count()).select_from(ActionItem))
    refused = client.post(f"/meetings/{meeting_id}/decisions", data={
        "text": "Ask Thailand", "due_date": "2027-03-31", "ministry_id": str(sso)})
    assert refused.status_code == 422 and "Choose a ministry of this member state." in refused.get_data(as_text=True)
    assert client.post(f"/meetings/{meeting_id}/decisions", data={"text": "", "due_date": "x"}).status_code == 422
    assert session.scalar(select(func.count()).select_from(ActionItem)) == items


def test_editing_a_meeting_from_its_form(client, session):
    sign_in(client, PH)
    created = client.post("/meetings/new", data={"title": "Council", "held_on": "2027-01-20"})
    meeting_id = int(created.headers["Location"].rsplit("/", 1)[1])
    form = client.get(f"/meetings/{meeting_id}/edit").get_data(as_text=True)
    assert 'name="version" type="hidden" value="1"' in form or 'value="1"' in form
    saved = client.post(f"/meetings/{meeting_id}/edit", data={"title": "Council (moved)", "held_on": "2027-01-27",
                                                              "version": "1", "minutes": "New"})
    assert saved.status_code == 302
    stale = client.post(f"/meetings/{meeting_id}/edit", data={"title": "Late", "held_on": "2027-01-27",
                                                              "version": "1"})
    assert stale.status_code == 302  # refused: shown as it is now
    session.expire_all()
    assert session.get(Meeting, meeting_id).title == "Council (moved)"


def test_the_secretariat_records_a_regional_meeting_and_a_decision_for_a_member_state(client, session):
    sign_in(client, "secretariat@example.org")
    form = client.get("/meetings/new").get_data(as_text=True)
    assert 'value="PH"' in form and "Member states attending" in form
    response = client.post("/meetings/new", data={"title": "Network meeting", "held_on": "2027-02-01",
                                                  "attendee_countries": ["PH", "MY"]})
    assert response.status_code == 302
    meeting = session.scalar(select(Meeting).where(Meeting.title == "Network meeting"))
    assert meeting.country_code is None and [c.code for c in meeting.countries] == ["MY", "PH"]
    assert client.post(f"/meetings/{meeting.id}/decisions", data={"text": "x", "due_date": "2027-05-01"}) \
        .status_code == 422  # no member state chosen
    assert client.post(f"/meetings/{meeting.id}/decisions", data={
        "text": "A portability note", "due_date": "2027-05-01", "country": "PH"}).status_code == 302
    item = session.scalar(select(ActionItem).where(ActionItem.meeting_id == meeting.id))
    assert item.country_code == "PH" and item.state == "draft"
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "A portability note" in page and "Draft" in page and f'href="/items/{item.id}"' not in page


@pytest.mark.parametrize("email, national, regional, lists", [
    (PH, 200, 200, {"/countries/PH/meetings": 200, "/countries/TH/meetings": 404, "/meetings": 200}),
    ("staff.ph.dswd@example.org", 200, 200, {"/countries/PH/meetings": 200, "/countries/TH/meetings": 404}),
    ("coordinator.th@example.org", 404, 200, {"/countries/PH/meetings": 404, "/countries/TH/meetings": 200}),
    ("secretariat@example.org", 200, 200, {"/countries/PH/meetings": 200, "/meetings": 200}),
    ("observer@example.org", 404, 404, {"/countries/PH/meetings": 404, "/meetings": 404}),
    ("admin@example.org", 404, 404, {"/countries/PH/meetings": 404, "/meetings": 404}),
])
def test_who_sees_which_meeting_page(demo, client, session, email, national, regional, lists):
    sign_in(client, email)
    ph, network = meeting_of(session, "PH"), meeting_of(session, None)
    assert client.get(f"/meetings/{ph.id}").status_code == national
    assert client.get(f"/meetings/{network.id}").status_code == regional
    for path, status in lists.items():
        assert client.get(path).status_code == status, path
    shown = client.get(f"/meetings/{ph.id}").get_data(as_text=True)
    if national == 200:
        assert ph.title in shown
    if email != PH:  # only the coordinator records and edits the national meeting
        assert "Record a decision" not in shown
        assert client.get(f"/meetings/{ph.id}/edit").status_code in (403, 404)
        assert client.post(f"/meetings/{ph.id}/decisions", data={"text": "x", "due_date": "2027-05-01"}) \
            .status_code in (403, 404)


def test_the_meeting_page_reads_its_decisions_states_in_one_query(demo, client, session):
    sign_in(client, PH)
    meeting = meeting_of(session, "PH")
    for n in range(5):
        client.post(f"/meetings/{meeting.id}/decisions", data={"text": f"Decision {n}", "due_date": "2027-05-01"})
    with demo.app_context():
        engine = db.engine

    def count(path):
        with Statements(engine) as recorder:
            assert client.get(path).status_code == 200
        return [s for s, _ in recorder.seen if "FROM action_items" in s]

    reads = count(f"/meetings/{meeting.id}")
    assert len(reads) == 1  # seven decisions, one statement
    assert client.get(f"/meetings/{meeting.id}").get_data(as_text=True).count("Decision ") >= 5


def test_the_coordinators_home_shows_the_last_meeting(demo, client, session):
    sign_in(client, PH)
    page = client.get("/").get_data(as_text=True)
    assert 'id="meetings-panel"' in page and meeting_of(session, "PH").title in page
    thai = demo.test_client()
    sign_in(thai, "coordinator.th@example.org")
    page = thai.get("/").get_data(as_text=True)
    assert f'href="/meetings/{meeting_of(session, "TH").id}"' in page
    assert f'href="/meetings/{meeting_of(session, "PH").id}"' not in page


def test_the_demo_has_a_meeting_per_country_with_decisions_and_a_regional_one(demo, session):
    countries = session.scalar(select(func.count(func.distinct(Meeting.country_code))))
    assert countries == 10
    assert session.scalar(select(func.count()).select_from(Meeting).where(Meeting.country_code.is_(None))) == 1
    per_meeting = session.execute(select(ActionItem.meeting_id, func.count()).where(
        ActionItem.meeting_id.is_not(None)).group_by(ActionItem.meeting_id)).all()
    assert len(per_meeting) == 11 and all(1 <= n <= 2 for _, n in per_meeting)


def test_the_lists_and_lookups_are_served_by_indexes(demo, client, session):
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    sign_in(client, PH)
    ph = meeting_of(session, "PH")
    with demo.app_context():
        engine = db.engine
    with Statements(engine) as recorder:
        for path in ("/countries/PH/meetings", "/meetings", f"/meetings/{ph.id}", "/"):
            assert client.get(path).status_code == 200
    with demo.app_context(), db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        plans = [raw.execute(f"EXPLAIN QUERY PLAN {s}", p).fetchall() for s, p in recorder.seen
                 if s.lstrip().upper().startswith("SELECT") and ("meetings" in s or "meeting_id" in s)]
    assert plans
    for plan in plans:
        for row in plan:
            line = row[-1]
            assert not (line.startswith(("SCAN meetings", "SCAN action_items")) and "USING" not in line), line
