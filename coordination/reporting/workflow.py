"""The reporting workflows: one shared `transitions` machine for cycles and one for country
reports, each built once at import (see items/workflow.py for the pattern)."""
from transitions import EventData

from coordination import statemachine

CYCLE_STATES = ("planned", "open", "closed", "published")
CYCLE_STATE_LABELS = {"planned": "Planned", "open": "Open", "closed": "Closed", "published": "Published"}
CYCLE_TRIGGERS = ("open", "close", "publish")

cycle_machine = statemachine.build(CYCLE_STATES, [
    {"trigger": "open", "source": "planned", "dest": "open"},
    {"trigger": "close", "source": "open", "dest": "closed"},
    {"trigger": "publish", "source": "closed", "dest": "published"},
], "planned")

REPORT_STATES = ("not_started", "drafting", "submitted", "accepted", "returned")
REPORT_STATE_LABELS = {
    "not_started": "Not started",
    "drafting": "Drafting",
    "submitted": "Submitted",
    "accepted": "Accepted",
    "returned": "Returned",
}
REPORT_TRIGGERS = ("start", "submit", "accept", "send_back", "revise")
REPORT_TRIGGER_LABELS = {
    "start": "Start the report",
    "submit": "Submit to the secretariat",
    "accept": "Accept",
    "send_back": "Send back",
    "revise": "Revise",
}


def cycle_is_open(event: EventData) -> bool:
    return event.model.cycle.state == "open"


def comment_given(event: EventData) -> bool:
    return bool((event.kwargs.get("comment") or "").strip())


def nothing_missing(event: EventData) -> bool:
    return not event.kwargs.get("missing")


REQUIREMENTS = {
    cycle_is_open: ("trigger", "The reporting cycle is not open: no report can be started or submitted."),
    comment_given: ("comment", "Add a comment: it is required for this step."),
    nothing_missing: ("missing", "Required indicators have neither a value nor a flag with a reason."),
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
