"""Away and deputies (API.md "Away and deputies"): PUT and DELETE /api/v1/me/away, GET /api/v1/me,
the account page, and "Away until" beside the names of people away."""
from datetime import UTC, date, datetime

import pytest
from helpers import api_token, sign_in
from sqlalchemy import select

from coordination import clock
from coordination.auth import passwords
from coordination.auth.models import User
from coordination.directory.models import Mechanism, Ministry

NOW = datetime(2027, 3, 17, 2, 0, tzinfo=UTC)  # 17 March in Manila
COORDINATOR, DSWD, DOLE = "coordinator.ph@example.org", "staff.ph.dswd@example.org", "staff.ph.dole@example.org"
SECOND = "second.dswd@example.org"


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


def uid(session, email):
    return session.scalar(select(User.id).where(User.email == email))


def add_user(session, email, name, role, country=None, acronym=None, active=True) -> int:
    ministry = session.scalar(select(Ministry.id).where(Ministry.country_code == country,
                                                        Ministry.acronym == acronym)) if acronym else None
    found = User(email=email, name=name, role=role, country_code=country, ministry_id=ministry, active=active,
                 password_hash=passwords.hash_password("demo-password"), session_counter=0, created_at=NOW)
    session.add(found)
    session.commit()
    return found.id


@pytest.fixture
def second(session):
    return add_user(session, SECOND, "Second DSWD officer", "ministry_staff", "PH", "DSWD")


def put(client, headers, **body):
    return client.put("/api/v1/me/away", headers=headers, json=body)


def test_away_with_a_colleague_as_deputy_then_back(client, session, second):
    headers = api_token(client, DSWD)
    assert client.get("/api/v1/me", headers=headers).get_json()["away"] is False
    response = put(client, headers, **{"from": "2027-03-15", "until": "2027-03-26", "deputy_id": second})
    assert response.status_code == 200, response.get_json()
    me = client.get("/api/v1/me", headers=headers).get_json()
    assert (me["away_from"], me["away_until"], me["away_deputy_id"], me["away"]) == (
        "2027-03-15", "2027-03-26", second, True)
    later = put(client, headers, **{"from": "2027-04-01", "until": "2027-04-02"}).get_json()
    assert later["away"] is False and later["away_deputy_id"] is None
    assert client.delete("/api/v1/me/away", headers=headers).status_code == 204
    me = client.get("/api/v1/me", headers=headers).get_json()
    assert (me["away_from"], me["away_until"], me["away_deputy_id"], me["away"]) == (None, None, None, False)


def test_a_coordinator_names_another_coordinator_of_the_country(client, session):
    deputy = add_user(session, "deputy.ph@example.org", "Deputy Coordinator", "coordinator", "PH")
    headers = api_token(client, COORDINATOR)
    assert put(client, headers, **{"from": "2027-03-17", "until": "2027-03-17", "deputy_id": deputy}).status_code == 200
    for other in (uid(session, "coordinator.th@example.org"), uid(session, DSWD)):
        response = put(client, headers, **{"from": "2027-03-17", "until": "2027-03-18", "deputy_id": other})
        assert response.status_code == 422 and "deputy_id" in response.get_json()["fields"]


@pytest.mark.parametrize("body, field", [
    ({"from": "2027-03-20", "until": "2027-03-19"}, "until"),
    ({"from": "2027-03-01", "until": "2027-03-16"}, "until"),  # over yesterday
    ({"from": "someday", "until": "2027-03-19"}, "from"),
    ({"until": "2027-03-19"}, "from"),
    ({"from": "2027-03-19"}, "until"),
    ({"from": "2027-03-19", "until": "2300-01-01"}, "until"),
    ({"from": "2027-03-19", "until": "2027-03-20", "deputy_id": "x"}, "deputy_id"),
])
def test_bad_dates_answer_422_and_change_nothing(client, session, body, field):
    headers = api_token(client, DSWD)
    response = put(client, headers, **body)
    assert response.status_code == 422 and field in response.get_json()["fields"], response.get_json()
    assert client.get("/api/v1/me", headers=headers).get_json()["away_from"] is None


@pytest.mark.parametrize("deputy", [DOLE, "staff.th.sso@example.org", COORDINATOR, "secretariat@example.org",
                                    DSWD, "gone.dswd@example.org", "nobody"])
def test_only_a_colleague_of_the_same_ministry_deputises_for_staff(client, session, deputy):
    add_user(session, "gone.dswd@example.org", "Former", "ministry_staff", "PH", "DSWD", active=False)
    headers = api_token(client, DSWD)
    response = put(client, headers, **{"from": "2027-03-17", "until": "2027-03-20",
                                       "deputy_id": uid(session, deputy) or 999999})
    assert response.status_code == 422 and "deputy_id" in response.get_json()["fields"]
    assert client.get("/api/v1/me", headers=headers).get_json()["away_from"] is None


@pytest.mark.parametrize("email", ["secretariat@example.org", "observer@example.org", "admin@example.org"])
def test_regional_users_may_not_be_away(client, email):
    headers = api_token(client, email)
    assert put(client, headers, **{"from": "2027-03-17", "until": "2027-03-20"}).status_code == 403
    assert client.delete("/api/v1/me/away", headers=headers).status_code == 403
    assert "away" in client.get("/api/v1/me", headers=headers).get_json()


def test_the_account_page_sets_and_ends_the_away_period(client, session, second):
    sign_in(client, DSWD)
    page = client.get("/account").get_data(as_text=True)
    assert 'for="away_from"' in page and 'for="away_until"' in page and "Second DSWD officer" in page
    refused = client.post("/account/away", data={"away_from": "2027-03-20", "away_until": "2027-03-18"})
    assert refused.status_code == 422
    assert "The last day away must be on or after the first day away." in refused.get_data(as_text=True)
    wrong = client.post("/account/away", data={"away_from": "2027-03-17", "away_until": "2027-03-18",
                                               "deputy_id": uid(session, DOLE)})
    assert wrong.status_code == 422 and "Choose as deputy an active colleague" in wrong.get_data(as_text=True)
    assert session.scalar(select(User.away_from).where(User.email == DSWD)) is None
    saved = client.post("/account/away", data={"away_from": "2027-03-17", "away_until": "2027-03-26",
                                               "deputy_id": second}, follow_redirects=True)
    assert "You are away from" in saved.get_data(as_text=True)
    assert "You are away until" in saved.get_data(as_text=True)
    back = client.post("/account/away/end", follow_redirects=True)
    assert "Welcome back" in back.get_data(as_text=True)
    session.expire_all()
    assert session.scalar(select(User.away_until).where(User.email == DSWD)) is None


def test_regional_users_see_no_away_form(client):
    sign_in(client, "secretariat@example.org")
    assert 'for="away_from"' not in client.get("/account").get_data(as_text=True)
    assert client.post("/account/away", data={"away_from": "2027-03-17", "away_until": "2027-03-18"}).status_code \
        in (403, 422)


def test_away_until_shows_beside_the_officer_the_colleagues_and_the_focal_point(client, session, second):
    person = session.get(User, second)
    person.away_from, person.away_until = date(2027, 3, 10), date(2027, 3, 24)
    mechanism = session.scalar(select(Mechanism).where(Mechanism.country_code == "PH"))
    if mechanism is not None:
        mechanism.focal_point_id = second
    session.commit()
    headers = api_token(client, COORDINATOR)
    dswd = session.scalar(select(Ministry.id).where(Ministry.country_code == "PH", Ministry.acronym == "DSWD"))
    item = client.post("/api/v1/items", headers=headers, json={"title": "Registry", "due_date": "2027-03-31",
                                                               "ministry_id": dswd}).get_json()
    item = client.post(f"/api/v1/items/{item['id']}/transitions", headers=headers,
                       json={"trigger": "assign", "version": item["version"]}).get_json()
    client.patch(f"/api/v1/items/{item['id']}", headers=headers, json={"version": item["version"],
                                                                      "assignee_id": second})
    sign_in(client, DSWD)
    page = client.get(f"/items/{item['id']}").get_data(as_text=True)
    officer = page.split('id="officer"')[1].split("</dd>")[0]
    assert "Second DSWD officer" in officer and "Away until 24 Mar 2027" in officer
    assert "Second DSWD officer (away until 24 Mar 2027)" in page
    if mechanism is not None:
        assert "Away until 24 Mar 2027" in client.get("/countries/PH").get_data(as_text=True)
    # Not away any more: nothing said.
    person = session.get(User, second)
    person.away_until = date(2027, 3, 16)
    session.commit()
    assert "Away until" not in client.get(f"/items/{item['id']}").get_data(as_text=True)
