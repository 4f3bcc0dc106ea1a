"""Fixtures of the coordination-health tests: tokens and a clock to move (a cycle of 2030: the
root conftest's make_cycle)."""
from datetime import datetime

import pytest
from helpers import api_token

from coordination import clock

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
