"""E-mail in the recipient's language (API.md, "Second round: languages and local calendars"):
the user's choice, else English, whatever the language of the request that caused the message.
The outbox keeps a row's title and body as written: each is written in its recipient's language
when the row is queued (reminders, notices, digests, password-reset links), and the message
around it (greeting, dates, footer) when it is sent."""
from datetime import date, timedelta

from helpers import api_token
from reminder_support import add_user, deliver, make_item, ministry, outbox, sweep, user

from coordination import clock
from coordination.reminders.models import NotificationPreference

COORDINATOR, DSWD = "coordinator.ph@example.org", "staff.ph.dswd@example.org"
DUE = date(2027, 3, 31)
DAY_MINUS_1 = "2027-03-30T09:00:00+08:00"


def choose(session, email, code):
    user(session, email).locale = code
    session.commit()


def parts(message) -> tuple[str, str]:
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


def test_a_password_reset_mail_is_in_the_recipients_language(mail_app, session, smtp):
    smtp.start()
    choose(session, DSWD, "th")
    visitor = mail_app.test_client()
    visitor.post("/forgot-password", data={"email": DSWD}, headers={"Accept-Language": "vi"})
    (row,) = outbox(session, kind="security")
    assert row.title == "ตั้งรหัสผ่านใหม่สำหรับ SPF Coordination"
    assert "ลิงก์นี้ใช้ได้ครั้งเดียว ภายใน 60 นาที" in row.body
    deliver(mail_app, clock.now() + timedelta(minutes=1))
    (received,) = smtp.wait_for(1)
    message = received["message"]
    assert message["Subject"] == "ตั้งรหัสผ่านใหม่สำหรับ SPF Coordination"
    text, html = parts(message)
    for part in (text, html):
        assert "เรียน DSWD focal person, Philippines" in part
        assert "หากลิงก์ใช้ไม่ได้แล้ว" in part and "Dear" not in part
    assert '<html lang="th">' in html


def test_without_a_choice_the_mail_is_english_whatever_the_browser_asking(mail_app, session, smtp):
    smtp.start()
    mail_app.test_client().post("/forgot-password", data={"email": DSWD}, headers={"Accept-Language": "th"})
    deliver(mail_app, clock.now() + timedelta(minutes=1))
    (received,) = smtp.wait_for(1)
    assert received["message"]["Subject"] == "Set a new password for SPF Coordination"
    text, html = parts(received["message"])
    assert "Dear DSWD focal person, Philippines" in text and '<html lang="en">' in html


def test_a_reminder_is_written_in_each_recipients_language(mail_app, session, smtp):
    smtp.start()
    choose(session, DSWD, "vi")
    dswd = ministry(session, "PH", "DSWD")
    add_user(session, "second.dswd@example.org", "Second DSWD officer", "ministry_staff", "PH", dswd.id)
    make_item(session, due=DUE, title="Link DSWD and PhilHealth records")
    sweep(mail_app, DAY_MINUS_1)
    rows = {row.user.email: row for row in outbox(session, kind="reminder")}
    assert rows[DSWD].title == "Hạng mục hành động đến hạn ngày mai: Link DSWD and PhilHealth records"
    assert "31 thg 3, 2027" in rows[DSWD].body  # the due date as Vietnamese writes it
    assert rows["second.dswd@example.org"].title == "Action item due tomorrow: Link DSWD and PhilHealth records"
    assert "31 Mar 2027" in rows["second.dswd@example.org"].body
    deliver(mail_app, "2027-03-30T09:01:00+08:00")
    received = {m["rcpt_tos"][0]: m["message"] for m in smtp.wait_for(2)}
    text, html = parts(received[DSWD])
    assert "Thứ Tư, 31 tháng 3, 2027" in text  # the due date of the message around it
    assert "Kính gửi DSWD focal person, Philippines" in text and '<html lang="vi">' in html
    assert "Mở trong SPF Coordination" in html and "Dear" not in text
    english, _ = parts(received["second.dswd@example.org"])
    assert "Wednesday 31 March 2027" in english and "Dear Second DSWD officer" in english


def test_a_notice_is_written_in_each_recipients_language(client, session):
    choose(session, DSWD, "th")
    headers = {**api_token(client, COORDINATOR), "Accept-Language": "vi"}
    item = make_item(session, state="draft", title="Unify the targeting database")
    response = client.post(f"/api/v1/items/{item.id}/transitions", headers=headers,
                           json={"trigger": "assign", "version": item.version})
    assert response.status_code == 200
    (row,) = outbox(session, kind="notice")
    assert row.title == "มอบหมายให้กระทรวงของคุณ: Unify the targeting database"
    assert "มอบหมายให้กระทรวงของคุณ โดย National Coordinator, Philippines" in row.body


def test_a_digest_is_titled_in_its_recipients_language(mail_app, session, smtp):
    smtp.start()
    staff = user(session, DSWD)
    staff.locale = "id"
    session.add(NotificationPreference(user_id=staff.id, email_mode="digest", updated_at=clock.now()))
    session.commit()
    make_item(session, due=DUE, title="First item")
    make_item(session, due=DUE, title="Second item")
    sweep(mail_app, DAY_MINUS_1)
    assert deliver(mail_app, "2027-03-30T09:01:00+08:00").sent == 1
    (digest,) = smtp.wait_for(1)
    assert digest["message"]["Subject"] == "Ringkasan harian Anda: 2 pengingat dan pemberitahuan"
    text, _ = parts(digest["message"])
    assert "Butir tindakan jatuh tempo besok: First item" in text
