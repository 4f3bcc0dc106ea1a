"""The action-item workflow: one `transitions` machine shared by every item.

The trigger table of DESIGN.md lives here and nowhere else: the service fires
triggers through it, `allowed_triggers` reads it, and the help page draws it.
Who may fire a trigger is the permission policy's question (auth/policy.py);
what a trigger requires (a comment, a target ministry) is a condition here.
"""
from functools import lru_cache

from flask_babel import gettext
from transitions import EventData

from coordination import statemachine
from coordination.i18n import N_
from coordination.items.models import Labels

STATES = (
    "draft", "assigned", "in_progress", "blocked", "submitted", "completed", "declined", "cancelled",
)
OPEN_STATES = ("draft", "assigned", "in_progress", "blocked", "submitted", "declined")
CLOSED_STATES = ("completed", "cancelled")
HELD_BY_MINISTRY = ("assigned", "in_progress", "blocked")
WAITING_ON_COORDINATOR = ("submitted", "declined")

STATE_LABELS = Labels({
    "draft": N_("Draft"),
    "assigned": N_("Assigned"),
    "in_progress": N_("In progress"),
    "blocked": N_("Blocked"),
    "submitted": N_("Submitted"),
    "completed": N_("Completed"),
    "declined": N_("Declined"),
    "cancelled": N_("Cancelled"),
})
TRIGGER_LABELS = Labels({
    "assign": N_("Assign"),
    "accept": N_("Accept"),
    "decline": N_("Decline"),
    "hand_over": N_("Hand over"),
    "transfer": N_("Transfer"),
    "block": N_("Mark as blocked"),
    "unblock": N_("Unblock"),
    "submit": N_("Submit"),
    "approve": N_("Approve"),
    "send_back": N_("Send back"),
    "reopen": N_("Reopen"),
    "cancel": N_("Cancel the item"),
})
TRIGGERS = tuple(TRIGGER_LABELS)


# -- conditions: what a trigger requires. Each receives the EventData of the attempt,
#    whose kwargs are `actor`, `comment` and `ministry` (the target, or None).

def comment_given(event: EventData) -> bool:
    return bool((event.kwargs.get("comment") or "").strip())


def ministry_of_country(event: EventData) -> bool:
    ministry = event.kwargs.get("ministry")
    return ministry is not None and ministry.country_code == event.model.country_code


def another_ministry(event: EventData) -> bool:
    ministry = event.kwargs.get("ministry")
    return ministry_of_country(event) and ministry.id != event.model.ministry_id


def another_ministry_unless_declined(event: EventData) -> bool:
    """A transfer goes elsewhere, except after a decline, when the coordinator may insist."""
    if event.model.state == "declined":
        return ministry_of_country(event)
    return another_ministry(event)


# What the user is told when a condition fails: (field, message), the message in English (marked
# for the catalogue; the service translates it when it raises).
REQUIREMENTS = {
    comment_given: ("comment", N_("Add a comment: it is required for this step.")),
    ministry_of_country: ("ministry_id", N_("Choose a ministry of this member state.")),
    another_ministry: ("ministry_id", N_("Choose another ministry of this member state.")),
    another_ministry_unless_declined: ("ministry_id", N_("Choose another ministry of this member state.")),
}

_COMMENT = [comment_given]
TRANSITIONS = [
    {"trigger": "assign", "source": "draft", "dest": "assigned", "conditions": [ministry_of_country]},
    {"trigger": "accept", "source": "assigned", "dest": "in_progress"},
    {"trigger": "decline", "source": "assigned", "dest": "declined", "conditions": _COMMENT},
    {"trigger": "hand_over", "source": ["assigned", "in_progress"], "dest": "assigned",
     "conditions": [another_ministry, comment_given]},
    {"trigger": "transfer", "source": ["assigned", "in_progress", "blocked", "declined"], "dest": "assigned",
     "conditions": [another_ministry_unless_declined, comment_given]},
    {"trigger": "block", "source": "in_progress", "dest": "blocked", "conditions": _COMMENT},
    {"trigger": "unblock", "source": "blocked", "dest": "in_progress"},
    {"trigger": "submit", "source": "in_progress", "dest": "submitted", "conditions": _COMMENT},
    {"trigger": "approve", "source": "submitted", "dest": "completed"},
    {"trigger": "send_back", "source": "submitted", "dest": "in_progress", "conditions": _COMMENT},
    {"trigger": "reopen", "source": "completed", "dest": "in_progress", "conditions": _COMMENT},
    # A cancelled item comes back as a draft: the coordinator assigns it again when it is ready.
    {"trigger": "reopen", "source": "cancelled", "dest": "draft", "conditions": _COMMENT},
    {"trigger": "cancel", "source": "draft", "dest": "cancelled"},
    {"trigger": "cancel", "source": ["assigned", "in_progress", "blocked", "submitted", "declined"],
     "dest": "cancelled", "conditions": _COMMENT},
]

# Built once at import and shared by every item.
machine = statemachine.build(STATES, TRANSITIONS, "draft")


def possible_triggers(state: str) -> list[str]:
    """The triggers the table allows from ``state``, in the table's order."""
    return list(_possible(state))


@lru_cache(maxsize=len(STATES) + 1)
def _possible(state: str) -> tuple[str, ...]:
    """The table does not change: asked once per state."""
    return tuple(statemachine.possible(machine, TRIGGERS, state))


def unmet_requirements(item, trigger: str, **kwargs) -> dict[str, list[str]]:
    """The field errors that would stop ``trigger`` on ``item`` with these arguments, in the
    language of the request."""
    unmet = statemachine.unmet(machine, REQUIREMENTS, item, trigger, **kwargs)
    return {field: [gettext(message) for message in messages] for field, messages in unmet.items()}


def fire(item, trigger: str, **kwargs) -> bool:
    """Fire ``trigger`` on ``item``; True when the state changed."""
    return statemachine.fire(machine, item, trigger, **kwargs)


def requires(trigger: str, state: str) -> set[str]:
    """The fields ``trigger`` asks for from ``state`` (for forms)."""
    return statemachine.required_fields(machine, REQUIREMENTS, trigger, state)
