import pytest
from helpers import REQUIRED_ANSWERS, api_token
from sqlalchemy import select

from coordination.directory.models import Ministry
from coordination.reporting.models import MonitoringTemplate


@pytest.fixture
def tokens(client):
    emails = {
        "secretariat": "secretariat@example.org",
        "coordinator": "coordinator.ph@example.org",
        "dswd": "staff.ph.dswd@example.org",
        "dole": "staff.ph.dole@example.org",
        "th": "coordinator.th@example.org",
        "observer": "observer@example.org",
        "admin": "admin@example.org",
    }
    return {name: api_token(client, email) for name, email in emails.items()}


@pytest.fixture
def ids(session):
    def ministry(acronym, country="PH"):
        return session.scalar(select(Ministry.id).where(Ministry.country_code == country, Ministry.acronym == acronym))

    return {
        "template": session.scalar(select(MonitoringTemplate.id).where(
            MonitoringTemplate.name == "ASEAN SPF self-assessment")),
        "DSWD": ministry("DSWD"), "DOLE": ministry("DOLE"), "DOH": ministry("DOH"), "SSO": ministry("SSO", "TH"),
    }


@pytest.fixture
def open_cycle(client, tokens, ids):
    """An open cycle; returns {cycle, report (the Philippines'), reports: {country: id}}."""
    cycle = client.post("/api/v1/cycles", headers=tokens["secretariat"], json={
        "name": "2027 self-assessment", "template_id": ids["template"], "period_start": "2026-01-01",
        "period_end": "2026-12-31", "deadline": "2027-03-31"}).get_json()
    client.post(f"/api/v1/cycles/{cycle['id']}/transitions", json={"trigger": "open"}, headers=tokens["secretariat"])
    reports = client.get(f"/api/v1/cycles/{cycle['id']}", headers=tokens["secretariat"]).get_json()["reports"]
    # The secretariat sees no report before its first submission; ask the coordinator.
    mine = client.get(f"/api/v1/cycles/{cycle['id']}", headers=tokens["coordinator"]).get_json()["reports"]
    assert reports == [] and len(mine) == 1
    return {"cycle": cycle, "report": mine[0]["id"]}




@pytest.fixture
def fill_required(client, tokens):
    def fill(report_id, skip=()):
        for code, body in REQUIRED_ANSWERS.items():
            if code not in skip:
                response = client.put(f"/api/v1/reports/{report_id}/values/{code}", json=body,
                                      headers=tokens["coordinator"])
                assert response.status_code == 200, response.get_json()
    return fill
