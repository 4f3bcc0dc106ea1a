"""Fixtures of the recommendation tests: tokens of every role, a cycle moved to a state, a
recommendation adopted through the API."""
import pytest
from helpers import api_token
from sqlalchemy import select

from coordination.reporting.models import MonitoringTemplate

USERS = {
    "secretariat": "secretariat@example.org",
    "observer": "observer@example.org",
    "admin": "admin@example.org",
    "ph": "coordinator.ph@example.org",
    "dswd": "staff.ph.dswd@example.org",
    "th": "coordinator.th@example.org",
    "my": "coordinator.my@example.org",
}


@pytest.fixture
def tokens(client):
    return {name: api_token(client, email) for name, email in USERS.items()}


@pytest.fixture
def make_cycle(client, tokens, session):
    """A cycle over the first half of 2030, moved through the API to ``state``; its id."""
    template_id = session.scalar(select(MonitoringTemplate.id)
                                 .where(MonitoringTemplate.name == "ASEAN SPF self-assessment"))

    def make(state="open", name="2030 half-year review"):
        created = client.post("/api/v1/cycles", headers=tokens["secretariat"], json={
            "name": name, "template_id": template_id, "period_start": "2030-01-01",
            "period_end": "2030-06-30", "deadline": "2030-08-31"})
        assert created.status_code == 201, created.get_json()
        cycle_id = created.get_json()["id"]
        for trigger in {"planned": [], "open": ["open"], "closed": ["open", "close"],
                        "published": ["open", "close", "publish"]}[state]:
            moved(client, tokens, cycle_id, trigger)
        return cycle_id
    return make


def moved(client, tokens, cycle_id, trigger):
    answer = client.post(f"/api/v1/cycles/{cycle_id}/transitions", json={"trigger": trigger},
                         headers=tokens["secretariat"])
    assert answer.status_code == 200, answer.get_json()


@pytest.fixture
def recommendation(client, tokens):
    """A recommendation for the Philippines, Thailand and Viet Nam; its id."""
    created = client.post("/api/v1/recommendations", headers=tokens["secretariat"], json={
        "title": "Portability of social security for migrant workers", "text": "Conclude bilateral agreements.",
        "guarantee": "working_age", "countries": ["PH", "TH", "VN"], "adopted_on": "2029-11-10",
        "horizon_year": 2035})
    assert created.status_code == 201, created.get_json()
    return created.get_json()["id"]


@pytest.fixture
def ph_item(client, tokens):
    made = client.post("/api/v1/items", headers=tokens["ph"], json={
        "title": "Draft the portability agreement with Malaysia", "due_date": "2030-05-31"})
    assert made.status_code == 201, made.get_json()
    return made.get_json()["id"]


@pytest.fixture
def th_item(client, tokens):
    made = client.post("/api/v1/items", headers=tokens["th"], json={"title": "Thai item", "due_date": "2030-05-31"})
    assert made.status_code == 201, made.get_json()
    return made.get_json()["id"]
