"""Reporting cycles: planned, open (a report per member state), closed, published; and the
extensions of a country's deadline. Services flush; the caller commits."""
from datetime import datetime

from sqlalchemy import func, select

from coordination.auth.policy import may, require
from coordination.dates import date_field
from coordination.directory.models import Country
from coordination.errors import InvalidTransition, NotFound, ValidationError
from coordination.ids import as_id
from coordination.reporting import workflow
from coordination.reporting.models import CountryReport, CycleEvent, Extension, MonitoringTemplate, ReportingCycle


def get_cycle(session, cycle_id) -> ReportingCycle:
    """The cycle of an id from outside (URL, JSON body). ids.as_id keeps to what the key column
    holds, the same bound as the routes' ``<int:...>``: a larger id is absent (404)."""
    cycle = session.get(ReportingCycle, as_id(cycle_id)) if as_id(cycle_id) else None
    if cycle is None:
        raise NotFound("There is no such reporting cycle.")
    return cycle


def create_cycle(session, actor, data: dict, now: datetime) -> ReportingCycle:
    require(actor, "cycles.manage")
    errors: dict[str, list[str]] = {}
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        errors["name"] = ["Give the cycle a name of at most 200 characters."]
    elif session.scalar(select(ReportingCycle.id).where(ReportingCycle.name == name.strip())):
        errors["name"] = ["Another cycle has this name."]
    template_id = as_id(data.get("template_id"))
    template = session.get(MonitoringTemplate, template_id) if template_id else None
    if template is None:
        errors["template_id"] = ["Choose a monitoring template."]
    dates = {}
    for field in ("period_start", "period_end", "deadline"):
        dates[field] = date_field(errors, field, data.get(field), "Enter a date, e.g. 2027-03-31.")
    if dates["period_start"] and dates["period_end"] and dates["period_start"] > dates["period_end"]:
        errors["period_end"] = ["The period ends before it starts."]
    if errors:
        raise ValidationError(errors)
    cycle = ReportingCycle(name=name.strip(), template_id=template.id, state="planned", created_at=now, **dates)
    session.add(cycle)
    session.flush()
    session.add(CycleEvent(cycle_id=cycle.id, at=now, actor_id=actor.id, trigger="create", to_state="planned"))
    session.flush()
    return cycle


def fire_cycle(session, actor, cycle_id, trigger, now: datetime) -> ReportingCycle:
    if trigger not in workflow.CYCLE_TRIGGERS:
        raise ValidationError({"trigger": [f"Unknown trigger. Triggers: {', '.join(workflow.CYCLE_TRIGGERS)}."]})
    cycle = get_cycle(session, cycle_id)
    possible = workflow.possible(workflow.cycle_machine, workflow.CYCLE_TRIGGERS, cycle.state)
    if trigger not in possible:
        raise InvalidTransition(trigger, cycle.state, possible if may(actor, "cycles.manage") else [])
    require(actor, "cycles.manage")
    from_state = cycle.state
    workflow.fire(workflow.cycle_machine, cycle, trigger)
    if trigger == "open":
        existing = set(session.scalars(select(CountryReport.country_code).where(CountryReport.cycle_id == cycle.id)))
        for code in session.scalars(select(Country.code).order_by(Country.code)):
            if code not in existing:
                session.add(CountryReport(cycle_id=cycle.id, country_code=code, state="not_started", updated_at=now))
    if trigger == "publish":
        cycle.published_at = now
    session.add(CycleEvent(cycle_id=cycle.id, at=now, actor_id=actor.id, trigger=trigger,
                           from_state=from_state, to_state=cycle.state))
    session.flush()
    return cycle


def grant_extension(session, actor, cycle_id, data: dict, now: datetime) -> Extension:
    cycle = get_cycle(session, cycle_id)
    require(actor, "cycles.manage")
    errors: dict[str, list[str]] = {}
    country = data.get("country")
    in_cycle = isinstance(country, str) and session.scalar(select(CountryReport.id).where(
        CountryReport.cycle_id == cycle.id, CountryReport.country_code == country.upper()))
    if not in_cycle:
        errors["country"] = ["Choose a member state that reports in this cycle (open the cycle first)."]
    deadline = date_field(errors, "deadline", data.get("deadline"),
                          "Enter the new deadline as a date, e.g. 2027-04-15.")
    if deadline is not None and deadline <= cycle.deadline:
        errors["deadline"] = [f"An extension ends after the cycle's deadline ({cycle.deadline.isoformat()})."]
    reason = data.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        errors["reason"] = ["Record why the extension is granted."]
    if errors:
        raise ValidationError(errors)
    extension = Extension(cycle_id=cycle.id, country_code=country.upper(), deadline=deadline,
                          reason=reason.strip(), granted_by_id=actor.id, granted_at=now)
    session.add(extension)
    cycle.extensions.append(extension)
    session.add(CycleEvent(cycle_id=cycle.id, at=now, actor_id=actor.id, trigger="extension",
                           from_state=cycle.state, to_state=cycle.state, country_code=country.upper(),
                           comment=f"Deadline extended to {deadline.isoformat()}: {reason.strip()}"))
    session.flush()
    return extension


def report_count_by_state(session, cycle: ReportingCycle) -> dict[str, int]:
    return dict(session.execute(select(CountryReport.state, func.count()).where(
        CountryReport.cycle_id == cycle.id).group_by(CountryReport.state)).all())
