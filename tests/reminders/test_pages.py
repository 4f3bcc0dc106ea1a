"""Notifications in the application: the page, the header badge, the API, the account
page's preferences, and the calendar feed."""
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from helpers import api_token, sign_in, signed_in_client
from reminder_support import make_item, outbox, sweep, user
from sqlalchemy import event

from coordination import clock
from coordination.extensions import db
from coordination.reminders import calendar, ical
from coordination.reminders.models import NotificationPreference

DSWD, DOLE, COORDINATOR = "staff.ph.dswd@example.org", "staff.ph.dole@example.org", "coordinator.ph@example.org"
DUE = date(2027, 3, 31)


@pytest.fixture
def reminded(app, session):
    """Five reminders for DSWD's officer from two sweeps two days apart: on 22 March the -7
    rules of the items due on 24 and 25 March; on 24 March the -7, -1 and 0 rules."""
    items = [make_item(session, due=DUE, title="Due 31 March"),
             make_item(session, due=date(2027, 3, 25), title="Due 25 March"),
             make_item(session, due=date(2027, 3, 24), title="Due 24 March")]
    sweep(app, "2027-03-22T09:00:00+08:00")
    sweep(app, "2027-03-24T09:00:00+08:00")
    return items


def test_the_page_lists_newest_first_marks_unread_and_marks_read(client, session, reminded):
    rows = outbox(session, user_id=user(session, DSWD).id)
    assert len(rows) == 5
    sign_in(client, DSWD)
    page = client.get("/notifications").get_data(as_text=True)
    titles = re.findall(r'class="fw-semibold" href="[^"]+">([^<]+)</a>', page)
    newest_first = [r.title for r in sorted(rows, key=lambda r: (r.created_at, r.id), reverse=True)]
    assert titles == newest_first
    assert page.count(">New</span>") == len(rows)
    assert client.post(f"/notifications/{rows[0].id}/read").status_code == 302
    page = client.get("/notifications").get_data(as_text=True)
    assert page.count(">New</span>") == len(rows) - 1
    assert outbox(session, id=rows[0].id)[0].read_at is not None
    client.post("/notifications/read-all")
    assert ">New</span>" not in client.get("/notifications").get_data(as_text=True)
    assert all(r.read_at is not None for r in outbox(session, user_id=user(session, DSWD).id))


def test_the_header_shows_the_unread_count_with_one_query(app, client, session, reminded):
    unread = len(outbox(session, user_id=user(session, DSWD).id))
    sign_in(client, DSWD)
    with app.app_context():
        engine = db.engine
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        page = client.get("/").get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert f'{unread}<span class="visually-hidden"> unread</span>' in page
    assert len([s for s in statements if "notifications" in s]) == 1
    client.post("/notifications/read-all")
    assert "unread</span>" not in client.get("/").get_data(as_text=True)


def test_nobody_marks_another_users_notification(client, session, reminded):
    row = outbox(session, user_id=user(session, DSWD).id)[0]
    sign_in(client, DOLE)
    assert client.post(f"/notifications/{row.id}/read").status_code == 404
    assert client.post("/notifications/999999/read").status_code == 404
    assert client.post("/notifications/99999999999999/read").status_code == 404  # beyond INTEGER
    assert outbox(session, id=row.id)[0].read_at is None
    assert "Due 31 March" not in client.get("/notifications").get_data(as_text=True)


def test_marking_read_needs_a_csrf_token(make_app, app, session, reminded):
    row = outbox(session, user_id=user(session, DSWD).id)[0]
    guarded = make_app(WTF_CSRF_ENABLED=True).test_client()
    page = guarded.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    guarded.post("/login", data={"email": DSWD, "password": "demo-password", "csrf_token": token})
    assert guarded.post(f"/notifications/{row.id}/read").status_code == 400
    assert outbox(session, id=row.id)[0].read_at is None
    page = guarded.get("/notifications").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert guarded.post(f"/notifications/{row.id}/read", data={"csrf_token": token}).status_code == 302
    assert outbox(session, id=row.id)[0].read_at is not None


def test_the_api_lists_the_users_notifications_newest_first(client, session, reminded):
    rows = outbox(session, user_id=user(session, DSWD).id)
    headers = api_token(client, DSWD)
    body = client.get("/api/v1/notifications", headers=headers).get_json()
    assert body["total"] == len(rows) and body["unread"] == len(rows)
    first = body["notifications"][0]
    newest = max(rows, key=lambda r: (r.created_at, r.id))
    assert first["id"] == newest.id
    assert set(first) >= {"id", "kind", "subject_type", "subject_id", "offset", "due_date", "title", "body",
                          "created_at", "read_at", "url"}
    assert (first["kind"], first["subject_type"], first["subject_id"]) == ("reminder", "item", newest.subject_id)
    assert first["url"] == f"http://127.0.0.1:5000/items/{newest.subject_id}"
    assert first["offset"] == newest.offset_days and first["due_date"] == newest.due_date.isoformat()
    other = client.get("/api/v1/notifications", headers=api_token(client, DOLE)).get_json()
    assert other["notifications"] == [] and other["total"] == 0
    assert client.get("/api/v1/notifications").status_code == 401
    assert client.get("/api/v1/notifications?page=0", headers=headers).status_code == 422


def test_the_account_page_switches_to_a_daily_digest(client, session):
    sign_in(client, DSWD)
    page = client.get("/account").get_data(as_text=True)
    assert 'value="each" checked' in page
    assert client.post("/account/notifications", data={"email_mode": "digest"}).status_code == 302
    assert 'value="digest" checked' in client.get("/account").get_data(as_text=True)
    session.expire_all()
    assert session.get(NotificationPreference, user(session, DSWD).id).email_mode == "digest"
    assert client.post("/account/notifications", data={"email_mode": "hourly"}).status_code == 422
    assert session.get(NotificationPreference, user(session, DSWD).id).email_mode == "digest"


@pytest.fixture
def calendar_today(monkeypatch):
    """The feeds are read on 4 January 2027 (their window is around today)."""
    monkeypatch.setattr(clock, "now", lambda: datetime(2027, 1, 4, 2, 0, tzinfo=UTC))
    return date(2027, 1, 4)


def calendar_url(client) -> str:
    page = client.post("/account/calendar").get_data(as_text=True)
    return re.search(r'id="calendar-url" value="([^"]+)"', page).group(1)


def test_the_calendar_feed_holds_the_due_dates_of_what_the_ministry_holds(client, session, calendar_today):
    held = make_item(session, due=DUE, title="Registry, phase 2; with \\ care")
    make_item(session, acronym="DOLE", due=DUE, title="Not DSWD's")
    make_item(session, state="completed", due=DUE, title="Finished already")
    sign_in(client, DSWD)
    url = calendar_url(client)
    assert url.startswith("http://127.0.0.1:5000/calendar/") and url.endswith(".ics")
    client.post("/logout")
    response = client.get(url.removeprefix("http://127.0.0.1:5000"))  # no sign-in needed
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    text = response.get_data(as_text=True)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    unfolded = text.replace("\r\n ", "")
    assert f"UID:item-{held.id}@127.0.0.1" in unfolded
    assert "DTSTART;VALUE=DATE:20270331" in unfolded and "DTEND;VALUE=DATE:20270401" in unfolded
    assert "SUMMARY:Due: Registry\\, phase 2\\; with \\\\ care" in unfolded
    assert f"URL:http://127.0.0.1:5000/items/{held.id}" in unfolded
    assert "DTSTAMP:20270104T020000Z" in unfolded
    assert "Not DSWD's" not in unfolded and "Finished already" not in unfolded
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_a_coordinator_sees_the_countrys_open_items(client, session, calendar_today):
    make_item(session, due=DUE, title="DSWD item")
    make_item(session, acronym="DOLE", state="submitted", due=DUE, title="DOLE item")
    make_item(session, country="TH", acronym="SSO", due=DUE, title="Thai item")
    sign_in(client, COORDINATOR)
    text = client.get(calendar_url(client).removeprefix("http://127.0.0.1:5000")).get_data(as_text=True)
    assert "DSWD item" in text and "DOLE item" in text and "Thai item" not in text


def test_the_feed_holds_a_window_around_today_and_says_so(client, session, calendar_today, monkeypatch):
    """From 90 days ago to 400 days ahead; at most MAX_ITEM_EVENTS events: up to a quarter of
    them the latest overdue, the rest the next due."""
    days = {-91: "Too long overdue", -90: "Overdue 90 days", -30: "Overdue 30 days", -1: "Overdue a day",
            0: "Due today", 1: "Due tomorrow", 200: "Due in 200 days", 400: "Due in 400 days",
            401: "Due in 401 days"}
    for offset, title in days.items():
        make_item(session, due=calendar_today + timedelta(days=offset), title=title)
    sign_in(client, DSWD)
    url = calendar_url(client).removeprefix("http://127.0.0.1:5000")
    unfolded = client.get(url).get_data(as_text=True).replace("\r\n ", "")
    shown = [title for title in days.values() if f"SUMMARY:Due: {title}\r\n" in unfolded]
    assert shown == [t for o, t in days.items() if -90 <= o <= 400]
    holds = ical.escape(f"SPF Coordination: {calendar.window_text()}.")
    assert f"\r\nX-WR-CALDESC:{holds}\r\n" in unfolded and f"\r\nDESCRIPTION:{holds}\r\n" in unfolded
    assert "due from 90 days ago to 400 days ahead" in holds and "at most 2\\,000" in holds
    # The account page and the page of a new address say the same.
    assert calendar.window_text() in client.get("/account").get_data(as_text=True)
    assert f"It holds {calendar.window_text()}." in client.post("/account/calendar").get_data(as_text=True)

    monkeypatch.setattr(calendar, "MAX_ITEM_EVENTS", 4)
    monkeypatch.setattr(calendar, "MAX_OVERDUE_EVENTS", 1)
    url = calendar_url(client).removeprefix("http://127.0.0.1:5000")
    summaries = re.findall(r"SUMMARY:Due: ([^\r]+)", client.get(url).get_data(as_text=True))
    assert summaries == ["Overdue a day", "Due today", "Due tomorrow", "Due in 200 days"]


def test_resetting_the_calendar_address_ends_the_old_one(client, session):
    sign_in(client, DSWD)
    old = calendar_url(client).removeprefix("http://127.0.0.1:5000")
    new = calendar_url(client).removeprefix("http://127.0.0.1:5000")
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    stored = session.get(NotificationPreference, user(session, DSWD).id).calendar_token_digest
    assert stored != new.split("/")[-1].removesuffix(".ics")  # only a digest is kept


def test_a_disabled_users_calendar_is_gone(client, session):
    sign_in(client, DSWD)
    url = calendar_url(client).removeprefix("http://127.0.0.1:5000")
    staff = user(session, DSWD)
    staff.active = False
    session.commit()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("text, expected", [
    ("a,b;c\\d", "a\\,b\\;c\\\\d"),
    ("line one\r\nline two\nthree", "line one\\nline two\\nthree"),
])
def test_calendar_text_is_escaped(text, expected):
    assert ical.escape(text) == expected


def test_long_lines_fold_at_75_octets_without_splitting_characters():
    line = "SUMMARY:" + "Bảo hiểm xã hội " * 12
    folded = ical.fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


def test_opening_a_notifications_subject_marks_it_read_and_goes_there(app, client, session, reminded):
    rows = outbox(session, user_id=user(session, DSWD).id)
    row = rows[0]
    other = signed_in_client(app, DOLE)
    assert other.get(f"/notifications/{row.id}/open").status_code == 404  # not theirs
    assert other.get("/notifications/99999999999999/open").status_code == 404
    assert outbox(session, id=row.id)[0].read_at is None
    sign_in(client, DSWD)
    page = client.get("/notifications").get_data(as_text=True)
    assert f'href="/notifications/{row.id}/open">{row.title}</a>' in page
    response = client.get(f"/notifications/{row.id}/open")
    assert response.status_code == 302 and response.headers["Location"] == row.url
    assert outbox(session, id=row.id)[0].read_at is not None
    page = client.get("/notifications").get_data(as_text=True)
    assert page.count(">New</span>") == len(rows) - 1


def test_the_list_shows_when_each_notification_arrived_the_time_it_is_sorted_by(client, session, reminded):
    rows = outbox(session, user_id=user(session, DSWD).id)
    sign_in(client, DSWD)
    page = client.get("/notifications").get_data(as_text=True)
    shown = re.findall(r"Received ([^<]+)</div>", page)
    assert len(shown) == len(rows)
    newest_first = sorted(rows, key=lambda r: (r.created_at, r.id), reverse=True)
    with client.application.test_request_context():
        from coordination import i18n
        expected = [i18n.format_instant(r.created_at, "Asia/Manila") for r in newest_first]
    assert shown == expected
