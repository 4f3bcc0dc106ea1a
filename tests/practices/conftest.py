import pytest
from helpers import api_token
from practice_support import PRACTICE

USERS = {
    "coordinator": "coordinator.ph@example.org",
    "dswd": "staff.ph.dswd@example.org",
    "th": "coordinator.th@example.org",
    "th_staff": "staff.th.nhso@example.org",
    "secretariat": "secretariat@example.org",
    "observer": "observer@example.org",
    "admin": "admin@example.org",
}


@pytest.fixture
def tokens(client):
    return {name: api_token(client, email) for name, email in USERS.items()}


@pytest.fixture
def draft(client, tokens):
    """A draft practice of the Philippines."""
    response = client.post("/api/v1/practices", json=PRACTICE, headers=tokens["coordinator"])
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.fixture
def published(client, tokens, draft):
    response = client.post(f"/api/v1/practices/{draft['id']}/publish", json={"version": draft["version"]},
                           headers=tokens["coordinator"])
    assert response.status_code == 200, response.get_json()
    return response.get_json()
