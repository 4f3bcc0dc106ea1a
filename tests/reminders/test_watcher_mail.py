"""A watcher's notices go out by e-mail as the watcher chose: one message each, or inside
the daily digest; a notice of one event reaches a watcher once."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from helpers import api_token
from reminder_support import at, deliver, make_item, outbox, user

from coordination.reminders.models import NotificationPreference

DSWD, DOLE = "staff.ph.dswd@example.org", "staff.ph.dole@example.org"


def accept(client, item):
    headers = api_token(client, DSWD)
    version = client.get(f"/api/v1/items/{item.id}", headers=headers).get_json()["version"]
    response = client.post(f"/api/v1/items/{item.id}/transitions", json={"trigger": "accept", "version": version},
                           headers=headers)
    assert response.status_code == 200


def test_a_watcher_gets_each_notice_by_email(mail_app, session, smtp, client):
    smtp.start()
    item = make_item(session, state="assigned", title="Link DSWD and PhilHealth records")
    client.put(f"/api/v1/items/{item.id}/watchers/me", headers=api_token(client, DOLE))
    accept(client, item)
    assert deliver(mail_app, "2027-03-30T09:01:00+08:00").sent == 1
    (received,) = smtp.wait_for(1)
    assert received["rcpt_tos"] == [DOLE]
    assert received["message"]["Subject"] == "Accepted: Link DSWD and PhilHealth records"
    assert f"https://spf.example.org/items/{item.id}" in received["message"].get_body(("plain",)).get_content()


def test_a_digest_watcher_gets_the_notice_in_the_digest(mail_app, session, smtp, client):
    smtp.start()
    session.add(NotificationPreference(user_id=user(session, DOLE).id, email_mode="digest",
                                       updated_at=at("2027-03-01T00:00:00+00:00")))
    session.commit()
    item = make_item(session, state="assigned", title="Link DSWD and PhilHealth records")
    client.put(f"/api/v1/items/{item.id}/watchers/me", headers=api_token(client, DOLE))
    accept(client, item)
    (notice,) = outbox(session, kind="notice")
    manila = notice.created_at.astimezone(ZoneInfo("Asia/Manila"))
    next_morning = datetime.combine(manila.date() + timedelta(days=1), time(9), ZoneInfo("Asia/Manila"))
    assert deliver(mail_app, next_morning).sent == 1  # a digest, not a message of its own
    (digest,) = smtp.wait_for(1)
    assert digest["rcpt_tos"] == [DOLE]
    assert digest["message"]["Subject"].startswith("Your daily summary")
    assert "Accepted: Link DSWD and PhilHealth records" in digest["message"].get_body(("plain",)).get_content()
    assert {row.status for row in outbox(session, kind="notice")} == {"folded"}
