"""Mentions in a comment: "@address" of a colleague who may read the item tells them and makes
them a watcher; any other address tells nobody and reveals nothing. And the people the comment
box suggests: who may read the item, for whoever may comment on it."""
import pytest
from helpers import api_token, sign_in
from sqlalchemy import select
from test_watchers import COORDINATOR, DOLE, DSWD, THAI, THAI_STAFF, make_item, notices, user, watchers

from coordination.auth import passwords
from coordination.auth.models import User
from coordination.reminders.models import Notification
from coordination.watchers.mentions import mentioned_addresses


def comment(client, headers, item, text):
    return client.post(f"/api/v1/items/{item.id}/comments", json={"comment": text}, headers=headers)


def add_user(session, email, role="ministry_staff", country="PH", ministry_id=None, active=True, name=None):
    found = User(email=email, name=name or email.split("@")[0], role=role, country_code=country,
                 ministry_id=ministry_id, password_hash=passwords.hash_password("irrelevant-password"),
                 active=active, session_counter=0)
    session.add(found)
    session.commit()
    return found


def test_addresses_are_read_from_the_text():
    assert mentioned_addresses("@a@b.org, and @C@D.gov.ph. Mail x@y.org or (@e@f.io)") == [
        "a@b.org", "c@d.gov.ph", "e@f.io"]
    assert mentioned_addresses("@a@b.org @A@b.org") == ["a@b.org"]
    assert mentioned_addresses("no@mention.org @ nobody @nodomain") == []
    assert len(mentioned_addresses(" ".join(f"@u{n}@x.org" for n in range(50)))) == 20


def test_a_mention_tells_the_colleague_and_makes_them_a_watcher(client, session):
    item = make_item(session)  # held by DSWD; DOLE may read it, not comment
    response = comment(client, api_token(client, DSWD), item, f"@{DOLE.upper()} can you check the wage data?")
    assert response.status_code == 201
    assert notices(session) == [(DOLE, "mention")]
    (row,) = session.scalars(select(Notification)).all()
    assert row.title == "DSWD focal person, Philippines mentioned you on “Harmonise the social registry”"
    assert "can you check the wage data?" in row.body
    assert row.url == f"/items/{item.id}"
    assert watchers(session, item) == [DOLE]
    body = client.get(f"/api/v1/items/{item.id}", headers=api_token(client, DOLE)).get_json()
    assert body["watching"] is True and body["watchers"] == [user(session, DOLE).id]
    # From now on DOLE hears of every event; mentioned again, one notice, the mention.
    comment(client, api_token(client, COORDINATOR), item, f"Thanks @{DOLE} and @{DSWD}")
    assert sorted(notices(session)[1:]) == [(DOLE, "mention"), (DSWD, "mention")]
    comment(client, api_token(client, COORDINATOR), item, "Any news?")
    assert sorted(notices(session)[3:]) == [(DOLE, "comment"), (DSWD, "comment")]


def test_a_mention_in_a_steps_comment_counts_as_well(client, session):
    item = make_item(session)
    headers = api_token(client, DSWD)
    version = client.get(f"/api/v1/items/{item.id}", headers=headers).get_json()["version"]
    response = client.post(f"/api/v1/items/{item.id}/transitions", headers=headers, json={
        "trigger": "block", "version": version, "comment": f"Waiting for @{DOLE} and @{THAI}"})
    assert response.status_code == 200
    assert notices(session) == [(DOLE, "mention")]
    assert watchers(session, item) == [DOLE]


def test_whom_a_step_lands_with_gets_the_steps_notice_even_when_mentioned(client, session):
    item = make_item(session)
    headers = api_token(client, DSWD)
    version = client.get(f"/api/v1/items/{item.id}", headers=headers).get_json()["version"]
    client.post(f"/api/v1/items/{item.id}/transitions", headers=headers, json={
        "trigger": "hand_over", "version": version, "ministry_id": user(session, DOLE).ministry_id,
        "comment": f"@{DOLE} the wage data is yours"})
    assert notices(session) == [(DOLE, "hand_over")]
    (row,) = session.scalars(select(Notification)).all()
    assert row.title.startswith("Handed over to your ministry") and "the wage data is yours" in row.body
    assert watchers(session, item) == [DOLE]


@pytest.mark.parametrize("who", ["another country", "another country's staff", "secretariat", "observer", "admin",
                                 "unknown", "disabled", "self"])
def test_a_mention_of_anyone_who_may_not_read_the_item_tells_nobody_and_reveals_nothing(client, session, who):
    item = make_item(session)
    if who == "disabled":
        add_user(session, "gone.ph@example.org", ministry_id=item.ministry_id, active=False)
    address = {"another country": THAI, "another country's staff": THAI_STAFF, "secretariat": "secretariat@example.org",
               "observer": "observer@example.org", "admin": "admin@example.org", "unknown": "nobody@example.org",
               "disabled": "gone.ph@example.org", "self": DSWD}[who]
    headers = api_token(client, DSWD)
    plain = comment(client, headers, item, "Please look at the figures")
    mentioned = comment(client, headers, item, f"@{address} please look at the figures")
    assert mentioned.status_code == plain.status_code == 201
    first, second = plain.get_json(), mentioned.get_json()
    assert set(first) == set(second) and second["watchers"] == first["watchers"] == []
    assert second["events"][-1]["comment"] == f"@{address} please look at the figures"  # kept as plain text
    assert notices(session) == []
    assert watchers(session, item) == []


def test_on_the_page_a_mention_of_another_countrys_user_answers_as_a_comment_without_one(client, session):
    item = make_item(session)
    sign_in(client, DSWD)
    answers = []
    for text in ("Please look", f"@{THAI} please look", f"@{DOLE} please look"):
        response = client.post(f"/items/{item.id}/comments", data={"comment": text})
        answers.append((response.status_code, response.headers["Location"],
                        client.get(response.headers["Location"]).status_code))
    assert answers[0] == answers[1] == answers[2] == (302, f"/items/{item.id}#history", 200)
    assert notices(session) == [(DOLE, "mention")]
    assert watchers(session, item) == [DOLE]


def test_the_comment_box_explains_mentions_and_loads_its_script(client, session):
    item = make_item(session)
    sign_in(client, DSWD)
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "write @ and their e-mail address" in page
    assert f'data-people-url="/items/{item.id}/people.json"' in page
    assert '<script src="/static/mentions.js" defer></script>' in page
    client.post("/logout")
    sign_in(client, DOLE)  # may read, may not comment: no box, no script
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "mentions.js" not in page and "data-people-url" not in page


# -- the people a comment may mention ---------------------------------------------------------------

def people(client, item, **query):
    response = client.get(f"/items/{item.id}/people.json", query_string=query)
    return response.status_code, response.get_json() if response.is_json else None


def test_the_suggestions_are_the_colleagues_who_may_read_the_item(client, session):
    item = make_item(session)
    sign_in(client, DSWD)
    status, body = people(client, item, q="staff.ph.do")
    assert status == 200
    assert [(p["email"], p["label"]) for p in body["people"]] == [
        ("staff.ph.doh@example.org", "DOH focal person, Philippines (DOH)"),
        ("staff.ph.dole@example.org", "DOLE focal person, Philippines (DOLE)")]
    assert body["more"] is False
    status, body = people(client, item, q="@national")  # by name, the @ typed too
    assert [(p["email"], p["label"]) for p in body["people"]] == [
        (COORDINATOR, "National Coordinator, Philippines (coordinator)")]
    status, body = people(client, item)
    emails = [p["email"] for p in body["people"]]
    assert DSWD not in emails and COORDINATOR in emails and DOLE in emails
    assert all(e.startswith(("staff.ph.", "coordinator.ph")) for e in emails)  # nobody of another country, no
    for odd in ("%", "_", "\\", "x" * 5000, "th@example", "secretariat"):  # regional role, whatever is typed
        assert people(client, item, q=odd) == (200, {"people": [], "more": False}), odd


def test_the_suggestions_come_a_page_at_a_time(client, session):
    item = make_item(session)
    for n in range(12):
        add_user(session, f"analyst{n:02}@example.org", ministry_id=item.ministry_id, name=f"Analyst {n:02}")
    sign_in(client, COORDINATOR)
    status, first = people(client, item, q="analyst")
    assert status == 200 and len(first["people"]) == 10 and first["more"] is True
    status, second = people(client, item, q="analyst", page="2")
    assert [p["name"] for p in second["people"]] == ["Analyst 10", "Analyst 11"] and second["more"] is False
    assert people(client, item, q="analyst", page="99999999999999999999") == (200, {"people": [], "more": False})


@pytest.mark.parametrize("email, status", [(DOLE, 403), (THAI, 404), (THAI_STAFF, 404),
                                           ("secretariat@example.org", 404), ("observer@example.org", 404),
                                           ("admin@example.org", 404)])
def test_only_who_may_comment_reads_the_suggestions(client, session, email, status):
    item = make_item(session)
    sign_in(client, email)
    found, body = people(client, item)
    assert found == status and body is None


def test_signed_out_the_suggestions_ask_for_a_sign_in(client, session):
    item = make_item(session)
    response = client.get(f"/items/{item.id}/people.json")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
