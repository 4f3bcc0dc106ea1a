"""The items API of API.md: create, read, list, edit, transitions, errors."""
import threading
from datetime import date, timedelta

import pytest
from helpers import api_token
from sqlalchemy import func, select

from coordination import clock
from coordination.directory.models import Ministry
from coordination.items.models import ActionItem, ItemEvent

COORDINATOR = "coordinator.ph@example.org"


def ministry_id(session, country, acronym):
    return session.scalar(select(Ministry.id).where(Ministry.country_code == country, Ministry.acronym == acronym))


@pytest.fixture
def ph(client, session):
    """Tokens for the Philippine users of these tests, and a few ministry ids."""
    return {
        "coordinator": api_token(client, COORDINATOR),
        "dswd": api_token(client, "staff.ph.dswd@example.org"),
        "dole": api_token(client, "staff.ph.dole@example.org"),
        "doh": api_token(client, "staff.ph.doh@example.org"),
        "th": api_token(client, "coordinator.th@example.org"),
        "secretariat": api_token(client, "secretariat@example.org"),
        "DSWD": ministry_id(session, "PH", "DSWD"),
        "DOLE": ministry_id(session, "PH", "DOLE"),
        "SSO": ministry_id(session, "TH", "SSO"),
    }


def create(client, headers, **fields):
    body = {"title": "Harmonise the social registry", "due_date": "2027-03-31", **fields}
    return client.post("/api/v1/items", json=body, headers=headers)


def fire(client, headers, item, trigger, **extra):
    return client.post(f"/api/v1/items/{item['id']}/transitions",
                       json={"trigger": trigger, "version": item["version"], **extra}, headers=headers)


def test_create_returns_a_draft_with_its_fields(client, ph):
    response = create(client, ph["coordinator"], description="Link DSWD and PhilHealth records",
                      ministry_id=ph["DSWD"], guarantee="health", priority="high")
    assert response.status_code == 201
    item = response.get_json()
    assert item["state"] == "draft" and item["country"] == "PH"
    assert item["ministry_id"] == ph["DSWD"] and item["priority"] == "high" and item["guarantee"] == "health"
    assert item["allowed_triggers"] == ["assign", "cancel"]
    assert [e["trigger"] for e in item["events"]] == ["create"]


def test_priority_defaults_to_normal_and_past_due_dates_are_accepted(client, ph):
    item = create(client, ph["coordinator"], due_date="2020-01-31").get_json()
    assert item["priority"] == "normal"
    assert item["overdue"] is True


@pytest.mark.parametrize("body, field", [
    ({"title": "", "due_date": "2027-03-31"}, "title"),
    ({"title": "x" * 201, "due_date": "2027-03-31"}, "title"),
    ({"title": "Fine", "due_date": "31/03/2027"}, "due_date"),
    ({"title": "Fine", "due_date": "2027-02-30"}, "due_date"),
    ({"title": "Fine"}, "due_date"),
    ({"title": "Fine", "due_date": "2027-03-31", "priority": "urgent"}, "priority"),
    ({"title": "Fine", "due_date": "2027-03-31", "guarantee": "housing"}, "guarantee"),
    ({"title": 5, "due_date": "2027-03-31"}, "title"),
])
def test_bad_fields_answer_422_and_create_nothing(client, session, ph, body, field):
    response = client.post("/api/v1/items", json=body, headers=ph["coordinator"])
    assert response.status_code == 422
    assert response.get_json()["error"] == "validation_error"
    assert field in response.get_json()["fields"]
    assert session.scalar(select(func.count(ActionItem.id))) == 0


def test_a_ministry_of_another_country_answers_422(client, session, ph):
    response = create(client, ph["coordinator"], ministry_id=ph["SSO"])
    assert response.status_code == 422 and "ministry_id" in response.get_json()["fields"]
    assert session.scalar(select(func.count(ActionItem.id))) == 0


def test_body_that_is_not_an_object_answers_400(client, ph):
    for data in ("[1, 2]", "not json"):
        response = client.post("/api/v1/items", data=data, content_type="application/json",
                               headers=ph["coordinator"])
        assert response.status_code == 400 and response.get_json()["error"] == "bad_request"


@pytest.mark.parametrize("who", ["dswd", "secretariat"])
def test_only_coordinators_create(client, ph, who):
    assert create(client, ph[who]).status_code == 403


def test_full_flow_with_hand_over_send_back_and_approve(client, ph):
    item = create(client, ph["coordinator"], ministry_id=ph["DSWD"]).get_json()
    item = fire(client, ph["coordinator"], item, "assign").get_json()
    assert item["state"] == "assigned" and item["ministry_id"] == ph["DSWD"]
    assert fire(client, ph["coordinator"], item, "accept").status_code == 403
    item = fire(client, ph["dswd"], item, "accept").get_json()
    assert item["state"] == "in_progress"
    item = fire(client, ph["dswd"], item, "hand_over", ministry_id=ph["DOLE"], comment="Labour data").get_json()
    assert item["state"] == "assigned" and item["ministry_id"] == ph["DOLE"]
    # DSWD no longer holds it: it may read it but not act on it.
    assert client.get(f"/api/v1/items/{item['id']}", headers=ph["dswd"]).get_json()["allowed_triggers"] == []
    assert fire(client, ph["dswd"], item, "accept").status_code == 403
    item = fire(client, ph["dole"], item, "accept").get_json()
    item = fire(client, ph["dole"], item, "submit", comment="Registry linked").get_json()
    assert item["state"] == "submitted"
    item = fire(client, ph["coordinator"], item, "send_back", comment="Add the pilot results").get_json()
    assert item["state"] == "in_progress" and item["ministry_id"] == ph["DOLE"]
    item = fire(client, ph["dole"], item, "submit", comment="Pilot results added").get_json()
    item = fire(client, ph["coordinator"], item, "approve").get_json()
    assert item["state"] == "completed"
    events = item["events"]
    assert [e["trigger"] for e in events] == [
        "create", "assign", "accept", "hand_over", "accept", "submit", "send_back", "submit", "approve"]
    hand_over = events[3]
    assert (hand_over["from_ministry_id"], hand_over["to_ministry_id"]) == (ph["DSWD"], ph["DOLE"])
    assert hand_over["comment"] == "Labour data"
    assert (hand_over["from_state"], hand_over["to_state"]) == ("in_progress", "assigned")


def test_refusals_follow_the_precedence_of_the_api(client, session, ph):
    item = create(client, ph["coordinator"], ministry_id=ph["DSWD"]).get_json()
    unknown = fire(client, ph["coordinator"], item, "teleport")
    assert unknown.status_code == 422 and "trigger" in unknown.get_json()["fields"]
    impossible = fire(client, ph["coordinator"], item, "approve")
    assert impossible.status_code == 409
    assert impossible.get_json() | {"message": ""} == {
        "error": "invalid_transition", "message": "", "state": "draft", "allowed": ["assign", "cancel"]}
    assert fire(client, ph["th"], item, "assign").status_code == 404
    assert fire(client, ph["secretariat"], item, "assign").status_code == 404
    item = fire(client, ph["coordinator"], item, "assign").get_json()
    assert fire(client, ph["dole"], item, "accept").status_code == 403
    stale = fire(client, ph["dswd"], item | {"version": item["version"] - 1}, "accept")
    assert stale.status_code == 409
    assert stale.get_json()["error"] == "stale_version"
    assert stale.get_json()["current_version"] == item["version"]
    missing = fire(client, ph["dswd"], item, "hand_over")
    assert missing.status_code == 422
    assert set(missing.get_json()["fields"]) == {"comment", "ministry_id"}
    foreign = fire(client, ph["dswd"], item, "hand_over", ministry_id=ph["SSO"], comment="x")
    assert foreign.status_code == 422 and "ministry_id" in foreign.get_json()["fields"]
    same = fire(client, ph["dswd"], item, "hand_over", ministry_id=ph["DSWD"], comment="x")
    assert same.status_code == 422 and "ministry_id" in same.get_json()["fields"]
    after = client.get(f"/api/v1/items/{item['id']}", headers=ph["coordinator"]).get_json()
    assert after["state"] == "assigned" and after["version"] == item["version"]
    assert len(after["events"]) == 2


def test_cancel_needs_a_comment_except_from_draft(client, ph):
    draft = create(client, ph["coordinator"]).get_json()
    assert fire(client, ph["coordinator"], draft, "cancel").get_json()["state"] == "cancelled"
    item = create(client, ph["coordinator"], ministry_id=ph["DSWD"]).get_json()
    item = fire(client, ph["coordinator"], item, "assign").get_json()
    refused = fire(client, ph["coordinator"], item, "cancel")
    assert refused.status_code == 422 and "comment" in refused.get_json()["fields"]
    assert fire(client, ph["coordinator"], item, "cancel", comment="Duplicate").get_json()["state"] == "cancelled"


def test_transfer_to_the_same_ministry_only_after_a_decline(client, ph):
    item = create(client, ph["coordinator"], ministry_id=ph["DSWD"]).get_json()
    item = fire(client, ph["coordinator"], item, "assign").get_json()
    same = fire(client, ph["coordinator"], item, "transfer", ministry_id=ph["DSWD"], comment="again")
    assert same.status_code == 422
    item = fire(client, ph["dswd"], item, "decline", comment="Not our mandate").get_json()
    assert item["state"] == "declined"
    item = fire(client, ph["coordinator"], item, "transfer", ministry_id=ph["DSWD"], comment="It is").get_json()
    assert item["state"] == "assigned" and item["ministry_id"] == ph["DSWD"]


def test_reading_and_listing_respect_the_country(client, ph):
    item = create(client, ph["coordinator"], ministry_id=ph["DSWD"]).get_json()
    create(client, ph["th"], title="Thai item")
    assert client.get(f"/api/v1/items/{item['id']}", headers=ph["dole"]).status_code == 200
    assert client.get(f"/api/v1/items/{item['id']}", headers=ph["th"]).status_code == 404
    assert client.get(f"/api/v1/items/{item['id']}", headers=ph["secretariat"]).status_code == 404
    listed = client.get("/api/v1/items", headers=ph["coordinator"]).get_json()
    assert [i["title"] for i in listed["items"]] == ["Harmonise the social registry"]
    assert listed["total"] == 1
    assert client.get("/api/v1/items", headers=ph["secretariat"]).get_json()["total"] == 0


def test_list_filters_and_pages(client, ph):
    today = clock.now().date()
    for n in range(7):
        create(client, ph["coordinator"], title=f"Item {n}", ministry_id=ph["DSWD"] if n % 2 else ph["DOLE"],
               due_date=(today + timedelta(days=n - 3)).isoformat())
    create(client, ph["coordinator"], title="Maternity cash benefit rules", due_date="2030-01-01")

    def listing(**args):
        return client.get("/api/v1/items", query_string=args, headers=ph["coordinator"]).get_json()

    assert listing(per_page=3)["total"] == 8 and len(listing(per_page=3)["items"]) == 3
    assert len(listing(per_page=3, page=3)["items"]) == 2
    assert listing(ministry_id=ph["DSWD"])["total"] == 3
    assert [i["title"] for i in listing(q="maternity")["items"]] == ["Maternity cash benefit rules"]
    overdue = listing(overdue="true")
    assert overdue["total"] >= 2 and all(i["overdue"] for i in overdue["items"])
    assert listing(state="draft")["total"] == 8 and listing(state="assigned")["total"] == 0
    bad = client.get("/api/v1/items?page=0", headers=ph["coordinator"])
    assert bad.status_code == 422


def test_patch_edits_fields_checks_the_version_and_rearms(client, ph):
    item = create(client, ph["coordinator"]).get_json()
    edited = client.patch(f"/api/v1/items/{item['id']}", headers=ph["coordinator"],
                          json={"version": item["version"], "due_date": "2027-04-30", "title": "Renamed"})
    assert edited.status_code == 200
    body = edited.get_json()
    assert body["due_date"] == "2027-04-30" and body["title"] == "Renamed" and body["version"] == item["version"] + 1
    stale = client.patch(f"/api/v1/items/{item['id']}", headers=ph["coordinator"],
                         json={"version": item["version"], "title": "Lost update"})
    assert stale.status_code == 409 and stale.get_json()["error"] == "stale_version"
    assert client.patch(f"/api/v1/items/{item['id']}", headers=ph["dswd"],
                        json={"version": body["version"], "title": "x"}).status_code == 403
    assert client.patch(f"/api/v1/items/{item['id']}", headers=ph["th"],
                        json={"version": body["version"], "title": "x"}).status_code == 404


def test_summary_gives_counts_only(client, ph):
    item = create(client, ph["coordinator"], ministry_id=ph["DSWD"], due_date="2020-01-01").get_json()
    fire(client, ph["coordinator"], item, "assign")
    create(client, ph["th"])
    summary = client.get("/api/v1/items/summary", headers=ph["secretariat"]).get_json()["countries"]
    by_country = {row["country"]: row for row in summary}
    assert len(by_country) == 10
    assert by_country["PH"]["by_state"]["assigned"] == 1 and by_country["PH"]["overdue"] == 1
    assert by_country["TH"]["by_state"]["draft"] == 1 and by_country["TH"]["overdue"] == 0
    assert "title" not in str(summary)
    own = client.get("/api/v1/items/summary", headers=ph["coordinator"]).get_json()["countries"]
    assert [row["country"] for row in own] == ["PH"]


def test_twenty_concurrent_accepts_make_one_transition(app, client, session, ph):
    item = create(client, ph["coordinator"], ministry_id=ph["DSWD"]).get_json()
    item = fire(client, ph["coordinator"], item, "assign").get_json()
    barrier = threading.Barrier(20)
    statuses = []

    def attempt():
        with app.test_client() as own_client:
            barrier.wait()
            statuses.append(fire(own_client, ph["dswd"], item, "accept").status_code)

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [409] * 19
    session.rollback()
    assert session.get(ActionItem, item["id"]).state == "in_progress"
    accepts = session.scalar(select(func.count(ItemEvent.id)).where(
        ItemEvent.item_id == item["id"], ItemEvent.trigger == "accept"))
    assert accepts == 1


def test_comments_are_events(client, ph):
    item = create(client, ph["coordinator"], ministry_id=ph["DSWD"]).get_json()
    item = fire(client, ph["coordinator"], item, "assign").get_json()
    response = client.post(f"/api/v1/items/{item['id']}/comments", json={"comment": "We start Monday"},
                           headers=ph["dswd"])
    assert response.status_code == 201
    assert response.get_json()["events"][-1]["trigger"] == "comment"
    assert client.post(f"/api/v1/items/{item['id']}/comments", json={"comment": "  "},
                       headers=ph["dswd"]).status_code == 422
    # DOLE neither holds nor supports it.
    assert client.post(f"/api/v1/items/{item['id']}/comments", json={"comment": "Hi"},
                       headers=ph["dole"]).status_code == 403


def test_due_date_in_the_country_zone(client, ph, monkeypatch):
    # 2027-03-31 16:30 UTC is already 1 April 00:30 in Manila: an item due 31 March is overdue there.
    from datetime import UTC, datetime
    monkeypatch.setattr(clock, "now", lambda: datetime(2027, 3, 31, 16, 30, tzinfo=UTC))
    item = create(client, ph["coordinator"], due_date="2027-03-31").get_json()
    assert item["overdue"] is True
    monkeypatch.setattr(clock, "now", lambda: datetime(2027, 3, 31, 15, 59, tzinfo=UTC))
    assert client.get(f"/api/v1/items/{item['id']}", headers=ph["coordinator"]).get_json()["overdue"] is False
    assert date(2027, 3, 31).isoformat() == item["due_date"]


def test_history_rows_cannot_be_changed_or_deleted(client, session, ph):
    from sqlalchemy import delete, update
    from sqlalchemy.exc import DatabaseError

    item = create(client, ph["coordinator"]).get_json()
    for statement in (update(ItemEvent).where(ItemEvent.item_id == item["id"]).values(comment="rewritten"),
                      delete(ItemEvent).where(ItemEvent.item_id == item["id"])):
        with pytest.raises(DatabaseError, match="append-only"):
            session.execute(statement)
            session.commit()
        session.rollback()
    assert [e["trigger"] for e in client.get(f"/api/v1/items/{item['id']}", headers=ph["coordinator"])
            .get_json()["events"]] == ["create"]
