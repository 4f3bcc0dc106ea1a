"""Assessments of the network's recommendations, due with the country report (the cycle's
deadline, the extended one where granted). While the report is still to submit, the report's own
reminders say how many recommendations await the country's assessment (``unassessed``), so the
coordinator is warned once, not twice. Once the report is submitted, this source reminds the
coordinators at the report reminders' offsets before the deadline (-30, -14, -7, -1 by default)
while a recommendation addressing the country has no assessment of the cycle; each reminder
exactly once (the outbox's key; the subject is the country report). None after the deadline."""
from datetime import datetime

from flask_babel import gettext, ngettext
from sqlalchemy import and_, exists, func, select

from coordination import i18n
from coordination.directory.models import Country
from coordination.recommendations.models import Assessment, recommendation_countries
from coordination.reminders import rules
from coordination.reminders.sources import Group, coordinators_by_country, expand, timezones
from coordination.reporting.models import CountryReport, ReportingCycle
from coordination.reporting.rules import latest_extensions

# The report states whose own reminders carry the assessments' line (reminders/reports.py).
REMINDED_WITH_THE_REPORT = ("not_started", "drafting", "returned")


def unassessed():
    """The number of recommendations addressing the report's country that it has not assessed in
    the report's cycle (a scalar subquery correlated with CountryReport)."""
    addressed = recommendation_countries.c
    return (select(func.count()).select_from(recommendation_countries)
            .where(addressed.country_code == CountryReport.country_code,
                   ~exists().where(Assessment.recommendation_id == addressed.recommendation_id,
                                   Assessment.country_code == CountryReport.country_code,
                                   Assessment.cycle_id == CountryReport.cycle_id).correlate(CountryReport))
            .correlate(CountryReport).scalar_subquery())


def unassessed_line(count: int) -> str:
    """The sentence a report reminder adds while recommendations await the country's assessment."""
    return ngettext("Also due with the report: your assessment of progress on %(num)d recommendation of the "
                    "regional network.",
                    "Also due with the report: your assessment of progress on %(num)d recommendations of the "
                    "regional network.", count)


class AssessmentSource:
    subject_type = "assessment"

    def due(self, session, now: datetime, settings: rules.Settings) -> list:
        offsets = tuple(offset for offset in settings.report_offsets if offset < 0)
        zones = timezones(session)
        last_day = rules.horizon(now, zones, offsets, settings.hour)
        if last_day is None:
            return []
        extension = latest_extensions()
        deadline = func.coalesce(extension.c.deadline, ReportingCycle.deadline)
        candidates = session.execute(
            select(CountryReport.id, CountryReport.country_code, Country.name.label("country_name"),
                   ReportingCycle.name.label("cycle_name"), deadline.label("deadline"), unassessed().label("missing"))
            .join(ReportingCycle, ReportingCycle.id == CountryReport.cycle_id)
            .join(Country, Country.code == CountryReport.country_code)
            .outerjoin(extension, and_(extension.c.cycle_id == CountryReport.cycle_id,
                                       extension.c.country_code == CountryReport.country_code))
            .where(ReportingCycle.state == "open", CountryReport.state.not_in(REMINDED_WITH_THE_REPORT),
                   deadline <= last_day)
            .order_by(CountryReport.id)
        ).all()
        candidates = [row for row in candidates if row.missing]
        due_now = [(row, offset) for row, offset in rules.with_due_rule(
            candidates, lambda row: row.deadline, now, zones, offsets, settings) if offset in offsets]
        if not due_now:
            return []
        coordinators = coordinators_by_country(session, {row.country_code for row, _ in due_now})
        result = []
        for row, offset in due_now:
            url = f"/countries/{row.country_code}/recommendations"
            result.extend(expand(self.subject_type, row.id, row.deadline, zones[row.country_code], offset,
                                  [Group(coordinators.get(row.country_code, ()))], settings,
                                  assessment_texts(row, offset), url, row.country_code))
        return result


def assessment_texts(row, offset: int):
    def texts() -> tuple[str, str]:
        when = rules.describe(rules.days_from_due(row.deadline, offset, row.country_code))
        title = gettext("Recommendations to assess %(when)s: %(country)s, %(cycle)s", when=when,
                        country=row.country_name, cycle=row.cycle_name)
        body = ngettext("%(num)d recommendation of the regional network awaits your assessment of progress in "
                        "the cycle \u201c%(cycle)s\u201d; it is due with the report (deadline %(deadline)s).",
                        "%(num)d recommendations of the regional network await your assessment of progress in "
                        "the cycle \u201c%(cycle)s\u201d; they are due with the report (deadline %(deadline)s).",
                        row.missing, cycle=row.cycle_name, deadline=i18n.format_day(row.deadline))
        return title, body

    return texts
