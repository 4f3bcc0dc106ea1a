"""Delivery: messages as users receive them, retries, claims, the log, digests, injection."""
import logging
from datetime import UTC, date, datetime, timedelta

import pytest
from helpers import sign_in
from reminder_support import add_user, at, deliver, make_item, ministry, outbox, sweep, user

from coordination.reminders.models import NotificationPreference

DSWD = "staff.ph.dswd@example.org"
DUE = date(2027, 3, 31)
DAY_MINUS_1 = "2027-03-30T09:00:00+08:00"


def test_a_reminder_arrives_with_text_html_a_link_and_a_stable_message_id(mail_app, session, smtp):
    smtp.start()
    item = make_item(session, due=DUE, title="Link DSWD and PhilHealth records")
    sweep(mail_app, DAY_MINUS_1)
    (row,) = outbox(session)
    outcome = deliver(mail_app, "2027-03-30T09:01:00+08:00")
    assert (outcome.sent, outcome.failed) == (1, 0)
    (received,) = smtp.wait_for(1)
    message = received["message"]
    assert received["rcpt_tos"] == [DSWD]
    assert received["mail_from"] == "noreply@spf.example.org"
    assert message["Message-ID"] == f"<notification-{row.id}@spf.example.org>"
    assert message["Subject"] == "Action item due tomorrow: Link DSWD and PhilHealth records"
    assert message["To"].addresses[0].addr_spec == DSWD
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for part in (text, html):
        assert "DSWD focal person, Philippines" in part
        assert f"https://spf.example.org/items/{item.id}" in part
        assert "Wednesday 31 March 2027" in part
        assert "Tuesday 30 March 2027, 08:00 (Asia/Manila time)" in part  # when, in the user's time zone
    (sent,) = outbox(session)
    assert (sent.status, sent.attempts, sent.sent_at) == ("sent", 1, at("2027-03-30T09:01:00+08:00"))
    assert deliver(mail_app, "2027-03-30T09:02:00+08:00").sent == 0  # sent once


def test_times_are_shown_in_the_recipients_time_zone(mail_app, session, smtp):
    """A Myanmar item's rule falls due at 08:00 in Yangon; a regional reader would see it in
    Jakarta time (the secretariat's), a Yangon officer in Yangon time."""
    smtp.start()
    make_item(session, country="MM", acronym="DSW", due=DUE)
    sweep(mail_app, "2027-03-30T09:00:00+06:30")
    deliver(mail_app, "2027-03-30T09:00:00+06:30")
    (received,) = smtp.wait_for(1)
    assert "Tuesday 30 March 2027, 08:00 (Asia/Yangon time)" in received["message"].get_body(("plain",)).get_content()


def test_with_the_server_down_nothing_is_lost_and_retries_back_off(mail_app, session, smtp):
    make_item(session, due=DUE)
    sweep(mail_app, DAY_MINUS_1)
    start = at(DAY_MINUS_1)
    outcome = deliver(mail_app, start)
    assert (outcome.sent, outcome.failed) == (0, 1)
    (row,) = outbox(session)
    assert (row.status, row.attempts, row.next_attempt_at) == ("pending", 1, start + timedelta(minutes=5))
    assert "ConnectionRefused" in row.last_error or "Errno" in row.last_error
    # Not due again before the backoff has passed.
    assert deliver(mail_app, start + timedelta(minutes=4)).failed == 0
    deliver(mail_app, start + timedelta(minutes=5))
    (row,) = outbox(session)
    assert (row.attempts, row.next_attempt_at) == (2, start + timedelta(minutes=15))  # then 10 minutes
    smtp.start()
    assert (deliver(mail_app, start + timedelta(minutes=15)).sent, len(smtp.wait_for(1))) == (1, 1)
    assert outbox(session)[0].status == "sent"


def test_after_ten_attempts_a_row_is_failed_and_the_admin_sees_it(mail_app, session, smtp, client):
    make_item(session, due=DUE, title="Never delivered")
    sweep(mail_app, DAY_MINUS_1)
    now = at(DAY_MINUS_1)
    delays = []
    for _ in range(10):
        assert deliver(mail_app, now).failed == 1
        (row,) = outbox(session)
        delays.append(row.next_attempt_at - now)
        now = row.next_attempt_at
    assert delays[:4] == [timedelta(minutes=m) for m in (5, 10, 20, 40)]
    (row,) = outbox(session)
    assert (row.status, row.attempts) == ("failed", 10)
    assert deliver(mail_app, now + timedelta(days=30)).failed == 0  # never tried again
    sign_in(client, DSWD)
    assert client.get("/admin/outbox").status_code == 403
    client.post("/logout")
    sign_in(client, "admin@example.org")
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "Never delivered" in page and DSWD in page
    # The administrator retries once the server works.
    assert client.post(f"/admin/outbox/{row.id}/retry").status_code == 302
    smtp.start()
    assert deliver(mail_app, datetime.now(UTC) + timedelta(seconds=1)).sent == 1
    assert "Never delivered" not in client.get("/admin/outbox").get_data(as_text=True)


def test_a_claim_left_by_a_dead_process_expires(mail_app, session, smtp):
    smtp.start()
    make_item(session, due=DUE)
    sweep(mail_app, DAY_MINUS_1)
    (row,) = outbox(session)
    row.claimed_at, row.claim_token = at(DAY_MINUS_1), "dead-process"
    session.commit()
    assert deliver(mail_app, at(DAY_MINUS_1) + timedelta(minutes=5)).sent == 0  # still claimed
    assert deliver(mail_app, at(DAY_MINUS_1) + timedelta(minutes=11)).sent == 1  # the claim expired
    assert len(smtp.wait_for(1)) == 1


def test_without_a_mail_server_messages_go_to_the_log_and_count_as_delivered(app, session, caplog):
    make_item(session, due=DUE, title="Logged only")
    sweep(app, DAY_MINUS_1)
    with caplog.at_level(logging.INFO, logger="coordination.reminders"):
        outcome = deliver(app, DAY_MINUS_1)
    assert (outcome.sent, outcome.failed) == (1, 0)
    assert "Logged only" in caplog.text and f'To: "DSWD focal person, Philippines" <{DSWD}>' in caplog.text
    assert outbox(session)[0].status == "sent"


def test_the_deliver_command_prints_sent_and_failed(make_app, app, session, smtp):
    make_item(session, due=DUE)
    make_item(session, acronym="DOLE", due=DUE)
    sweep(app, DAY_MINUS_1)
    down = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
    result = down.test_cli_runner().invoke(args=["reminders", "deliver", "--at", DAY_MINUS_1])
    assert result.exit_code == 0 and result.output.strip() == "0 sent, 2 failed"
    smtp.start()
    result = down.test_cli_runner().invoke(args=["reminders", "deliver", "--at", "2027-03-30T10:00:00+08:00"])
    assert result.output.strip() == "2 sent, 0 failed"


@pytest.mark.parametrize("field, value", [
    ("name", "Mallory\r\nBcc: attacker@evil.example"),
    ("name", "Mallory\nSubject: you won"),
    ("title", "Harmless\r\nBcc: attacker@evil.example"),
])
def test_a_name_or_title_with_a_line_break_cannot_add_headers(mail_app, session, smtp, field, value):
    smtp.start()
    dswd = ministry(session, "PH", "DSWD")
    victim = add_user(session, "victim@example.org", "Victim", "ministry_staff", "PH", dswd.id)
    if field == "name":
        victim.name = value
        session.commit()
    make_item(session, due=DUE, title=value if field == "title" else "An item")
    sweep(mail_app, DAY_MINUS_1)
    deliver(mail_app, DAY_MINUS_1)
    received = [m for m in smtp.wait_for(2) if m["rcpt_tos"] == ["victim@example.org"]]
    assert len(received) == 1
    assert all(m["rcpt_tos"] in (["victim@example.org"], [DSWD]) for m in smtp.messages)
    message = received[0]["message"]
    assert message["Bcc"] is None and message.get_all("Subject") and len(message.get_all("Subject")) == 1
    assert [a.addr_spec for a in message["To"].addresses] == ["victim@example.org"]
    for header, content in message.items():
        assert "\n" not in content.replace("\r\n ", "").replace("\n ", ""), header


@pytest.mark.parametrize("address", [
    "victim@example.org\r\nBcc: attacker@evil.example",
    "victim@example.org\nBcc: attacker@evil.example",
    "victim@example.org, attacker@evil.example",
    "Someone <attacker@evil.example>",
])
def test_an_address_with_header_text_is_refused_not_sent(mail_app, session, smtp, address):
    smtp.start()
    dswd = ministry(session, "PH", "DSWD")
    add_user(session, address, "Victim", "ministry_staff", "PH", dswd.id)
    make_item(session, due=DUE)
    sweep(mail_app, DAY_MINUS_1)
    outcome = deliver(mail_app, DAY_MINUS_1)
    assert (outcome.sent, outcome.failed) == (1, 1)  # DSWD's own officer still gets theirs
    assert [m["rcpt_tos"] for m in smtp.wait_for(1)] == [[DSWD]]
    failed = [row for row in outbox(session) if row.status == "failed"]
    assert len(failed) == 1 and failed[0].attempts == 1  # retrying cannot help


def test_digest_users_get_one_summary_at_eight_local_time(mail_app, session, smtp):
    smtp.start()
    staff = user(session, DSWD)
    session.add(NotificationPreference(user_id=staff.id, email_mode="digest",
                                       updated_at=at("2027-03-01T00:00:00+00:00")))
    session.commit()
    first = make_item(session, due=DUE, title="First item")
    second = make_item(session, due=DUE, title="Second item")
    sweep(mail_app, "2027-03-30T09:00:00+08:00")  # day -1 of both
    assert deliver(mail_app, "2027-03-30T09:01:00+08:00").sent == 1  # today's digest
    (digest,) = smtp.wait_for(1)
    assert digest["message"]["Subject"] == "Your daily summary: 2 reminders and notices"
    text = digest["message"].get_body(("plain",)).get_content()
    assert "First item" in text and "Second item" in text
    assert f"https://spf.example.org/items/{first.id}" in text and f"/items/{second.id}" in text
    rows = outbox(session)
    singles = [r for r in rows if r.kind == "reminder"]
    (digest_row,) = [r for r in rows if r.kind == "digest"]
    assert {r.status for r in singles} == {"folded"} and {r.digest_id for r in singles} == {digest_row.id}
    assert digest_row.status == "sent" and digest_row.due_date == date(2027, 3, 30)
    # A reminder queued later that day waits for tomorrow's digest, at 08:00 Manila time.
    make_item(session, due=date(2027, 4, 6), title="Third item")
    sweep(mail_app, "2027-03-30T10:00:00+08:00")
    assert deliver(mail_app, "2027-03-30T10:01:00+08:00").sent == 0
    assert deliver(mail_app, "2027-03-31T07:59:00+08:00").sent == 0
    assert deliver(mail_app, "2027-03-31T08:00:00+08:00").sent == 1
    assert deliver(mail_app, "2027-03-31T09:00:00+08:00").sent == 0
    assert len(smtp.wait_for(2)) == 2
    assert "Third item" in smtp.messages[1]["message"].get_body(("plain",)).get_content()
    # In the application nothing changes: every reminder is there, no digest.
    assert {n.kind for n in outbox(session) if n.read_at is None} >= {"reminder"}


def test_digest_rows_are_not_listed_in_the_application(mail_app, session, smtp, client):
    smtp.start()
    staff = user(session, DSWD)
    session.add(NotificationPreference(user_id=staff.id, email_mode="digest",
                                       updated_at=at("2027-03-01T00:00:00+00:00")))
    session.commit()
    make_item(session, due=DUE, title="Only item")
    sweep(mail_app, DAY_MINUS_1)
    deliver(mail_app, DAY_MINUS_1)
    sign_in(client, DSWD)
    page = client.get("/notifications").get_data(as_text=True)
    assert "Only item" in page and "daily summary" not in page
