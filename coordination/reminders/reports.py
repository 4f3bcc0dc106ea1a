"""Country reports as a reminder subject (DESIGN.md, Reminders).

Offsets -30, -14, -7, -1, +1, then every 7 days, while the report is ``not_started``,
``drafting`` or ``returned`` (and its cycle open): to the country's coordinators; before
the deadline also to the staff of ministries with open data requests of that report; from
the escalation offset (+1) also to the secretariat. The deadline is the extended one where
an extension exists, so an extension moves (re-arms) the reminders.
"""
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import and_, func, select

from coordination import i18n
from coordination.auth.models import User
from coordination.directory.models import Country
from coordination.items.models import ActionItem
from coordination.items.workflow import CLOSED_STATES
from coordination.reminders import rules
from coordination.reminders.ical import Event
from coordination.reminders.notices import report_url
from coordination.reminders.recommendations import unassessed, unassessed_line
from coordination.reminders.sources import (
    Group,
    active_users,
    coordinators_by_country,
    expand,
    staff_by_ministry,
    timezones,
)
from coordination.reporting.models import CountryReport, IndicatorValue, ReportingCycle
from coordination.reporting.rules import effective_deadline, latest_extensions
from coordination.reporting.workflow import REPORT_STATE_LABELS

OPEN_REPORT_STATES = ("not_started", "drafting", "returned")

class ReportSource:
    subject_type = "report"

    def due(self, session, now: datetime, settings: rules.Settings) -> list:
        zones = timezones(session)
        last_day = rules.horizon(now, zones, settings.report_offsets, settings.hour)
        if last_day is None:
            return []
        extension = latest_extensions()  # an extension moves the deadline, and the reminders
        deadline = func.coalesce(extension.c.deadline, ReportingCycle.deadline)
        candidates = session.execute(
            select(CountryReport.id, CountryReport.country_code, Country.name.label("country_name"),
                   CountryReport.state, ReportingCycle.name.label("cycle_name"), deadline.label("deadline"),
                   unassessed().label("unassessed"))
            .join(ReportingCycle, ReportingCycle.id == CountryReport.cycle_id)
            .join(Country, Country.code == CountryReport.country_code)
            .outerjoin(extension, and_(extension.c.cycle_id == CountryReport.cycle_id,
                                       extension.c.country_code == CountryReport.country_code))
            .where(CountryReport.state.in_(OPEN_REPORT_STATES), ReportingCycle.state == "open",
                   deadline <= last_day)
            .order_by(CountryReport.id)
        ).all()
        due_now = rules.with_due_rule(candidates, lambda row: row.deadline, now, zones, settings.report_offsets,
                                      settings)
        if not due_now:
            return []
        report_ids = sorted({row.id for row, _ in due_now})
        requesting: dict[int, set[int]] = {}  # report id: ministries with open data requests
        for report_id, ministry_id in session.execute(
            select(IndicatorValue.report_id, ActionItem.ministry_id).distinct()
            .join(ActionItem, ActionItem.id == IndicatorValue.item_id)
            .where(IndicatorValue.report_id.in_(report_ids), ActionItem.state.not_in(CLOSED_STATES),
                   ActionItem.ministry_id.is_not(None))
        ):
            requesting.setdefault(report_id, set()).add(ministry_id)
        staff = staff_by_ministry(session, set().union(*requesting.values()) if requesting else set())
        coordinators = coordinators_by_country(session, {row.country_code for row, _ in due_now})
        secretariat = tuple(user_id for user_id, _, _ in active_users(session, User.role == "secretariat"))
        result = []
        for row, offset in due_now:
            requested = tuple(sorted({u for m in requesting.get(row.id, ()) for u in staff.get(m, ())}))
            groups = [Group(coordinators.get(row.country_code, ())),
                      Group(requested, last=-1),
                      Group(secretariat, first=settings.escalation)]
            result.extend(expand(self.subject_type, row.id, row.deadline, zones[row.country_code], offset,
                                  groups, settings, report_texts(row, offset), report_url(row.id), row.country_code))
        return result


def report_texts(row, offset: int):
    """The reminder of a country report (``row``: its country, cycle, deadline and state)."""

    def texts() -> tuple[str, str]:
        when = rules.describe(rules.days_from_due(row.deadline, offset, row.country_code))
        title = gettext("Country report %(when)s: %(country)s, %(cycle)s", when=when, country=row.country_name,
                        cycle=row.cycle_name)
        body = gettext("The %(country)s report of the cycle \u201c%(cycle)s\u201d is %(when)s (deadline "
                       "%(deadline)s); state: %(state)s.", country=row.country_name, cycle=row.cycle_name,
                       when=when, deadline=i18n.format_day(row.deadline), state=row.state.replace("_", " "))
        if getattr(row, "unassessed", 0) and offset < 0:
            body += " " + unassessed_line(row.unassessed)
        return title, body

    return texts


def calendar_events(session, user) -> list:
    """The report deadlines (the extended ones where granted) that concern ``user``: for a
    coordinator, the country's reports still to submit; for ministry staff, those with an
    open data request of their ministry; for the secretariat, every open cycle."""
    if user.role == "secretariat":
        cycles = session.scalars(select(ReportingCycle).where(ReportingCycle.state == "open")
                                 .order_by(ReportingCycle.deadline, ReportingCycle.id))
        return [Event(f"cycle-{c.id}", c.deadline, gettext("Reporting deadline: %(cycle)s", cycle=c.name),
                      gettext("Country reports are due (extensions may apply)."), f"/cycles/{c.id}", c.created_at)
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
        deadline, granted = effective_deadline(report.cycle, report.country_code)
        summary = (gettext("Report deadline: %(cycle)s (extended)", cycle=report.cycle.name) if granted
                   else gettext("Report deadline: %(cycle)s", cycle=report.cycle.name))
        state = REPORT_STATE_LABELS.get(report.state)
        events.append(Event(f"report-{report.id}", deadline, summary,
                            gettext("The %(country)s report; state: %(state)s.", country=report.country_code,
                                    state=gettext(state) if state else report.state.replace("_", " ")),
                            report_url(report.id), report.updated_at))
    return events
