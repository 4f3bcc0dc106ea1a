"""What the workflows share: one `transitions` machine per workflow, built once, and the
questions the services ask it. A condition that fails names its field and message in the
workflow's REQUIREMENTS, so a refusal can say what is missing."""
from transitions import EventData, Machine


def build(states, transitions, initial: str) -> Machine:
    # model=None: models are never added (add_model would keep every row alive and
    # overwrite the state loaded from the database); triggers are fired through events.
    return Machine(model=None, states=list(states), transitions=transitions, initial=initial,
                   model_attribute="state", auto_transitions=False, send_event=True)


def possible(machine: Machine, order: tuple[str, ...], state: str) -> list[str]:
    """The triggers the table allows from ``state``, in ``order``."""
    available = set(machine.get_triggers(state))
    return [t for t in order if t in available]


def unmet(machine: Machine, requirements: dict, model, trigger: str, **kwargs) -> dict[str, list[str]]:
    """The field errors of the conditions that would stop ``trigger`` on ``model``."""
    event = machine.events[trigger]
    transition = event.transitions[model.state][0]
    data = EventData(machine.get_state(model.state), event, machine, model, (), kwargs)
    fields: dict[str, list[str]] = {}
    for condition in transition.conditions:
        if condition.func(data) != condition.target:
            field, message = requirements[condition.func]
            fields.setdefault(field, []).append(message)
    return fields


def fire(machine: Machine, model, trigger: str, **kwargs) -> bool:
    """Fire ``trigger`` on ``model``; True when the state changed."""
    return machine.events[trigger].trigger(model, **kwargs)


def required_fields(machine: Machine, requirements: dict, trigger: str, state: str) -> set[str]:
    """The fields ``trigger`` asks for from ``state`` (for forms)."""
    transitions = machine.events[trigger].transitions.get(state, [])
    return {requirements[c.func][0] for t in transitions for c in t.conditions}
