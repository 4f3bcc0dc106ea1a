"""The recommendations API from both sides: who adopts, who assesses, who validates, and who
reads which country's progress before and after the cycle is published."""
from sqlalchemy import select

from coordination.auth.models import User
from coordination.recommendations.models import AssessmentEvent
from coordination.reminders.models import Notification


def assessment_path(recommendation, country, cycle):
    return f"/api/v1/recommendations/{recommendation}/assessments/{country}/{cycle}"


def put(client, tokens, who, recommendation, country, cycle, body):
    return client.put(assessment_path(recommendation, country, cycle), headers=tokens[who], json=body)


def test_the_secretariat_adopts_and_everyone_reads(client, tokens, recommendation):
    for who in tokens:
        answer = client.get(f"/api/v1/recommendations/{recommendation}", headers=tokens[who])
        assert answer.status_code == 200, who
        assert answer.get_json()["countries"] == ["PH", "TH", "VN"]
    listed = client.get("/api/v1/recommendations?country=TH", headers=tokens["observer"]).get_json()
    assert [r["id"] for r in listed["recommendations"]][:1] == [recommendation]

    def ids(query):
        answer = client.get(f"/api/v1/recommendations?{query}", headers=tokens["observer"]).get_json()
        return {r["id"] for r in answer["recommendations"]}

    assert recommendation not in ids("country=MY") and recommendation not in ids("guarantee=health")
    assert recommendation in ids("guarantee=working_age&country=vn")


def test_only_the_secretariat_adopts_and_bad_input_is_refused(client, tokens):
    body = {"title": "A registry", "text": "One registry.", "countries": "all", "adopted_on": "2029-01-01"}
    for who in ("ph", "dswd", "observer", "admin"):
        assert client.post("/api/v1/recommendations", headers=tokens[who], json=body).status_code == 403, who
    made = client.post("/api/v1/recommendations", headers=tokens["secretariat"], json=body)
    assert made.status_code == 201 and len(made.get_json()["countries"]) == 10 and made.get_json()["all_countries"]
    for bad, field in (({"countries": ["PH", "XX"]}, "countries"), ({"countries": []}, "countries"),
                       ({"countries": "some"}, "countries"), ({"guarantee": "overall"}, "guarantee"),
                       ({"adopted_on": "3000-01-01"}, "adopted_on"), ({"title": ""}, "title"),
                       ({"horizon_year": 1800}, "horizon_year")):
        answer = client.post("/api/v1/recommendations", headers=tokens["secretariat"], json={**body, **bad})
        assert answer.status_code == 422, bad
        assert field in answer.get_json()["fields"], answer.get_json()


def test_adopting_tells_the_coordinators_of_the_countries_addressed(client, tokens, session, recommendation):
    told = set(session.scalars(select(User.email).join(Notification, Notification.user_id == User.id)
                               .where(Notification.subject_type == "recommendation",
                                      Notification.subject_id == recommendation)))
    assert told == {"coordinator.ph@example.org", "coordinator.th@example.org", "coordinator.vn@example.org"}


def test_the_coordinator_assesses_with_items_of_the_country(client, tokens, make_cycle, recommendation, ph_item,
                                                           th_item, session):
    cycle = make_cycle("open")
    answer = put(client, tokens, "ph", recommendation, "PH", cycle,
                 {"progress": "some", "evidence": "Draft agreement", "action_item_ids": [ph_item]})
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert (body["progress"], body["state"], body["action_item_ids"]) == ("some", "assessed", [ph_item])
    # Once per country and cycle: a second PUT replaces the rating, the history keeps both.
    again = put(client, tokens, "ph", recommendation, "PH", cycle, {"progress": "substantial"})
    assert again.status_code == 200 and again.get_json()["id"] == body["id"]
    assert [e["progress"] for e in again.get_json()["events"]] == ["some", "substantial"]
    refused = {
        "another country's item": put(client, tokens, "ph", recommendation, "PH", cycle,
                                      {"progress": "some", "action_item_ids": [th_item]}),
        "a level beyond the five": put(client, tokens, "ph", recommendation, "PH", cycle, {"progress": "most"}),
    }
    for why, answer in refused.items():
        assert answer.status_code == 422, why
    assert "action_item_ids" in refused["another country's item"].get_json()["fields"]
    assert "progress" in refused["a level beyond the five"].get_json()["fields"]
    # A country not addressed: Malaysia's coordinator for Malaysia.
    not_addressed = put(client, tokens, "my", recommendation, "MY", cycle, {"progress": "some"})
    assert not_addressed.status_code == 422 and "country" in not_addressed.get_json()["fields"]
    # Another country's coordinator: out of sight (404); staff, the secretariat: 403.
    assert put(client, tokens, "th", recommendation, "PH", cycle, {"progress": "full"}).status_code == 404
    assert put(client, tokens, "observer", recommendation, "PH", cycle, {"progress": "full"}).status_code == 404
    assert put(client, tokens, "dswd", recommendation, "PH", cycle, {"progress": "full"}).status_code == 403
    assert put(client, tokens, "secretariat", recommendation, "PH", cycle, {"progress": "full"}).status_code == 403
    assert [e.progress for e in session.scalars(select(AssessmentEvent).where(
        AssessmentEvent.assessment_id == body["id"]).order_by(AssessmentEvent.id))] == ["some", "substantial"]


def test_assessing_needs_an_open_cycle(client, tokens, make_cycle, recommendation):
    closed = make_cycle("closed")
    answer = put(client, tokens, "ph", recommendation, "PH", closed, {"progress": "some"})
    assert answer.status_code == 422 and "cycle" in answer.get_json()["fields"]


def test_the_secretariat_validates_or_revises_with_a_comment(client, tokens, make_cycle, recommendation, session):
    cycle = make_cycle("open")
    path = assessment_path(recommendation, "PH", cycle) + "/validate"
    assert client.post(path, headers=tokens["secretariat"], json={"progress": "some"}).status_code == 404
    put(client, tokens, "ph", recommendation, "PH", cycle, {"progress": "some"})
    for who, status in (("ph", 403), ("dswd", 403), ("th", 404), ("observer", 404)):
        assert client.post(path, headers=tokens[who], json={"progress": "limited", "comment": "x"}).status_code == \
            status, who
    no_comment = client.post(path, headers=tokens["secretariat"], json={"progress": "limited"})
    assert no_comment.status_code == 422 and "comment" in no_comment.get_json()["fields"]
    revised = client.post(path, headers=tokens["secretariat"],
                          json={"progress": "limited", "comment": "The agreement is not signed yet."})
    assert revised.status_code == 200, revised.get_json()
    body = revised.get_json()
    assert (body["state"], body["progress"], body["validated_progress"]) == ("validated", "some", "limited")
    assert [e["action"] for e in body["events"]] == ["assess", "validate"]
    # Validated: the country may not change its rating any more.
    assert put(client, tokens, "ph", recommendation, "PH", cycle, {"progress": "full"}).status_code == 409
    told = session.scalars(select(Notification.title).join(User, User.id == Notification.user_id)
                           .where(User.email == "coordinator.ph@example.org", Notification.event == "validate"))
    assert any("revised" in title for title in told)


def test_progress_is_read_by_the_country_and_the_secretariat_and_after_publication_by_all(
        client, tokens, make_cycle, recommendation):
    cycle = make_cycle("open")
    for country, who in (("PH", "ph"), ("TH", "th")):
        put(client, tokens, who, recommendation, country, cycle, {"progress": "some", "evidence": f"{country} work"})
        client.post(assessment_path(recommendation, country, cycle) + "/validate", headers=tokens["secretariat"],
                    json={"progress": "some"})

    def seen(who):
        answer = client.get(f"/api/v1/recommendations/{recommendation}/progress", headers=tokens[who])
        assert answer.status_code == 200
        rows = {row["country"]: {c["cycle_id"]: c["progress"] for c in row["cycles"]}
                for row in answer.get_json()["countries"]}
        detail = client.get(f"/api/v1/recommendations/{recommendation}", headers=tokens[who]).get_json()
        evidence = {a["country"] for a in detail["assessments"] if a["cycle_id"] == cycle}
        return {c for c, cycles in rows.items() if cycles.get(cycle)}, evidence

    assert seen("secretariat") == ({"PH", "TH"}, {"PH", "TH"})
    assert seen("ph") == ({"PH"}, {"PH"})
    assert seen("dswd") == ({"PH"}, {"PH"})
    assert seen("th") == ({"TH"}, {"TH"})
    for who in ("observer", "my", "admin"):
        assert seen(who) == (set(), set()), who
    for trigger in ("close", "publish"):
        client.post(f"/api/v1/cycles/{cycle}/transitions", json={"trigger": trigger}, headers=tokens["secretariat"])
    for who in tokens:
        assert seen(who) == ({"PH", "TH"}, {"PH", "TH"}), who


def test_unknown_recommendations_and_cycles_answer_404(client, tokens, recommendation):
    assert client.get("/api/v1/recommendations/999999", headers=tokens["ph"]).status_code == 404
    assert put(client, tokens, "ph", recommendation, "PH", 999999, {"progress": "some"}).status_code == 404
    assert put(client, tokens, "ph", 999999, "PH", 1, {"progress": "some"}).status_code == 404
