"""Fixtures of the recommendation tests: tokens of every role and a recommendation adopted
through the API (a cycle moved to a state: the root conftest's make_cycle)."""
import pytest
from helpers import api_token

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
