"""Failed sign-ins are limited per (account, address) and per address, never so that one
person's guesses lock everybody out; the client address behind trusted proxies."""
from datetime import timedelta

from helpers import ROLE_USERS, form_errors, sign_in
from sqlalchemy import select

from coordination import clock
from coordination.audit.models import AuditEvent
from coordination.demo import DEMO_PASSWORD
from coordination.extensions import db

COORDINATOR = ROLE_USERS["coordinator"]
OBSERVER = ROLE_USERS["observer"]
ATTACKER, OTHER = "203.0.113.7", "198.51.100.20"


def try_token(client, email, password, address, **kwargs):
    return client.post("/api/v1/tokens", json={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address}, **kwargs)


def fail_sign_ins(client, emails, address=ATTACKER):
    for email in emails:
        assert try_token(client, email, "wrong-guess", address).status_code == 401


def audit_types(app, email):
    with app.app_context():
        return db.session.scalars(select(AuditEvent.type).where(AuditEvent.email == email)
                                  .order_by(AuditEvent.id)).all()


def test_the_attacked_account_is_refused_from_the_attackers_address_only(app):
    client = app.test_client()
    fail_sign_ins(client, [COORDINATOR] * app.config["LOGIN_MAX_FAILURES"])

    refused = try_token(client, COORDINATOR, DEMO_PASSWORD, ATTACKER)
    assert refused.status_code == 429
    assert refused.get_json()["error"] == "rate_limited"
    retry = int(refused.headers["Retry-After"])
    assert 0 < retry <= app.config["LOGIN_FAILURE_WINDOW_MINUTES"] * 60
    assert refused.get_json()["retry_after"] == retry

    # The web door shares the count, and says so with the same header.
    page = client.post("/login", data={"email": COORDINATOR, "password": DEMO_PASSWORD},
                       environ_base={"REMOTE_ADDR": ATTACKER})
    assert page.status_code == 429
    assert "Too many failed sign-ins" in form_errors(page)[0]
    assert int(page.headers["Retry-After"]) > 0

    # The owner, from their own address, gets in; so does another account from the attacker's.
    assert try_token(client, COORDINATOR, DEMO_PASSWORD, OTHER).status_code == 201
    assert try_token(client, OBSERVER, DEMO_PASSWORD, ATTACKER).status_code == 201
    assert sign_in(app.test_client(), COORDINATOR).status_code == 302

    assert audit_types(app, COORDINATOR)[-4:] == [
        "login_rate_limited", "login_rate_limited", "token_created", "login_succeeded"]


def test_failures_from_other_addresses_never_refuse_the_right_password(app):
    client = app.test_client()
    for n in range(app.config["LOGIN_MAX_FAILURES"] * 2):
        fail_sign_ins(client, [COORDINATOR], address=f"192.0.2.{n}")
    assert try_token(client, COORDINATOR, DEMO_PASSWORD, OTHER).status_code == 201


def test_too_many_failures_from_one_address_refuse_every_account_there(app, make_app):
    app = make_app(LOGIN_MAX_FAILURES_PER_ADDRESS=12)
    client = app.test_client()
    fail_sign_ins(client, [f"guess{n}@example.org" for n in range(12)])
    blocked = try_token(client, COORDINATOR, DEMO_PASSWORD, ATTACKER)
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    assert try_token(client, COORDINATOR, DEMO_PASSWORD, OTHER).status_code == 201


def test_below_the_per_address_limit_other_accounts_still_get_in(app, make_app):
    app = make_app(LOGIN_MAX_FAILURES_PER_ADDRESS=12)
    client = app.test_client()
    fail_sign_ins(client, [f"guess{n}@example.org" for n in range(11)])
    assert try_token(client, COORDINATOR, DEMO_PASSWORD, ATTACKER).status_code == 201


def test_the_limit_lifts_when_the_window_has_passed(app, monkeypatch):
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start)
    client = app.test_client()
    fail_sign_ins(client, [COORDINATOR] * app.config["LOGIN_MAX_FAILURES"])
    refused = try_token(client, COORDINATOR, DEMO_PASSWORD, ATTACKER)
    assert refused.status_code == 429
    window = timedelta(minutes=app.config["LOGIN_FAILURE_WINDOW_MINUTES"])
    assert int(refused.headers["Retry-After"]) == window.total_seconds()

    monkeypatch.setattr(clock, "now", lambda: start + window - timedelta(seconds=1))
    later = try_token(client, COORDINATOR, DEMO_PASSWORD, ATTACKER)
    assert later.status_code == 429
    assert later.headers["Retry-After"] == "1"
    monkeypatch.setattr(clock, "now", lambda: start + window + timedelta(seconds=1))
    assert try_token(client, COORDINATOR, DEMO_PASSWORD, ATTACKER).status_code == 201


def test_failures_below_the_limit_do_not_block(app):
    client = app.test_client()
    fail_sign_ins(client, [COORDINATOR] * (app.config["LOGIN_MAX_FAILURES"] - 1))
    assert try_token(client, COORDINATOR, DEMO_PASSWORD, ATTACKER).status_code == 201


def test_a_refused_attempt_is_not_counted_as_another_failure(app, monkeypatch):
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start)
    client = app.test_client()
    fail_sign_ins(client, [COORDINATOR] * app.config["LOGIN_MAX_FAILURES"])
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(minutes=10))
    for _ in range(5):
        assert try_token(client, COORDINATOR, "wrong-guess", ATTACKER).status_code == 429
    window = timedelta(minutes=app.config["LOGIN_FAILURE_WINDOW_MINUTES"])
    monkeypatch.setattr(clock, "now", lambda: start + window + timedelta(seconds=1))
    assert try_token(client, COORDINATOR, DEMO_PASSWORD, ATTACKER).status_code == 201


def test_failed_sign_ins_are_in_the_audit_log_with_the_address(app):
    client = app.test_client()
    fail_sign_ins(client, [COORDINATOR, "nobody@example.org"])
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.type == "login_failed")
                                    .order_by(AuditEvent.id)).all()
        assert [(e.email, e.address, e.detail["reason"]) for e in events] == [
            (COORDINATOR, ATTACKER, "wrong_password"), ("nobody@example.org", ATTACKER, "unknown_account")]


# -- the client address ---------------------------------------------------------------------


def test_without_trusted_proxies_x_forwarded_for_is_ignored(app):
    client = app.test_client()
    # Guesses that claim to come from ever new addresses still count against the real one.
    for n in range(app.config["LOGIN_MAX_FAILURES"]):
        response = try_token(client, COORDINATOR, "wrong-guess", ATTACKER,
                             headers={"X-Forwarded-For": f"192.0.2.{n}"})
        assert response.status_code == 401
    assert try_token(client, COORDINATOR, DEMO_PASSWORD, ATTACKER,
                     headers={"X-Forwarded-For": OTHER}).status_code == 429


def test_with_one_trusted_proxy_the_last_forwarded_address_counts(app, make_app):
    app = make_app(TRUSTED_PROXY_COUNT=1)
    client = app.test_client()
    proxy = "10.0.0.1"
    # Behind the proxy every request comes from its address; X-Forwarded-For tells them apart.
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        response = try_token(client, COORDINATOR, "wrong-guess", proxy,
                             headers={"X-Forwarded-For": f"spoofed, {ATTACKER}"})
        assert response.status_code == 401
    assert try_token(client, COORDINATOR, DEMO_PASSWORD, proxy,
                     headers={"X-Forwarded-For": ATTACKER}).status_code == 429
    assert try_token(client, COORDINATOR, DEMO_PASSWORD, proxy,
                     headers={"X-Forwarded-For": OTHER}).status_code == 201
    with app.app_context():
        addresses = set(db.session.scalars(select(AuditEvent.address).where(AuditEvent.type == "login_failed")))
    assert addresses == {ATTACKER}
