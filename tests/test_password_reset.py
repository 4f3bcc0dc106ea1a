"""Password reset: a single-use link by e-mail, from the sign-in page or sent by the
administrator; the request never tells whether an account exists; the link never stays
readable in the database, never shows among the notifications, is never folded into a digest."""
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from helpers import ROLE_USERS, api_token, field_errors, is_login_redirect, sign_in, signed_in_client
from reminders.reminder_support import SMTPServer, deliver, make_item, sweep
from sqlalchemy import select

from coordination import clock
from coordination.audit.models import AuditEvent
from coordination.auth import passwords
from coordination.auth.models import PasswordResetToken, User
from coordination.demo import DEMO_PASSWORD
from coordination.reminders.models import Notification, NotificationPreference

STAFF = ROLE_USERS["ministry_staff"]  # staff.ph.dswd@example.org, in Manila
ADMIN = ROLE_USERS["admin"]
NEW_PASSWORD = "a-brand-new-password"
START = datetime(2027, 3, 30, 1, 0, tzinfo=UTC)  # 09:00 in Manila
LINK = re.compile(r"https://spf\.example\.org/reset-password/([A-Za-z0-9_-]+)")
SENT_PAGE = "If an account exists for that address, we sent a link"


@pytest.fixture
def smtp():
    server = SMTPServer()
    yield server
    server.stop()


@pytest.fixture
def mail_app(make_app, app, smtp):
    """The test's app, sending to the loopback SMTP server (not started yet)."""
    return make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, BASE_URL="https://spf.example.org",
                    MAIL_MESSAGE_ID_DOMAIN="spf.example.org",
                    MAIL_DEFAULT_SENDER="SPF Coordination <noreply@spf.example.org>")


@pytest.fixture
def now(monkeypatch):
    """Stop the clock at START; ``now.move(minutes=...)`` moves it."""

    class Clock:
        current = START

        def move(self, **delta):
            self.current = self.current + timedelta(**delta)
            return self.current

    stopped = Clock()
    monkeypatch.setattr(clock, "now", lambda: stopped.current)
    return stopped


def security_rows(session, email=None) -> list[Notification]:
    session.expire_all()
    statement = select(Notification).where(Notification.kind == "security").order_by(Notification.id)
    if email is not None:
        statement = statement.join(User, User.id == Notification.user_id).where(User.email == email)
    return list(session.scalars(statement))


def queued_token(session, email=STAFF) -> str:
    """The token of the newest link queued for ``email``, read from its pending outbox row
    (for the tests that need no mail server)."""
    row = security_rows(session, email)[-1]
    assert row.status == "pending" and row.url.startswith("/reset-password/")
    return row.url.removeprefix("/reset-password/")


def ask(client, email=STAFF, **kwargs):
    return client.post("/api/v1/password-reset", json={"email": email}, **kwargs)


def confirm(client, token, password=NEW_PASSWORD):
    return client.post("/api/v1/password-reset/confirm", json={"token": token, "password": password})


def set_on_the_web(client, token, password=NEW_PASSWORD, again=None):
    return client.post(f"/reset-password/{token}",
                       data={"password": password, "confirm_password": again or password})


def audit_events(session, type_) -> list[AuditEvent]:
    session.expire_all()
    return list(session.scalars(select(AuditEvent).where(AuditEvent.type == type_).order_by(AuditEvent.id)))


def user_id(session, email) -> int:
    return session.scalar(select(User.id).where(User.email == email))


def text_and_html(message) -> tuple[str, str]:
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


# -- the whole flow ---------------------------------------------------------------------------------


def test_forgot_password_then_mail_then_new_password_then_sign_in(mail_app, session, smtp, now):
    smtp.start()
    old_web = signed_in_client(mail_app, STAFF)
    old_token = api_token(mail_app.test_client(), STAFF)
    visitor = mail_app.test_client()

    login_page = visitor.get("/login").get_data(as_text=True)
    assert 'href="/forgot-password"' in login_page and "Forgot your password?" in login_page
    form = visitor.get("/forgot-password")
    assert form.status_code == 200 and 'name="email"' in form.get_data(as_text=True)
    asked = visitor.post("/forgot-password", data={"email": STAFF.upper()}, environ_base={"REMOTE_ADDR": "192.0.2.9"})
    assert asked.status_code == 302 and asked.headers["Location"] == "/forgot-password/sent"
    assert SENT_PAGE in visitor.get("/forgot-password/sent").get_data(as_text=True)

    # Nothing leaves before delivery runs; then one message, to the account's address only.
    assert smtp.messages == []
    outcome = deliver(mail_app, now.move(minutes=1))
    assert (outcome.sent, outcome.failed) == (1, 0)
    (received,) = smtp.wait_for(1)
    assert received["rcpt_tos"] == [STAFF]
    message = received["message"]
    assert message["Subject"] == "Set a new password for SPF Coordination"
    text, html = text_and_html(message)
    for part in (text, html):
        assert "Dear DSWD focal person, Philippines" in part
        assert "asked to reset the password of your SPF Coordination account " + STAFF in part
        assert "works once, for 60 minutes: until 10:00 on Tuesday 30 March 2027 (Asia/Manila time)" in part
        assert "If you did not ask for this, ignore this message: your password stays as it is" in part
        assert "https://spf.example.org/forgot-password" in part
    (token,) = set(LINK.findall(text))
    assert LINK.findall(html) == [token, token]  # the button and the address to copy

    # The link is no longer readable in the database: the token only as its digest, the
    # sent message without body or link.
    (row,) = security_rows(session)
    assert (row.status, row.body, row.url) == ("sent", "", "")
    (stored,) = session.scalars(select(PasswordResetToken)).all()
    assert stored.digest != token and len(stored.digest) == 64
    assert stored.expires_at == START + timedelta(minutes=60)

    page = visitor.get(f"/reset-password/{token}")
    assert page.status_code == 200
    assert "Choose a new password" in page.get_data(as_text=True) and STAFF in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"
    done = set_on_the_web(visitor, token)
    assert done.status_code == 302 and done.headers["Location"] == "/login"
    assert "Your new password is set" in visitor.get("/login").get_data(as_text=True)

    # The new password signs in; the old one, the old session and the old API token do not.
    assert sign_in(mail_app.test_client(), STAFF, NEW_PASSWORD).status_code == 302
    assert sign_in(mail_app.test_client(), STAFF, DEMO_PASSWORD).status_code == 401
    assert is_login_redirect(old_web.get("/account"))
    assert mail_app.test_client().get("/api/v1/me", headers=old_token).status_code == 401

    (requested,) = audit_events(session, "password_reset_requested")
    assert (requested.email, requested.address, requested.actor_id) == (STAFF, "192.0.2.9", None)
    assert requested.detail == {"by_admin": False, "outcome": "queued"}
    (done_event,) = audit_events(session, "password_reset")
    assert (done_event.email, done_event.actor_id) == (STAFF, user_id(session, STAFF))


def test_the_api_flow_sets_the_password_and_ends_every_token(app, session, now):
    client = app.test_client()
    old_token = api_token(client, STAFF)
    answer = ask(client)
    assert (answer.status_code, answer.get_json()) == (202, {})
    done = confirm(client, queued_token(session))
    assert done.status_code == 204 and done.get_data() == b""
    assert client.get("/api/v1/me", headers=old_token).status_code == 401
    assert client.post("/api/v1/tokens", json={"email": STAFF, "password": DEMO_PASSWORD}).status_code == 401
    assert client.get("/api/v1/me", headers=api_token(client, STAFF, NEW_PASSWORD)).get_json()["email"] == STAFF


# -- links that do not work -------------------------------------------------------------------------


def test_a_used_link_says_so_and_offers_a_new_one(app, session, now):
    client = app.test_client()
    ask(client)
    token = queued_token(session)
    assert set_on_the_web(client, token).status_code == 302
    for attempt in (client.get(f"/reset-password/{token}"), set_on_the_web(client, token, "yet-another-password")):
        assert attempt.status_code == 400
        body = attempt.get_data(as_text=True)
        assert "This link was used" in body and "was used already" in body
        assert 'href="/forgot-password"' in body and "Ask for a new link" in body
    refused = confirm(client, token, "yet-another-password")
    assert refused.status_code == 400
    assert refused.get_json()["error"] == "bad_request" and refused.get_json()["reason"] == "used"
    assert sign_in(app.test_client(), STAFF, NEW_PASSWORD).status_code == 302  # unchanged by the refusals


def test_setting_a_password_spends_every_other_link_of_the_account(app, session, now):
    client = app.test_client()
    ask(client)
    first = queued_token(session)
    now.move(minutes=5)
    ask(client)
    second = queued_token(session)
    assert first != second
    assert client.get(f"/reset-password/{first}").status_code == 200  # a new request leaves the first working
    assert confirm(client, second).status_code == 204
    assert confirm(client, first, "yet-another-password").get_json()["reason"] == "used"
    # Neither queued message keeps its link.
    assert [(r.body, r.url) for r in security_rows(session)] == [("", ""), ("", "")]


def test_an_expired_link_says_so(app, session, now):
    client = app.test_client()
    ask(client)
    token = queued_token(session)
    now.move(minutes=59, seconds=59)
    assert client.get(f"/reset-password/{token}").status_code == 200
    now.move(seconds=1)
    page = client.get(f"/reset-password/{token}")
    assert page.status_code == 400
    assert "This link has expired" in page.get_data(as_text=True)
    assert 'href="/forgot-password"' in page.get_data(as_text=True)
    assert set_on_the_web(client, token).status_code == 400
    refused = confirm(client, token)
    assert (refused.status_code, refused.get_json()["reason"]) == (400, "expired")
    assert sign_in(app.test_client(), STAFF).status_code == 302  # the old password still works


@pytest.mark.parametrize("token", ["not-a-token", "x" * 43, "A" * 500])
def test_an_unknown_link_says_so(client, token):
    page = client.get(f"/reset-password/{token}")
    assert page.status_code == 400
    assert "This link is not valid" in page.get_data(as_text=True)
    assert 'href="/forgot-password"' in page.get_data(as_text=True)
    refused = confirm(client, token)
    assert refused.status_code == 400 and refused.get_json()["reason"] == "unknown"


@pytest.mark.parametrize("body", [{"token": 5, "password": NEW_PASSWORD}, {"token": ["x"], "password": NEW_PASSWORD}])
def test_a_token_that_is_no_string_is_unknown(client, body):
    refused = client.post("/api/v1/password-reset/confirm", json=body)
    assert (refused.status_code, refused.get_json()["error"]) == (400, "bad_request")


def test_a_weak_password_is_refused_and_the_link_still_works(app, session, now):
    client = app.test_client()
    ask(client)
    token = queued_token(session)
    refused = confirm(client, token, "short")
    assert refused.status_code == 422
    assert refused.get_json()["fields"] == {"password": ["Use at least 10 characters."]}
    page = set_on_the_web(client, token, "short")
    assert page.status_code == 422 and field_errors(page)["password"] == ["Use at least 10 characters."]
    differ = set_on_the_web(client, token, NEW_PASSWORD, "another-long-password")
    assert differ.status_code == 422 and field_errors(differ)["confirm_password"] == ["The two new passwords differ."]
    assert sign_in(app.test_client(), STAFF).status_code == 302  # nothing changed
    assert confirm(client, token).status_code == 204


def test_a_disabled_accounts_link_stops_working(app, session, now):
    client = app.test_client()
    ask(client)
    token = queued_token(session)
    session.get(User, user_id(session, STAFF)).active = False
    session.commit()
    assert client.get(f"/reset-password/{token}").status_code == 400
    assert confirm(client, token).get_json()["reason"] == "unknown"


def test_disabling_the_account_spends_its_links_for_good(app, session, now):
    """Enabling the account again does not bring back a link sent before it was disabled."""
    client = app.test_client()
    ask(client)
    token = queued_token(session)
    admin = signed_in_client(app, ROLE_USERS["admin"])
    form = {"name": "Staff", "role": "ministry_staff", "country": "PH", "ministry": "DSWD", "submit": "Save"}
    assert admin.post(f"/admin/users/{user_id(session, STAFF)}", data=form).status_code == 302
    assert admin.post(f"/admin/users/{user_id(session, STAFF)}", data={**form, "active": "y"}).status_code == 302
    assert confirm(client, token).get_json()["reason"] == "used"


def test_changing_the_password_on_the_account_page_spends_the_links(app, session, now):
    client = app.test_client()
    ask(client)
    token = queued_token(session)
    me = signed_in_client(app, STAFF)
    response = me.post("/account", data={"current_password": DEMO_PASSWORD, "new_password": "changed-on-the-page",
                                         "confirm_password": "changed-on-the-page"})
    assert response.status_code == 302
    assert confirm(client, token).get_json()["reason"] == "used"
    assert sign_in(app.test_client(), STAFF, "changed-on-the-page").status_code == 302


# -- the request tells nothing ----------------------------------------------------------------------


class CountingHasher:
    """passwords' argon2 hasher, counting verifications."""

    def __init__(self, hasher):
        self.hasher, self.verifications = hasher, 0

    def verify(self, *args):
        self.verifications += 1
        return self.hasher.verify(*args)

    def __getattr__(self, name):
        return getattr(self.hasher, name)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(mail_app, session, smtp, monkeypatch, now):
    smtp.start()
    counting = CountingHasher(passwords._hasher)
    monkeypatch.setattr(passwords, "_hasher", counting)
    client = mail_app.test_client()
    answers, verifications = [], []
    for email in ("nobody@example.org", STAFF):
        before = counting.verifications
        answer = ask(client, email)
        answers.append((answer.status_code, answer.get_json(), sorted(answer.headers.keys())))
        verifications.append(counting.verifications - before)
    assert answers[0] == answers[1] and answers[0][:2] == (202, {})
    assert verifications == [1, 1]  # the same argon2 work with and without an account
    pages = [client.post("/forgot-password", data={"email": email}) for email in ("nobody@example.org", STAFF)]
    assert [(p.status_code, p.headers["Location"]) for p in pages] == [(302, "/forgot-password/sent")] * 2

    assert deliver(mail_app, now.move(minutes=1)).sent == 2
    assert [m["rcpt_tos"] for m in smtp.wait_for(2)] == [[STAFF], [STAFF]]
    assert {r.user_id for r in security_rows(session)} == {user_id(session, STAFF)}
    outcomes = [(e.email, e.detail["outcome"]) for e in audit_events(session, "password_reset_requested")]
    assert outcomes == [("nobody@example.org", "no_account"), (STAFF, "queued")] * 2


@pytest.mark.parametrize("body", [{}, {"email": ""}, {"email": 5}, {"email": "no-at-sign"}, {"email": "a@b.c" * 60}])
def test_a_request_without_an_address_is_refused_at_the_field(client, body):
    refused = client.post("/api/v1/password-reset", json=body)
    assert refused.status_code == 422 and "email" in refused.get_json()["fields"]


def test_the_web_form_needs_an_address(client):
    page = client.post("/forgot-password", data={"email": "not an address"})
    assert page.status_code == 422 and field_errors(page)["email"]


def test_a_disabled_user_gets_no_mail(mail_app, session, smtp, now):
    smtp.start()
    session.get(User, user_id(session, STAFF)).active = False
    session.commit()
    client = mail_app.test_client()
    assert (ask(client).status_code, ask(client).get_json()) == (202, {})
    assert client.post("/forgot-password", data={"email": STAFF}).headers["Location"] == "/forgot-password/sent"
    assert deliver(mail_app, now.move(minutes=1)).sent == 0
    assert smtp.messages == [] and security_rows(session) == []
    assert {e.detail["outcome"] for e in audit_events(session, "password_reset_requested")} == {"disabled"}


def test_at_most_three_links_an_hour_go_to_one_account(mail_app, session, smtp, now):
    smtp.start()
    client = mail_app.test_client()
    for _ in range(5):
        assert ask(client).status_code == 202
        now.move(minutes=5)
    assert deliver(mail_app, now.current).sent == 3
    assert len(smtp.wait_for(3)) == 3
    outcomes = [e.detail["outcome"] for e in audit_events(session, "password_reset_requested")]
    assert outcomes == ["queued"] * 3 + ["rate_limited"] * 2
    now.move(minutes=40)  # the first link was asked for an hour and five minutes ago
    ask(client)
    assert deliver(mail_app, now.current).sent == 1


# -- the administrator ------------------------------------------------------------------------------


def test_the_admin_sends_a_link_by_the_api(mail_app, session, smtp, now):
    smtp.start()
    client = mail_app.test_client()
    staff_id = user_id(session, STAFF)
    sent = client.post(f"/api/v1/users/{staff_id}/password-reset", headers=api_token(client, ADMIN))
    assert (sent.status_code, sent.get_json()) == (202, {"queued": True})
    deliver(mail_app, now.move(minutes=1))
    (received,) = smtp.wait_for(1)
    text, _ = text_and_html(received["message"])
    assert ("An administrator of SPF Coordination (System Administrator) sent you this link to set a new "
            f"password for your account {STAFF}") in text
    assert "If you did not expect this message, do not use the link: ask your administrator." in text
    (token,) = set(LINK.findall(text))
    assert confirm(client, token).status_code == 204
    (event,) = audit_events(session, "password_reset_requested")
    assert (event.email, event.actor_id, event.detail) == (
        STAFF, user_id(session, ADMIN), {"by_admin": True, "outcome": "queued"})


@pytest.mark.parametrize("role", ["coordinator", "secretariat", "ministry_staff", "observer"])
def test_nobody_but_the_admin_may_send_a_link(app, session, role):
    client = app.test_client()
    headers = api_token(client, ROLE_USERS[role])
    staff_id = user_id(session, STAFF)
    refused = client.post(f"/api/v1/users/{staff_id}/password-reset", headers=headers)
    assert (refused.status_code, refused.get_json()["error"]) == (403, "forbidden")
    assert client.post("/api/v1/users/999999/password-reset", headers=headers).status_code == 403
    web = signed_in_client(app, ROLE_USERS[role])
    assert web.post(f"/admin/users/{staff_id}/password-reset").status_code == 403
    assert security_rows(session) == [] and audit_events(session, "password_reset_requested") == []


def test_the_admin_api_answers_unknown_users_and_disabled_accounts(app, session):
    client = app.test_client()
    headers = api_token(client, ADMIN)
    assert client.post("/api/v1/users/999999/password-reset", headers=headers).status_code == 404
    assert client.post(f"/api/v1/users/{user_id(session, STAFF)}/password-reset").status_code == 401
    session.get(User, user_id(session, STAFF)).active = False
    session.commit()
    refused = client.post(f"/api/v1/users/{user_id(session, STAFF)}/password-reset", headers=headers)
    assert refused.status_code == 409 and "disabled" in refused.get_json()["message"]
    assert security_rows(session) == []


def test_the_admin_sends_a_link_from_the_users_page(mail_app, session, smtp, now):
    smtp.start()
    admin = signed_in_client(mail_app, ADMIN)
    staff_id = user_id(session, STAFF)
    page = admin.get(f"/admin/users/{staff_id}").get_data(as_text=True)
    assert "Send a password-reset link" in page
    assert f'action="/admin/users/{staff_id}/password-reset"' in page
    sent = admin.post(f"/admin/users/{staff_id}/password-reset")
    assert sent.status_code == 302 and sent.headers["Location"] == f"/admin/users/{staff_id}"
    assert f"A password-reset link is on its way to {STAFF}" in admin.get(sent.headers["Location"]).get_data(
        as_text=True)
    assert admin.post("/admin/users/999999/password-reset").status_code == 404
    for _ in range(2):
        admin.post(f"/admin/users/{staff_id}/password-reset")
    limited = admin.post(f"/admin/users/{staff_id}/password-reset", follow_redirects=True)
    assert "No link was sent" in limited.get_data(as_text=True)
    assert deliver(mail_app, now.move(minutes=1)).sent == 3
    assert len(smtp.wait_for(3)) == 3


def test_the_users_page_posts_the_link_with_a_csrf_token(make_app, app, session):
    strict = make_app(WTF_CSRF_ENABLED=True)
    admin = strict.test_client()
    login = admin.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login).group(1)
    assert admin.post("/login", data={"email": ADMIN, "password": DEMO_PASSWORD, "csrf_token": csrf}).status_code == 302
    staff_id = user_id(session, STAFF)
    page = admin.get(f"/admin/users/{staff_id}").get_data(as_text=True)
    assert admin.post(f"/admin/users/{staff_id}/password-reset").status_code == 400  # no token: refused
    assert security_rows(session) == []
    form = page[page.index(f'action="/admin/users/{staff_id}/password-reset"'):]
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    assert admin.post(f"/admin/users/{staff_id}/password-reset", data={"csrf_token": token}).status_code == 302
    assert len(security_rows(session)) == 1


# -- the outbox: never a notification, never a digest, never a stale link ---------------------------


def test_the_security_mail_is_no_notification_and_never_in_a_digest(mail_app, session, smtp, monkeypatch):
    smtp.start()
    staff_id = user_id(session, STAFF)
    session.add(NotificationPreference(user_id=staff_id, email_mode="digest", updated_at=START))
    session.commit()
    make_item(session, due=date(2027, 3, 31), title="Link DSWD and PhilHealth records")
    early = datetime.fromisoformat("2027-03-30T06:00:00+08:00")  # before the digest hour in Manila
    sweep(mail_app, early)  # the item's day -7 reminder: waits for the digest
    monkeypatch.setattr(clock, "now", lambda: early)
    client = mail_app.test_client()
    ask(client)

    # In the application: the reminder, never the reset message.
    web = signed_in_client(mail_app, STAFF)
    page = web.get("/notifications").get_data(as_text=True)
    assert "Link DSWD and PhilHealth records" in page and "Set a new password" not in page
    assert re.search(r"Notifications\s*<span class=\"badge[^>]*>1<", web.get("/account").get_data(as_text=True))
    listed = web.get("/api/v1/notifications", headers=api_token(mail_app.test_client(), STAFF)).get_json()
    assert (listed["total"], listed["unread"]) == (1, 1)
    assert [n["kind"] for n in listed["notifications"]] == ["reminder"]
    (security,) = security_rows(session)
    assert web.post(f"/notifications/{security.id}/read").status_code == 404
    web.post("/notifications/read-all")
    assert security_rows(session)[0].read_at is None

    # By e-mail: the reset goes at once, though the user takes a daily digest; the digest
    # at 08:00 holds the reminder only.
    assert deliver(mail_app, early + timedelta(minutes=1)).sent == 1
    (first,) = smtp.wait_for(1)
    assert first["message"]["Subject"] == "Set a new password for SPF Coordination"
    assert deliver(mail_app, datetime.fromisoformat("2027-03-30T08:00:00+08:00")).sent == 1
    digest = smtp.wait_for(2)[1]["message"]
    assert digest["Subject"] == "Your daily summary: 1 reminder or notice"
    text, html = text_and_html(digest)
    for part in (text, html):
        assert "Link DSWD and PhilHealth records" in part
        assert "password" not in part.lower()
    (security,) = security_rows(session)
    assert (security.status, security.digest_id) == ("sent", None)


def test_a_message_whose_link_was_used_before_it_left_is_not_sent(mail_app, session, smtp, now):
    client = mail_app.test_client()
    ask(client)
    first = queued_token(session)
    ask(client)  # the mail server is down: both wait
    assert deliver(mail_app, now.move(minutes=1)).failed == 2
    assert confirm(client, first).status_code == 204
    smtp.start()
    outcome = deliver(mail_app, now.move(minutes=5))
    assert (outcome.sent, outcome.failed) == (0, 2)
    assert smtp.messages == []
    rows = security_rows(session)
    assert {(r.status, r.body, r.url) for r in rows} == {("failed", "", "")}
    assert all("used or expired" in r.last_error for r in rows)


def test_a_message_still_waiting_when_its_link_expires_is_dropped_not_sent(mail_app, session, smtp, now):
    client = mail_app.test_client()
    ask(client)
    assert deliver(mail_app, now.move(minutes=1)).failed == 1  # the mail server is down
    (row,) = security_rows(session)
    assert row.status == "pending" and row.url  # kept for the next attempt
    smtp.start()
    assert deliver(mail_app, now.move(minutes=60)).sent == 0
    assert smtp.messages == []
    (row,) = security_rows(session)
    assert (row.status, row.body, row.url) == ("failed", "", "")


def test_a_failed_security_message_is_listed_for_the_admin_without_its_link(mail_app, session, smtp, now):
    client = mail_app.test_client()
    ask(client)
    token = queued_token(session)
    deliver(mail_app, now.move(minutes=1))
    now.move(minutes=61)
    deliver(mail_app, now.current)
    admin = signed_in_client(mail_app, ADMIN)
    page = admin.get("/admin/outbox").get_data(as_text=True)
    assert "Set a new password for SPF Coordination" in page and token not in page
    # Retried by the admin, it still cannot send a dead link.
    (row,) = security_rows(session)
    assert admin.post(f"/admin/outbox/{row.id}/retry").status_code == 302
    smtp.start()
    assert deliver(mail_app, now.move(minutes=1)).sent == 0 and smtp.messages == []
