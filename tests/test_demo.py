"""`flask seed-demo`: the demo directory and users, idempotent, never in production."""
import re
from zoneinfo import ZoneInfo

import pytest
from helpers import ROLE_USERS, api_token, row_counts, sign_in, signed_in_client
from sqlalchemy import select

from coordination.auth import passwords
from coordination.auth.models import User
from coordination.demo import DEMO_PASSWORD
from coordination.directory.models import Country, Ministry
from coordination.extensions import db

TIME_ZONES = {
    "BN": "Asia/Brunei", "KH": "Asia/Phnom_Penh", "ID": "Asia/Jakarta", "LA": "Asia/Vientiane",
    "MY": "Asia/Kuala_Lumpur", "MM": "Asia/Yangon", "PH": "Asia/Manila", "SG": "Asia/Singapore",
    "TH": "Asia/Bangkok", "VN": "Asia/Ho_Chi_Minh",
}


def expected_staff_email(country_code: str, acronym: str) -> str:
    # API.md: ``staff.<cc>.<acronym>@example.org``, the acronym in lower case with
    # anything but letters and digits removed.
    return f"staff.{country_code.lower()}.{re.sub('[^a-z0-9]', '', acronym.lower())}@example.org"


def test_seed_demo_fills_an_empty_database_and_a_second_run_changes_nothing(empty_app):
    runner = empty_app.test_cli_runner()
    assert set(row_counts(empty_app).values()) == {0}

    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "demo-password" in first.output
    after_first = row_counts(empty_app)
    assert after_first["countries"] == 10
    assert after_first["mechanisms"] == 10

    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert "0 countries, 0 ministries, 0 mechanisms, 0 users" in second.output
    assert row_counts(empty_app) == after_first


def test_seed_demo_again_leaves_every_row_and_every_change_as_it_was(app, runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    # What people changed since the demo data was loaded stays as they left it.
    with app.app_context():
        db.session.get(Country, "PH").name = "Republic of the Philippines"
        db.session.commit()
    client = signed_in_client(app, ROLE_USERS["coordinator"])
    new_password = "changed-by-the-coordinator"
    changed = client.post("/account", data={"current_password": DEMO_PASSWORD, "new_password": new_password,
                                            "confirm_password": new_password})
    assert changed.status_code == 302
    before = row_counts(app)

    for _ in range(2):
        result = runner.invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output
    assert row_counts(app) == before
    with app.app_context():
        assert db.session.get(Country, "PH").name == "Republic of the Philippines"
    # The coordinator's own password is not reset to the published one.
    assert sign_in(app.test_client(), ROLE_USERS["coordinator"]).status_code == 401
    assert sign_in(app.test_client(), ROLE_USERS["coordinator"], new_password).status_code == 302


def test_the_ten_member_states_with_their_time_zones_and_ministries(app):
    with app.app_context():
        countries = db.session.scalars(select(Country)).all()
        assert {c.code: c.timezone for c in countries} == TIME_ZONES
        for country in countries:
            ZoneInfo(country.timezone)
            assert 4 <= len(country.ministries) <= 8, country.code
            for ministry in country.ministries:
                assert ministry.name and ministry.acronym, ministry
            assert len({m.acronym.lower() for m in country.ministries}) == len(country.ministries)


def test_every_country_has_a_mechanism_with_its_coordinator_as_focal_point(app):
    with app.app_context():
        for country in db.session.scalars(select(Country)):
            mechanism = country.mechanism
            assert mechanism is not None, country.code
            assert mechanism.name
            assert mechanism.members, country.code
            assert all(m.country_code == country.code for m in mechanism.members)
            assert mechanism.reporting_ministry in mechanism.members, country.code
            assert mechanism.focal_point.email == f"coordinator.{country.code.lower()}@example.org"


def test_the_demo_users_are_named_as_the_contract_says(app):
    with app.app_context():
        users = {u.email: u for u in db.session.scalars(select(User))}
        ministries = db.session.scalars(select(Ministry)).all()

        expected = {
            "admin@example.org": ("admin", None, None),
            "secretariat@example.org": ("secretariat", None, None),
            "observer@example.org": ("observer", None, None),
        }
        for code in TIME_ZONES:
            expected[f"coordinator.{code.lower()}@example.org"] = ("coordinator", code, None)
        for ministry in ministries:
            expected[expected_staff_email(ministry.country_code, ministry.acronym)] = (
                "ministry_staff", ministry.country_code, ministry.id)

        assert set(users) == set(expected)
        for email, scope in expected.items():
            user = users[email]
            assert (user.role, user.country_code, user.ministry_id) == scope, email
            assert user.active
            assert passwords.verify_password(user.password_hash, DEMO_PASSWORD), email


@pytest.mark.parametrize("email, role, country, acronym", [
    ("staff.ph.dswd@example.org", "ministry_staff", "PH", "DSWD"),
    ("staff.id.bpjskesehatan@example.org", "ministry_staff", "ID", "BPJS Kesehatan"),
    ("staff.id.kemenkopmk@example.org", "ministry_staff", "ID", "Kemenko PMK"),
    ("staff.kh.mosvy@example.org", "ministry_staff", "KH", "MoSVY"),
    ("coordinator.vn@example.org", "coordinator", "VN", None),
    ("secretariat@example.org", "secretariat", None, None),
])
def test_demo_users_sign_in_with_the_demo_password(client, email, role, country, acronym):
    me = client.get("/api/v1/me", headers=api_token(client, email)).get_json()
    assert me["role"] == role
    assert me["country"] == country
    assert (me["ministry"] or {}).get("acronym") == acronym


def test_seed_demo_refuses_to_run_in_production(empty_app, make_app, monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-production-secret")
    production = make_app()  # the same, empty database
    result = production.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "refuses to run in production" in result.stderr
    assert set(row_counts(production).values()) == {0}
