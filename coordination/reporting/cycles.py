"""Reporting cycles: planned, open (a report per member state), closed, published; and the
extensions of a country's deadline. Services flush; the caller commits."""
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import func, select

from coordination.auth.policy import may, require
from coordination.directory.models import Country
from coordination.errors import InvalidTransition, NotFound, ValidationError
from coordination.ids import as_id
from coordination.reporting import schemas, workflow
from coordination.reporting.models import CountryReport, CycleEvent, Extension, MonitoringTemplate, ReportingCycle
from coordination.reporting.reports import close_data_requests
from coordination.schemas import validate_field


def get_cycle(session, cycle_id) -> ReportingCycle:
    """The cycle of an id from outside (URL, JSON body). ids.as_id keeps to what the key column
    holds, the same bound as the routes' ``<int:...>``: a larger id is absent (404)."""
    cycle = session.get(ReportingCycle, as_id(cycle_id)) if as_id(cycle_id) else None
    if cycle is None:
        raise NotFound(gettext("There is no such reporting cycle."))
    return cycle


def create_cycle(session, actor, data: dict, now: datetime) -> ReportingCycle:
    require(actor, "cycles.manage")
    body = schemas.CycleInput.parse(data)
    errors: dict[str, list[str]] = {}
    if session.scalar(select(ReportingCycle.id).where(ReportingCycle.name == body.name)):
        errors["name"] = [gettext("Another cycle has this name.")]
    template = session.get(MonitoringTemplate, body.template_id)
    if template is None:
        errors["template_id"] = [gettext("Choose a monitoring template.")]
    if body.period_start > body.period_end:
        errors["period_end"] = [gettext("The period ends before it starts.")]
    if errors:
        raise ValidationError(errors)
    cycle = ReportingCycle(state="planned", created_at=now, **body.model_dump())
    session.add(cycle)
    session.flush()
    session.add(CycleEvent(cycle_id=cycle.id, at=now, actor_id=actor.id, trigger="create", to_state="planned"))
    session.flush()
    return cycle


def fire_cycle(session, actor, cycle_id, trigger, now: datetime) -> ReportingCycle:
    trigger = validate_field(schemas.CYCLE_TRIGGER, trigger, "trigger")
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
    if trigger == "close":
        for report in cycle.reports:
            close_data_requests(session, actor, report, now)
    if trigger == "publish":
        cycle.published_at = now
    session.add(CycleEvent(cycle_id=cycle.id, at=now, actor_id=actor.id, trigger=trigger,
                           from_state=from_state, to_state=cycle.state))
    session.flush()
    return cycle


def grant_extension(session, actor, cycle_id, data: dict, now: datetime) -> Extension:
    cycle = get_cycle(session, cycle_id)
    require(actor, "cycles.manage")
    body = schemas.ExtensionInput.parse(data)
    country = body.country.upper()
    errors: dict[str, list[str]] = {}
    if not session.scalar(select(CountryReport.id).where(CountryReport.cycle_id == cycle.id,
                                                         CountryReport.country_code == country)):
        errors["country"] = [gettext(schemas.IN_CYCLE)]
    if body.deadline <= cycle.deadline:
        errors["deadline"] = [gettext("An extension ends after the cycle's deadline (%(deadline)s).",
                                       deadline=cycle.deadline.isoformat())]
    if errors:
        raise ValidationError(errors)
    extension = Extension(cycle_id=cycle.id, country_code=country, deadline=body.deadline, reason=body.reason,
                          granted_by_id=actor.id, granted_at=now)
    session.add(extension)
    cycle.extensions.append(extension)
    session.add(CycleEvent(cycle_id=cycle.id, at=now, actor_id=actor.id, trigger="extension",
                           from_state=cycle.state, to_state=cycle.state, country_code=country,
                           comment=f"Deadline extended to {body.deadline.isoformat()}: {body.reason}"))
    session.flush()
    return extension


def report_count_by_state(session, cycle: ReportingCycle) -> dict[str, int]:
    return dict(session.execute(select(CountryReport.state, func.count()).where(
        CountryReport.cycle_id == cycle.id).group_by(CountryReport.state)).all())
