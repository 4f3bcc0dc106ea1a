"""Assessments are due with the country report: its reminders before the deadline say how many
recommendations await the country's assessment; once the report is submitted, the coordinators
get a reminder of their own at the same offsets, each exactly once, and none after the deadline
or once every recommendation is assessed."""
import contextvars
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from coordination.auth.models import User
from coordination.recommendations.models import Assessment, Recommendation
from coordination.reminders import jobs
from coordination.reminders.models import Notification
from coordination.reporting.models import CountryReport, MonitoringTemplate, ReportingCycle

DEADLINE = date(2027, 3, 31)


def sweep(app, instant: str) -> int:
    def run():
        with app.app_context():
            return jobs.run_sweep(app, datetime.fromisoformat(instant))
    return contextvars.Context().run(run)


def reminders(session, subject_type):
    session.expire_all()
    emails = dict(session.execute(select(User.id, User.email)).all())
    return [(emails[n.user_id], n.offset_days, n.body) for n in session.scalars(
        select(Notification).where(Notification.kind == "reminder", Notification.subject_type == subject_type)
        .order_by(Notification.id))]


@pytest.fixture
def report(session):
    template = session.scalar(select(MonitoringTemplate))
    cycle = ReportingCycle(name="2026 self-assessment", template_id=template.id, period_start=date(2026, 1, 1),
                           period_end=date(2026, 12, 31), deadline=DEADLINE, state="open",
                           created_at=datetime(2027, 1, 1, tzinfo=UTC))
    session.add(cycle)
    session.flush()
    found = CountryReport(cycle_id=cycle.id, country_code="KH", state="drafting", version=1,
                          updated_at=datetime(2027, 1, 1, tzinfo=UTC))
    session.add(found)
    session.commit()
    return found


def assess_all(session, report, country="KH"):
    coordinator = session.scalar(select(User).where(User.email == f"coordinator.{country.lower()}@example.org"))
    for recommendation in session.scalars(select(Recommendation)):
        if country in [c.code for c in recommendation.countries]:
            session.add(Assessment(recommendation_id=recommendation.id, country_code=country,
                                   cycle_id=report.cycle_id, state="assessed", progress="some", evidence="",
                                   validation_comment="", assessed_by_id=coordinator.id,
                                   assessed_at=datetime(2027, 3, 1, tzinfo=UTC)))
    session.commit()


def test_the_report_reminder_carries_the_assessments_due(app, session, report):
    sweep(app, "2027-03-24T09:00:00+07:00")
    ((email, offset, body),) = reminders(session, "report")
    assert (email, offset) == ("coordinator.kh@example.org", -7)
    # Cambodia is addressed by three of the demo's four recommendations, assessed in no cycle yet.
    assert "Also due with the report: your assessment of progress on 3 recommendations" in body
    assert reminders(session, "assessment") == []


def test_after_submission_the_coordinator_is_reminded_once_per_offset(app, session, report):
    report.state = "submitted"
    session.commit()
    assert sweep(app, "2027-03-24T09:00:00+07:00") == 1
    assert sweep(app, "2027-03-24T18:00:00+07:00") == 0  # the same rule: once
    ((email, offset, body),) = reminders(session, "assessment")
    assert (email, offset) == ("coordinator.kh@example.org", -7)
    assert "3 recommendations of the regional network await your assessment" in body
    sweep(app, "2027-03-30T09:00:00+07:00")
    assert [r[1] for r in reminders(session, "assessment")] == [-7, -1]
    sweep(app, "2027-04-08T09:00:00+07:00")  # after the deadline: none
    assert [r[1] for r in reminders(session, "assessment")] == [-7, -1]


def test_nothing_is_due_once_every_recommendation_is_assessed(app, session, report):
    assess_all(session, report)
    sweep(app, "2027-03-24T09:00:00+07:00")
    ((_, _, body),) = reminders(session, "report")
    assert "Also due with the report" not in body
    report.state = "submitted"
    session.commit()
    sweep(app, "2027-03-30T09:00:00+07:00")
    assert reminders(session, "assessment") == []
