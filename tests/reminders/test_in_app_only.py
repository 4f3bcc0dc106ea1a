"""The e-mail preference "in the application only" (``none``): reminders and notices stay on
the notifications page and no e-mail goes for them, never and not later; security e-mail (a
password-reset link) still goes. The API takes each, daily (the account page's ``digest``) and
none. On both databases."""
from datetime import date, timedelta

import pytest
from helpers import api_token, sign_in
from reminder_support import at, deliver, make_item, outbox, sweep, user

from coordination import clock
from coordination.items import service as items
from coordination.reminders.models import NotificationPreference

DSWD = "staff.ph.dswd@example.org"
DOLE = "staff.ph.dole@example.org"
DUE = date(2027, 3, 31)
DAY_MINUS_1 = "2027-03-30T09:00:00+08:00"


def prefer(session, email, mode):
    session.add(NotificationPreference(user_id=user(session, email).id, email_mode=mode,
                                       updated_at=at("2027-03-01T00:00:00+00:00")))
    session.commit()


def test_reminders_of_an_in_app_only_user_are_listed_and_never_mailed(mail_app, session, smtp, client):
    smtp.start()
    prefer(session, DSWD, "none")
    item = make_item(session, due=DUE, title="Link DSWD and PhilHealth records")
    sweep(mail_app, DAY_MINUS_1)
    outcome = deliver(mail_app, "2027-03-30T09:01:00+08:00")
    assert (outcome.sent, outcome.failed, outcome.in_app) == (0, 0, 1)
    (row,) = outbox(session, kind="reminder")
    assert (row.status, row.attempts, row.sent_at) == ("in_app", 0, None)
    # Never later either: not at the digest hour, not after the retry delays.
    for instant in ("2027-03-31T08:00:00+08:00", "2027-04-30T08:00:00+08:00"):
        assert deliver(mail_app, instant).sent == 0
    assert smtp.messages == []
    sign_in(client, DSWD)
    page = client.get("/notifications").get_data(as_text=True)
    assert "Action item due tomorrow: Link DSWD and PhilHealth records" in page
    assert f"/notifications/{row.id}/open" in page and item.id


def test_notices_follow_the_preference_and_others_still_get_theirs(mail_app, session, smtp):
    """DSWD's staff take no e-mail; DOLE's take each message: an assignment to each ministry
    notifies both in the application, and only DOLE's officer gets an e-mail."""
    smtp.start()
    prefer(session, DSWD, "none")
    coordinator = user(session, "coordinator.ph@example.org")
    now = clock.now()
    for acronym in ("DSWD", "DOLE"):
        ministry_id = next(m.id for m in coordinator.country.ministries if m.acronym == acronym)
        item = items.create_item(session, coordinator, {"title": f"For {acronym}", "due_date": "2027-06-30",
                                                        "ministry_id": ministry_id}, now)
        items.fire_trigger(session, coordinator, item.id, "assign", item.version, now)
    session.commit()
    dswd, dole = user(session, DSWD), user(session, DOLE)
    assert {(n.user_id, n.kind) for n in outbox(session)} >= {(dswd.id, "notice"), (dole.id, "notice")}
    outcome = deliver(mail_app, now + timedelta(minutes=1))
    assert outcome.sent >= 1 and outcome.in_app >= 1
    received = {tuple(m["rcpt_tos"]) for m in smtp.wait_for(outcome.sent)}
    assert (DOLE,) in received and (DSWD,) not in received
    assert {n.status for n in outbox(session, user_id=dswd.id)} == {"in_app"}
    assert {n.status for n in outbox(session, user_id=dole.id)} == {"sent"}


def test_a_password_reset_link_still_goes_to_an_in_app_only_user(mail_app, session, smtp):
    smtp.start()
    prefer(session, DSWD, "none")
    assert mail_app.test_client().post("/api/v1/password-reset", json={"email": DSWD}).status_code == 202
    outcome = deliver(mail_app, clock.now() + timedelta(minutes=1))
    assert (outcome.sent, outcome.in_app) == (1, 0)
    (received,) = smtp.wait_for(1)
    assert received["rcpt_tos"] == [DSWD]
    assert received["message"]["Subject"] == "Set a new password for SPF Coordination"


def test_a_digest_already_written_is_not_sent_after_switching_to_in_app_only(mail_app, session, smtp):
    prefer(session, DSWD, "digest")
    make_item(session, due=DUE)
    sweep(mail_app, DAY_MINUS_1)
    deliver(mail_app, "2027-03-30T09:01:00+08:00")  # the server is down: the digest stays pending
    (digest,) = outbox(session, kind="digest")
    assert digest.status == "pending"
    smtp.start()
    session.get(NotificationPreference, user(session, DSWD).id).email_mode = "none"
    session.commit()
    assert deliver(mail_app, "2027-03-30T12:00:00+08:00").sent == 0
    assert outbox(session, kind="digest")[0].status == "in_app" and smtp.messages == []


def test_switching_back_mails_what_comes_next(mail_app, session, smtp):
    smtp.start()
    prefer(session, DSWD, "none")
    make_item(session, due=DUE, title="First")
    sweep(mail_app, DAY_MINUS_1)
    deliver(mail_app, "2027-03-30T09:01:00+08:00")
    session.get(NotificationPreference, user(session, DSWD).id).email_mode = "each"
    session.commit()
    make_item(session, due=date(2027, 4, 6), title="Second")
    sweep(mail_app, "2027-04-05T09:00:00+08:00")
    outcome = deliver(mail_app, "2027-04-05T09:01:00+08:00")
    subjects = [m["message"]["Subject"] for m in smtp.wait_for(outcome.sent) if m["rcpt_tos"] == [DSWD]]
    assert "Action item due tomorrow: Second" in subjects
    assert "Action item due tomorrow: First" not in subjects  # what stayed in the application stays there
    first = next(r for r in outbox(session, kind="reminder") if r.title == "Action item due tomorrow: First")
    assert first.status == "in_app"


# -- the account page ---------------------------------------------------------------------------

def test_the_account_page_offers_in_the_application_only(client, session):
    sign_in(client, DSWD)
    page = client.get("/account").get_data(as_text=True)
    assert 'id="email_mode_none" value="none"' in page and 'for="email_mode_none"' in page
    assert 'value="each" checked' in page
    response = client.post("/account/notifications", data={"email_mode": "none"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "in the application only" in page
    assert 'value="none" aria-describedby="email_mode_none_hint" checked' in page and 'value="each" checked' not in page
    assert session.get(NotificationPreference, user(session, DSWD).id).email_mode == "none"
    # Another user's preference is theirs.
    assert session.get(NotificationPreference, user(session, DOLE).id) is None


def test_the_account_page_in_thai(client, session):
    sign_in(client, DSWD)
    client.post("/language", data={"locale": "th", "next": "/account"})
    page = client.get("/account").get_data(as_text=True)
    assert "not at all: in the application only" not in page and 'value="none"' in page


# -- the API ------------------------------------------------------------------------------------

@pytest.mark.parametrize("given, stored, answered", [
    ("each", "each", "each"), ("daily", "digest", "daily"), ("digest", "digest", "daily"), ("none", "none", "none")])
def test_the_api_takes_each_daily_and_none(client, session, given, stored, answered):
    headers = api_token(client, DSWD)
    assert client.get("/api/v1/me/email-preference", headers=headers).get_json() == {"email_mode": "each"}
    response = client.put("/api/v1/me/email-preference", json={"email_mode": given}, headers=headers)
    assert response.status_code == 200 and response.get_json() == {"email_mode": answered}
    assert session.get(NotificationPreference, user(session, DSWD).id).email_mode == stored
    assert client.get("/api/v1/me/email-preference", headers=headers).get_json() == {"email_mode": answered}


@pytest.mark.parametrize("body", [{"email_mode": "hourly"}, {"email_mode": None}, {"email_mode": 1}, {},
                                  {"email_mode": "NONE"}])
def test_the_api_refuses_other_values_and_changes_nothing(client, session, body):
    headers = api_token(client, DSWD)
    response = client.put("/api/v1/me/email-preference", json=body, headers=headers)
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["error"] == "validation_error" and "email_mode" in problem["fields"]
    assert "each, daily, none" in problem["fields"]["email_mode"][0]
    assert session.get(NotificationPreference, user(session, DSWD).id) is None


def test_the_api_preference_is_the_users_own(client, session):
    assert client.get("/api/v1/me/email-preference").status_code == 401
    client.put("/api/v1/me/email-preference", json={"email_mode": "none"}, headers=api_token(client, DSWD))
    other = api_token(client, DOLE)
    assert client.get("/api/v1/me/email-preference", headers=other).get_json() == {"email_mode": "each"}
    assert session.get(NotificationPreference, user(session, DOLE).id) is None
