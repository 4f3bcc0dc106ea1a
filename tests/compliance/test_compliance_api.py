"""Compliance, extensions and the comparison through the JSON API: exact fields (API.md),
time-zone boundaries, arithmetic on hand-computed cases, and who sees what."""
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from coordination.reporting import reports
from coordination.reporting.models import CycleEvent

from .compliance_support import AFTER_DEADLINE, BEFORE_DEADLINE, REQUIRED_ANSWERS, report_of

ROW_FIELDS = {"country", "report_id", "state", "compliance", "deadline", "extended", "submitted_at", "days_late",
              "completeness"}
TOTAL_FIELDS = {"expected", "actual", "on_time", "reporting_rate", "reporting_rate_on_time", "countries"}
MANILA_LAST_SECOND = datetime(2027, 3, 31, 15, 59, 59, tzinfo=UTC)  # 23:59:59 in Manila
YANGON_MIDNIGHT = datetime(2027, 3, 31, 17, 30, tzinfo=UTC)  # 1 April 00:00:00 in Yangon


def compliance(client, tokens, cycle_id, who="secretariat"):
    response = client.get(f"/api/v1/cycles/{cycle_id}/compliance", headers=tokens[who])
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def by_country(body):
    return {row["country"]: row for row in body["countries"]}


def test_secretariat_sees_every_member_state_with_the_fields_of_the_api(client, tokens, make_cycle, submit_at, at):
    cycle = make_cycle()
    submit_at(cycle, "PH", MANILA_LAST_SECOND)
    submit_at(cycle, "MM", YANGON_MIDNIGHT)
    submit_at(cycle, "TH", datetime(2027, 4, 2, 3, 0, tzinfo=UTC), state="accepted")  # 2 April 10:00 Bangkok
    at(AFTER_DEADLINE)
    body = compliance(client, tokens, cycle)
    assert TOTAL_FIELDS <= set(body)
    rows = by_country(body)
    assert len(rows) == 10 and all(ROW_FIELDS <= set(row) for row in rows.values())
    assert {k: rows["PH"][k] for k in ROW_FIELDS - {"report_id"}} == {
        "country": "PH", "state": "submitted", "compliance": "on_time", "deadline": "2027-03-31",
        "extended": False, "submitted_at": "2027-03-31T23:59:59+08:00", "days_late": 0, "completeness": 0.0}
    assert (rows["MM"]["compliance"], rows["MM"]["days_late"], rows["MM"]["submitted_at"]) == (
        "late", 1, "2027-04-01T00:00:00+06:30")
    assert (rows["TH"]["compliance"], rows["TH"]["days_late"], rows["TH"]["state"]) == ("late", 2, "accepted")
    # nothing submitted, deadline passed: missing, 5 days late on 5 April
    assert (rows["VN"]["compliance"], rows["VN"]["days_late"], rows["VN"]["submitted_at"]) == ("missing", 5, None)
    assert (body["expected"], body["actual"], body["on_time"]) == (10, 3, 1)
    assert (body["reporting_rate"], body["reporting_rate_on_time"]) == (30.0, 10.0)


def test_before_the_deadline_nothing_is_missing(client, tokens, make_cycle, submit_at, at):
    cycle = make_cycle()
    submit_at(cycle, "PH", BEFORE_DEADLINE)
    # 31 March 16:30 UTC: past midnight in Manila and Kuala Lumpur (+08:00), not yet in Bangkok (+07:00)
    at(datetime(2027, 3, 31, 16, 30, tzinfo=UTC))
    rows = by_country(compliance(client, tokens, cycle))
    assert rows["PH"]["compliance"] == "on_time"
    assert rows["MY"]["compliance"] == "missing" and rows["MY"]["days_late"] == 1
    assert rows["TH"]["compliance"] == "pending" and rows["TH"]["days_late"] == 0
    assert rows["MM"]["compliance"] == "pending"


def test_a_cycle_where_nobody_reported(client, tokens, make_cycle, at):
    cycle = make_cycle()
    at(BEFORE_DEADLINE)
    body = compliance(client, tokens, cycle)
    assert {r["compliance"] for r in body["countries"]} == {"pending"}
    assert (body["expected"], body["actual"], body["on_time"], body["reporting_rate"],
            body["reporting_rate_on_time"]) == (10, 0, 0, 0.0, 0.0)
    at(AFTER_DEADLINE)
    body = compliance(client, tokens, cycle)
    assert {r["compliance"] for r in body["countries"]} == {"missing"}
    assert (body["reporting_rate"], body["reporting_rate_on_time"]) == (0.0, 0.0)
    planned = make_cycle("Planned cycle", state="planned")
    body = compliance(client, tokens, planned)
    assert (body["expected"], body["actual"], body["reporting_rate"], body["countries"]) == (0, 0, 0.0, [])


def test_completeness_counts_required_indicators_answered(client, tokens, make_cycle, answer, session):
    cycle = make_cycle()
    answer(cycle, "PH", {
        "SPF_COVERAGE_TOTAL": {"availability": "reported", "number": 34.9},
        "SPF_MATERNITY": {"availability": "estimate", "number": 0.0},  # a zero is an answer
        "SPF_DISABILITY": {"availability": "not_available", "reason": "No survey since 2016"},
        "SPF_CHILDREN": {"availability": "not_applicable", "reason": ""},  # a flag without a reason: not answered
        "SPF_OLDER_PERSONS": {"availability": "reported", "number": None},  # no value: not answered
        "COORD_MECHANISM": {"availability": "reported", "flag": False},  # "no" is an answer
        "SPF_UNEMPLOYED": {"availability": "reported", "number": 12.0},  # optional: does not count
    })
    answer(cycle, "TH", {code: {"availability": "reported", "number": 50.0} for code in (
        "SPF_COVERAGE_TOTAL", "SPF_CHILDREN", "SPF_MATERNITY", "SPF_DISABILITY", "SPF_OLDER_PERSONS",
        "SPF_HEALTH_PROTECTION")} | {code: {"availability": "reported", "flag": True} for code in (
        "COORD_FOCAL_POINT", "COORD_MECHANISM", "COORD_NATIONAL_FLOOR")})
    rows = by_country(compliance(client, tokens, cycle))
    assert rows["PH"]["completeness"] == 44.4  # 4 of the 9 required indicators
    assert rows["TH"]["completeness"] == 100.0
    assert rows["VN"]["completeness"] == 0.0
    # the SQL count agrees with the report's own rule (IndicatorValue.answered)
    for code in ("PH", "TH", "VN"):
        assert rows[code]["completeness"] == reports.completeness(report_of(session, cycle, code))


def fire(client, tokens, report_id, trigger, who="ph", **extra):
    version = client.get(f"/api/v1/reports/{report_id}", headers=tokens["ph"]).get_json()["version"]
    response = client.post(f"/api/v1/reports/{report_id}/transitions", headers=tokens[who],
                           json={"trigger": trigger, "version": version, **extra})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_resubmission_after_a_send_back_keeps_the_first_timeliness(client, tokens, make_cycle, session, at):
    cycle = make_cycle()
    report_id = report_of(session, cycle, "PH").id
    at(datetime(2027, 3, 31, 15, 0, tzinfo=UTC))  # 23:00 in Manila on the deadline day
    fire(client, tokens, report_id, "start")
    for code, body in REQUIRED_ANSWERS.items():
        assert client.put(f"/api/v1/reports/{report_id}/values/{code}", json=body,
                          headers=tokens["ph"]).status_code == 200
    fire(client, tokens, report_id, "submit")
    at(datetime(2027, 4, 3, 2, 0, tzinfo=UTC))
    fire(client, tokens, report_id, "send_back", who="secretariat", comment="Please check the coverage figure")
    fire(client, tokens, report_id, "revise")
    at(datetime(2027, 4, 8, 2, 0, tzinfo=UTC))
    fire(client, tokens, report_id, "submit")
    row = by_country(compliance(client, tokens, cycle))["PH"]
    assert (row["compliance"], row["days_late"], row["state"]) == ("on_time", 0, "submitted")
    assert row["submitted_at"] == "2027-03-31T23:00:00+08:00" and row["completeness"] == 100.0


# -- who sees what ---------------------------------------------------------------------------------

def test_member_states_see_their_own_row_and_the_regional_totals(client, tokens, make_cycle, submit_at, at):
    cycle = make_cycle()
    submit_at(cycle, "PH", BEFORE_DEADLINE)
    submit_at(cycle, "TH", AFTER_DEADLINE)
    at(AFTER_DEADLINE)
    regional = compliance(client, tokens, cycle)
    for who, country in (("ph", "PH"), ("dswd", "PH"), ("th", "TH"), ("mm", "MM")):
        body = compliance(client, tokens, cycle, who)
        assert [r["country"] for r in body["countries"]] == [country]
        assert body["countries"][0] == by_country(regional)[country]
        assert {k: body[k] for k in TOTAL_FIELDS - {"countries"}} == {
            k: regional[k] for k in TOTAL_FIELDS - {"countries"}}
        assert (body["expected"], body["actual"], body["on_time"]) == (10, 2, 1)


def test_observers_see_compliance_only_once_the_cycle_is_published(client, tokens, make_cycle):
    cycle = make_cycle(state="closed")
    assert client.get(f"/api/v1/cycles/{cycle}/compliance", headers=tokens["observer"]).status_code == 404
    assert client.get(f"/api/v1/cycles/{cycle}/compliance", headers=tokens["admin"]).status_code == 404
    assert client.post(f"/api/v1/cycles/{cycle}/transitions", json={"trigger": "publish"},
                       headers=tokens["secretariat"]).status_code == 200
    body = compliance(client, tokens, cycle, "observer")
    assert len(body["countries"]) == 10 and body["expected"] == 10
    assert client.get(f"/api/v1/cycles/{cycle}/compliance", headers=tokens["admin"]).status_code == 404


def test_unknown_cycle_and_no_token(client, tokens):
    assert client.get("/api/v1/cycles/9999/compliance", headers=tokens["secretariat"]).status_code == 404
    huge = 10**20  # beyond BIGINT: a 404, not a driver error
    for path in (f"/api/v1/cycles/{huge}/compliance", f"/api/v1/cycles/{huge}/comparison"):
        assert client.get(path, headers=tokens["secretariat"]).status_code == 404
    assert client.post(f"/api/v1/cycles/{huge}/extensions", headers=tokens["secretariat"],
                       json={"country": "PH", "deadline": "2027-04-30", "reason": "x"}).status_code == 404
    assert client.get("/api/v1/cycles/1/compliance").status_code == 401
    assert client.get("/api/v1/countries/PH/compliance").status_code == 401
    assert client.post("/api/v1/cycles/1/extensions", json={}).status_code == 401


# -- extensions ----------------------------------------------------------------------------------

def test_an_extension_is_granted_recorded_and_moves_the_boundary(client, tokens, make_cycle, submit_at, session, at):
    cycle = make_cycle()
    submit_at(cycle, "PH", datetime(2027, 3, 31, 16, 0, tzinfo=UTC))  # 1 April 00:00 in Manila
    at(AFTER_DEADLINE)
    assert by_country(compliance(client, tokens, cycle))["PH"]["compliance"] == "late"
    response = client.post(f"/api/v1/cycles/{cycle}/extensions", headers=tokens["secretariat"],
                           json={"country": "PH", "deadline": "2027-04-07", "reason": "Typhoon Bising"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert {k: body[k] for k in ("cycle_id", "country", "deadline", "reason")} == {
        "cycle_id": cycle, "country": "PH", "deadline": "2027-04-07", "reason": "Typhoon Bising"}
    assert body["granted_at"].startswith("2027-04-05")
    rows = by_country(compliance(client, tokens, cycle))
    assert {k: rows["PH"][k] for k in ("compliance", "extended", "deadline", "days_late")} == {
        "compliance": "on_time", "extended": True, "deadline": "2027-04-07", "days_late": 0}
    # a missing country with an extension that has not run out is pending again
    client.post(f"/api/v1/cycles/{cycle}/extensions", headers=tokens["secretariat"],
                json={"country": "VN", "deadline": "2027-04-10", "reason": "New minister"})
    rows = by_country(compliance(client, tokens, cycle))
    assert (rows["VN"]["compliance"], rows["VN"]["extended"]) == ("pending", True)
    assert rows["TH"]["extended"] is False
    events = session.scalars(select(CycleEvent).where(CycleEvent.cycle_id == cycle,
                                                      CycleEvent.trigger == "extension")).all()
    assert [(e.country_code, e.comment) for e in events] == [
        ("PH", "Deadline extended to 2027-04-07: Typhoon Bising"), ("VN", "Deadline extended to 2027-04-10: "
                                                                          "New minister")]


@pytest.mark.parametrize("body, field", [
    ({"country": "PH", "deadline": "2027-03-31", "reason": "Same day"}, "deadline"),
    ({"country": "PH", "deadline": "2027-03-30", "reason": "Earlier"}, "deadline"),
    ({"country": "PH", "deadline": "soon", "reason": "Typhoon"}, "deadline"),
    ({"country": "PH", "deadline": "2027-04-30", "reason": "  "}, "reason"),
    ({"country": "PH", "deadline": "2027-04-30"}, "reason"),
    ({"country": "XX", "deadline": "2027-04-30", "reason": "Typhoon"}, "country"),
    ({"deadline": "2027-04-30", "reason": "Typhoon"}, "country"),
])
def test_bad_extensions_answer_422_with_fields(client, tokens, make_cycle, session, body, field):
    cycle = make_cycle()
    response = client.post(f"/api/v1/cycles/{cycle}/extensions", headers=tokens["secretariat"], json=body)
    assert response.status_code == 422
    assert response.get_json()["error"] == "validation_error" and field in response.get_json()["fields"]
    assert session.scalars(select(CycleEvent).where(CycleEvent.trigger == "extension")).all() == []


def test_extension_for_a_country_not_in_the_cycle_and_by_others(client, tokens, make_cycle):
    planned = make_cycle("Planned", state="planned")  # no reports yet: no member state reports in it
    response = client.post(f"/api/v1/cycles/{planned}/extensions", headers=tokens["secretariat"],
                           json={"country": "PH", "deadline": "2027-04-30", "reason": "Typhoon"})
    assert response.status_code == 422 and "country" in response.get_json()["fields"]
    cycle = make_cycle()
    body = {"country": "PH", "deadline": "2027-04-30", "reason": "Typhoon"}
    for who in ("ph", "observer", "dswd"):
        assert client.post(f"/api/v1/cycles/{cycle}/extensions", headers=tokens[who], json=body).status_code == 403
    assert client.post("/api/v1/cycles/9999/extensions", headers=tokens["secretariat"], json=body).status_code == 404
    assert client.post(f"/api/v1/cycles/{cycle}/extensions", headers=tokens["secretariat"],
                       data="not json", content_type="application/json").status_code == 400


# -- across cycles ---------------------------------------------------------------------------------

def test_a_countrys_record_newest_first(client, tokens, make_cycle, submit_at, at):
    old = make_cycle("2026 self-assessment", deadline="2026-03-31", state="published")
    new = make_cycle("2027 self-assessment")
    submit_at(old, "PH", datetime(2026, 4, 3, 1, 0, tzinfo=UTC))
    at(AFTER_DEADLINE)
    for who in ("ph", "dswd", "secretariat"):
        response = client.get("/api/v1/countries/PH/compliance", headers=tokens[who])
        assert response.status_code == 200
        rows = response.get_json()
        assert [r["cycle_id"] for r in rows][:2] == [new, old]
        # The demo's published cycles, oldest last: the baseline (latest figures), then 2019's.
        assert [r["cycle"] for r in rows[-2:]] == ["SDG 1.3.1 baseline (latest ILO estimates)",
                                                  "SDG 1.3.1 in 2019 (ILO estimates)"]
        assert ROW_FIELDS <= set(rows[0]) and {r["country"] for r in rows} == {"PH"}
        assert (rows[0]["compliance"], rows[0]["days_late"]) == ("missing", 5)
        assert (rows[1]["compliance"], rows[1]["days_late"]) == ("late", 3)
        assert rows[2]["compliance"] == "on_time"
    assert client.get("/api/v1/countries/ph/compliance", headers=tokens["ph"]).status_code == 200
    for who in ("th", "observer", "admin"):
        assert client.get("/api/v1/countries/PH/compliance", headers=tokens[who]).status_code == 404
    assert client.get("/api/v1/countries/XX/compliance", headers=tokens["secretariat"]).status_code == 404
    assert client.get("/api/v1/countries/PHL/compliance", headers=tokens["secretariat"]).status_code == 404


# -- the regional comparison -----------------------------------------------------------------------

def test_comparison_is_visible_once_published_and_to_the_secretariat_always(client, tokens, make_cycle):
    cycle = make_cycle(state="closed")
    for who in ("ph", "dswd", "th", "observer", "admin"):
        assert client.get(f"/api/v1/cycles/{cycle}/comparison", headers=tokens[who]).status_code == 404, who
    assert client.get(f"/api/v1/cycles/{cycle}/comparison", headers=tokens["secretariat"]).status_code == 200
    client.post(f"/api/v1/cycles/{cycle}/transitions", json={"trigger": "publish"}, headers=tokens["secretariat"])
    for who in ("ph", "dswd", "th", "observer", "secretariat"):
        assert client.get(f"/api/v1/cycles/{cycle}/comparison", headers=tokens[who]).status_code == 200, who
    assert client.get(f"/api/v1/cycles/{cycle}/comparison", headers=tokens["admin"]).status_code == 404


def test_comparison_holds_values_floors_targets_and_classification(client, tokens, make_cycle, answer, submit_at,
                                                                  session):
    cycle = make_cycle(state="closed")
    for country, value in (("PH", 34.9), ("TH", 68.0), ("VN", 20.0), ("MM", 5.0)):
        answer(cycle, country, {"SPF_COVERAGE_TOTAL": {"availability": "reported", "number": value}})
    answer(cycle, "ID", {"SPF_COVERAGE_TOTAL": {"availability": "not_available", "reason": "Survey delayed"}})
    for country in ("PH", "TH", "VN", "ID"):
        submit_at(cycle, country, BEFORE_DEADLINE)
    # MM's value is a draft: never submitted, so not compared.
    for who, country, floor, target in (("ph", "PH", 30, 50), ("th", "TH", 40, 60), ("mm", "MM", 1, 2)):
        assert client.put(f"/api/v1/countries/{country}/targets/SPF_COVERAGE_TOTAL", headers=tokens[who],
                          json={"floor": floor, "target": target, "target_year": 2030}).status_code == 200
    body = client.get(f"/api/v1/cycles/{cycle}/comparison", headers=tokens["secretariat"]).get_json()
    assert body["cycle"]["id"] == cycle
    coverage = next(i for i in body["indicators"] if i["code"] == "SPF_COVERAGE_TOTAL")
    assert (coverage["unit"], len(body["indicators"])) == ("percent", 17)
    cells = {c["country"]: c for c in coverage["countries"]}
    assert {k: cells["PH"][k] for k in ("value", "floor", "target", "target_year", "status")} == {
        "value": 34.9, "floor": 30.0, "target": 50.0, "target_year": 2030, "status": "at_or_above_floor"}
    assert (cells["TH"]["value"], cells["TH"]["status"]) == (68.0, "at_or_above_target")
    assert (cells["VN"]["value"], cells["VN"]["floor"], cells["VN"]["status"]) == (20.0, None, None)
    assert (cells["ID"]["value"], cells["ID"]["availability"], cells["ID"]["reason"]) == (
        None, "not_available", "Survey delayed")
    assert (cells["MM"]["submitted"], cells["MM"]["value"], cells["MM"]["floor"]) == (False, None, 1.0)
    assert cells["LA"]["submitted"] is False
