"""Good practices in the JSON API, on SQLite and PostgreSQL: a coordinator writes one up as a
draft of their country, publishes it, and every signed-in user reads it and asks questions; a
draft stays its country's (404 for another country, the secretariat, observers)."""
import io

import pytest
from helpers import PDF_BYTES, row_counts
from practice_support import PRACTICE
from sqlalchemy import select

from coordination.auth.models import User

OUTSIDERS = ("th", "th_staff", "secretariat", "observer", "admin")
EVERYONE = ("coordinator", "dswd", *OUTSIDERS)


def test_a_coordinator_writes_up_a_draft_of_their_country(client, tokens, draft):
    assert (draft["country"], draft["state"], draft["title"], draft["guarantee"]) == (
        "PH", "draft", PRACTICE["title"], "overall")
    assert draft["published_at"] is None
    assert draft["allowed_triggers"] == ["publish"]
    assert draft["contact"]["email"] == "coordinator.ph@example.org"  # its author, when none is named
    assert draft["questions"] == [] and draft["attachments"] == []


def test_a_draft_is_read_by_its_country_and_absent_for_everyone_else(client, tokens, draft):
    for name in ("coordinator", "dswd"):
        assert client.get(f"/api/v1/practices/{draft['id']}", headers=tokens[name]).status_code == 200
        listed = client.get("/api/v1/practices", headers=tokens[name]).get_json()
        assert draft["id"] in [p["id"] for p in listed["practices"]]
    for name in OUTSIDERS:
        response = client.get(f"/api/v1/practices/{draft['id']}", headers=tokens[name])
        assert response.status_code == 404, name
        assert response.get_json()["error"] == "not_found"
        listed = client.get("/api/v1/practices", headers=tokens[name]).get_json()
        assert draft["id"] not in [p["id"] for p in listed["practices"]], name


def test_only_its_coordinator_publishes_and_then_everyone_reads_it(client, tokens, draft):
    assert client.post(f"/api/v1/practices/{draft['id']}/publish", json={},
                       headers=tokens["dswd"]).status_code == 403
    assert client.post(f"/api/v1/practices/{draft['id']}/publish", json={},
                       headers=tokens["th"]).status_code == 404
    response = client.post(f"/api/v1/practices/{draft['id']}/publish", json={"version": draft["version"]},
                           headers=tokens["coordinator"])
    assert response.status_code == 200
    assert response.get_json()["state"] == "published" and response.get_json()["published_at"]
    for name in EVERYONE:
        assert client.get(f"/api/v1/practices/{draft['id']}", headers=tokens[name]).status_code == 200, name
        listed = client.get("/api/v1/practices", headers=tokens[name]).get_json()
        assert draft["id"] in [p["id"] for p in listed["practices"]], name


def test_publishing_twice_or_with_an_old_version_changes_nothing(client, tokens, published):
    again = client.post(f"/api/v1/practices/{published['id']}/publish", json={}, headers=tokens["coordinator"])
    assert (again.status_code, again.get_json()["error"]) == (409, "invalid_transition")
    stale = client.post(f"/api/v1/practices/{published['id']}/withdraw", json={"version": 1},
                        headers=tokens["coordinator"])
    assert (stale.status_code, stale.get_json()["error"]) == (409, "stale_version")
    assert client.get(f"/api/v1/practices/{published['id']}",
                      headers=tokens["observer"]).get_json()["state"] == "published"


def test_withdrawing_makes_it_a_draft_of_its_country_again(client, tokens, published):
    response = client.post(f"/api/v1/practices/{published['id']}/withdraw", json={}, headers=tokens["coordinator"])
    assert response.status_code == 200 and response.get_json()["state"] == "draft"
    assert client.get(f"/api/v1/practices/{published['id']}", headers=tokens["observer"]).status_code == 404


@pytest.mark.parametrize("name", ["dswd", "th_staff", "secretariat", "observer", "admin"])
def test_only_a_coordinator_writes_up_a_practice(client, tokens, name):
    before = row_counts(client.application)
    response = client.post("/api/v1/practices", json=PRACTICE, headers=tokens[name])
    assert response.status_code == 403
    assert row_counts(client.application) == before


@pytest.mark.parametrize("body, field", [
    ({**PRACTICE, "title": ""}, "title"),
    ({**PRACTICE, "title": "x" * 201}, "title"),
    ({**PRACTICE, "summary": ""}, "summary"),
    ({**PRACTICE, "guarantee": "pensions"}, "guarantee"),
    ({**PRACTICE, "contact_name": "Ana Cruz", "contact_email": "not-an-address"}, "contact_email"),
    ({**PRACTICE, "contact_email": "ana@example.org"}, "contact_name"),
    ({**PRACTICE, "contact_user_id": "x"}, "contact_user_id"),
])
def test_bad_input_answers_422_naming_the_field_and_keeps_nothing(client, tokens, body, field):
    before = row_counts(client.application)
    response = client.post("/api/v1/practices", json=body, headers=tokens["coordinator"])
    assert response.status_code == 422
    assert response.get_json()["error"] == "validation_error"
    assert field in response.get_json()["fields"]
    assert row_counts(client.application) == before


def test_the_contact_is_a_user_of_the_country_or_a_name_with_an_address(client, tokens, session):
    th_user = session.scalar(select(User.id).where(User.email == "coordinator.th@example.org"))
    dswd = session.scalar(select(User.id).where(User.email == "staff.ph.dswd@example.org"))
    refused = client.post("/api/v1/practices", json={**PRACTICE, "contact_user_id": th_user},
                          headers=tokens["coordinator"])
    assert refused.status_code == 422 and "contact_user_id" in refused.get_json()["fields"]
    named = client.post("/api/v1/practices", json={**PRACTICE, "contact_user_id": dswd},
                        headers=tokens["coordinator"]).get_json()
    assert named["contact"] == {"user_id": dswd, "name": named["contact"]["name"], "email": "staff.ph.dswd@example.org"}
    written = client.post("/api/v1/practices", json={**PRACTICE, "contact_name": "Ana Cruz",
                                                     "contact_email": "ana.cruz@example.org"},
                          headers=tokens["coordinator"]).get_json()
    assert written["contact"] == {"user_id": None, "name": "Ana Cruz", "email": "ana.cruz@example.org"}


def test_its_coordinator_edits_it_and_nobody_else(client, tokens, draft):
    changes = {**PRACTICE, "title": "One registry, every programme", "version": draft["version"]}
    for name, status in (("dswd", 403), ("th", 404), ("observer", 404)):
        assert client.patch(f"/api/v1/practices/{draft['id']}", json=changes, headers=tokens[name]).status_code \
            == status, name
    response = client.patch(f"/api/v1/practices/{draft['id']}", json=changes, headers=tokens["coordinator"])
    assert response.status_code == 200 and response.get_json()["title"] == "One registry, every programme"
    stale = client.patch(f"/api/v1/practices/{draft['id']}", json=changes, headers=tokens["coordinator"])
    assert stale.status_code == 409


def test_anyone_signed_in_asks_a_question_its_coordinator_is_told_and_the_asker_of_the_answer(
        client, tokens, published, session):
    asked = client.post(f"/api/v1/practices/{published['id']}/comments",
                        json={"comment": "How often do the barangays update it?"}, headers=tokens["observer"])
    assert asked.status_code == 201, asked.get_json()
    question = asked.get_json()
    assert question["answer"] == "" and question["answered_by"] is None
    coordinator_notices = client.get("/api/v1/notifications", headers=tokens["coordinator"]).get_json()
    assert any("question" in n["title"].lower() and n["subject_type"] == "practice"
               for n in coordinator_notices["notifications"])

    for name, status in (("dswd", 403), ("th", 403), ("observer", 403)):
        response = client.post(f"/api/v1/practices/{published['id']}/comments",
                               json={"comment": "Every year.", "reply_to": question["id"]}, headers=tokens[name])
        assert response.status_code == status, name
    answered = client.post(f"/api/v1/practices/{published['id']}/comments",
                           json={"comment": "Every three years, and on request.", "reply_to": question["id"]},
                           headers=tokens["coordinator"])
    assert answered.status_code == 201
    assert answered.get_json()["answer"] == "Every three years, and on request."
    observer_notices = client.get("/api/v1/notifications", headers=tokens["observer"]).get_json()
    assert any("answered" in n["title"].lower() for n in observer_notices["notifications"])
    body = client.get(f"/api/v1/practices/{published['id']}", headers=tokens["th"]).get_json()
    assert [(q["comment"], q["answer"]) for q in body["questions"]] == [
        ("How often do the barangays update it?", "Every three years, and on request.")]


def test_a_draft_takes_no_question_and_another_country_cannot_even_see_it(client, tokens, draft):
    assert client.post(f"/api/v1/practices/{draft['id']}/comments", json={"comment": "?"},
                       headers=tokens["dswd"]).status_code == 403
    assert client.post(f"/api/v1/practices/{draft['id']}/comments", json={"comment": "?"},
                       headers=tokens["th"]).status_code == 404


@pytest.mark.parametrize("body, field", [({"comment": ""}, "comment"), ({"comment": "x" * 5001}, "comment"),
                                          ({"comment": "Yes", "reply_to": 999999}, "reply_to")])
def test_a_bad_question_or_answer_answers_422(client, tokens, published, body, field):
    before = row_counts(client.application)
    response = client.post(f"/api/v1/practices/{published['id']}/comments", json=body,
                           headers=tokens["coordinator"])
    assert response.status_code == 422 and field in response.get_json()["fields"]
    assert row_counts(client.application) == before


def test_the_library_filters_by_guarantee_country_and_words(client, tokens, published):
    def ids(**query):
        return [p["id"] for p in client.get("/api/v1/practices", query_string=query,
                                            headers=tokens["observer"]).get_json()["practices"]]
    assert published["id"] in ids(guarantee="overall")
    assert published["id"] not in ids(guarantee="health")
    assert published["id"] in ids(country="PH")
    assert published["id"] not in ids(country="TH")
    assert published["id"] in ids(q="barangays")
    assert published["id"] not in ids(q="pension")
    assert client.get("/api/v1/practices", query_string={"page": 999}, headers=tokens["observer"]).get_json()[
        "practices"] == []
    assert client.get("/api/v1/practices", query_string={"page": 0}, headers=tokens["observer"]).status_code == 422


def test_a_published_practice_is_found_by_the_search_and_a_draft_only_by_its_country(client, tokens, draft):
    def found(name):
        results = client.get("/api/v1/search", query_string={"q": "barangays"},
                             headers=tokens[name]).get_json()["results"]
        return [r["id"] for r in results if r["kind"] == "practice"]
    assert draft["id"] in found("dswd")
    for name in ("th", "secretariat", "observer"):
        assert draft["id"] not in found(name), name
    client.post(f"/api/v1/practices/{draft['id']}/publish", json={}, headers=tokens["coordinator"])
    for name in ("th", "secretariat", "observer"):
        assert draft["id"] in found(name), name


def test_files_of_a_practice_follow_who_may_read_it(client, tokens, draft):
    refused = client.post(f"/api/v1/practices/{draft['id']}/attachments", headers=tokens["dswd"],
                          data={"file": (io.BytesIO(PDF_BYTES), "guide.pdf")}, content_type="multipart/form-data")
    assert refused.status_code == 403
    response = client.post(f"/api/v1/practices/{draft['id']}/attachments", headers=tokens["coordinator"],
                           data={"file": (io.BytesIO(PDF_BYTES), "guide.pdf"), "description": "Operations manual"},
                           content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    file_id = response.get_json()["id"]
    assert client.get(f"/api/v1/attachments/{file_id}", headers=tokens["dswd"]).data == PDF_BYTES
    assert client.get(f"/api/v1/attachments/{file_id}", headers=tokens["observer"]).status_code == 404
    client.post(f"/api/v1/practices/{draft['id']}/publish", json={}, headers=tokens["coordinator"])
    assert client.get(f"/api/v1/attachments/{file_id}", headers=tokens["observer"]).data == PDF_BYTES
    assert client.get(f"/api/v1/practices/{draft['id']}", headers=tokens["th"]).get_json()["attachments"] == [file_id]
    assert client.delete(f"/api/v1/attachments/{file_id}", headers=tokens["observer"]).status_code == 403
    assert client.delete(f"/api/v1/attachments/{file_id}", headers=tokens["coordinator"]).status_code == 204
    assert client.get(f"/api/v1/practices/{draft['id']}/attachments",
                      headers=tokens["th"]).get_json() == {"attachments": []}


def test_an_edit_without_a_contact_keeps_the_one_written(client, tokens):
    written = client.post("/api/v1/practices", json={**PRACTICE, "contact_name": "Ana Cruz",
                                                     "contact_email": "ana.cruz@example.org"},
                          headers=tokens["coordinator"]).get_json()
    edited = client.patch(f"/api/v1/practices/{written['id']}", json={**PRACTICE, "version": written["version"]},
                          headers=tokens["coordinator"]).get_json()
    assert edited["contact"] == {"user_id": None, "name": "Ana Cruz", "email": "ana.cruz@example.org"}
