"""Bulk steps in the API (API.md "Bulk steps"): POST /api/v1/items/bulk, each item its own unit of
work, checked as if alone; one refusal does not stop the others."""
from datetime import date

import pytest
from helpers import ROLE_USERS, api_token
from sqlalchemy import func, select

from coordination.auth.models import User
from coordination.directory.models import Ministry
from coordination.items.models import ActionItem, ItemEvent
from coordination.reminders.models import Notification

COORDINATOR = ROLE_USERS["coordinator"]


def ministry_id(session, country, acronym):
    return session.scalar(select(Ministry.id).where(Ministry.country_code == country, Ministry.acronym == acronym))


@pytest.fixture
def ph(client, session):
    return {
        "coordinator": api_token(client, COORDINATOR),
        "DSWD": ministry_id(session, "PH", "DSWD"),
        "DOLE": ministry_id(session, "PH", "DOLE"),
    }


def create(client, headers, **fields):
    body = {"title": "Harmonise the social registry", "due_date": "2027-03-31", **fields}
    response = client.post("/api/v1/items", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def assigned(client, ph, **fields):
    item = create(client, ph["coordinator"], **fields)
    response = client.post(f"/api/v1/items/{item['id']}/transitions", headers=ph["coordinator"],
                           json={"trigger": "assign", "version": item["version"], "ministry_id": ph["DSWD"]})
    assert response.status_code == 200
    return response.get_json()


def bulk(client, headers, **body):
    return client.post("/api/v1/items/bulk", json=body, headers=headers)


def state_of(client, headers, item_id):
    return client.get(f"/api/v1/items/{item_id}", headers=headers).get_json()


def test_one_item_in_the_wrong_state_leaves_the_others_done(client, session, ph):
    first, second = assigned(client, ph), assigned(client, ph)
    draft = create(client, ph["coordinator"])  # a draft cannot be transferred
    response = bulk(client, ph["coordinator"], ids=[first["id"], draft["id"], second["id"]],
                    trigger="transfer", ministry_id=ph["DOLE"], comment="DOLE runs the registry now.")
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["id"] for r in results] == [first["id"], draft["id"], second["id"]]
    assert [r["status"] for r in results] == ["done", "refused", "done"]
    assert results[1]["error"] == "invalid_transition" and results[1]["message"]
    assert results[0]["error"] is None and results[0]["message"] is None
    for item in (first, second):
        after = state_of(client, ph["coordinator"], item["id"])
        assert after["ministry_id"] == ph["DOLE"] and after["state"] == "assigned"
        assert after["version"] == item["version"] + 1
        assert after["events"][-1]["trigger"] == "transfer"
        assert after["events"][-1]["comment"] == "DOLE runs the registry now."
    untouched = state_of(client, ph["coordinator"], draft["id"])
    assert untouched["version"] == draft["version"] and [e["trigger"] for e in untouched["events"]] == ["create"]


def test_a_refused_item_leaves_no_history_nor_notice(client, session, ph):
    done, refused = assigned(client, ph), assigned(client, ph)
    # The second item needs a comment to be cancelled: a draft does not; give neither.
    draft = create(client, ph["coordinator"])
    before = session.scalar(select(func.count()).select_from(Notification))
    response = bulk(client, ph["coordinator"], ids=[draft["id"], refused["id"]], trigger="cancel")
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == ["done", "refused"]
    assert results[1]["error"] == "validation_error" and "comment" in results[1]["message"].lower()
    session.expire_all()
    assert session.get(ActionItem, draft["id"]).state == "cancelled"
    assert session.get(ActionItem, refused["id"]).state == "assigned"
    assert session.scalar(select(func.count()).select_from(ItemEvent).where(
        ItemEvent.item_id == refused["id"], ItemEvent.trigger == "cancel")) == 0
    # Cancelling a draft tells nobody; the refused item's notices are not kept either.
    assert session.scalar(select(func.count()).select_from(Notification)) == before
    assert done["state"] == "assigned"


def test_notices_go_out_per_item_as_for_a_single_step(client, session, ph):
    items = [assigned(client, ph) for _ in range(2)]
    dole_staff = session.scalar(select(func.count()).select_from(User).where(User.ministry_id == ph["DOLE"]))
    response = bulk(client, ph["coordinator"], ids=[i["id"] for i in items], trigger="transfer",
                    ministry_id=ph["DOLE"], comment="Over to DOLE.")
    assert [r["status"] for r in response.get_json()["results"]] == ["done", "done"]
    for item in items:
        notices = session.scalars(select(Notification).where(
            Notification.subject_type == "item", Notification.subject_id == item["id"],
            Notification.event == "transfer")).all()
        assert len(notices) == dole_staff > 0


def test_due_date_and_priority_change_with_history_and_unchanged_is_said(client, session, ph):
    high = assigned(client, ph, priority="high")
    normal = assigned(client, ph)
    response = bulk(client, ph["coordinator"], ids=[high["id"], normal["id"]], priority="high",
                    due_date="2027-06-30")
    assert [r["status"] for r in response.get_json()["results"]] == ["done", "done"]
    response = bulk(client, ph["coordinator"], ids=[high["id"], normal["id"]], priority="high")
    assert [r["status"] for r in response.get_json()["results"]] == ["unchanged", "unchanged"]
    after = state_of(client, ph["coordinator"], normal["id"])
    assert after["priority"] == "high" and after["due_date"] == "2027-06-30"
    assert after["events"][-1]["trigger"] == "edit"


def test_another_countrys_and_unknown_ids_are_not_found_and_untouched(client, session, ph):
    mine = assigned(client, ph)
    th = api_token(client, "coordinator.th@example.org")
    theirs = create(client, th, title="Thai item")
    response = bulk(client, ph["coordinator"], ids=[mine["id"], theirs["id"], 999999], priority="low")
    results = response.get_json()["results"]
    assert [(r["status"], r["error"]) for r in results] == [
        ("done", None), ("refused", "not_found"), ("refused", "not_found")]
    # Nothing tells the Thai item from an id of none.
    assert results[1]["message"] == results[2]["message"]
    assert "Thai" not in response.get_data(as_text=True)
    assert state_of(client, th, theirs["id"])["priority"] == "normal"


@pytest.mark.parametrize("role", ["coordinator_elsewhere", "ministry_staff", "secretariat", "observer", "admin"])
def test_other_roles_and_countries_change_nothing(client, session, ph, role):
    item = assigned(client, ph)
    headers = api_token(client, ROLE_USERS[role])
    response = bulk(client, headers, ids=[item["id"]], trigger="cancel", comment="Not yours.")
    if role == "coordinator_elsewhere":  # a coordinator, but not of this item's country
        assert response.status_code == 200
        assert response.get_json()["results"] == [{"id": item["id"], "status": "refused", "error": "not_found",
                                                   "message": response.get_json()["results"][0]["message"]}]
    else:
        assert response.status_code == 403
        assert response.get_json()["error"] == "forbidden"
    assert state_of(client, ph["coordinator"], item["id"])["state"] == "assigned"


def test_a_step_not_the_coordinators_is_forbidden_per_item(client, ph):
    item = assigned(client, ph)
    results = bulk(client, ph["coordinator"], ids=[item["id"]], trigger="accept").get_json()["results"]
    assert results[0]["status"] == "refused" and results[0]["error"] == "forbidden"


@pytest.mark.parametrize("body, field", [
    ({"ids": list(range(1, 502)), "priority": "low"}, "ids"),
    ({"ids": [], "priority": "low"}, "ids"),
    ({"priority": "low"}, "ids"),
    ({"ids": [1, 2, 1], "priority": "low"}, "ids"),
    ({"ids": [1, "x"], "priority": "low"}, "ids"),
    ({"ids": [1, True], "priority": "low"}, "ids"),
    ({"ids": "1,2", "priority": "low"}, "ids"),
    ({"ids": [1]}, "trigger"),
    ({"ids": [1], "comment": "Only a comment"}, "trigger"),
    ({"ids": [1], "ministry_id": 1, "priority": "low"}, "ministry_id"),
    ({"ids": [1], "trigger": "explode"}, "trigger"),
    ({"ids": [1], "priority": "urgent"}, "priority"),
    ({"ids": [1], "due_date": "2027-02-30"}, "due_date"),
    ({"ids": [1], "trigger": "cancel", "comment": "x" * 5001}, "comment"),
])
def test_bad_bodies_answer_422_with_fields_and_change_nothing(client, session, ph, body, field):
    item = assigned(client, ph)
    body = {**body, "ids": [item["id"] if i == 1 else i for i in body["ids"]]} if isinstance(
        body.get("ids"), list) and len(body["ids"]) < 10 else body
    response = bulk(client, ph["coordinator"], **body)
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["error"] == "validation_error"
    assert field in response.get_json()["fields"]
    assert state_of(client, ph["coordinator"], item["id"])["version"] == item["version"]


def test_500_ids_are_taken(client, ph):
    item = assigned(client, ph)
    ids = [item["id"], *range(900_000, 900_499)]
    response = bulk(client, ph["coordinator"], ids=ids, priority="low")
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert len(results) == 500 and results[0]["status"] == "done"
    assert {r["error"] for r in results[1:]} == {"not_found"}


def test_assign_of_drafts_takes_their_chosen_ministry(client, session, ph):
    draft = create(client, ph["coordinator"], ministry_id=ph["DSWD"])
    results = bulk(client, ph["coordinator"], ids=[draft["id"]], trigger="assign").get_json()["results"]
    assert results[0]["status"] == "done"
    after = state_of(client, ph["coordinator"], draft["id"])
    assert after["state"] == "assigned" and after["ministry_id"] == ph["DSWD"]
    assert date.fromisoformat(after["due_date"]) == date(2027, 3, 31)
