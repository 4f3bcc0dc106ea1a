"""Reminders on working days: a rule whose day is a weekend day or a public holiday of the
subject's country falls due on the working day before, at the reminder hour."""
from datetime import date, datetime

from reminder_support import add_user, make_item, outbox, queued, sweep
from sqlalchemy import select

from coordination.directory.models import Ministry
from coordination.reminders import rules

ITEM = (-7, -1, 0, 1)
MONDAY = date(2027, 3, 8)  # its -1 rule's day is Sunday 7 March
AFTER_EASTER = date(2027, 3, 29)  # a Monday; 25-27 March are Maundy Thursday, Good Friday, Black Saturday in PH


def at(text):
    return datetime.fromisoformat(text)


def test_a_rule_on_a_weekend_falls_due_on_the_friday_before():
    friday = at("2027-03-05T08:05:00+08:00")
    assert rules.due_rule(MONDAY, friday, "Asia/Manila", ITEM, 7, 8) == -7  # plain arithmetic: Sunday is ahead
    assert rules.due_rule(MONDAY, friday, "Asia/Manila", ITEM, 7, 8, "PH") == -1
    assert rules.due_rule(MONDAY, at("2027-03-05T07:55:00+08:00"), "Asia/Manila", ITEM, 7, 8, "PH") == -7
    assert rules.fell_due_at(MONDAY, -1, "Asia/Manila", 8, "PH").isoformat() == "2027-03-05T08:00:00+08:00"
    assert rules.days_from_due(MONDAY, -1, "PH") == -3


def test_a_rule_on_a_public_holiday_falls_due_on_the_working_day_before():
    # The -1 rule's day (Sunday 28 March) and the three holidays before it: Wednesday 24 March.
    assert rules.rule_day(AFTER_EASTER, -1, "PH") == date(2027, 3, 24)
    assert rules.due_rule(AFTER_EASTER, at("2027-03-23T09:00:00+08:00"), "Asia/Manila", ITEM, 7, 8, "PH") == -7
    assert rules.due_rule(AFTER_EASTER, at("2027-03-24T09:00:00+08:00"), "Asia/Manila", ITEM, 7, 8, "PH") == -1
    # Where those days are working days (Brunei), the rule keeps its own day.
    assert rules.due_rule(AFTER_EASTER, at("2027-03-24T09:00:00+08:00"), "Asia/Brunei", ITEM, 7, 8, "BN") == -7
    assert rules.due_rule(AFTER_EASTER, at("2027-03-26T09:00:00+08:00"), "Asia/Brunei", ITEM, 7, 8, "BN") == -7


def test_brunei_rests_on_friday_and_sunday():
    # Due Monday 19 April: the -1 rule's day is Sunday; Saturday is a working day in Brunei.
    monday = date(2027, 4, 19)
    assert rules.rule_day(monday, -1, "BN") == date(2027, 4, 17)
    assert rules.rule_day(monday, -1, "PH") == date(2027, 4, 16)
    assert rules.due_rule(monday, at("2027-04-16T09:00:00+08:00"), "Asia/Brunei", ITEM, 7, 8, "BN") == -7
    assert rules.due_rule(monday, at("2027-04-17T09:00:00+08:00"), "Asia/Brunei", ITEM, 7, 8, "BN") == -1
    # Due on a Friday: the day-0 rule falls due on the Thursday.
    friday = date(2027, 4, 16)
    assert rules.rule_day(friday, 0, "BN") == date(2027, 4, 15)
    assert rules.due_rule(friday, at("2027-04-15T09:00:00+08:00"), "Asia/Brunei", ITEM, 7, 8, "BN") == 0
    assert rules.rule_day(friday, 0, "PH") == friday
    # A public holiday of Brunei (Eid al-Fitr, 10 to 13 March 2027) moves a rule back too.
    assert rules.rule_day(date(2027, 3, 13), 0, "BN") == date(2027, 3, 9)


def test_the_sweep_queues_a_weekend_rule_on_the_friday_and_says_how_far_the_due_date_is(app, session):
    item = make_item(session, due=MONDAY, title="Registry")
    assert sweep(app, "2027-03-05T08:05:00+08:00") == 1
    assert queued(session) == {("staff.ph.dswd@example.org", item.id, -1)}
    row = outbox(session)[0]
    assert row.occurred_at.astimezone(datetime.fromisoformat("2027-03-05T08:00:00+08:00").tzinfo) == at(
        "2027-03-05T08:00:00+08:00")
    assert row.title == "Action item due in 3 days: Registry"
    assert sweep(app, "2027-03-07T09:00:00+08:00") == 0  # Sunday: nothing new, the rule went out on Friday


def test_the_sweep_queues_a_holiday_rule_on_the_working_day_before(app, session):
    item = make_item(session, due=AFTER_EASTER, title="Registry")
    assert sweep(app, "2027-03-23T09:00:00+08:00") == 1
    assert sweep(app, "2027-03-24T09:00:00+08:00") == 1
    assert queued(session) == {("staff.ph.dswd@example.org", item.id, -7), ("staff.ph.dswd@example.org", item.id, -1)}
    assert sweep(app, "2027-03-26T09:00:00+08:00") == 0


def test_the_sweep_in_brunei_sends_a_friday_rule_on_the_thursday(app, session):
    bn = session.scalars(select(Ministry).where(Ministry.country_code == "BN").order_by(Ministry.id)).first()
    add_user(session, "officer.bn@example.org", "Officer", "ministry_staff", country="BN", ministry_id=bn.id)
    item = make_item(session, country="BN", acronym=bn.acronym, due=date(2027, 4, 16), title="Brunei item")

    def officer():
        return {offset for email, subject, offset in queued(session) if email == "officer.bn@example.org"}

    sweep(app, "2027-04-14T09:00:00+08:00")
    assert officer() == {-7}
    sweep(app, "2027-04-15T09:00:00+08:00")  # Thursday: the -1 rule's own day, and Friday's day-0 rule
    assert officer() == {-7, 0}
    assert item.id in {subject for _, subject, _ in queued(session)}
