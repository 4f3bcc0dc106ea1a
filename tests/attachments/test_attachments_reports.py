"""Attachments of country reports, and the files of a report's data requests shown on its
indicator: who may attach and read, on SQLite and PostgreSQL."""
import pytest
from attachment_support import upload
from helpers import PDF_BYTES, REQUIRED_ANSWERS
from sqlalchemy import select

from coordination.reporting.models import MonitoringTemplate

REPORT_FIELDS = {"id", "filename", "size", "content_type", "sha256", "description", "uploaded_by", "uploaded_at",
                 "indicator_code", "item_id"}


@pytest.fixture
def report_id(client, tokens, session):
    """The Philippines' report of an open cycle."""
    return open_report(client, tokens, session)


def open_report(client, tokens, session) -> int:
    template = session.scalar(select(MonitoringTemplate.id).where(
        MonitoringTemplate.name == "ASEAN SPF self-assessment"))
    cycle = client.post("/api/v1/cycles", headers=tokens["secretariat"], json={
        "name": "2027 self-assessment", "template_id": template, "period_start": "2026-01-01",
        "period_end": "2026-12-31", "deadline": "2027-03-31"}).get_json()
    client.post(f"/api/v1/cycles/{cycle['id']}/transitions", json={"trigger": "open"}, headers=tokens["secretariat"])
    return client.get(f"/api/v1/cycles/{cycle['id']}", headers=tokens["coordinator"]).get_json()["reports"][0]["id"]


def attach(client, report_id, headers, name="evidence.pdf", data=PDF_BYTES, **fields):
    return upload(client, f"/api/v1/reports/{report_id}/attachments", headers, name, data, **fields)


def submit(client, tokens, report_id):
    for code, body in REQUIRED_ANSWERS.items():
        assert client.put(f"/api/v1/reports/{report_id}/values/{code}", json=body,
                          headers=tokens["coordinator"]).status_code == 200
    for trigger in ("start", "submit"):
        version = client.get(f"/api/v1/reports/{report_id}", headers=tokens["coordinator"]).get_json()["version"]
        response = client.post(f"/api/v1/reports/{report_id}/transitions", headers=tokens["coordinator"],
                               json={"trigger": trigger, "version": version})
        if trigger == "submit":
            assert response.status_code == 200, response.get_json()


def test_the_coordinator_attaches_to_the_report_and_to_one_indicator(client, tokens, report_id):
    whole = attach(client, report_id, tokens["coordinator"], "national-strategy.pdf", description="Strategy")
    one = attach(client, report_id, tokens["coordinator"], "coverage.csv", b"year,coverage\n2026,34.9\n",
                 indicator_code="SPF_COVERAGE_TOTAL")
    assert (whole.status_code, one.status_code) == (201, 201)
    assert set(one.get_json()) == REPORT_FIELDS
    assert (whole.get_json()["indicator_code"], one.get_json()["indicator_code"]) == (None, "SPF_COVERAGE_TOTAL")
    listed = client.get(f"/api/v1/reports/{report_id}/attachments", headers=tokens["dswd"]).get_json()
    assert [(a["filename"], a["indicator_code"]) for a in listed["attachments"]] == [
        ("national-strategy.pdf", None), ("coverage.csv", "SPF_COVERAGE_TOTAL")]
    events = client.get(f"/api/v1/reports/{report_id}", headers=tokens["coordinator"]).get_json()["events"]
    assert [(e["trigger"], e["comment"]) for e in events if e["trigger"] == "attach"] == [
        ("attach", "national-strategy.pdf"), ("attach", "coverage.csv")]


def test_an_unknown_indicator_answers_422(client, tokens, report_id):
    response = attach(client, report_id, tokens["coordinator"], indicator_code="NOT_AN_INDICATOR")
    assert response.status_code == 422 and "indicator_code" in response.get_json()["fields"]


def test_who_may_attach_to_a_report(client, tokens, report_id):
    """Whoever may edit it: its coordinator. Its ministries 403; another country, the
    secretariat before a submission, observers and the admin 404."""
    assert attach(client, report_id, tokens["coordinator"]).status_code == 201
    assert attach(client, report_id, tokens["dswd"]).status_code == 403
    for other in ("th", "secretariat", "observer", "admin"):
        assert attach(client, report_id, tokens[other]).status_code == 404, other
        assert client.get(f"/api/v1/reports/{report_id}/attachments", headers=tokens[other]).status_code == 404


def test_a_data_requests_files_show_on_the_reports_indicator(client, tokens, report_id, ministries):
    request = client.post(f"/api/v1/reports/{report_id}/assignments", headers=tokens["coordinator"],
                          json={"indicator_code": "SPF_CHILDREN", "ministry_id": ministries["DSWD"]}).get_json()
    uploaded = upload(client, f"/api/v1/items/{request['item_id']}/attachments", tokens["dswd"],
                      "child-benefit-register.csv", b"region,children\nNCR,1200\n")
    assert uploaded.status_code == 201
    listed = client.get(f"/api/v1/reports/{report_id}/attachments", headers=tokens["coordinator"]).get_json()
    assert [(a["filename"], a["indicator_code"], a["item_id"]) for a in listed["attachments"]] == [
        ("child-benefit-register.csv", "SPF_CHILDREN", request["item_id"])]


def test_once_submitted_the_secretariat_reads_the_reports_files_but_not_the_data_requests(
        client, tokens, report_id, ministries):
    own = attach(client, report_id, tokens["coordinator"], indicator_code="SPF_COVERAGE_TOTAL").get_json()["id"]
    request = client.post(f"/api/v1/reports/{report_id}/assignments", headers=tokens["coordinator"],
                          json={"indicator_code": "SPF_CHILDREN", "ministry_id": ministries["DSWD"]}).get_json()
    requested = upload(client, f"/api/v1/items/{request['item_id']}/attachments", tokens["dswd"],
                       "register.pdf", PDF_BYTES).get_json()["id"]
    assert client.get(f"/api/v1/attachments/{own}", headers=tokens["secretariat"]).status_code == 404
    submit(client, tokens, report_id)

    assert client.get(f"/api/v1/attachments/{own}", headers=tokens["secretariat"]).data == PDF_BYTES
    listed = client.get(f"/api/v1/reports/{report_id}/attachments", headers=tokens["secretariat"]).get_json()
    assert [a["id"] for a in listed["attachments"]] == [own]
    # A data request is an action item: the secretariat never reads item content.
    assert client.get(f"/api/v1/attachments/{requested}", headers=tokens["secretariat"]).status_code == 404
    for other in ("th", "observer"):
        assert client.get(f"/api/v1/attachments/{own}", headers=tokens[other]).status_code == 404
    # A submitted report takes no new files; the secretariat may not remove one.
    assert attach(client, report_id, tokens["coordinator"]).status_code == 409
    assert client.delete(f"/api/v1/attachments/{own}", headers=tokens["secretariat"]).status_code == 403


def test_the_coordinator_removes_a_reports_file_and_the_history_says_so(client, tokens, report_id):
    attachment_id = attach(client, report_id, tokens["coordinator"]).get_json()["id"]
    assert client.delete(f"/api/v1/attachments/{attachment_id}", headers=tokens["dswd"]).status_code == 403
    assert client.delete(f"/api/v1/attachments/{attachment_id}", headers=tokens["coordinator"]).status_code == 204
    assert client.get(f"/api/v1/reports/{report_id}/attachments",
                      headers=tokens["coordinator"]).get_json() == {"attachments": []}
    events = client.get(f"/api/v1/reports/{report_id}", headers=tokens["coordinator"]).get_json()["events"]
    assert [e["trigger"] for e in events][-2:] == ["attach", "detach"]
