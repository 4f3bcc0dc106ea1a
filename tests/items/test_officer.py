"""The named officer of an item (API.md "A named officer"): who may take an item, give it to a
colleague or name one; what is refused, from both sides; the history; the list and the inbox."""
from datetime import UTC, datetime

import pytest
from helpers import api_token, sign_in
from sqlalchemy import select, text

from coordination.auth import passwords
from coordination.auth.models import User
from coordination.directory.models import Ministry
from coordination.extensions import db
from coordination.items.models import ActionItem, ItemEvent

COORDINATOR, DSWD, DOLE = "coordinator.ph@example.org", "staff.ph.dswd@example.org", "staff.ph.dole@example.org"
SECOND = "second.dswd@example.org"


def ministry_id(session, country, acronym):
    return session.scalar(select(Ministry.id).where(Ministry.country_code == country, Ministry.acronym == acronym))


def user_id(session, email):
    return session.scalar(select(User.id).where(User.email == email))


def add_user(session, email, name, role, country=None, ministry=None, active=True) -> int:
    found = User(email=email, name=name, role=role, country_code=country, ministry_id=ministry,
                 password_hash=passwords.hash_password("demo-password"), active=active, session_counter=0,
                 created_at=datetime(2027, 1, 4, tzinfo=UTC))
    session.add(found)
    session.commit()
    return found.id


@pytest.fixture
def ph(client, session):
    add_user(session, SECOND, "Second DSWD officer", "ministry_staff", "PH", ministry_id(session, "PH", "DSWD"))
    tokens = {name: api_token(client, email) for name, email in (
        ("coordinator", COORDINATOR), ("dswd", DSWD), ("second", SECOND), ("dole", DOLE),
        ("th", "coordinator.th@example.org"), ("th_staff", "staff.th.sso@example.org"),
        ("secretariat", "secretariat@example.org"), ("observer", "observer@example.org"))}
    tokens["DSWD"], tokens["DOLE"] = ministry_id(session, "PH", "DSWD"), ministry_id(session, "PH", "DOLE")
    return tokens


def assigned_item(client, ph, ministry="DSWD") -> dict:
    item = client.post("/api/v1/items", headers=ph["coordinator"], json={
        "title": "Harmonise the social registry", "due_date": "2027-03-31", "ministry_id": ph[ministry]}).get_json()
    return client.post(f"/api/v1/items/{item['id']}/transitions", headers=ph["coordinator"],
                       json={"trigger": "assign", "version": item["version"]}).get_json()


def patch(client, headers, item, **body):
    return client.patch(f"/api/v1/items/{item['id']}", headers=headers, json={"version": item["version"], **body})


def test_staff_of_the_holding_ministry_take_the_item_and_give_it_to_a_colleague(client, session, ph):
    item = assigned_item(client, ph)
    assert item["assignee_id"] is None
    taken = patch(client, ph["dswd"], item, assignee_id=user_id(session, DSWD))
    assert taken.status_code == 200, taken.get_json()
    assert taken.get_json()["assignee_id"] == user_id(session, DSWD)
    given = patch(client, ph["dswd"], taken.get_json(), assignee_id=user_id(session, SECOND))
    assert given.status_code == 200 and given.get_json()["assignee_id"] == user_id(session, SECOND)
    events = [e for e in given.get_json()["events"] if e["trigger"] == "officer"]
    assert [(e["from_assignee_id"], e["to_assignee_id"], e["actor"]) for e in events] == [
        (None, user_id(session, DSWD), user_id(session, DSWD)),
        (user_id(session, DSWD), user_id(session, SECOND), user_id(session, DSWD))]
    # The colleague now named is told; the one who took it for themselves was not.
    notices = session.execute(text("SELECT user_id FROM notifications WHERE event = 'officer'")).scalars().all()
    assert notices == [user_id(session, SECOND)]
    listed = client.get("/api/v1/items", headers=ph["second"]).get_json()["items"]
    assert [(i["id"], i["assignee_id"]) for i in listed] == [(item["id"], user_id(session, SECOND))]


def test_the_coordinator_names_and_clears_an_officer(client, session, ph):
    item = assigned_item(client, ph)
    named = patch(client, ph["coordinator"], item, assignee_id=user_id(session, SECOND))
    assert named.status_code == 200 and named.get_json()["assignee_id"] == user_id(session, SECOND)
    cleared = patch(client, ph["coordinator"], named.get_json(), assignee_id=None)
    assert cleared.status_code == 200 and cleared.get_json()["assignee_id"] is None


@pytest.mark.parametrize("who", ["dole", "th", "th_staff", "secretariat", "observer"])
def test_nobody_else_may_name_the_officer(client, session, ph, who):
    item = assigned_item(client, ph)
    response = patch(client, ph[who], item, assignee_id=user_id(session, DSWD))
    # Another ministry of the country reads the item (403); another country, the secretariat and
    # observers do not see it at all (404).
    assert response.status_code == (403 if who == "dole" else 404), response.get_json()
    assert client.get(f"/api/v1/items/{item['id']}", headers=ph["coordinator"]).get_json()["assignee_id"] is None


@pytest.mark.parametrize("email", [DOLE, "staff.th.sso@example.org", "coordinator.ph@example.org",
                                   "secretariat@example.org", "nobody"])
def test_an_officer_who_may_not_hold_the_item_answers_422(client, session, ph, email):
    item = assigned_item(client, ph)
    response = patch(client, ph["coordinator"], item, assignee_id=user_id(session, email) or 999999)
    assert response.status_code == 422 and "assignee_id" in response.get_json()["fields"]
    again = client.get(f"/api/v1/items/{item['id']}", headers=ph["coordinator"]).get_json()
    assert again["assignee_id"] is None and again["version"] == item["version"]


def test_a_disabled_colleague_and_a_draft_without_ministry_answer_422(client, session, ph):
    gone = add_user(session, "gone.dswd@example.org", "Former", "ministry_staff", "PH", ph["DSWD"], active=False)
    item = assigned_item(client, ph)
    assert patch(client, ph["coordinator"], item, assignee_id=gone).status_code == 422
    draft = client.post("/api/v1/items", headers=ph["coordinator"],
                        json={"title": "Draft", "due_date": "2027-03-31"}).get_json()
    response = patch(client, ph["coordinator"], draft, assignee_id=user_id(session, DSWD))
    assert response.status_code == 422 and "assignee_id" in response.get_json()["fields"]


def test_staff_may_send_the_officer_only(client, session, ph):
    item = assigned_item(client, ph)
    response = patch(client, ph["dswd"], item, assignee_id=user_id(session, DSWD), title="Mine now")
    assert response.status_code == 403
    assert patch(client, ph["dswd"], item, title="Mine now").status_code == 403
    stale = patch(client, ph["dswd"], {**item, "version": item["version"] - 1}, assignee_id=user_id(session, DSWD))
    assert stale.status_code == 409 and stale.get_json()["error"] == "stale_version"


@pytest.mark.parametrize("trigger", ["hand_over", "transfer"])
def test_a_hand_over_or_transfer_clears_the_officer(client, session, ph, trigger):
    item = patch(client, ph["dswd"], assigned_item(client, ph), assignee_id=user_id(session, DSWD)).get_json()
    who = ph["dswd"] if trigger == "hand_over" else ph["coordinator"]
    moved = client.post(f"/api/v1/items/{item['id']}/transitions", headers=who, json={
        "trigger": trigger, "version": item["version"], "ministry_id": ph["DOLE"], "comment": "Theirs."}).get_json()
    assert moved["assignee_id"] is None and moved["ministry_id"] == ph["DOLE"]
    assert moved["events"][-1]["from_assignee_id"] == user_id(session, DSWD)
    assert moved["events"][-1]["to_assignee_id"] is None
    # The previous holder's staff may not take it back.
    assert patch(client, ph["dswd"], moved, assignee_id=user_id(session, DSWD)).status_code == 403


def test_the_history_stays_append_only_with_its_new_columns(app, session, ph, client):
    item = patch(client, ph["dswd"], assigned_item(client, ph), assignee_id=user_id(session, DSWD)).get_json()
    event_id = session.scalar(select(ItemEvent.id).where(ItemEvent.item_id == item["id"],
                                                         ItemEvent.trigger == "officer"))
    with app.app_context():
        with pytest.raises(Exception, match="append-only"):
            with db.engine.begin() as conn:
                conn.execute(text("UPDATE item_events SET to_assignee_id = NULL WHERE id = :i"), {"i": event_id})


def test_assigned_to_me_lists_only_the_users_items(client, session, ph):
    mine = patch(client, ph["dswd"], assigned_item(client, ph), assignee_id=user_id(session, DSWD)).get_json()
    assigned_item(client, ph)  # held by DSWD, no officer
    listed = client.get("/api/v1/items?assignee=me", headers=ph["dswd"]).get_json()
    assert [i["id"] for i in listed["items"]] == [mine["id"]] and listed["total"] == 1
    assert client.get("/api/v1/items?assignee=me", headers=ph["second"]).get_json()["total"] == 0
    assert client.get("/api/v1/items?assignee=me", headers=ph["coordinator"]).get_json()["total"] == 0
    assert client.get("/api/v1/items?assignee=me&sort=state", headers=ph["dswd"]).get_json()["total"] == 1
    assert client.get("/api/v1/items?assignee=me&sort=ministry", headers=ph["dswd"]).get_json()["total"] == 1
    # An unknown value is ignored, as for every filter.
    assert client.get("/api/v1/items?assignee=someone", headers=ph["dswd"]).get_json()["total"] == 2


def test_the_item_page_takes_and_gives_the_item(client, session, ph):
    item = assigned_item(client, ph)
    sign_in(client, DSWD)
    page = client.get(f"/items/{item['id']}").get_data(as_text=True)
    assert "Take it" in page and "Second DSWD officer" in page and 'for="officer-colleague"' in page
    taken = client.post(f"/items/{item['id']}/officer", data={"version": item["version"],
                                                            "assignee_id": user_id(session, DSWD)},
                        follow_redirects=True)
    assert "You are the item&#39;s officer now." in taken.get_data(as_text=True)
    version = session.scalar(select(ActionItem.version).where(ActionItem.id == item["id"]))
    refused = client.post(f"/items/{item['id']}/officer", data={"version": version,
                                                              "assignee_id": user_id(session, DOLE)})
    assert refused.status_code == 422
    assert "Choose an active colleague of the ministry holding the item." in refused.get_data(as_text=True)
    given = client.post(f"/items/{item['id']}/officer", data={"version": version,
                                                            "assignee_id": user_id(session, SECOND)},
                        follow_redirects=True)
    body = given.get_data(as_text=True)
    assert "Second DSWD officer is the item&#39;s officer now." in body
    assert "Named Second DSWD officer as officer" in body


def test_another_ministry_sees_no_officer_forms_and_is_refused(client, session, ph):
    item = assigned_item(client, ph)
    sign_in(client, DOLE)
    page = client.get(f"/items/{item['id']}").get_data(as_text=True)
    assert "Take it" not in page and "officer-colleague" not in page
    response = client.post(f"/items/{item['id']}/officer", data={"version": item["version"],
                                                                "assignee_id": user_id(session, DOLE)},
                           follow_redirects=True)
    assert "You may not do this." in response.get_data(as_text=True)
    assert session.scalar(select(ActionItem.assignee_id).where(ActionItem.id == item["id"])) is None
    client.post("/logout")
    sign_in(client, "coordinator.th@example.org")
    assert client.post(f"/items/{item['id']}/officer", data={"version": item["version"]}).status_code == 404


def test_the_inbox_and_the_list_show_assigned_to_me(client, session, ph):
    item = patch(client, ph["dswd"], assigned_item(client, ph), assignee_id=user_id(session, DSWD)).get_json()
    sign_in(client, DSWD)
    inbox = client.get("/").get_data(as_text=True)
    assert 'id="mine-heading"' in inbox and f"/items/{item['id']}" in inbox.split('id="mine-heading"')[1]
    listed = client.get("/items?assignee=me").get_data(as_text=True)
    assert listed.count("data-item-link") == 1 and 'id="assignee"' in listed
    client.post("/logout")
    sign_in(client, SECOND)
    assert "No open item names you as its officer." in client.get("/").get_data(as_text=True)
    assert client.get("/items?assignee=me").get_data(as_text=True).count("data-item-link") == 0
