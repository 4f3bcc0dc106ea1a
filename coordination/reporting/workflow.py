"""The reporting workflows: one shared `transitions` machine for cycles and one for country
reports, each built once at import (see items/workflow.py for the pattern)."""
from transitions import EventData

from coordination import statemachine
from coordination.i18n import N_

CYCLE_STATES = ("planned", "open", "closed", "published")
CYCLE_STATE_LABELS = {"planned": N_("Planned"), "open": N_("Open"), "closed": N_("Closed"),
                      "published": N_("Published")}
CYCLE_TRIGGERS = ("open", "close", "publish")

cycle_machine = statemachine.build(CYCLE_STATES, [
    {"trigger": "open", "source": "planned", "dest": "open"},
    {"trigger": "close", "source": "open", "dest": "closed"},
    {"trigger": "publish", "source": "closed", "dest": "published"},
], "planned")

REPORT_STATES = ("not_started", "drafting", "submitted", "accepted", "returned")
REPORT_STATE_LABELS = {
    "not_started": N_("Not started"),
    "drafting": N_("Drafting"),
    "submitted": N_("Submitted"),
    "accepted": N_("Accepted"),
    "returned": N_("Returned"),
}
REPORT_TRIGGERS = ("start", "submit", "accept", "send_back", "revise")
REPORT_TRIGGER_LABELS = {
    "start": N_("Start the report"),
    "submit": N_("Submit to the secretariat"),
    "accept": N_("Accept"),
    "send_back": N_("Send back"),
    "revise": N_("Revise"),
}


def cycle_is_open(event: EventData) -> bool:
    return event.model.cycle.state == "open"


def comment_given(event: EventData) -> bool:
    return bool((event.kwargs.get("comment") or "").strip())


def nothing_missing(event: EventData) -> bool:
    return not event.kwargs.get("missing")


REQUIREMENTS = {
    cycle_is_open: ("trigger", N_("The reporting cycle is not open: no report can be started or submitted.")),
    comment_given: ("comment", N_("Add a comment: it is required for this step.")),
    nothing_missing: ("missing", N_("Required indicators have neither a value nor a flag with a reason.")),
}

report_machine = statemachine.build(REPORT_STATES, [
    {"trigger": "start", "source": "not_started", "dest": "drafting", "conditions": [cycle_is_open]},
    {"trigger": "submit", "source": "drafting", "dest": "submitted", "conditions": [cycle_is_open, nothing_missing]},
    {"trigger": "accept", "source": "submitted", "dest": "accepted"},
    {"trigger": "send_back", "source": "submitted", "dest": "returned", "conditions": [comment_given]},
    {"trigger": "revise", "source": "returned", "dest": "drafting", "conditions": [cycle_is_open]},
], "not_started")


def possible(machine, order: tuple[str, ...], state: str) -> list[str]:
    return statemachine.possible(machine, order, state)


def unmet(machine, model, trigger: str, **kwargs) -> dict[str, list[str]]:
    return statemachine.unmet(machine, REQUIREMENTS, model, trigger, **kwargs)


def fire(machine, model, trigger: str, **kwargs) -> bool:
    return statemachine.fire(machine, model, trigger, **kwargs)
