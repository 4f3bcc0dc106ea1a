import pytest
from attachment_support import new_item
from helpers import api_token
from sqlalchemy import select

from coordination.directory.models import Ministry

USERS = {
    "coordinator": "coordinator.ph@example.org",
    "dswd": "staff.ph.dswd@example.org",
    "dole": "staff.ph.dole@example.org",
    "th": "coordinator.th@example.org",
    "secretariat": "secretariat@example.org",
    "observer": "observer@example.org",
    "admin": "admin@example.org",
}


@pytest.fixture
def tokens(client):
    return {name: api_token(client, email) for name, email in USERS.items()}


@pytest.fixture
def ministries(session):
    def ministry(acronym, country="PH"):
        return session.scalar(select(Ministry.id).where(Ministry.country_code == country, Ministry.acronym == acronym))
    return {"DSWD": ministry("DSWD"), "DOLE": ministry("DOLE")}


@pytest.fixture
def item_id(client, tokens, ministries):
    """An item of the Philippines held by DSWD."""
    return new_item(client, tokens["coordinator"], ministries["DSWD"])
