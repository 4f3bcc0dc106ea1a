"""Watching an action item: who may (whoever may read it, nobody else: 404), the buttons and
the API, and a watcher's notice of every event of the item, once, never for their own step."""
from datetime import UTC, date, datetime

import pytest
from helpers import api_token, sign_in
from sqlalchemy import select

from coordination.auth.models import User
from coordination.directory.models import Ministry
from coordination.items.models import ActionItem
from coordination.reminders.models import Notification
from coordination.watchers.models import ItemWatcher

COORDINATOR = "coordinator.ph@example.org"
DSWD = "staff.ph.dswd@example.org"
DOLE = "staff.ph.dole@example.org"
THAI = "coordinator.th@example.org"
THAI_STAFF = "staff.th.msdhs@example.org"
OUTSIDERS = [THAI, THAI_STAFF, "secretariat@example.org", "observer@example.org", "admin@example.org"]
CREATED = datetime(2027, 1, 4, 2, 0, tzinfo=UTC)


def user(session, email) -> User:
    return session.scalar(select(User).where(User.email == email))


def ministry(session, acronym, country="PH") -> Ministry:
    return session.scalar(select(Ministry).where(Ministry.country_code == country, Ministry.acronym == acronym))


def make_item(session, *, state="in_progress", acronym="DSWD", title="Harmonise the social registry") -> ActionItem:
    holder = ministry(session, acronym) if acronym else None
    item = ActionItem(country_code="PH", title=title, description="", state=state,
                      ministry_id=holder.id if holder else None, due_date=date(2027, 3, 31), priority="normal",
                      created_by_id=user(session, COORDINATOR).id, created_at=CREATED, updated_at=CREATED)
    session.add(item)
    session.commit()
    return item


def watchers(session, item) -> list[str]:
    session.expire_all()
    return list(session.scalars(select(User.email).join(ItemWatcher, ItemWatcher.user_id == User.id)
                                .where(ItemWatcher.item_id == item.id).order_by(User.email)))


def notices(session, item=None) -> list[tuple[str, str]]:
    """(recipient, event) of every notice, oldest first."""
    session.expire_all()
    statement = (select(User.email, Notification.event).join(User, User.id == Notification.user_id)
                 .where(Notification.kind == "notice").order_by(Notification.id))
    if item is not None:
        statement = statement.where(Notification.subject_id == item.id)
    return [tuple(row) for row in session.execute(statement)]


def fire(client, headers, item_id, trigger, **extra):
    version = client.get(f"/api/v1/items/{item_id}", headers=headers).get_json()["version"]
    response = client.post(f"/api/v1/items/{item_id}/transitions", json={"trigger": trigger, "version": version,
                                                                         **extra}, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


# -- who may watch -----------------------------------------------------------------------------

def test_the_creator_watches_a_new_item(client, session):
    headers = api_token(client, COORDINATOR)
    response = client.post("/api/v1/items", json={"title": "Unify the targeting database",
                                                  "due_date": "2027-05-31"}, headers=headers)
    body = response.get_json()
    assert response.status_code == 201
    assert (body["watchers"], body["watching"]) == ([user(session, COORDINATOR).id], True)
    again = client.get(f"/api/v1/items/{body['id']}", headers=api_token(client, DSWD)).get_json()
    assert (again["watchers"], again["watching"]) == ([user(session, COORDINATOR).id], False)


def test_a_reader_watches_and_stops_watching_by_the_api(client, session):
    item = make_item(session)
    headers = api_token(client, DOLE)  # DOLE may read DSWD's item, not act on it
    dole = user(session, DOLE).id
    for _ in range(2):  # watching twice is watching
        response = client.put(f"/api/v1/items/{item.id}/watchers/me", headers=headers)
        assert response.status_code == 200
        assert response.get_json() == {"item_id": item.id, "watching": True, "watchers": [dole]}
    assert watchers(session, item) == [DOLE]
    body = client.get(f"/api/v1/items/{item.id}", headers=headers).get_json()
    assert (body["watchers"], body["watching"]) == ([dole], True)
    for _ in range(2):
        response = client.delete(f"/api/v1/items/{item.id}/watchers/me", headers=headers)
        assert response.status_code == 200
        assert response.get_json() == {"item_id": item.id, "watching": False, "watchers": []}
    assert watchers(session, item) == []


@pytest.mark.parametrize("email", OUTSIDERS)
def test_whoever_may_not_read_the_item_cannot_watch_it(client, session, email):
    item = make_item(session)
    headers = api_token(client, email)
    for method in (client.put, client.delete):
        response = method(f"/api/v1/items/{item.id}/watchers/me", headers=headers)
        assert response.status_code == 404 and response.get_json()["error"] == "not_found"
        # The same answer as for an item that exists nowhere.
        assert method("/api/v1/items/999999/watchers/me", headers=headers).get_json() == response.get_json()
    assert watchers(session, item) == []
    assert client.put(f"/api/v1/items/{item.id}/watchers/me").status_code == 401


def test_the_item_page_has_a_watch_button_that_works_without_javascript(client, session):
    item = make_item(session)
    sign_in(client, DOLE)
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert f'action="/items/{item.id}/watch"' in page and ">Watch</button>" in page
    assert "0 people watch it." in page
    response = client.post(f"/items/{item.id}/watch")
    assert response.status_code == 302 and response.headers["Location"] == f"/items/{item.id}"
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "You are watching this item" in page and ">Stop watching</button>" in page
    assert "1 person watches it." in page
    assert watchers(session, item) == [DOLE]
    assert client.get(f"/items/{item.id}/watch").status_code == 302  # a reload goes back to the item
    client.post(f"/items/{item.id}/unwatch")
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "You no longer watch this item." in page and ">Watch</button>" in page
    assert watchers(session, item) == []


@pytest.mark.parametrize("email", [THAI, THAI_STAFF, "secretariat@example.org"])
def test_another_countrys_user_gets_404_from_the_buttons(client, session, email):
    item = make_item(session)
    sign_in(client, email)
    for path in (f"/items/{item.id}/watch", f"/items/{item.id}/unwatch"):
        assert client.post(path).status_code == 404
        assert client.get(path).status_code == 404
    assert watchers(session, item) == []


# -- what watchers are told ------------------------------------------------------------------------

def test_a_watcher_is_told_of_every_event_and_never_of_their_own(client, session):
    item = make_item(session, state="assigned")
    tokens = {email: api_token(client, email) for email in (COORDINATOR, DSWD, DOLE)}
    client.put(f"/api/v1/items/{item.id}/watchers/me", headers=tokens[DOLE])
    client.put(f"/api/v1/items/{item.id}/watchers/me", headers=tokens[DSWD])
    fire(client, tokens[DSWD], item.id, "accept")  # told nobody before; now DOLE, not DSWD itself
    assert notices(session) == [(DOLE, "accept")]
    client.post(f"/api/v1/items/{item.id}/comments", json={"comment": "Data arrives Friday"}, headers=tokens[DSWD])
    assert notices(session)[-1:] == [(DOLE, "comment")]
    version = client.get(f"/api/v1/items/{item.id}", headers=tokens[COORDINATOR]).get_json()["version"]
    client.patch(f"/api/v1/items/{item.id}", json={"version": version, "title": "Harmonise it"},
                 headers=tokens[COORDINATOR])
    assert notices(session)[-2:] == [(DSWD, "edit"), (DOLE, "edit")]
    fire(client, tokens[DSWD], item.id, "block", comment="Waiting for PSA")
    assert notices(session)[-1:] == [(DOLE, "block")]
    row = session.scalars(select(Notification).order_by(Notification.id.desc()).limit(1)).one()
    assert row.title == "Blocked: Harmonise it"
    assert "DSWD focal person, Philippines" in row.body and "Waiting for PSA" in row.body
    assert (row.url, row.subject_type, row.subject_id, row.status) == (f"/items/{item.id}", "item", item.id,
                                                                       "pending")
    # Without watchers the same steps tell nobody (the notices of before).
    other = make_item(session, state="assigned", title="Unwatched")
    fire(client, tokens[DSWD], other.id, "accept")
    fire(client, tokens[DSWD], other.id, "block", comment="Waiting")
    assert notices(session, other) == []


def test_a_watcher_the_event_concerns_anyway_gets_one_notice(client, session):
    item = make_item(session, state="draft", acronym=None)
    tokens = {email: api_token(client, email) for email in (COORDINATOR, DSWD)}
    client.put(f"/api/v1/items/{item.id}/watchers/me", headers=tokens[DSWD])
    fire(client, tokens[COORDINATOR], item.id, "assign", ministry_id=ministry(session, "DSWD").id)
    assert notices(session) == [(DSWD, "assign")]
    (row,) = session.scalars(select(Notification)).all()
    assert row.title == "Assigned to your ministry: Harmonise the social registry"  # the ministry's own notice


def test_a_watcher_who_may_not_read_the_item_any_more_is_told_nothing(client, session):
    item = make_item(session, state="assigned")
    dole = user(session, DOLE)
    client.put(f"/api/v1/items/{item.id}/watchers/me", headers=api_token(client, DOLE))
    dswd_headers = api_token(client, DSWD)
    dole.country_code, dole.ministry_id = "TH", ministry(session, "MSDHS", "TH").id  # moved to Thailand
    session.commit()
    fire(client, dswd_headers, item.id, "accept")
    dole.country_code, dole.ministry_id, dole.active = "PH", ministry(session, "DOLE").id, False  # back, disabled
    session.commit()
    fire(client, dswd_headers, item.id, "block", comment="Waiting")
    assert notices(session) == []


def test_a_watchers_notice_is_listed_in_the_application(client, session):
    item = make_item(session, state="assigned")
    client.put(f"/api/v1/items/{item.id}/watchers/me", headers=api_token(client, DOLE))
    fire(client, api_token(client, DSWD), item.id, "accept")
    listed = client.get("/api/v1/notifications", headers=api_token(client, DOLE)).get_json()
    assert [(n["title"], n["event"], n["url"].endswith(f"/items/{item.id}")) for n in listed["notifications"]] == [
        ("Accepted: Harmonise the social registry", "accept", True)]
    sign_in(client, DOLE)
    assert "Accepted: Harmonise the social registry" in client.get("/notifications").get_data(as_text=True)
