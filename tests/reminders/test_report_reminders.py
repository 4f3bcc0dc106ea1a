"""Country reports as reminder subjects: offsets -30, -14, -7, -1, +1, then weekly, on the
deadline in force (an extension moves them), to the people each report concerns."""
from datetime import UTC, date, datetime

import pytest
from reminder_support import add_user, as_a_command, make_item, outbox, queued, sweep, user
from sqlalchemy import select

from coordination import clock
from coordination.auth.models import User
from coordination.extensions import db
from coordination.reminders import notices
from coordination.reporting.models import (
    CountryReport,
    Extension,
    Indicator,
    IndicatorValue,
    MonitoringTemplate,
    ReportingCycle,
)

COORDINATOR, DOLE, DSWD = "coordinator.ph@example.org", "staff.ph.dole@example.org", "staff.ph.dswd@example.org"
SECRETARIAT = "secretariat@example.org"
DEADLINE = date(2027, 3, 31)


@pytest.fixture
def report(session):
    template = session.scalar(select(MonitoringTemplate))
    cycle = ReportingCycle(name="2026 self-assessment", template_id=template.id, period_start=date(2026, 1, 1),
                           period_end=date(2026, 12, 31), deadline=DEADLINE, state="open",
                           created_at=datetime(2027, 1, 1, tzinfo=UTC))
    session.add(cycle)
    session.flush()
    found = CountryReport(cycle_id=cycle.id, country_code="PH", state="drafting", version=1,
                          updated_at=datetime(2027, 1, 1, tzinfo=UTC))
    session.add(found)
    session.commit()
    return found


def data_request(session, report, acronym="DOLE", state="in_progress", nth=0):
    """The report's ``nth`` indicator requested from ``acronym`` (an action item in ``state``)."""
    item = make_item(session, acronym=acronym, state=state, due=date(2027, 3, 17), title="Data request")
    indicator = session.scalars(select(Indicator).order_by(Indicator.id)).all()[nth]
    session.add(IndicatorValue(report_id=report.id, indicator_id=indicator.id, ministry_id=item.ministry_id,
                               item_id=item.id, reason="", note=""))
    session.commit()
    return item


def reports_queued(session):
    return {(email, offset) for email, _, offset in queued(session, subject_type="report")}


def test_report_rules_reach_coordinators_requested_ministries_and_later_the_secretariat(app, session, report):
    data_request(session, report)
    assert sweep(app, "2027-03-01T07:59:00+08:00") == 0  # day -30, before 08:00 in Manila
    sweep(app, "2027-03-01T08:00:00+08:00")
    assert reports_queued(session) == {(COORDINATOR, -30), (DOLE, -30)}
    sweep(app, "2027-03-30T08:00:00+08:00")  # -14 and -7 skipped: the latest due rule only
    assert reports_queued(session) - {(COORDINATOR, -30), (DOLE, -30)} == {(COORDINATOR, -1), (DOLE, -1)}
    sweep(app, "2027-04-01T08:00:00+08:00")  # after the deadline: no ministries, the secretariat too
    assert {r for r in reports_queued(session) if r[1] == 1} == {(COORDINATOR, 1), (SECRETARIAT, 1)}
    sweep(app, "2027-04-08T08:00:00+08:00")
    assert {r for r in reports_queued(session) if r[1] == 8} == {(COORDINATOR, 8), (SECRETARIAT, 8)}
    row = outbox(session, subject_type="report", user_id=user(session, COORDINATOR).id)[-1]
    assert row.title == "Country report 8 days overdue: Philippines, 2026 self-assessment"
    assert row.url == f"/reports/{report.id}" and row.due_date == DEADLINE


def test_ministries_whose_data_requests_are_done_are_not_reminded(app, session, report):
    data_request(session, report, acronym="DOLE", state="completed")
    data_request(session, report, acronym="DSWD", state="assigned", nth=1)
    sweep(app, "2027-03-24T09:00:00+08:00")
    assert reports_queued(session) == {(COORDINATOR, -7), (DSWD, -7)}


def test_an_extension_moves_the_report_reminders(app, session, report):
    sweep(app, "2027-03-30T09:00:00+08:00")
    assert reports_queued(session) == {(COORDINATOR, -1)}
    secretariat = user(session, SECRETARIAT)
    for deadline in (date(2027, 4, 15), date(2027, 4, 30)):  # the latest extension counts
        session.add(Extension(cycle_id=report.cycle_id, country_code="PH", deadline=deadline, reason="Floods",
                              granted_by_id=secretariat.id, granted_at=datetime(2027, 3, 30, tzinfo=UTC)))
    session.commit()
    assert sweep(app, "2027-04-01T09:00:00+08:00") == 1  # day -29 of 30 April: its -30 rule
    rows = outbox(session, subject_type="report")
    assert [(r.offset_days, r.due_date) for r in rows] == [(-1, DEADLINE), (-30, date(2027, 4, 30))]
    assert sweep(app, "2027-04-29T09:00:00+08:00") == 1
    assert outbox(session, subject_type="report")[-1].offset_days == -1


@pytest.mark.parametrize("report_state, cycle_state", [("submitted", "open"), ("accepted", "open"),
                                                       ("drafting", "closed"), ("not_started", "open")])
def test_only_unsubmitted_reports_of_open_cycles_are_reminded(app, session, report, report_state, cycle_state):
    report.state = report_state
    report.cycle.state = cycle_state
    session.commit()
    sweep(app, "2027-03-30T09:00:00+08:00")
    expected = {(COORDINATOR, -1)} if report_state == "not_started" else set()
    assert reports_queued(session) == expected


def test_reports_and_items_are_swept_together(app, session, report):
    item = make_item(session, due=DEADLINE)
    add_user(session, "second.coordinator@example.org", "Deputy coordinator", "coordinator", "PH")
    assert sweep(app, "2027-03-30T09:00:00+08:00") == 3
    assert queued(session, subject_type="item") == {(DSWD, item.id, -1)}
    assert reports_queued(session) == {(COORDINATOR, -1), ("second.coordinator@example.org", -1)}


def test_report_notices_go_to_the_countrys_coordinators(app, session, report):
    """The seam for the reporting service: one call after a report is sent back or accepted."""
    secretariat_id = user(session, SECRETARIAT).id

    def send_back():
        with app.app_context():
            found = db.session.get(CountryReport, report.id)
            notices.report_changed(db.session, found, "send_back", db.session.get(User, secretariat_id),
                                   clock.now(), comment="Check indicator 1.3.1")
            db.session.commit()

    as_a_command(send_back)
    (row,) = outbox(session, kind="notice")
    assert row.user_id == user(session, COORDINATOR).id
    assert row.title == "Country report sent back: Philippines, 2026 self-assessment"
    assert "Check indicator 1.3.1" in row.body and row.url == f"/reports/{report.id}"


def feed_of(client, email):
    import re

    from helpers import sign_in

    client.post("/logout")
    sign_in(client, email)
    page = client.post("/account/calendar").get_data(as_text=True)
    url = re.search(r'id="calendar-url" value="http://127.0.0.1:5000([^"]+)"', page).group(1)
    return client.get(url).get_data(as_text=True).replace("\r\n ", "")


def test_report_deadlines_are_in_the_calendars_of_those_they_concern(client, session, report):
    data_request(session, report, acronym="DOLE")
    coordinator = feed_of(client, COORDINATOR)
    assert f"UID:report-{report.id}@127.0.0.1" in coordinator
    assert "SUMMARY:Report deadline: 2026 self-assessment\r\nDESCRIPTION" in coordinator
    assert "DTSTART;VALUE=DATE:20270331" in coordinator
    assert f"UID:report-{report.id}@" in feed_of(client, DOLE)
    assert "Report deadline" not in feed_of(client, DSWD)
    assert f"UID:cycle-{report.cycle_id}@" in feed_of(client, SECRETARIAT)
    session.add(Extension(cycle_id=report.cycle_id, country_code="PH", deadline=date(2027, 4, 30), reason="Floods",
                          granted_by_id=user(session, SECRETARIAT).id, granted_at=datetime(2027, 3, 30, tzinfo=UTC)))
    session.commit()
    extended = feed_of(client, COORDINATOR)
    assert "DTSTART;VALUE=DATE:20270430" in extended and "(extended)" in extended


def test_the_calendar_speaks_the_language_of_its_user(client, session, report):
    """A calendar program sends no language: the feed is in the user's own (set on the account)."""
    session.scalar(select(User).where(User.email == COORDINATOR)).locale = "th"
    session.commit()
    thai = feed_of(client, COORDINATOR)
    assert "SUMMARY:กำหนดส่งรายงาน: 2026 self-assessment\r\n" in thai
    assert "DESCRIPTION:รายงานของ PH สถานะ: กำลังร่าง\\n" in thai
    assert "Report deadline" not in thai and "the open action items" not in thai
    assert f"UID:report-{report.id}@127.0.0.1" in thai  # the keys stay
