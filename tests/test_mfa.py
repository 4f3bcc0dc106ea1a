"""Two-step sign-in: TOTP codes (RFC 6238) and recovery codes, in the API and on the web;
the sign-in limits count wrong codes; MFA_REQUIRED_ROLES sends users to enrolment."""
import re
from datetime import timedelta
from html import unescape

import pyotp
import pytest
from helpers import ROLE_USERS, api_token, field_errors, form_errors, is_login_redirect, sign_in, signed_in_client
from sqlalchemy import select

from coordination import clock
from coordination.audit.models import AuditEvent
from coordination.auth.models import LoginFailure, RecoveryCode, User
from coordination.demo import DEMO_PASSWORD
from coordination.extensions import db

COORDINATOR = ROLE_USERS["coordinator"]
ADMIN = ROLE_USERS["admin"]
HOME, ELSEWHERE = "203.0.113.7", "198.51.100.20"


class FrozenClock:
    """``clock.now`` that stays where the test puts it."""

    def __init__(self, at):
        self.at = at

    def __call__(self):
        return self.at

    def steps(self, n: int = 1) -> None:
        self.at += timedelta(seconds=30 * n)


@pytest.fixture
def frozen(monkeypatch):
    now = clock.now().replace(microsecond=0)
    # Ten seconds into a 30-second step, so that "the same step" means the same code.
    start = now - timedelta(seconds=int(now.timestamp()) % 30) + timedelta(seconds=10)
    frozen_clock = FrozenClock(start)
    monkeypatch.setattr(clock, "now", frozen_clock)
    return frozen_clock


def totp(secret: str, at, steps: int = 0) -> str:
    """The code an authenticator app shows at ``at`` (plus ``steps`` of 30 seconds)."""
    return pyotp.TOTP(secret).at(int(at.timestamp()) + 30 * steps)


def token_for(client, email=COORDINATOR, password=DEMO_PASSWORD, address=HOME, **extra):
    return client.post("/api/v1/tokens", json={"email": email, "password": password, **extra},
                       environ_base={"REMOTE_ADDR": address})


def enrol(client, headers, frozen) -> tuple[str, list[str]]:
    """Turn two-step sign-in on through the API; the secret and the recovery codes. The clock
    moves one step on, so that the confirming code is not the one the test signs in with."""
    secret = client.post("/api/v1/me/mfa", headers=headers).get_json()["secret"]
    confirmed = client.post("/api/v1/me/mfa/confirm", headers=headers, json={"otp": totp(secret, frozen.at)})
    assert confirmed.status_code == 200, confirmed.get_json()
    frozen.steps()
    return secret, confirmed.get_json()["recovery_codes"]


def user_row(app, email=COORDINATOR) -> User:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        db.session.expunge(user)
        return user


def audit_events(app, email=COORDINATOR, type=None) -> list[AuditEvent]:
    with app.app_context():
        statement = select(AuditEvent).where(AuditEvent.email == email).order_by(AuditEvent.id)
        if type:
            statement = statement.where(AuditEvent.type == type)
        events = db.session.scalars(statement).all()
        for event in events:
            db.session.expunge(event)
        return events


def audit_types(app, email=COORDINATOR) -> list[str]:
    return [event.type for event in audit_events(app, email)]


def recovery_rows(app, email=COORDINATOR) -> list[RecoveryCode]:
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
        rows = db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user_id)).all()
        for row in rows:
            db.session.expunge(row)
        return rows


def failures(app, email=COORDINATOR) -> int:
    with app.app_context():
        return len(db.session.scalars(select(LoginFailure).where(LoginFailure.email == email)).all())


# -- enrolment through the API ---------------------------------------------------------------


def test_enrolment_through_the_api(app, frozen):
    client = app.test_client()
    headers = api_token(client, COORDINATOR)
    assert client.get("/api/v1/me", headers=headers).get_json()["mfa"] is False

    started = client.post("/api/v1/me/mfa", headers=headers)
    assert started.status_code == 200
    secret, uri = started.get_json()["secret"], started.get_json()["otpauth_uri"]
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    parsed = pyotp.parse_uri(uri)
    assert parsed.secret == secret and parsed.name == COORDINATOR and parsed.issuer == "SPF Coordination"
    assert (parsed.digits, parsed.interval, parsed.digest().name) == (6, 30, "sha1")
    user = user_row(app)
    assert (user.mfa_pending_secret, user.mfa_secret) == (secret, None)
    # Pending is not on: the password alone still gives a token.
    assert client.get("/api/v1/me", headers=headers).get_json()["mfa"] is False
    assert token_for(client).status_code == 201

    wrong = client.post("/api/v1/me/mfa/confirm", headers=headers, json={"otp": "000000"})
    if totp(secret, frozen.at) == "000000":  # one chance in a million
        pytest.skip("the right code happened to be 000000")
    assert wrong.status_code == 422
    assert wrong.get_json()["error"] == "validation_error" and "otp" in wrong.get_json()["fields"]
    missing = client.post("/api/v1/me/mfa/confirm", headers=headers, json={})
    assert missing.status_code == 422 and "otp" in missing.get_json()["fields"]
    assert user_row(app).mfa_secret is None

    confirmed = client.post("/api/v1/me/mfa/confirm", headers=headers, json={"otp": totp(secret, frozen.at)})
    assert confirmed.status_code == 200
    codes = confirmed.get_json()["recovery_codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    user = user_row(app)
    assert (user.mfa_secret, user.mfa_pending_secret, user.mfa_enabled_at) == (secret, None, frozen.at)
    rows = recovery_rows(app)
    assert len(rows) == 10 and all(row.used_at is None for row in rows)
    assert not {row.digest for row in rows} & set(codes)  # only digests are kept
    assert client.get("/api/v1/me", headers=headers).get_json()["mfa"] is True
    assert audit_types(app)[-1] == "mfa_enabled"

    # On already: a second start is refused and changes nothing.
    again = client.post("/api/v1/me/mfa", headers=headers)
    assert again.status_code == 409
    assert user_row(app).mfa_secret == secret


def test_confirming_with_nothing_pending_is_refused(app, frozen):
    client = app.test_client()
    headers = api_token(client, COORDINATOR)
    response = client.post("/api/v1/me/mfa/confirm", headers=headers, json={"otp": "123456"})
    assert response.status_code == 409
    assert client.post("/api/v1/me/mfa/confirm", headers=headers, data="[]",
                       content_type="application/json").status_code == 400
    assert client.delete("/api/v1/me/mfa", headers=headers, json={"otp": "123456"}).status_code == 409
    assert audit_types(app).count("mfa_enabled") == 0


def test_a_new_start_replaces_the_pending_secret(app, frozen):
    client = app.test_client()
    headers = api_token(client, COORDINATOR)
    first = client.post("/api/v1/me/mfa", headers=headers).get_json()["secret"]
    second = client.post("/api/v1/me/mfa", headers=headers).get_json()["secret"]
    assert first != second
    stale = client.post("/api/v1/me/mfa/confirm", headers=headers, json={"otp": totp(first, frozen.at)})
    assert stale.status_code == 422
    assert client.post("/api/v1/me/mfa/confirm", headers=headers,
                       json={"otp": totp(second, frozen.at)}).status_code == 200


def test_the_mfa_routes_need_a_token(client):
    assert client.post("/api/v1/me/mfa").status_code == 401
    assert client.post("/api/v1/me/mfa/confirm", json={"otp": "123456"}).status_code == 401
    assert client.delete("/api/v1/me/mfa", json={"otp": "123456"}).status_code == 401


# -- tokens once two-step sign-in is on ------------------------------------------------------


def test_a_token_needs_the_code_once_it_is_on(app, frozen):
    client = app.test_client()
    secret, _ = enrol(client, api_token(client, COORDINATOR), frozen)

    without = token_for(client)
    assert without.status_code == 401
    assert without.get_json()["error"] == "mfa_required"
    assert token_for(client, otp="").get_json()["error"] == "mfa_required"
    assert failures(app) == 0  # the right password without a code is no failed sign-in

    wrong_code = totp(secret, frozen.at, steps=5)
    wrong = token_for(client, otp=wrong_code)
    assert wrong.status_code == 401
    assert wrong.get_json()["error"] == "unauthorized"
    assert failures(app) == 1
    failed = audit_events(app, type="login_failed")[-1]
    assert (failed.detail["reason"], failed.address) == ("wrong_otp", HOME)

    # A wrong password with the right code: still the same refusal as any wrong password.
    assert token_for(client, password="wrong-guess", otp=totp(secret, frozen.at)).status_code == 401

    good = token_for(client, otp=totp(secret, frozen.at))
    assert good.status_code == 201
    headers = {"Authorization": f"Bearer {good.get_json()['token']}"}
    assert client.get("/api/v1/me", headers=headers).get_json()["mfa"] is True
    assert audit_types(app)[-1] == "token_created"
    # A code that is not a string is bad input, not a guess.
    odd = token_for(client, otp=123456)
    assert odd.status_code == 422 and "otp" in odd.get_json()["fields"]


def test_a_totp_code_is_accepted_once(app, frozen):
    client = app.test_client()
    secret, _ = enrol(client, api_token(client, COORDINATOR), frozen)
    code = totp(secret, frozen.at)
    assert token_for(client, otp=code).status_code == 201
    reused = token_for(client, otp=code)
    assert reused.status_code == 401
    assert reused.get_json()["error"] == "unauthorized"
    assert audit_events(app, type="login_failed")[-1].detail["reason"] == "wrong_otp"
    # The next step's code works.
    frozen.steps()
    assert token_for(client, otp=totp(secret, frozen.at)).status_code == 201


def test_one_step_of_clock_drift_is_allowed_either_way(app, frozen):
    client = app.test_client()
    secret, _ = enrol(client, api_token(client, COORDINATOR), frozen)
    frozen.steps(3)
    assert token_for(client, otp=totp(secret, frozen.at, steps=-1)).status_code == 201  # a slow phone
    assert token_for(client, otp=totp(secret, frozen.at, steps=1)).status_code == 201  # a fast one
    # Once a later step was used, the earlier ones are spent too.
    assert token_for(client, otp=totp(secret, frozen.at)).status_code == 401
    frozen.steps(5)
    assert token_for(client, otp=totp(secret, frozen.at, steps=-2)).status_code == 401  # too old
    assert token_for(client, otp=totp(secret, frozen.at, steps=2)).status_code == 401  # too far ahead


def test_the_code_that_confirmed_enrolment_does_not_sign_in(app, frozen):
    client = app.test_client()
    headers = api_token(client, COORDINATOR)
    secret = client.post("/api/v1/me/mfa", headers=headers).get_json()["secret"]
    code = totp(secret, frozen.at)
    assert client.post("/api/v1/me/mfa/confirm", headers=headers, json={"otp": code}).status_code == 200
    assert token_for(client, otp=code).status_code == 401


def test_a_recovery_code_works_once(app, frozen):
    client = app.test_client()
    _, codes = enrol(client, api_token(client, COORDINATOR), frozen)
    used = token_for(client, otp=codes[0])
    assert used.status_code == 201
    event = audit_events(app, type="mfa_recovery_code_used")[-1]
    assert event.detail == {"remaining": 9}
    assert event.address == HOME
    assert sum(row.used_at is not None for row in recovery_rows(app)) == 1

    again = token_for(client, otp=codes[0])
    assert again.status_code == 401
    assert again.get_json()["error"] == "unauthorized"
    assert audit_events(app, type="login_failed")[-1].detail["reason"] == "wrong_otp"
    assert len(audit_events(app, type="mfa_recovery_code_used")) == 1
    # Typed without the dashes and in capitals, another one is still good.
    assert token_for(client, otp=codes[1].replace("-", "").upper()).status_code == 201


def test_wrong_codes_count_toward_the_sign_in_limit(app, frozen):
    client = app.test_client()
    secret, _ = enrol(client, api_token(client, COORDINATOR), frozen)
    wrong_code = totp(secret, frozen.at, steps=5)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert token_for(client, otp=wrong_code).status_code == 401
    refused = token_for(client, otp=totp(secret, frozen.at))
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    # The web door shares the count, even before the code is asked for.
    page = client.post("/login", data={"email": COORDINATOR, "password": DEMO_PASSWORD},
                       environ_base={"REMOTE_ADDR": HOME})
    assert page.status_code == 429
    # From another address the owner gets in.
    assert token_for(client, address=ELSEWHERE, otp=totp(secret, frozen.at)).status_code == 201


# -- turning it off through the API ----------------------------------------------------------


def test_turning_it_off_needs_a_current_code(app, frozen):
    client = app.test_client()
    headers = api_token(client, COORDINATOR)
    secret, codes = enrol(client, headers, frozen)

    missing = client.delete("/api/v1/me/mfa", headers=headers, json={})
    assert missing.status_code == 422 and "otp" in missing.get_json()["fields"]
    wrong = client.delete("/api/v1/me/mfa", headers=headers, json={"otp": totp(secret, frozen.at, steps=5)})
    assert wrong.status_code == 422 and "otp" in wrong.get_json()["fields"]
    assert user_row(app).mfa_secret == secret
    assert "mfa_disabled" not in audit_types(app)

    off = client.delete("/api/v1/me/mfa", headers=headers, json={"otp": totp(secret, frozen.at)})
    assert off.status_code == 204
    user = user_row(app)
    assert (user.mfa_secret, user.mfa_pending_secret, user.mfa_enabled_at, user.mfa_last_step) == (
        None, None, None, None)
    assert recovery_rows(app) == []
    assert audit_events(app, type="mfa_disabled")[-1].detail == {"with": "totp"}
    assert client.get("/api/v1/me", headers=headers).get_json()["mfa"] is False
    assert token_for(client).status_code == 201
    assert token_for(client, otp=codes[0]).status_code == 201  # otp is ignored now


def test_a_recovery_code_turns_it_off_too(app, frozen):
    client = app.test_client()
    headers = api_token(client, COORDINATOR)
    _, codes = enrol(client, headers, frozen)
    assert client.delete("/api/v1/me/mfa", headers=headers, json={"otp": codes[3]}).status_code == 204
    assert audit_types(app)[-2:] == ["mfa_recovery_code_used", "mfa_disabled"]
    assert audit_events(app, type="mfa_disabled")[-1].detail == {"with": "recovery_code"}


# -- the web: signing in in two steps --------------------------------------------------------


def web_sign_in(client, password=DEMO_PASSWORD, next_path=None, email=COORDINATOR):
    url = f"/login?next={next_path}" if next_path else "/login"
    return client.post(url, data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": HOME})


def send_code(client, location, code):
    return client.post(location, data={"otp": code}, environ_base={"REMOTE_ADDR": HOME})


def test_the_web_asks_for_the_code_after_the_password(app, frozen):
    client = app.test_client()
    secret, _ = enrol(client, api_token(client, COORDINATOR), frozen)
    before = len(audit_events(app, type="login_succeeded"))

    first = web_sign_in(client, next_path="/items%3Fstate%3Ddraft")
    assert first.status_code == 302
    location = first.headers["Location"]
    assert location.startswith("/login/code")
    assert "next=" in location
    # Half signed in is not signed in.
    assert is_login_redirect(client.get("/"))
    assert len(audit_events(app, type="login_succeeded")) == before

    page = client.get(location)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert re.search(r'<label[^>]*for="otp"', html) and 'name="otp"' in html

    wrong = send_code(client, location, totp(secret, frozen.at, steps=5))
    assert wrong.status_code == 401
    assert field_errors(wrong)["otp"] == ["The code is not correct, or it was used already."]
    assert is_login_redirect(client.get("/"))
    assert audit_events(app, type="login_failed")[-1].detail["reason"] == "wrong_otp"
    assert failures(app) == 1

    empty = send_code(client, location, "")
    assert empty.status_code == 422 and field_errors(empty)["otp"]

    done = send_code(client, location, totp(secret, frozen.at))
    assert done.status_code == 302
    assert done.headers["Location"] == "/items?state=draft"
    assert client.get("/").status_code == 200
    succeeded = audit_events(app, type="login_succeeded")
    assert len(succeeded) == before + 1
    assert succeeded[-1].detail == {"second_step": "totp"}
    # The code page is done with: signed in, it leads home.
    assert client.get(location).headers["Location"] == "/"


def test_a_user_without_two_step_sign_in_signs_in_with_the_password(app):
    assert sign_in(app.test_client(), COORDINATOR).headers["Location"] == "/"


def test_the_same_code_does_not_sign_in_twice_on_the_web(app, frozen):
    client = app.test_client()
    secret, _ = enrol(client, api_token(client, COORDINATOR), frozen)
    code = totp(secret, frozen.at)
    assert token_for(client, otp=code).status_code == 201
    location = web_sign_in(client).headers["Location"]
    assert send_code(client, location, code).status_code == 401
    assert is_login_redirect(client.get("/"))


def test_a_recovery_code_signs_in_once_on_the_web(app, frozen):
    _, codes = enrol(app.test_client(), api_token(app.test_client(), COORDINATOR), frozen)
    client = app.test_client()
    location = web_sign_in(client).headers["Location"]
    done = send_code(client, location, codes[0])
    assert done.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert "9 recovery codes are left" in home
    assert audit_events(app, type="login_succeeded")[-1].detail == {"second_step": "recovery_code"}
    assert audit_events(app, type="mfa_recovery_code_used")[-1].detail == {"remaining": 9}

    other = app.test_client()
    location = web_sign_in(other).headers["Location"]
    again = send_code(other, location, codes[0])
    assert again.status_code == 401 and field_errors(again)["otp"]
    assert is_login_redirect(other.get("/"))


def test_wrong_codes_on_the_web_count_toward_the_limit(app, frozen):
    client = app.test_client()
    secret, _ = enrol(client, api_token(client, COORDINATOR), frozen)
    location = web_sign_in(client).headers["Location"]
    wrong_code = totp(secret, frozen.at, steps=5)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert send_code(client, location, wrong_code).status_code == 401
    blocked = send_code(client, location, totp(secret, frozen.at))
    assert blocked.status_code == 429
    assert "Too many failed sign-ins" in form_errors(blocked)[0]
    assert int(blocked.headers["Retry-After"]) > 0
    assert is_login_redirect(client.get("/"))
    assert audit_types(app)[-1] == "login_rate_limited"
    assert token_for(client, otp=totp(secret, frozen.at)).status_code == 429


def test_the_half_signed_in_state_expires(app, frozen):
    client = app.test_client()
    secret, _ = enrol(client, api_token(client, COORDINATOR), frozen)
    location = web_sign_in(client, next_path="/countries/PH").headers["Location"]
    frozen.at += timedelta(minutes=6)
    late = send_code(client, location, totp(secret, frozen.at))
    assert is_login_redirect(late)
    assert "next=/countries/PH" in late.headers["Location"]
    assert is_login_redirect(client.get("/"))
    assert "Please sign in again" in client.get("/login").get_data(as_text=True)
    assert failures(app) == 0


def test_the_code_page_without_a_password_first_leads_to_sign_in(client):
    assert is_login_redirect(client.get("/login/code"))
    assert is_login_redirect(client.post("/login/code", data={"otp": "123456"}))


def test_signing_out_everywhere_ends_the_half_signed_in_state(app, frozen):
    client = app.test_client()
    secret, _ = enrol(client, api_token(client, COORDINATOR), frozen)
    location = web_sign_in(client).headers["Location"]
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == COORDINATOR))
        user.session_counter += 1
        db.session.commit()
    assert is_login_redirect(send_code(client, location, totp(secret, frozen.at)))
    assert is_login_redirect(client.get("/"))


# -- the web: the account page ---------------------------------------------------------------


def shown_secret(page) -> str:
    match = re.search(r'id="mfa-secret">([A-Z2-7 ]+)<', page.get_data(as_text=True))
    assert match, "the secret is not shown for typing by hand"
    return match.group(1).replace(" ", "")


def test_enrolment_and_turning_off_on_the_web(app, frozen):
    client = signed_in_client(app, COORDINATOR)
    account = client.get("/account").get_data(as_text=True)
    assert "Set up two-step sign-in" in account

    assert client.get("/account/two-step").status_code == 200
    started = client.post("/account/two-step/start")
    assert started.status_code == 302 and started.headers["Location"] == "/account/two-step"
    page = client.get("/account/two-step")
    html = page.get_data(as_text=True)
    # The QR code is drawn in the page itself, with no script of its own.
    assert "<svg" in html and not re.search(r"<script(?![^>]*\bsrc=)", html)
    secret = shown_secret(page)
    assert secret == user_row(app).mfa_pending_secret
    assert re.search(r'<label[^>]*for="otp"', html)

    wrong = client.post("/account/two-step/confirm", data={"otp": totp(secret, frozen.at, steps=5)})
    assert wrong.status_code == 422
    assert field_errors(wrong)["otp"]
    assert shown_secret(wrong) == secret  # still the same key to scan
    assert user_row(app).mfa_secret is None

    confirmed = client.post("/account/two-step/confirm", data={"otp": totp(secret, frozen.at)})
    assert confirmed.status_code == 200
    codes = re.findall(r"<li>([a-z2-9]{4}(?:-[a-z2-9]{4}){3})</li>", confirmed.get_data(as_text=True))
    assert len(codes) == 10
    assert user_row(app).mfa_secret == secret
    assert audit_types(app)[-1] == "mfa_enabled"
    # Shown once: the page afterwards has none of them.
    later = client.get("/account/two-step").get_data(as_text=True)
    assert "Two-step sign-in is on" in later and not any(code in later for code in codes)
    assert "10 unused recovery codes" in later
    assert "Manage or turn off two-step sign-in" in client.get("/account").get_data(as_text=True)
    frozen.steps()

    # Turning it off asks for confirmation and a current code.
    unconfirmed = client.post("/account/two-step/disable", data={"otp": totp(secret, frozen.at)})
    assert unconfirmed.status_code == 422
    assert field_errors(unconfirmed)["confirm"] == ["Tick the box to confirm."]
    wrong = client.post("/account/two-step/disable", data={"otp": "12345678", "confirm": "y"})
    assert wrong.status_code == 422 and field_errors(wrong)["otp"]
    assert user_row(app).mfa_secret == secret
    off = client.post("/account/two-step/disable", data={"otp": totp(secret, frozen.at), "confirm": "y"})
    assert off.status_code == 302 and off.headers["Location"] == "/account"
    assert user_row(app).mfa_secret is None
    assert recovery_rows(app) == []
    assert audit_types(app)[-1] == "mfa_disabled"
    assert "Two-step sign-in is off" in unescape(client.get("/account").get_data(as_text=True))


def test_the_web_confirm_and_disable_pages_refuse_what_is_not_pending_or_on(app, frozen):
    client = signed_in_client(app, COORDINATOR)
    assert client.post("/account/two-step/confirm", data={"otp": "123456"}).status_code == 302
    assert client.post("/account/two-step/disable", data={"otp": "123456", "confirm": "y"}).status_code == 302
    assert user_row(app).mfa_secret is None
    assert client.get("/account/two-step").status_code == 200


def test_the_two_step_pages_need_a_sign_in(client):
    assert is_login_redirect(client.get("/account/two-step"))
    assert is_login_redirect(client.post("/account/two-step/start"))


# -- roles that must use it ------------------------------------------------------------------


def test_required_roles_reach_only_enrolment_until_enrolled(app, make_app, frozen):
    old_token = api_token(app.test_client(), ADMIN)  # issued before the rule
    app = make_app(MFA_REQUIRED_ROLES=frozenset({"admin"}))
    client = app.test_client()

    refused = token_for(client, email=ADMIN)
    assert refused.status_code == 403
    assert refused.get_json()["error"] == "mfa_enrolment_required"
    assert token_for(client, email=ADMIN, password="wrong-guess").status_code == 401
    assert token_for(client, email=COORDINATOR).status_code == 201  # other roles as before

    # Older tokens reach enrolment only.
    assert client.get("/api/v1/countries", headers=old_token).get_json()["error"] == "mfa_enrolment_required"
    assert client.get("/api/v1/me", headers=old_token).get_json()["mfa"] is False

    web = app.test_client()
    assert web_sign_in(web, email=ADMIN).status_code == 302
    for path in ("/", "/admin/users", "/account", "/countries/PH"):
        response = web.get(path)
        assert response.status_code == 302 and response.headers["Location"] == "/account/two-step", path
    page = web.get("/account/two-step")
    assert page.status_code == 200
    assert "Your role needs two-step sign-in" in page.get_data(as_text=True)
    assert web.get("/static/app.css").status_code == 200

    web.post("/account/two-step/start")
    secret = shown_secret(web.get("/account/two-step"))
    assert web.post("/account/two-step/confirm", data={"otp": totp(secret, frozen.at)}).status_code == 200
    frozen.steps()
    assert web.get("/admin/users").status_code == 200
    assert client.get("/api/v1/countries", headers=old_token).status_code == 200
    assert token_for(client, email=ADMIN, otp=totp(secret, frozen.at)).status_code == 201
    assert web.post("/logout").status_code == 302


def test_a_required_role_can_sign_out_before_enrolling(app, make_app):
    app = make_app(MFA_REQUIRED_ROLES=frozenset({"admin"}))
    web = app.test_client()
    web_sign_in(web, email=ADMIN)
    assert web.post("/logout").headers["Location"] == "/login"
    assert is_login_redirect(web.get("/"))


def test_without_required_roles_nobody_is_sent_to_enrolment(app):
    client = signed_in_client(app, ADMIN)
    assert client.get("/admin/users").status_code == 200
