"""The sweep queues the due rule of each subject and recipient, once."""
from datetime import date

import pytest
from reminder_support import add_user, at, make_item, ministry, outbox, queued, sweep, user
from sqlalchemy import event

from coordination.extensions import db

COORDINATOR, DSWD, DOLE = "coordinator.ph@example.org", "staff.ph.dswd@example.org", "staff.ph.dole@example.org"
DUE = date(2027, 3, 31)


def test_sweeps_on_days_minus_7_minus_1_plus_1_plus_8_queue_exactly_those_rules(app, session):
    item = make_item(session, state="in_progress", due=DUE)
    assert sweep(app, "2027-03-24T08:05:00+08:00") == 1
    assert queued(session) == {(DSWD, item.id, -7)}
    assert sweep(app, "2027-03-30T08:05:00+08:00") == 1
    assert queued(session) == {(DSWD, item.id, -7), (DSWD, item.id, -1)}
    # Day +1: the ministry again, and from now on the coordinator too. Day 0 was never swept: skipped.
    assert sweep(app, "2027-04-01T08:05:00+08:00") == 2
    assert queued(session) - {(DSWD, item.id, -7), (DSWD, item.id, -1)} == {
        (DSWD, item.id, 1), (COORDINATOR, item.id, 1)}
    assert sweep(app, "2027-04-08T08:05:00+08:00") == 2
    assert {(email, offset) for email, _, offset in queued(session)} == {
        (DSWD, -7), (DSWD, -1), (DSWD, 1), (COORDINATOR, 1), (DSWD, 8), (COORDINATOR, 8)}


def test_running_the_sweep_again_queues_nothing_new(app, session):
    make_item(session, due=DUE)
    assert sweep(app, "2027-03-31T09:00:00+08:00") == 1
    assert sweep(app, "2027-03-31T09:00:00+08:00") == 0
    assert sweep(app, "2027-03-31T23:00:00+08:00") == 0
    assert len(outbox(session)) == 1


def test_a_late_sweep_queues_only_the_latest_due_rule(app, session):
    item = make_item(session, due=DUE)
    assert sweep(app, "2027-04-03T10:00:00+08:00") == 2  # day +3: the +1 rule, not -7, -1, 0
    assert queued(session) == {(DSWD, item.id, 1), (COORDINATOR, item.id, 1)}
    assert sweep(app, "2027-04-20T10:00:00+08:00") == 2  # day +20: +15 only, +8 skipped
    assert {offset for _, _, offset in queued(session)} == {1, 15}


@pytest.mark.parametrize("country, acronym, zone", [("PH", "DSWD", "+08:00"), ("MM", "DSW", "+06:30")])
def test_rules_fall_due_at_eight_local_time_in_manila_and_yangon(app, session, country, acronym, zone):
    item = make_item(session, country=country, acronym=acronym, due=DUE)
    assert sweep(app, f"2027-03-24T07:59:00{zone}") == 0
    assert sweep(app, f"2027-03-24T08:00:00{zone}") == 1
    # Skipping days, on both sides of 08:00: before it, the previous day's rule is the due one.
    assert sweep(app, f"2027-03-31T07:59:00{zone}") == 1
    assert {offset for _, _, offset in queued(session)} == {-7, -1}
    assert sweep(app, f"2027-04-09T07:59:00{zone}") == 2  # day +9 before 08:00: +8 fell due yesterday
    assert sweep(app, f"2027-04-09T08:00:00{zone}") == 0
    staff = f"staff.{country.lower()}.{acronym.lower()}@example.org"
    assert queued(session) == {(staff, item.id, -7), (staff, item.id, -1), (staff, item.id, 8),
                               (f"coordinator.{country.lower()}@example.org", item.id, 8)}


def test_one_instant_is_a_different_local_time_in_each_country(app, session):
    manila = make_item(session, country="PH", acronym="DSWD", due=DUE)
    make_item(session, country="MM", acronym="DSW", due=DUE)
    # 08:00 in Manila is 06:30 in Yangon: only the Philippine rule has fallen due.
    assert sweep(app, "2027-03-24T08:00:00+08:00") == 1
    assert queued(session) == {(DSWD, manila.id, -7)}
    assert sweep(app, "2027-03-24T01:30:00+00:00") == 1  # 08:00 in Yangon
    assert len(outbox(session)) == 2


def test_an_item_completed_on_day_minus_2_gets_no_more_reminders(app, session):
    item = make_item(session, due=DUE)
    assert sweep(app, "2027-03-24T09:00:00+08:00") == 1
    item.state = "completed"
    session.commit()
    for instant in ("2027-03-30T09:00:00+08:00", "2027-03-31T09:00:00+08:00", "2027-04-01T09:00:00+08:00",
                    "2027-04-08T09:00:00+08:00"):
        assert sweep(app, instant) == 0
    assert queued(session) == {(DSWD, item.id, -7)}


@pytest.mark.parametrize("state, expected", [
    ("draft", set()), ("cancelled", set()), ("completed", set()),
    ("assigned", {DSWD}), ("blocked", {DSWD}), ("submitted", {COORDINATOR}), ("declined", {COORDINATOR}),
])
def test_recipients_before_the_due_date_follow_the_state(app, session, state, expected):
    make_item(session, state=state, due=DUE)
    sweep(app, "2027-03-30T09:00:00+08:00")
    assert {email for email, _, _ in queued(session)} == expected


def test_every_active_user_of_the_holding_ministry_is_reminded(app, session):
    dswd = ministry(session, "PH", "DSWD")
    add_user(session, "second.dswd@example.org", "Second DSWD officer", "ministry_staff", "PH", dswd.id)
    add_user(session, "gone.dswd@example.org", "Former DSWD officer", "ministry_staff", "PH", dswd.id, active=False)
    make_item(session, due=DUE)
    make_item(session, acronym="DOLE", due=date(2027, 6, 30))  # nothing due yet
    assert sweep(app, "2027-03-30T09:00:00+08:00") == 2
    assert {email for email, _, _ in queued(session)} == {DSWD, "second.dswd@example.org"}


def test_a_changed_due_date_re_arms_the_rules(app, session):
    item = make_item(session, due=DUE)
    assert sweep(app, "2027-03-24T09:00:00+08:00") == 1
    item.due_date = date(2027, 4, 30)
    session.commit()
    assert sweep(app, "2027-04-23T09:00:00+08:00") == 1
    rows = outbox(session, kind="reminder")
    assert [(r.offset_days, r.due_date) for r in rows] == [(-7, DUE), (-7, date(2027, 4, 30))]


def test_the_reminder_says_what_is_due_and_links_to_it(app, session):
    item = make_item(session, due=DUE, title="Link DSWD and PhilHealth records")
    sweep(app, "2027-03-30T09:00:00+08:00")
    (row,) = outbox(session)
    assert row.title == "Action item due tomorrow: Link DSWD and PhilHealth records"
    assert "31 Mar 2027" in row.body and "DSWD" in row.body
    assert row.url == f"/items/{item.id}"
    assert row.occurred_at.isoformat() == "2027-03-30T00:00:00+00:00"  # 08:00 in Manila
    assert (row.status, row.read_at) == ("pending", None)


def count_queries(app, instant) -> int:
    with app.app_context():
        engine = db.engine
    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        sweep(app, instant)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len([s for s in statements if not s.lstrip().upper().startswith(("BEGIN", "PRAGMA"))])


def test_the_sweep_reads_a_fixed_number_of_queries_whatever_the_number_of_items(app, session):
    for n in range(3):
        make_item(session, due=DUE, title=f"Item {n}")
    few = count_queries(app, "2027-03-30T09:00:00+08:00")
    for n in range(40):
        make_item(session, acronym=("DSWD", "DOLE", "DOH")[n % 3], due=DUE, title=f"More {n}")
        make_item(session, due=date(2028, 1, 1), title=f"Far {n}")  # outside the window
    many = count_queries(app, "2027-04-01T09:00:00+08:00")
    assert many == few
    assert len(outbox(session, kind="reminder")) == 3 + 43 * 2  # day +1: ministries and the coordinator


def test_the_unique_key_lets_one_of_two_concurrent_writers_insert(app, session):
    """The de-duplication is the database's: a second writer that inserts the same key while
    the first has not committed yet waits, then inserts nothing."""
    import threading
    import time

    from sqlalchemy.orm import Session

    from coordination.reminders import outbox as outbox_rows

    make_item(session, due=DUE)
    staff = user(session, DSWD)
    instant = at("2027-03-30T09:00:00+08:00")
    row = outbox_rows.row(user_id=staff.id, kind="reminder", subject_type="item", subject_id=1, offset_days=-1,
                          due_date=DUE, title="Due tomorrow", now=instant, occurred_at=instant)
    with app.app_context():
        engine = db.engine
    first_inserted, results = threading.Event(), {}

    def first():
        with Session(engine) as own:
            results["first"] = len(outbox_rows.insert_new(own, [dict(row)]))
            first_inserted.set()
            time.sleep(0.5)
            own.commit()

    def second():
        first_inserted.wait(10)
        with Session(engine) as own:
            results["second"] = len(outbox_rows.insert_new(own, [dict(row)]))
            own.commit()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert results == {"first": 1, "second": 0}
    assert len(outbox(session)) == 1


def test_the_sweep_command_prints_the_rows_it_queued(runner, session):
    make_item(session, due=DUE)
    result = runner.invoke(args=["reminders", "sweep", "--at", "2027-04-01T09:00:00+08:00"])
    assert result.exit_code == 0 and result.output.strip() == "2 reminders queued"
    result = runner.invoke(args=["reminders", "sweep", "--at", "2027-04-01T09:00:00+08:00"])
    assert result.output.strip() == "0 reminders queued"


@pytest.mark.parametrize("instant", ["2027-04-01T09:00", "next tuesday"])
def test_the_sweep_command_refuses_an_instant_without_offset(runner, session, instant):
    result = runner.invoke(args=["reminders", "sweep", "--at", instant])
    assert result.exit_code == 2 and "--at" in result.output
    assert outbox(session) == []
