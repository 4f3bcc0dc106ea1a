"""Country reports as a reminder subject (DESIGN.md, Reminders).

Offsets -30, -14, -7, -1, +1, then every 7 days, while the report is ``not_started``,
``drafting`` or ``returned`` (and its cycle open): to the country's coordinators; before
the deadline also to the staff of ministries with open data requests of that report; from
the escalation offset (+1) also to the secretariat. The deadline is the extended one where
an extension exists, so an extension moves (re-arms) the reminders.

The reporting models live in coordination/reporting/models.py; this source is active
only when they can be imported (:func:`available`).
"""
from datetime import datetime

from sqlalchemy import and_, func, select

from coordination.items.models import ActionItem
from coordination.items.workflow import CLOSED_STATES
from coordination.reminders import rules
from coordination.reminders.sources import (
    Group,
    active_users,
    coordinators_by_country,
    expand,
    staff_by_ministry,
    timezones,
)

OPEN_REPORT_STATES = ("not_started", "drafting", "returned")
REPORT_PATH = "/reports/{id}"


def _models():
    from coordination.reporting import models

    return models.CountryReport, models.ReportingCycle, models.Extension, models.IndicatorValue


def available() -> bool:
    try:
        _models()
    except (ImportError, AttributeError):
        return False
    return True


def report_url(report_id: int) -> str:
    return REPORT_PATH.format(id=report_id)


class ReportSource:
    subject_type = "report"

    def due(self, session, now: datetime, settings: rules.Settings) -> list:
        CountryReport, ReportingCycle, Extension, IndicatorValue = _models()
        zones = timezones(session)
        last_day = rules.horizon(now, zones.values(), settings.report_offsets, settings.hour)
        if last_day is None:
            return []
        # The latest extension granted to the country for the cycle counts (rows are kept).
        latest = (select(func.max(Extension.id).label("id"))
                  .group_by(Extension.cycle_id, Extension.country_code).subquery())
        extension = (select(Extension.cycle_id, Extension.country_code, Extension.deadline)
                     .join(latest, latest.c.id == Extension.id).subquery())
        deadline = func.coalesce(extension.c.deadline, ReportingCycle.deadline)
        candidates = session.execute(
            select(CountryReport.id, CountryReport.country_code, CountryReport.state,
                   ReportingCycle.name.label("cycle_name"), deadline.label("deadline"))
            .join(ReportingCycle, ReportingCycle.id == CountryReport.cycle_id)
            .outerjoin(extension, and_(extension.c.cycle_id == CountryReport.cycle_id,
                                       extension.c.country_code == CountryReport.country_code))
            .where(CountryReport.state.in_(OPEN_REPORT_STATES), ReportingCycle.state == "open",
                   deadline <= last_day)
            .order_by(CountryReport.id)
        ).all()
        due_now = []
        for row in candidates:
            offset = rules.due_rule(row.deadline, now, zones[row.country_code], settings.report_offsets,
                                    settings.repeat, settings.hour)
            if offset is not None:
                due_now.append((row, offset))
        if not due_now:
            return []
        report_ids = sorted({row.id for row, _ in due_now})
        requests: dict[int, set[int]] = {}
        for report_id, ministry_id in session.execute(
            select(IndicatorValue.report_id, ActionItem.ministry_id).distinct()
            .join(ActionItem, ActionItem.id == IndicatorValue.item_id)
            .where(IndicatorValue.report_id.in_(report_ids), ActionItem.state.not_in(CLOSED_STATES),
                   ActionItem.ministry_id.is_not(None))
        ):
            requests.setdefault(report_id, set()).add(ministry_id)
        staff = staff_by_ministry(session, set().union(*requests.values()) if requests else set())
        coordinators = coordinators_by_country(session, {row.country_code for row, _ in due_now})
        secretariat = tuple(user_id for user_id, _, _ in active_users(session, _role("secretariat")))
        result = []
        for row, offset in due_now:
            requested = tuple(sorted({u for m in requests.get(row.id, ()) for u in staff.get(m, ())}))
            groups = [Group(coordinators.get(row.country_code, ())),
                      Group(requested, last=-1),
                      Group(secretariat, first=settings.escalation)]
            title = f"Country report {rules.describe(offset)}: {row.country_code}, {row.cycle_name}"
            body = (f"The {row.country_code} report of the cycle \u201c{row.cycle_name}\u201d is "
                    f"{rules.describe(offset)} (deadline {row.deadline:%d %b %Y}); "
                    f"state: {row.state.replace('_', ' ')}.")
            result.extend(expand(self.subject_type, row.id, row.deadline, zones[row.country_code], offset,
                                  groups, settings, title, body, report_url(row.id)))
        return result


def _role(role: str):
    from coordination.auth.models import User

    return User.role == role


def calendar_events(session, user) -> list:
    """The report deadlines (the extended ones where granted) that concern ``user``: for a
    coordinator, the country's reports still to submit; for ministry staff, those with an
    open data request of their ministry; for the secretariat, every open cycle."""
    from coordination.reminders.calendar import Event

    CountryReport, ReportingCycle, Extension, IndicatorValue = _models()
    if user.role == "secretariat":
        cycles = session.scalars(select(ReportingCycle).where(ReportingCycle.state == "open")
                                 .order_by(ReportingCycle.deadline, ReportingCycle.id))
        return [Event(f"cycle-{c.id}", c.deadline, f"Reporting deadline: {c.name}",
                      "Country reports are due (extensions may apply).", f"/cycles/{c.id}", c.created_at)
                for c in cycles]
    if user.country_code is None or user.role not in ("coordinator", "ministry_staff"):
        return []
    statement = (select(CountryReport).join(ReportingCycle, ReportingCycle.id == CountryReport.cycle_id)
                 .where(CountryReport.country_code == user.country_code, ReportingCycle.state == "open",
                        CountryReport.state.in_(OPEN_REPORT_STATES)))
    if user.role == "ministry_staff":
        if user.ministry_id is None:
            return []
        statement = statement.where(CountryReport.id.in_(
            select(IndicatorValue.report_id).join(ActionItem, ActionItem.id == IndicatorValue.item_id)
            .where(ActionItem.ministry_id == user.ministry_id, ActionItem.state.not_in(CLOSED_STATES))))
    events = []
    for report in session.scalars(statement.order_by(CountryReport.id)):
        granted = session.scalar(select(Extension.deadline).where(
            Extension.cycle_id == report.cycle_id, Extension.country_code == report.country_code)
            .order_by(Extension.id.desc()).limit(1))
        events.append(Event(f"report-{report.id}", granted or report.cycle.deadline,
                            f"Report deadline: {report.cycle.name}" + (" (extended)" if granted else ""),
                            f"The {report.country_code} report; state: {report.state.replace('_', ' ')}.",
                            report_url(report.id), report.updated_at))
    return events
