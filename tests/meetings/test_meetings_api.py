"""Meetings and their decisions in the API (API.md "Second round: the regional network"):
who records, who reads, what a decision makes, and the refusals, from every side."""
import pytest
from helpers import api_token
from sqlalchemy import func, select

from coordination.directory.models import Ministry
from coordination.items.models import ActionItem, ItemEvent
from coordination.meetings.models import Meeting

USERS = {
    "ph": "coordinator.ph@example.org", "dswd": "staff.ph.dswd@example.org", "th": "coordinator.th@example.org",
    "sso": "staff.th.sso@example.org", "secretariat": "secretariat@example.org",
    "observer": "observer@example.org", "admin": "admin@example.org",
}


def ministry_id(session, country, acronym):
    return session.scalar(select(Ministry.id).where(Ministry.country_code == country, Ministry.acronym == acronym))


@pytest.fixture
def who(client, session):
    tokens = {name: api_token(client, email) for name, email in USERS.items()}
    tokens.update(DSWD=ministry_id(session, "PH", "DSWD"), DOLE=ministry_id(session, "PH", "DOLE"),
                  SSO=ministry_id(session, "TH", "SSO"))
    return tokens


def national(client, who, **fields):
    body = {"title": "Council meeting", "held_on": "2027-02-10", "attendee_ministry_ids": [who["DSWD"], who["DOLE"]],
            "minutes": "Agreed the registry plan.", **fields}
    return client.post("/api/v1/meetings", json=body, headers=who["ph"])


def regional(client, who, **fields):
    body = {"title": "Network meeting", "held_on": "2027-03-01", "attendee_countries": ["PH", "th", "MY"],
            "minutes": "Portability.", **fields}
    return client.post("/api/v1/meetings", json=body, headers=who["secretariat"])


def test_a_coordinator_records_a_meeting_of_their_mechanism(client, who):
    response = national(client, who)
    assert response.status_code == 201, response.get_json()
    meeting = response.get_json()
    assert meeting["country"] == "PH" and meeting["held_on"] == "2027-02-10"
    assert sorted(meeting["attendee_ministry_ids"]) == sorted([who["DSWD"], who["DOLE"]])
    assert meeting["attendee_countries"] == [] and meeting["decisions"] == [] and meeting["version"] == 1
    listed = client.get("/api/v1/meetings?country=PH", headers=who["dswd"]).get_json()
    assert meeting["id"] in [m["id"] for m in listed["meetings"]]


def test_another_countrys_ministry_attending_answers_422_and_keeps_nothing(client, session, who):
    before = session.scalar(select(func.count()).select_from(Meeting))
    response = national(client, who, attendee_ministry_ids=[who["DSWD"], who["SSO"]])
    assert response.status_code == 422
    assert "attendee_ministry_ids" in response.get_json()["fields"]
    assert session.scalar(select(func.count()).select_from(Meeting)) == before


@pytest.mark.parametrize("fields, field", [
    ({"country": "TH"}, "country"), ({"title": ""}, "title"), ({"held_on": "someday"}, "held_on"),
    ({"held_on": "1800-01-01"}, "held_on"), ({"attendee_countries": ["PH"]}, "attendee_countries"),
    ({"attendee_ministry_ids": "all"}, "attendee_ministry_ids"), ({"minutes": 5}, "minutes"),
])
def test_bad_input_for_a_national_meeting_answers_422(client, who, fields, field):
    response = national(client, who, **fields)
    assert response.status_code == 422 and field in response.get_json()["fields"], response.get_json()


def test_the_secretariat_records_the_regional_networks_meetings(client, who):
    response = regional(client, who)
    assert response.status_code == 201, response.get_json()
    meeting = response.get_json()
    assert meeting["country"] is None and meeting["attendee_countries"] == ["MY", "PH", "TH"]
    assert regional(client, who, country="PH").status_code == 422
    assert regional(client, who, attendee_countries=["PH", "XX"]).status_code == 422
    assert regional(client, who, attendee_ministry_ids=[who["DSWD"]]).status_code == 422


@pytest.mark.parametrize("role", ["dswd", "observer", "admin"])
def test_other_roles_record_no_meeting(client, who, role):
    body = {"title": "x", "held_on": "2027-02-10"}
    assert client.post("/api/v1/meetings", json=body, headers=who[role]).status_code == 403


def test_who_reads_a_national_meeting(client, who):
    meeting = national(client, who).get_json()
    path = f"/api/v1/meetings/{meeting['id']}"
    for role in ("ph", "dswd", "secretariat"):
        assert client.get(path, headers=who[role]).status_code == 200, role
    for role in ("th", "sso", "observer", "admin"):  # another country; the minutes are the mechanism's own
        assert client.get(path, headers=who[role]).status_code == 404, role
    for role in ("th", "observer", "admin"):
        assert client.get("/api/v1/meetings?country=PH", headers=who[role]).status_code == 404, role
    assert client.get("/api/v1/meetings?country=PH", headers=who["secretariat"]).status_code == 200


def test_who_reads_a_regional_meeting(client, who):
    meeting = regional(client, who).get_json()
    path = f"/api/v1/meetings/{meeting['id']}"
    for role in ("ph", "dswd", "th", "sso", "secretariat"):
        assert client.get(path, headers=who[role]).status_code == 200, role
        listed = client.get("/api/v1/meetings", headers=who[role]).get_json()
        assert meeting["id"] in [m["id"] for m in listed["meetings"]], role
    for role in ("observer", "admin"):
        assert client.get(path, headers=who[role]).status_code == 404, role
        assert client.get("/api/v1/meetings", headers=who[role]).status_code == 404, role


def test_a_decision_with_a_ministry_is_an_item_assigned_to_it_linked_back(client, session, who):
    meeting = national(client, who).get_json()
    response = client.post(f"/api/v1/meetings/{meeting['id']}/decisions", headers=who["ph"], json={
        "text": "Share the registry extract", "ministry_id": who["DSWD"], "due_date": "2027-04-30"})
    assert response.status_code == 201, response.get_json()
    decision = response.get_json()["decisions"][0]
    assert decision["state"] == "assigned" and decision["ministry_id"] == who["DSWD"]
    item = client.get(f"/api/v1/items/{decision['item_id']}", headers=who["dswd"]).get_json()
    assert item["meeting_id"] == meeting["id"] and item["state"] == "assigned" and item["title"] == decision["text"]
    assert [e["trigger"] for e in item["events"]] == ["create", "assign"]
    assert "accept" in item["allowed_triggers"]  # the ministry has it in its inbox at once


def test_a_decision_without_a_ministry_is_a_draft_for_the_coordinator(client, who):
    meeting = national(client, who).get_json()
    response = client.post(f"/api/v1/meetings/{meeting['id']}/decisions", headers=who["ph"],
                           json={"text": "Prepare the next agenda", "due_date": "2027-05-31"})
    assert response.status_code == 201
    decision = response.get_json()["decisions"][0]
    assert decision["state"] == "draft" and decision["ministry_id"] is None


def test_a_decision_for_another_countrys_ministry_answers_422_and_keeps_nothing(client, session, who):
    meeting = national(client, who).get_json()
    items_before = session.scalar(select(func.count()).select_from(ActionItem))
    events_before = session.scalar(select(func.count()).select_from(ItemEvent))
    response = client.post(f"/api/v1/meetings/{meeting['id']}/decisions", headers=who["ph"],
                           json={"text": "Ask Thailand", "ministry_id": who["SSO"], "due_date": "2027-05-31"})
    assert response.status_code == 422 and "ministry_id" in response.get_json()["fields"]
    assert session.scalar(select(func.count()).select_from(ActionItem)) == items_before
    assert session.scalar(select(func.count()).select_from(ItemEvent)) == events_before


@pytest.mark.parametrize("body, field", [
    ({"due_date": "2027-05-31"}, "text"), ({"text": "x"}, "due_date"), ({"text": "x" * 201, "due_date": "2027-05-31"},
                                                                        "text"),
    ({"text": "x", "due_date": "2027-05-31", "country": "TH"}, "country"),
])
def test_bad_decisions_answer_422(client, who, body, field):
    meeting = national(client, who).get_json()
    response = client.post(f"/api/v1/meetings/{meeting['id']}/decisions", headers=who["ph"], json=body)
    assert response.status_code == 422 and field in response.get_json()["fields"], response.get_json()


def test_only_the_meetings_side_records_its_decisions(client, who):
    meeting = national(client, who).get_json()
    path = f"/api/v1/meetings/{meeting['id']}/decisions"
    body = {"text": "x", "due_date": "2027-05-31"}
    assert client.post(path, headers=who["dswd"], json=body).status_code == 403
    assert client.post(path, headers=who["secretariat"], json=body).status_code == 403
    assert client.post(path, headers=who["th"], json=body).status_code == 404
    assert client.post(path, headers=who["observer"], json=body).status_code == 404


def test_a_regional_decision_is_a_draft_for_the_named_member_states_coordinator(client, who):
    meeting = regional(client, who).get_json()
    path = f"/api/v1/meetings/{meeting['id']}/decisions"
    assert client.post(path, headers=who["secretariat"], json={"text": "x", "due_date": "2027-06-30"}) \
        .status_code == 422  # no country
    refused = client.post(path, headers=who["secretariat"],
                          json={"text": "x", "due_date": "2027-06-30", "country": "PH", "ministry_id": who["DSWD"]})
    assert refused.status_code == 422 and "ministry_id" in refused.get_json()["fields"]
    assert client.post(path, headers=who["ph"], json={"text": "x", "due_date": "2027-06-30", "country": "PH"}) \
        .status_code == 403
    response = client.post(path, headers=who["secretariat"], json={
        "text": "Note on pension portability", "due_date": "2027-06-30", "country": "PH"})
    assert response.status_code == 201, response.get_json()
    decision = response.get_json()["decisions"][0]
    assert decision["country"] == "PH" and decision["state"] == "draft"
    item = client.get(f"/api/v1/items/{decision['item_id']}", headers=who["ph"]).get_json()
    assert item["meeting_id"] == meeting["id"] and "assign" in item["allowed_triggers"]
    told = client.get("/api/v1/notifications", headers=who["ph"]).get_json()
    told = told["notifications"] if isinstance(told, dict) else told
    assert any(n.get("event") == "decided" and "Note on pension portability" in n["title"] for n in told), told
    told_th = client.get("/api/v1/notifications", headers=who["th"]).get_json()
    told_th = told_th["notifications"] if isinstance(told_th, dict) else told_th
    assert not any(n.get("event") == "decided" for n in told_th)
    # Thailand reads the regional meeting and the decision, not the Philippine item's state.
    seen = client.get(f"/api/v1/meetings/{meeting['id']}", headers=who["th"]).get_json()
    assert seen["decisions"][0]["text"] == "Note on pension portability" and seen["decisions"][0]["state"] is None
    assert client.get(f"/api/v1/items/{decision['item_id']}", headers=who["th"]).status_code == 404
    # The secretariat follows the state, not the item.
    assert client.get(f"/api/v1/meetings/{meeting['id']}", headers=who["secretariat"]).get_json()[
        "decisions"][0]["state"] == "draft"
    assert client.get(f"/api/v1/items/{decision['item_id']}", headers=who["secretariat"]).status_code == 404


def test_editing_a_meeting_takes_its_version(client, who):
    meeting = national(client, who).get_json()
    path = f"/api/v1/meetings/{meeting['id']}"
    changed = client.patch(path, headers=who["ph"], json={"version": 1, "title": "Council meeting (rescheduled)",
                                                           "attendee_ministry_ids": [who["DSWD"]]})
    assert changed.status_code == 200, changed.get_json()
    body = changed.get_json()
    assert body["title"] == "Council meeting (rescheduled)" and body["attendee_ministry_ids"] == [who["DSWD"]]
    assert body["version"] == 2 and body["minutes"] == "Agreed the registry plan."
    stale = client.patch(path, headers=who["ph"], json={"version": 1, "title": "Again"})
    assert stale.status_code == 409 and stale.get_json()["current_version"] == 2
    assert client.patch(path, headers=who["ph"], json={"version": 2, "attendee_ministry_ids": [who["SSO"]]}) \
        .status_code == 422
    assert client.patch(path, headers=who["dswd"], json={"version": 2, "title": "x"}).status_code == 403
    assert client.patch(path, headers=who["secretariat"], json={"version": 2, "title": "x"}).status_code == 403
    assert client.patch(path, headers=who["th"], json={"version": 2, "title": "x"}).status_code == 404
    assert client.get(path, headers=who["ph"]).get_json()["title"] == "Council meeting (rescheduled)"


def test_unknown_meetings_answer_404(client, who):
    assert client.get("/api/v1/meetings/999999", headers=who["ph"]).status_code == 404
    assert client.get("/api/v1/meetings?country=XX", headers=who["ph"]).status_code == 404
