"""The reporting workflows: one shared `transitions` machine for cycles and one for country
reports, each built once at import (see items/workflow.py for the pattern)."""
from transitions import EventData, Machine

CYCLE_STATES = ("planned", "open", "closed", "published")
CYCLE_STATE_LABELS = {"planned": "Planned", "open": "Open", "closed": "Closed", "published": "Published"}
CYCLE_TRIGGERS = ("open", "close", "publish")
CYCLE_TRIGGER_LABELS = {"open": "Open the cycle", "close": "Close the cycle", "publish": "Publish the comparison"}

cycle_machine = Machine(
    model=None,
    states=list(CYCLE_STATES),
    transitions=[
        {"trigger": "open", "source": "planned", "dest": "open"},
        {"trigger": "close", "source": "open", "dest": "closed"},
        {"trigger": "publish", "source": "closed", "dest": "published"},
    ],
    initial="planned",
    model_attribute="state",
    auto_transitions=False,
    send_event=True,
)

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
COORDINATOR_REPORT_TRIGGERS = frozenset({"start", "submit", "revise"})
SECRETARIAT_REPORT_TRIGGERS = frozenset({"accept", "send_back"})
EDITABLE_REPORT_STATES = ("drafting",)


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

report_machine = Machine(
    model=None,
    states=list(REPORT_STATES),
    transitions=[
        {"trigger": "start", "source": "not_started", "dest": "drafting", "conditions": [cycle_is_open]},
        {"trigger": "submit", "source": "drafting", "dest": "submitted",
         "conditions": [cycle_is_open, nothing_missing]},
        {"trigger": "accept", "source": "submitted", "dest": "accepted"},
        {"trigger": "send_back", "source": "submitted", "dest": "returned", "conditions": [comment_given]},
        {"trigger": "revise", "source": "returned", "dest": "drafting", "conditions": [cycle_is_open]},
    ],
    initial="not_started",
    model_attribute="state",
    auto_transitions=False,
    send_event=True,
)


def possible(machine: Machine, order: tuple[str, ...], state: str) -> list[str]:
    available = set(machine.get_triggers(state))
    return [t for t in order if t in available]


def unmet(machine: Machine, model, trigger: str, **kwargs) -> dict[str, list[str]]:
    """Field errors of the conditions that would stop ``trigger`` (see items.workflow)."""
    event = machine.events[trigger]
    transition = event.transitions[model.state][0]
    data = EventData(machine.get_state(model.state), event, machine, model, (), kwargs)
    fields: dict[str, list[str]] = {}
    for condition in transition.conditions:
        if condition.func(data) != condition.target:
            field, message = REQUIREMENTS[condition.func]
            fields.setdefault(field, []).append(message)
    return fields


def fire(machine: Machine, model, trigger: str, **kwargs) -> bool:
    return machine.events[trigger].trigger(model, **kwargs)
