"""Fixtures of the regional-item tests: tokens of every role, a regional item for PH and MY."""
import pytest
from helpers import api_token
from sqlalchemy import select

from coordination.directory.models import Ministry

USERS = {
    "secretariat": "secretariat@example.org",
    "observer": "observer@example.org",
    "admin": "admin@example.org",
    "ph": "coordinator.ph@example.org",
    "dswd": "staff.ph.dswd@example.org",
    "my": "coordinator.my@example.org",
    "perkeso": "staff.my.perkeso@example.org",
    "th": "coordinator.th@example.org",
}
PORTABILITY = {"title": "A portability agreement for pension rights between the Philippines and Malaysia",
               "description": "Count contributions paid in either country towards an old-age pension.",
               "due_date": "2031-06-30", "countries": ["PH", "MY"]}


@pytest.fixture
def tokens(client):
    return {name: api_token(client, email) for name, email in USERS.items()}


@pytest.fixture
def regional(client, tokens):
    """A regional item for the Philippines and Malaysia, as the secretariat reads it."""
    response = client.post("/api/v1/regional-items", json=PORTABILITY, headers=tokens["secretariat"])
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.fixture
def ministry(session):
    def of(country, acronym):
        return session.scalar(select(Ministry.id).where(Ministry.country_code == country, Ministry.acronym == acronym))
    return of


@pytest.fixture
def complete(client, tokens, ministry):
    """Carry a part through its country's workflow to ``completed``; the item JSON after it."""
    steps = {"PH": ("ph", "dswd", "DSWD"), "MY": ("my", "perkeso", "PERKESO")}

    def run(country, item_id):
        coordinator, staff, acronym = steps[country]
        for who, body in ((coordinator, {"trigger": "assign", "ministry_id": ministry(country, acronym)}),
                          (staff, {"trigger": "accept"}),
                          (staff, {"trigger": "submit", "comment": "The agreement is drafted and signed."}),
                          (coordinator, {"trigger": "approve"})):
            version = client.get(f"/api/v1/items/{item_id}", headers=tokens[who]).get_json()["version"]
            response = client.post(f"/api/v1/items/{item_id}/transitions", json={**body, "version": version},
                                   headers=tokens[who])
            assert response.status_code == 200, response.get_json()
        return response.get_json()
    return run
