"""Data requests keep step with their report: entering the value moves the request on, its
default due date is never past, accepting the report (or closing the cycle) closes it, and a
report never submitted in a closed cycle is missing."""
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from coordination import clock, workdays
from coordination.reminders.models import Notification


def report(client, tokens, report_id, who="coordinator"):
    return client.get(f"/api/v1/reports/{report_id}", headers=tokens[who]).get_json()


def fire(client, tokens, report_id, trigger, who="coordinator", **extra):
    version = report(client, tokens, report_id)["version"]
    return client.post(f"/api/v1/reports/{report_id}/transitions", headers=tokens[who],
                       json={"trigger": trigger, "version": version, **extra})


def assign(client, tokens, ids, report_id, code="SPF_CHILDREN", ministry="DSWD", **extra):
    response = client.post(f"/api/v1/reports/{report_id}/assignments", headers=tokens["coordinator"],
                           json={"indicator_code": code, "ministry_id": ids[ministry], **extra})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def item(client, tokens, item_id, who="coordinator"):
    return client.get(f"/api/v1/items/{item_id}", headers=tokens[who]).get_json()


def new_cycle(client, tokens, ids, deadline: date, name="Next self-assessment"):
    cycle = client.post("/api/v1/cycles", headers=tokens["secretariat"], json={
        "name": name, "template_id": ids["template"], "period_start": "2026-01-01",
        "period_end": "2026-06-30", "deadline": deadline.isoformat()}).get_json()
    client.post(f"/api/v1/cycles/{cycle['id']}/transitions", json={"trigger": "open"}, headers=tokens["secretariat"])
    mine = client.get(f"/api/v1/cycles/{cycle['id']}", headers=tokens["coordinator"]).get_json()["reports"]
    return cycle, mine[0]["id"]


# -- entering the value moves the data request on ---------------------------------------------------

@pytest.mark.parametrize("body, comment", [
    ({"value": 21.5}, "Entered on the report: 21.5 %."),
    ({"availability": "not_available", "reason": "No survey since 2016"},
     "Entered on the report: Not available (No survey since 2016)."),
])
def test_the_ministry_entering_the_value_submits_its_data_request(client, tokens, ids, session, open_cycle,
                                                                 body, comment):
    report_id = open_cycle["report"]
    item_id = assign(client, tokens, ids, report_id)["item_id"]
    response = client.put(f"/api/v1/reports/{report_id}/values/SPF_CHILDREN", json=body, headers=tokens["dswd"])
    assert response.status_code == 200
    request = item(client, tokens, item_id)
    assert request["state"] == "submitted"
    assert "approve" in request["allowed_triggers"]  # waiting for the coordinator
    assert [e["trigger"] for e in request["events"]][-2:] == ["accept", "submit"]
    assert request["events"][-1]["comment"] == comment
    told = session.scalars(select(Notification).where(Notification.subject_type == "item",
                                                      Notification.subject_id == item_id,
                                                      Notification.event == "submit")).all()
    assert told  # the coordinators hear of it


def test_a_request_in_progress_or_blocked_moves_on_too_and_a_submitted_one_stays(client, tokens, ids, open_cycle):
    report_id = open_cycle["report"]
    item_id = assign(client, tokens, ids, report_id)["item_id"]
    for trigger, extra in (("accept", {}), ("block", {"comment": "Waiting for the survey"})):
        version = item(client, tokens, item_id, "dswd")["version"]
        assert client.post(f"/api/v1/items/{item_id}/transitions", headers=tokens["dswd"],
                           json={"trigger": trigger, "version": version, **extra}).status_code == 200
    url = f"/api/v1/reports/{report_id}/values/SPF_CHILDREN"
    assert client.put(url, json={"value": 20}, headers=tokens["dswd"]).status_code == 200
    assert item(client, tokens, item_id)["state"] == "submitted"
    before = item(client, tokens, item_id)["version"]
    assert client.put(url, json={"value": 20.5}, headers=tokens["dswd"]).status_code == 200
    assert item(client, tokens, item_id)["version"] == before  # already waiting: nothing fired again


def test_the_coordinator_entering_the_value_moves_nothing(client, tokens, ids, open_cycle):
    report_id = open_cycle["report"]
    item_id = assign(client, tokens, ids, report_id)["item_id"]
    assert client.put(f"/api/v1/reports/{report_id}/values/SPF_CHILDREN", json={"value": 20},
                      headers=tokens["coordinator"]).status_code == 200
    assert item(client, tokens, item_id)["state"] == "assigned"


def test_a_refused_value_moves_nothing(client, tokens, ids, open_cycle):
    report_id = open_cycle["report"]
    item_id = assign(client, tokens, ids, report_id)["item_id"]
    assert client.put(f"/api/v1/reports/{report_id}/values/SPF_CHILDREN", json={"value": 120},
                      headers=tokens["dswd"]).status_code == 422
    assert item(client, tokens, item_id)["state"] == "assigned"


# -- the default due date ----------------------------------------------------------------------------

def test_the_default_due_date_is_ten_working_days_before_the_deadline(client, tokens, ids, open_cycle):
    due = assign(client, tokens, ids, open_cycle["report"])["due_date"]
    assert due == workdays.working_days_before("PH", date(2027, 3, 31), 10).isoformat() == "2027-03-15"


@pytest.mark.parametrize("days_ahead", [-20, 0, 3])
def test_a_data_request_is_never_born_overdue(client, tokens, ids, days_ahead):
    today = clock.local_today("Asia/Manila")
    _, report_id = new_cycle(client, tokens, ids, today + timedelta(days=days_ahead))
    fire(client, tokens, report_id, "start")
    assignment = assign(client, tokens, ids, report_id)
    # deadline − 10 working days has gone by: the country's today if it works, else its next working day
    assert assignment["due_date"] == workdays.on_or_after("PH", today).isoformat()
    assert item(client, tokens, assignment["item_id"])["overdue"] is False


def test_the_lead_is_a_setting(app, make_app):
    app = make_app(DATA_REQUEST_LEAD_WORKING_DAYS=3)  # on the seeded database of `app`
    from helpers import api_token

    from coordination.directory.models import Ministry
    from coordination.reporting.models import MonitoringTemplate

    client = app.test_client()
    secretariat, coordinator = (api_token(client, e) for e in ("secretariat@example.org",
                                                                "coordinator.ph@example.org"))
    with app.app_context():
        from coordination.extensions import db
        template = db.session.scalar(select(MonitoringTemplate.id).where(
            MonitoringTemplate.name == "ASEAN SPF self-assessment"))
        dswd = db.session.scalar(select(Ministry.id).where(Ministry.acronym == "DSWD"))
    cycle = client.post("/api/v1/cycles", headers=secretariat, json={
        "name": "Short lead", "template_id": template, "period_start": "2026-01-01", "period_end": "2026-12-31",
        "deadline": "2027-03-31"}).get_json()
    client.post(f"/api/v1/cycles/{cycle['id']}/transitions", json={"trigger": "open"}, headers=secretariat)
    report_id = client.get(f"/api/v1/cycles/{cycle['id']}", headers=coordinator).get_json()["reports"][0]["id"]
    response = client.post(f"/api/v1/reports/{report_id}/assignments", headers=coordinator,
                           json={"indicator_code": "SPF_CHILDREN", "ministry_id": dswd})
    assert response.get_json()["due_date"] == "2027-03-24"  # 31, 30, 29 … Holy Week's Thursday and Friday skipped


# -- the report accepted, the cycle closed ----------------------------------------------------------

def test_accepting_the_report_closes_its_data_requests_and_they_never_fall_overdue(
        client, tokens, ids, open_cycle, fill_required, monkeypatch):
    report_id = open_cycle["report"]
    fire(client, tokens, report_id, "start")
    submitted = assign(client, tokens, ids, report_id)["item_id"]
    untouched = assign(client, tokens, ids, report_id, code="SPF_OLDER_PERSONS", ministry="DOLE")["item_id"]
    assert client.put(f"/api/v1/reports/{report_id}/values/SPF_CHILDREN", json={"value": 21.5},
                      headers=tokens["dswd"]).status_code == 200
    fill_required(report_id, skip=("SPF_CHILDREN",))
    assert fire(client, tokens, report_id, "submit").status_code == 200
    assert fire(client, tokens, report_id, "accept", who="secretariat").status_code == 200
    first, second = item(client, tokens, submitted), item(client, tokens, untouched)
    assert first["state"] == "completed" and second["state"] == "cancelled"
    assert first["events"][-1]["comment"] == "The country report was accepted: this data request is closed."
    later = datetime(2027, 6, 1, 4, 0, tzinfo=UTC)  # long after both were due
    monkeypatch.setattr(clock, "now", lambda: later)
    assert item(client, tokens, submitted)["overdue"] is False
    assert item(client, tokens, untouched)["overdue"] is False
    waiting = client.get("/api/v1/items?state=submitted", headers=tokens["coordinator"]).get_json()
    assert submitted not in [i["id"] for i in waiting.get("items", waiting if isinstance(waiting, list) else [])]


def test_closing_the_cycle_closes_the_open_data_requests(client, tokens, ids, open_cycle):
    report_id = open_cycle["report"]
    item_id = assign(client, tokens, ids, report_id)["item_id"]
    assert client.post(f"/api/v1/cycles/{open_cycle['cycle']['id']}/transitions", json={"trigger": "close"},
                       headers=tokens["secretariat"]).status_code == 200
    closed = item(client, tokens, item_id)
    assert closed["state"] == "cancelled"
    assert closed["events"][-1]["comment"] == "The reporting cycle is closed: this data request is closed."


def test_a_report_never_submitted_in_a_closed_cycle_is_missing(client, tokens, open_cycle):
    cycle_id = open_cycle["cycle"]["id"]  # its deadline, 31 March 2027, is still ahead
    url = f"/api/v1/cycles/{cycle_id}/compliance"
    row = client.get(url, headers=tokens["coordinator"]).get_json()["countries"][0]
    assert row["compliance"] == "pending"
    client.post(f"/api/v1/cycles/{cycle_id}/transitions", json={"trigger": "close"}, headers=tokens["secretariat"])
    body = client.get(url, headers=tokens["secretariat"]).get_json()
    assert {r["compliance"] for r in body["countries"]} == {"missing"}
    assert body["pending"] == 0 and body["missing"] == len(body["countries"])
    assert all(r["days_late"] == 0 for r in body["countries"])
    assert report(client, tokens, open_cycle["report"])["state"] == "not_started"
