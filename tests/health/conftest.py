"""Fixtures of the coordination-health tests: tokens, a clock to move, a cycle of 2030."""
from datetime import datetime

import pytest
from helpers import api_token
from sqlalchemy import select

from coordination import clock
from coordination.reporting.models import MonitoringTemplate

USERS = {
    "secretariat": "secretariat@example.org",
    "observer": "observer@example.org",
    "admin": "admin@example.org",
    "ph": "coordinator.ph@example.org",
    "dswd": "staff.ph.dswd@example.org",
    "th": "coordinator.th@example.org",
}


@pytest.fixture
def tokens(client):
    return {name: api_token(client, email) for name, email in USERS.items()}


@pytest.fixture
def at(monkeypatch):
    def move(instant: datetime):
        monkeypatch.setattr(clock, "now", lambda: instant)
    return move


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
            moved = client.post(f"/api/v1/cycles/{cycle_id}/transitions", json={"trigger": trigger},
                                headers=tokens["secretariat"])
            assert moved.status_code == 200, moved.get_json()
        return cycle_id
    return make
