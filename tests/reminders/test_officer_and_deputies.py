"""Reminders and notices with a named officer, and copies for the deputy of someone away."""
from datetime import date

from helpers import api_token
from reminder_support import add_user, make_item, ministry, outbox, queued, sweep, user

from coordination import clock

COORDINATOR, DSWD, DOLE = "coordinator.ph@example.org", "staff.ph.dswd@example.org", "staff.ph.dole@example.org"
SECOND = "second.dswd@example.org"
DUE = date(2027, 3, 31)


def with_second_officer(session):
    return add_user(session, SECOND, "Second DSWD officer", "ministry_staff", "PH", ministry(session, "PH", "DSWD").id)


def named(session, item, email):
    item.assignee_id = user(session, email).id
    session.commit()


def away(session, email, start, end, deputy):
    person = user(session, email)
    person.away_from, person.away_until = start, end
    person.away_deputy_id = user(session, deputy).id if deputy else None
    session.commit()


def test_the_named_officer_is_reminded_first_and_the_ministry_from_plus_one(app, session):
    with_second_officer(session)
    item = make_item(session, due=DUE)
    named(session, item, SECOND)
    assert sweep(app, "2027-03-30T09:00:00+08:00") == 1
    assert queued(session) == {(SECOND, item.id, -1)}
    assert sweep(app, "2027-04-01T09:00:00+08:00") == 3
    assert queued(session) - {(SECOND, item.id, -1)} == {(SECOND, item.id, 1), (DSWD, item.id, 1),
                                                        (COORDINATOR, item.id, 1)}


def test_without_an_active_named_officer_the_ministry_is_reminded_as_before(app, session):
    second = with_second_officer(session)
    item = make_item(session, due=DUE)
    named(session, item, SECOND)
    second.active = False
    session.commit()
    assert sweep(app, "2027-03-30T09:00:00+08:00") == 1
    assert queued(session) == {(DSWD, item.id, -1)}


def test_the_deputy_of_someone_away_gets_one_copy_saying_for_whom(app, session):
    with_second_officer(session)
    item = make_item(session, due=DUE)
    named(session, item, DSWD)
    away(session, DSWD, date(2027, 3, 25), date(2027, 4, 5), SECOND)
    assert sweep(app, "2027-03-30T09:00:00+08:00") == 2
    assert queued(session) == {(DSWD, item.id, -1), (SECOND, item.id, -1)}
    copy = outbox(session, user_id=user(session, SECOND).id)[0]
    assert copy.body.startswith("You receive this copy as the deputy of ")
    assert user(session, DSWD).name in copy.body.splitlines()[0]
    # Sweeping again, or later the same day, queues no second copy.
    assert sweep(app, "2027-03-30T09:00:00+08:00") == 0
    assert sweep(app, "2027-03-30T21:00:00+08:00") == 0
    # From +1 the deputy is reminded in their own right: their own row, no copy beside it.
    assert sweep(app, "2027-04-01T09:00:00+08:00") == 3
    own = [n for n in outbox(session, user_id=user(session, SECOND).id) if n.offset_days == 1]
    assert len(own) == 1 and not own[0].body.startswith("You receive this copy")


def test_no_copy_outside_the_away_dates_or_to_an_inactive_deputy(app, session):
    second = with_second_officer(session)
    item = make_item(session, due=DUE)
    named(session, item, DSWD)
    away(session, DSWD, date(2027, 3, 31), date(2027, 4, 5), SECOND)  # not yet away on 30 March
    assert sweep(app, "2027-03-30T09:00:00+08:00") == 1
    assert queued(session) == {(DSWD, item.id, -1)}
    away(session, DSWD, date(2027, 3, 1), date(2027, 4, 5), SECOND)
    second.active = False
    session.commit()
    assert sweep(app, "2027-03-31T09:00:00+08:00") == 1  # day 0: DSWD only
    assert {email for email, _, _ in queued(session)} == {DSWD}


def test_a_notice_is_copied_to_the_deputy_once(client, session, monkeypatch):
    from datetime import UTC, datetime

    monkeypatch.setattr(clock, "now", lambda: datetime(2027, 3, 17, 2, 0, tzinfo=UTC))
    dole = ministry(session, "PH", "DOLE")
    add_user(session, "second.dole@example.org", "Second DOLE officer", "ministry_staff", "PH", dole.id)
    away(session, DOLE, date(2027, 3, 10), date(2027, 3, 20), "second.dole@example.org")
    item = make_item(session, state="draft")
    headers = api_token(client, COORDINATOR)
    response = client.post(f"/api/v1/items/{item.id}/transitions", headers=headers,
                           json={"trigger": "assign", "version": item.version, "ministry_id": dole.id})
    assert response.status_code == 200
    rows = outbox(session, kind="notice", subject_id=item.id)
    # Both staff of DOLE are told; the colleague is told once, in their own right (no copy beside it).
    assert sorted(r.user.email for r in rows) == sorted([DOLE, "second.dole@example.org"])
    assert not any(r.body.startswith("You receive this copy") for r in rows)


def test_a_notice_to_someone_away_reaches_their_deputy_with_a_copy(client, session, monkeypatch):
    from datetime import UTC, datetime

    monkeypatch.setattr(clock, "now", lambda: datetime(2027, 3, 17, 2, 0, tzinfo=UTC))
    second = with_second_officer(session)
    away(session, SECOND, date(2027, 3, 10), date(2027, 3, 20), DSWD)
    item = make_item(session, state="in_progress")
    headers = api_token(client, COORDINATOR)
    response = client.patch(f"/api/v1/items/{item.id}", headers=headers,
                            json={"version": item.version, "assignee_id": second.id})
    assert response.status_code == 200
    rows = {r.user.email: r for r in outbox(session, kind="notice", subject_id=item.id)}
    assert set(rows) == {SECOND, DSWD}
    copy = rows[DSWD]
    assert copy.body.startswith("You receive this copy as the deputy of Second DSWD officer, who is away.")
    assert copy.title == rows[SECOND].title and copy.event == "officer"
