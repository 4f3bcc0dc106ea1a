"""Regional (cross-border) items in the JSON API: raising one, bad input, who reads what, and
the regional item completed when its parts are."""
import pytest
from helpers import row_counts
from sqlalchemy import select

from coordination.auth.models import User
from coordination.items.models import ActionItem
from coordination.reminders.models import Notification

from .conftest import PORTABILITY


def parts_by_country(body):
    return {part["country"]: part for part in body["parts"]}


def test_the_secretariat_raises_one_part_per_member_state_in_draft(client, tokens, session, regional):
    assert regional["state"] == "open" and regional["countries"] == ["MY", "PH"]
    assert regional["title"] == PORTABILITY["title"] and regional["due_date"] == "2031-06-30"
    parts = parts_by_country(regional)
    assert set(parts) == {"PH", "MY"}
    secretariat = session.scalar(select(User.id).where(User.email == "secretariat@example.org"))
    for code, part in parts.items():
        item = session.get(ActionItem, part["item_id"])
        assert (item.country_code, item.state, item.regional_item_id) == (code, "draft", regional["id"])
        assert item.created_by_id == secretariat and item.due_date.isoformat() == "2031-06-30"
        assert part["state"] == "draft" and part["overdue"] is False and part["ministry_id"] is None
        assert [e["trigger"] for e in part["events"]] == ["create"]
    # The country's coordinator reads the part as any item of theirs, and may assign it.
    mine = client.get(f"/api/v1/items/{parts['PH']['item_id']}", headers=tokens["ph"]).get_json()
    assert mine["regional_item_id"] == regional["id"] and "assign" in mine["allowed_triggers"]


def test_each_coordinator_is_told_of_their_part(client, tokens, session, regional):
    parts = parts_by_country(regional)
    for code in ("PH", "MY"):
        coordinator = session.scalar(select(User.id).where(User.email == f"coordinator.{code.lower()}@example.org"))
        told = session.scalars(select(Notification).where(Notification.user_id == coordinator,
                                                          Notification.subject_id == parts[code]["item_id"])).all()
        assert len(told) == 1 and told[0].url == f"/items/{parts[code]['item_id']}"
        assert "New part of a regional item" in told[0].title
    # Another member state's coordinator, and the secretariat who raised it, are told nothing.
    for email in ("coordinator.th@example.org", "secretariat@example.org"):
        user = session.scalar(select(User.id).where(User.email == email))
        assert session.scalars(select(Notification).where(Notification.user_id == user)).all() == []


@pytest.mark.parametrize("countries, expected", [
    (["PH"], "two or more"), (["PH", "ph"], "two or more"), ([], "two or more"), ("PH,MY", "two or more"),
    (["PH", "XX"], "XX"), (["PH", 5], "two or more"),
])
def test_one_member_state_or_an_unknown_code_answers_422_and_changes_nothing(app, client, tokens, countries,
                                                                             expected):
    before = row_counts(app)
    response = client.post("/api/v1/regional-items", json={**PORTABILITY, "countries": countries},
                           headers=tokens["secretariat"])
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "validation_error" and expected in " ".join(body["fields"]["countries"])
    assert row_counts(app) == before


def test_a_missing_title_or_due_date_answers_422(client, tokens):
    response = client.post("/api/v1/regional-items", json={"countries": ["PH", "MY"]}, headers=tokens["secretariat"])
    assert response.status_code == 422
    assert {"title", "due_date"} <= set(response.get_json()["fields"])


@pytest.mark.parametrize("role", ["ph", "dswd", "observer", "admin"])
def test_only_the_secretariat_raises_regional_items(app, client, tokens, role):
    before = row_counts(app)
    response = client.post("/api/v1/regional-items", json=PORTABILITY, headers=tokens[role])
    assert response.status_code == 403
    assert row_counts(app) == before


def test_the_secretariat_reads_every_part_with_its_history(client, tokens, regional):
    body = client.get(f"/api/v1/regional-items/{regional['id']}", headers=tokens["secretariat"]).get_json()
    assert all(part["item_id"] and part["events"] is not None for part in body["parts"])


@pytest.mark.parametrize("role, own", [("ph", "PH"), ("dswd", "PH"), ("my", "MY"), ("perkeso", "MY")])
def test_a_member_state_named_reads_its_own_part_and_the_others_states(client, tokens, regional, role, own):
    body = client.get(f"/api/v1/regional-items/{regional['id']}", headers=tokens[role]).get_json()
    parts = parts_by_country(body)
    assert parts[own]["item_id"] == parts_by_country(regional)[own]["item_id"]
    other = parts["MY" if own == "PH" else "PH"]
    assert other["state"] == "draft"
    assert (other["item_id"], other["ministry_id"], other["due_date"], other["events"]) == (None, None, None, None)
    assert parts[own]["events"] is None  # its history is on its own item's page
    # The other country's item itself stays out of sight.
    other_id = parts_by_country(regional)["MY" if own == "PH" else "PH"]["item_id"]
    assert client.get(f"/api/v1/items/{other_id}", headers=tokens[role]).status_code == 404


def test_observers_read_the_states_only(client, tokens, regional):
    body = client.get(f"/api/v1/regional-items/{regional['id']}", headers=tokens["observer"]).get_json()
    assert body["title"] == PORTABILITY["title"]
    assert all(part["item_id"] is None and part["events"] is None for part in body["parts"])
    listed = client.get("/api/v1/regional-items", headers=tokens["observer"]).get_json()
    assert [r["id"] for r in listed["regional_items"]] == [regional["id"]]


@pytest.mark.parametrize("role", ["th", "admin"])
def test_another_member_state_and_the_admin_get_404(client, tokens, regional, role):
    response = client.get(f"/api/v1/regional-items/{regional['id']}", headers=tokens[role])
    assert response.status_code == 404 and response.get_json()["error"] == "not_found"
    assert client.get("/api/v1/regional-items/999999", headers=tokens["secretariat"]).status_code == 404


def test_the_list_shows_each_user_what_they_may_read(client, tokens, regional):
    other = client.post("/api/v1/regional-items", json={**PORTABILITY, "title": "Social security for seafarers",
                                                        "countries": ["TH", "VN"], "due_date": "2031-01-31"},
                        headers=tokens["secretariat"]).get_json()
    ids = {name: [r["id"] for r in client.get("/api/v1/regional-items", headers=tokens[name])
                  .get_json()["regional_items"]] for name in ("secretariat", "ph", "dswd", "th")}
    assert ids == {"secretariat": [other["id"], regional["id"]], "ph": [regional["id"]], "dswd": [regional["id"]],
                   "th": [other["id"]]}
    assert client.get("/api/v1/regional-items", headers=tokens["admin"]).status_code == 403
    completed = client.get("/api/v1/regional-items?state=completed", headers=tokens["secretariat"]).get_json()
    assert completed["regional_items"] == [] and completed["total"] == 0
    paged = client.get("/api/v1/regional-items?per_page=1&page=2", headers=tokens["secretariat"]).get_json()
    assert [r["id"] for r in paged["regional_items"]] == [regional["id"]] and paged["total"] == 2


def test_the_regional_item_completes_when_every_part_completes(client, tokens, session, regional, complete):
    parts = parts_by_country(regional)
    complete("PH", parts["PH"]["item_id"])
    body = client.get(f"/api/v1/regional-items/{regional['id']}", headers=tokens["secretariat"]).get_json()
    assert body["state"] == "open" and parts_by_country(body)["PH"]["state"] == "completed"
    complete("MY", parts["MY"]["item_id"])
    body = client.get(f"/api/v1/regional-items/{regional['id']}", headers=tokens["secretariat"]).get_json()
    assert body["state"] == "completed" and body["completed_at"] is not None
    secretariat = session.scalar(select(User.id).where(User.email == "secretariat@example.org"))
    told = session.scalars(select(Notification).where(Notification.user_id == secretariat,
                                                      Notification.subject_type == "regional")).all()
    assert [n.url for n in told] == [f"/regional-items/{regional['id']}"]
    # Reopening a part opens the regional item again.
    version = client.get(f"/api/v1/items/{parts['MY']['item_id']}", headers=tokens["my"]).get_json()["version"]
    reopened = client.post(f"/api/v1/items/{parts['MY']['item_id']}/transitions", headers=tokens["my"],
                           json={"trigger": "reopen", "version": version, "comment": "The annex is missing."})
    assert reopened.status_code == 200
    body = client.get(f"/api/v1/regional-items/{regional['id']}", headers=tokens["ph"]).get_json()
    assert body["state"] == "open" and body["completed_at"] is None


def cancel(client, token, item_id):
    version = client.get(f"/api/v1/items/{item_id}", headers=token).get_json()["version"]
    response = client.post(f"/api/v1/items/{item_id}/transitions", headers=token,
                           json={"trigger": "cancel", "version": version})
    assert response.status_code == 200, response.get_json()


def test_a_cancelled_part_does_not_hold_it_open_but_one_must_complete(client, tokens, regional, complete):
    parts = parts_by_country(regional)
    cancel(client, tokens["my"], parts["MY"]["item_id"])
    body = client.get(f"/api/v1/regional-items/{regional['id']}", headers=tokens["secretariat"]).get_json()
    assert body["state"] == "open"
    complete("PH", parts["PH"]["item_id"])
    body = client.get(f"/api/v1/regional-items/{regional['id']}", headers=tokens["secretariat"]).get_json()
    assert body["state"] == "completed"


def test_every_part_cancelled_cancels_the_regional_item(client, tokens, regional):
    parts = parts_by_country(regional)
    cancel(client, tokens["ph"], parts["PH"]["item_id"])
    cancel(client, tokens["my"], parts["MY"]["item_id"])
    body = client.get(f"/api/v1/regional-items/{regional['id']}", headers=tokens["observer"]).get_json()
    assert body["state"] == "cancelled" and body["completed_at"] is None


def test_an_overdue_part_is_flagged(client, tokens):
    body = client.post("/api/v1/regional-items", json={**PORTABILITY, "due_date": "2020-01-31"},
                       headers=tokens["secretariat"]).get_json()
    assert all(part["overdue"] for part in body["parts"])


def test_a_country_item_of_its_own_has_no_regional_item(client, tokens):
    created = client.post("/api/v1/items", json={"title": "National", "due_date": "2031-01-01"}, headers=tokens["ph"])
    assert created.status_code == 201 and created.get_json()["regional_item_id"] is None
