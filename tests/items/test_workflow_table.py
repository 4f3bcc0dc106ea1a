"""Every trigger from every state as every role, checked against the table of DESIGN.md."""
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from coordination.auth.models import User
from coordination.directory.models import Ministry
from coordination.errors import Forbidden, InvalidTransition, NotFound, ValidationError
from coordination.items import service
from coordination.items.models import ActionItem, ItemEvent
from coordination.items.workflow import STATES, TRIGGERS

NOW = datetime(2027, 3, 1, 4, 0, tzinfo=UTC)

# The table of DESIGN.md, written out independently of the code under test:
# trigger -> (sources, destination, who); a destination that depends on the source is a dict.
TABLE = {
    "assign": ({"draft"}, "assigned", "coordinator"),
    "accept": ({"assigned"}, "in_progress", "holder"),
    "decline": ({"assigned"}, "declined", "holder"),
    "hand_over": ({"assigned", "in_progress"}, "assigned", "holder"),
    "transfer": ({"assigned", "in_progress", "blocked", "declined"}, "assigned", "coordinator"),
    "block": ({"in_progress"}, "blocked", "holder"),
    "unblock": ({"blocked"}, "in_progress", "both"),
    "submit": ({"in_progress"}, "submitted", "holder"),
    "approve": ({"submitted"}, "completed", "coordinator"),
    "send_back": ({"submitted"}, "in_progress", "coordinator"),
    "reopen": ({"completed", "cancelled"}, {"completed": "in_progress", "cancelled": "draft"}, "coordinator"),
    "cancel": ({"draft", "assigned", "in_progress", "blocked", "submitted", "declined"}, "cancelled",
               "coordinator"),
}

ACTORS = {
    "coordinator": "coordinator.ph@example.org",
    "other_coordinator": "coordinator.th@example.org",
    "holder": "staff.ph.dswd@example.org",
    "other_ministry": "staff.ph.dole@example.org",
    "other_country_staff": "staff.th.sso@example.org",
    "secretariat": "secretariat@example.org",
    "observer": "observer@example.org",
    "admin": "admin@example.org",
}


def may_fire(role: str, who: str) -> bool:
    return (who == "coordinator" and role == "coordinator") or (
        who == "holder" and role == "holder") or (who == "both" and role in ("coordinator", "holder"))


def test_table_covers_every_trigger():
    assert set(TABLE) == set(TRIGGERS)


def _item_in_state(session, state: str) -> ActionItem:
    ph = session.scalar(select(User).where(User.email == ACTORS["coordinator"]))
    dswd = session.scalar(select(Ministry).where(Ministry.country_code == "PH", Ministry.acronym == "DSWD"))
    item = ActionItem(country_code="PH", title=f"Item in {state}", description="", state=state,
                      ministry_id=None if state == "draft" else dswd.id, due_date=date(2027, 6, 30),
                      priority="normal", created_by_id=ph.id, created_at=NOW, updated_at=NOW)
    session.add(item)
    session.commit()
    return item


def _arguments(session, trigger: str) -> dict:
    dole = session.scalar(select(Ministry).where(Ministry.country_code == "PH", Ministry.acronym == "DOLE"))
    dswd = session.scalar(select(Ministry).where(Ministry.country_code == "PH", Ministry.acronym == "DSWD"))
    target = dswd if trigger == "assign" else dole
    return {"comment": "Because the table says so.", "ministry_id": target.id}


@pytest.mark.parametrize("state", STATES)
def test_every_trigger_from_every_state_as_every_role(session, state):
    outcomes = []
    for trigger in TRIGGERS:
        sources, destination, who = TABLE[trigger]
        for role, email in ACTORS.items():
            item = _item_in_state(session, state)
            actor = session.scalar(select(User).where(User.email == email))
            events_before = session.scalar(select(func.count(ItemEvent.id)))
            try:
                result = service.fire_trigger(session, actor, item.id, trigger, item.version, NOW,
                                              **_arguments(session, trigger))
                session.commit()
                outcome = ("fired", result.state)
            except NotFound:
                outcome = ("404", None)
            except InvalidTransition as error:
                outcome = ("409", error.extra["state"])
            except Forbidden:
                outcome = ("403", None)
            except ValidationError as error:
                outcome = ("422", tuple(error.fields))
            session.rollback()
            if role in ("other_coordinator", "other_country_staff", "secretariat", "observer", "admin"):
                expected = ("404", None)
            elif state not in sources:
                expected = ("409", state)
            elif not may_fire(role, who):
                expected = ("403", None)
            else:
                expected = ("fired", destination[state] if isinstance(destination, dict) else destination)
            outcomes.append((trigger, role, outcome, expected))
            if outcome[0] != "fired":
                assert session.get(ActionItem, item.id).state == state
                assert session.scalar(select(func.count(ItemEvent.id))) == events_before
    wrong = [o for o in outcomes if o[2] != o[3]]
    assert wrong == []
