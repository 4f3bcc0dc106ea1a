"""Signing in and out on the web, sessions, the rate limit, my account, and create-user."""

import pytest
from helpers import (
    ROLE_USERS,
    api_token,
    field_errors,
    form_errors,
    is_login_redirect,
    row_counts,
    sign_in,
    signed_in_client,
)
from sqlalchemy import select

from coordination.auth.models import User
from coordination.auth.service import BAD_CREDENTIALS
from coordination.demo import DEMO_PASSWORD
from coordination.extensions import db

COORDINATOR = ROLE_USERS["coordinator"]
NEW_PASSWORD = "a-brand-new-password"
CLI_PASSWORD = "a-long-enough-password"


def user_id(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def copy_session(source, target) -> None:
    """Give ``target`` the session cookie ``source`` holds, as a thief would."""
    cookie = source.get_cookie("session")
    assert cookie is not None
    target.set_cookie("session", cookie.value)


# -- signing in and out ----------------------------------------------------------------


def test_sign_in_leads_home_and_shows_who_is_signed_in(client):
    assert client.get("/login").status_code == 200
    response = sign_in(client, COORDINATOR)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "National Coordinator, Philippines" in home.get_data(as_text=True)


def test_the_email_address_is_not_case_sensitive(client):
    assert sign_in(client, "  Coordinator.PH@Example.ORG ").status_code == 302
    assert client.get("/").status_code == 200


def test_pages_send_a_visitor_to_sign_in_and_back(client):
    response = client.get("/countries/PH")
    assert is_login_redirect(response)
    login_url = response.headers["Location"]
    assert "next=" in login_url
    signed = client.post(login_url, data={"email": COORDINATOR, "password": DEMO_PASSWORD})
    assert signed.status_code == 302
    assert signed.headers["Location"] == "/countries/PH"


@pytest.mark.parametrize("target", [
    "//evil.example",
    "//evil.example/login",
    "https://evil.example",
    "http://evil.example/countries",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "javascript:alert(1)",
    "evil.example",
])
def test_next_never_leads_off_the_site(client, target):
    response = client.post("/login", query_string={"next": target},
                           data={"email": COORDINATOR, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_keeps_a_path_with_its_query(client):
    response = client.post("/login", query_string={"next": "/countries/PH?tab=ministries"},
                           data={"email": COORDINATOR, "password": DEMO_PASSWORD})
    assert response.headers["Location"] == "/countries/PH?tab=ministries"


def test_empty_sign_in_form_shows_messages_at_the_fields(client):
    response = client.post("/login", data={"email": "", "password": ""})
    assert response.status_code == 422
    errors = field_errors(response)
    assert errors["email"] == ["This field is required."]
    assert errors["password"] == ["This field is required."]


def test_wrong_password_and_unknown_email_answer_the_same_on_the_web(app):
    wrong = sign_in(app.test_client(), COORDINATOR, "not-the-password")
    unknown = sign_in(app.test_client(), "nobody@example.org", "not-the-password")
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert form_errors(response) == [BAD_CREDENTIALS]


def test_wrong_password_and_unknown_email_answer_the_same_in_the_api(client):
    wrong = client.post("/api/v1/tokens", json={"email": COORDINATOR, "password": "not-it-at-all"})
    unknown = client.post("/api/v1/tokens", json={"email": "nobody@example.org", "password": "x"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json() == {"error": "unauthorized", "message": BAD_CREDENTIALS}


def test_a_failed_sign_in_signs_nobody_in(client):
    sign_in(client, COORDINATOR, "not-the-password")
    assert is_login_redirect(client.get("/"))


def test_sign_out_ends_the_session(client):
    sign_in(client, COORDINATOR)
    response = client.post("/logout")
    assert is_login_redirect(response)
    assert is_login_redirect(client.get("/"))


def test_sign_out_makes_a_copied_session_cookie_useless(app):
    browser = signed_in_client(app, COORDINATOR)
    thief = app.test_client()
    copy_session(browser, thief)
    assert thief.get("/").status_code == 200  # the copy works while the session lives

    browser.post("/logout")
    assert is_login_redirect(thief.get("/"))
    assert is_login_redirect(thief.get("/countries/PH/mechanism"))


def test_sign_out_closes_the_users_sessions_on_other_devices(app):
    laptop = signed_in_client(app, COORDINATOR)
    phone = signed_in_client(app, COORDINATOR)
    other_user = signed_in_client(app, ROLE_USERS["ministry_staff"])
    laptop.post("/logout")
    assert is_login_redirect(phone.get("/"))
    assert other_user.get("/").status_code == 200


def test_signed_in_visitor_of_the_login_page_goes_home(app):
    client = signed_in_client(app, COORDINATOR)
    response = client.get("/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


# -- disabled users --------------------------------------------------------------------


def user_form(app, email: str, **changes) -> dict:
    """What the admin's user page posts: the user's current values, with ``changes``. An
    unticked box is not sent at all, as a browser does."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        data = {"name": user.name, "role": user.role, "country": user.country_code or "",
                "ministry": user.ministry.acronym if user.ministry else "", "active": "y",
                "submit": "Save changes"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_disabled_user_is_turned_away_at_the_next_request(app):
    staff = ROLE_USERS["ministry_staff"]
    browser = signed_in_client(app, staff)
    token = api_token(app.test_client(), staff)
    assert browser.get("/").status_code == 200

    admin = signed_in_client(app, ROLE_USERS["admin"])
    response = admin.post(f"/admin/users/{user_id(app, staff)}", data=user_form(app, staff, active=None))
    assert response.status_code == 302

    assert is_login_redirect(browser.get("/"))
    assert app.test_client().get("/api/v1/me", headers=token).status_code == 401
    again = sign_in(app.test_client(), staff)
    assert again.status_code == 401
    assert form_errors(again) == [BAD_CREDENTIALS]

    admin.post(f"/admin/users/{user_id(app, staff)}", data=user_form(app, staff))
    assert sign_in(app.test_client(), staff).status_code == 302


def test_enabling_a_user_again_does_not_revive_their_old_cookie_or_token(app):
    staff = ROLE_USERS["ministry_staff"]
    browser = signed_in_client(app, staff)
    token = api_token(app.test_client(), staff)
    admin = signed_in_client(app, ROLE_USERS["admin"])
    admin.post(f"/admin/users/{user_id(app, staff)}", data=user_form(app, staff, active=None))
    admin.post(f"/admin/users/{user_id(app, staff)}", data=user_form(app, staff))

    assert is_login_redirect(browser.get("/"))
    assert app.test_client().get("/api/v1/me", headers=token).status_code == 401
    # A new sign-in works, and so does a new token.
    assert sign_in(app.test_client(), staff).status_code == 302
    assert app.test_client().get("/api/v1/me", headers=api_token(app.test_client(), staff)).status_code == 200


def test_the_admin_cannot_disable_their_own_account(app):
    admin_email = ROLE_USERS["admin"]
    admin = signed_in_client(app, admin_email)
    response = admin.post(f"/admin/users/{user_id(app, admin_email)}", data=user_form(app, admin_email, active=None))
    assert response.status_code == 422
    assert field_errors(response)["active"] == ["You cannot disable your own account."]
    assert admin.get("/admin/users").status_code == 200


def test_the_admin_cannot_change_their_own_role(app):
    admin_email = ROLE_USERS["admin"]
    admin = signed_in_client(app, admin_email)
    response = admin.post(f"/admin/users/{user_id(app, admin_email)}",
                          data=user_form(app, admin_email, role="observer"))
    assert response.status_code == 422
    assert field_errors(response)["role"] == ["You cannot change your own role."]
    with app.app_context():
        assert db.session.get(User, user_id(app, admin_email)).role == "admin"


def test_the_admin_moves_a_user_to_another_ministry_and_role_and_the_audit_log_says_so(app):
    staff = ROLE_USERS["ministry_staff"]
    admin = signed_in_client(app, ROLE_USERS["admin"])
    page = admin.get(f"/admin/users/{user_id(app, staff)}")
    assert page.status_code == 200
    assert 'value="DSWD"' in page.get_data(as_text=True)

    response = admin.post(f"/admin/users/{user_id(app, staff)}",
                          data=user_form(app, staff, name="Maria Santos", ministry="DOLE"))
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, user_id(app, staff))
        assert (user.name, user.ministry.acronym) == ("Maria Santos", "DOLE")
    response = admin.post(f"/admin/users/{user_id(app, staff)}",
                          data=user_form(app, staff, role="coordinator", ministry=""))
    assert response.status_code == 302

    events = admin.get(f"/admin/audit?type=user_updated&email={staff}")
    assert events.status_code == 200
    headers = api_token(app.test_client(), ROLE_USERS["admin"])
    listed = app.test_client().get(f"/api/v1/audit-events?type=user_updated&email={staff}", headers=headers)
    rows = listed.get_json()["events"]
    assert [r["detail"]["changed"] for r in rows] == [["ministry", "role"], ["ministry", "name"]]
    assert rows[0]["detail"]["old"]["role"] == "ministry_staff"
    assert rows[0]["detail"]["new"] == {"name": "Maria Santos", "role": "coordinator", "country": "PH",
                                        "ministry": None, "active": True}
    assert rows[1]["detail"]["old"]["ministry"] == "DSWD"


@pytest.mark.parametrize("changes, field, message", [
    ({"ministry": "NOPE"}, "ministry", "Philippines has no ministry with the acronym 'NOPE'."),
    ({"role": "secretariat"}, "country", "A regional user belongs to no member state."),
    ({"country": "", "ministry": ""}, "country", "A national user needs a member state."),
    ({"name": ""}, "name", "This field is required."),
])
def test_a_refused_change_of_a_user_says_why_and_changes_nothing(app, changes, field, message):
    staff = ROLE_USERS["ministry_staff"]
    admin = signed_in_client(app, ROLE_USERS["admin"])
    before = row_counts(app)
    response = admin.post(f"/admin/users/{user_id(app, staff)}", data=user_form(app, staff, **changes))
    assert response.status_code == 422
    assert message in field_errors(response)[field]
    assert row_counts(app) == before
    with app.app_context():
        user = db.session.get(User, user_id(app, staff))
        assert (user.role, user.country_code, user.ministry.acronym) == ("ministry_staff", "PH", "DSWD")


@pytest.mark.parametrize("role", ["coordinator", "ministry_staff", "secretariat", "observer"])
def test_only_the_admin_changes_users(app, role):
    client = signed_in_client(app, ROLE_USERS[role])
    target = user_id(app, ROLE_USERS["observer"])
    assert client.get(f"/admin/users/{target}").status_code == 403
    response = client.post(f"/admin/users/{target}", data=user_form(app, ROLE_USERS["observer"], active=None))
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(User, target).active is True


# -- my account: changing the password -------------------------------------------------


def change_password(client, current, new, confirm=None):
    return client.post("/account", data={
        "current_password": current, "new_password": new,
        "confirm_password": new if confirm is None else confirm,
    })


def test_my_account_shows_who_i_am(app):
    client = signed_in_client(app, ROLE_USERS["ministry_staff"])
    page = client.get("/account").get_data(as_text=True)
    assert ROLE_USERS["ministry_staff"] in page
    assert "Ministry staff" in page
    assert "Department of Social Welfare and Development" in page
    assert "Asia/Manila" in page


def test_changing_the_password_keeps_me_and_ends_every_other_session(app):
    browser = signed_in_client(app, COORDINATOR)
    other_device = signed_in_client(app, COORDINATOR)
    thief = app.test_client()
    copy_session(browser, thief)
    script = api_token(app.test_client(), COORDINATOR)
    assert app.test_client().get("/api/v1/me", headers=script).status_code == 200

    response = change_password(browser, DEMO_PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302
    assert browser.get("/account").status_code == 200
    assert is_login_redirect(thief.get("/"))
    assert is_login_redirect(other_device.get("/"))
    assert app.test_client().get("/api/v1/me", headers=script).status_code == 401  # tokens too

    assert sign_in(app.test_client(), COORDINATOR, DEMO_PASSWORD).status_code == 401
    assert sign_in(app.test_client(), COORDINATOR, NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize("current, new, confirm, field, message", [
    ("not-my-password", NEW_PASSWORD, NEW_PASSWORD, "current_password",
     "This is not your current password."),
    (DEMO_PASSWORD, "short", "short", "new_password", "Use at least 10 characters."),
    (DEMO_PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x", "confirm_password",
     "The two new passwords differ."),
])
def test_a_refused_password_change_says_why_at_the_field_and_changes_nothing(
    app, current, new, confirm, field, message
):
    browser = signed_in_client(app, COORDINATOR)
    other_device = signed_in_client(app, COORDINATOR)
    before = row_counts(app)

    response = change_password(browser, current, new, confirm)
    assert response.status_code == 422
    assert field_errors(response) == {field: [message]}

    assert row_counts(app) == before
    assert other_device.get("/").status_code == 200  # no session was ended
    assert sign_in(app.test_client(), COORDINATOR, new).status_code == 401
    assert sign_in(app.test_client(), COORDINATOR, DEMO_PASSWORD).status_code == 302


# -- the administrator's user pages ----------------------------------------------------


def new_user_form(**overrides):
    return {"email": "new.person@example.org", "name": "New Person", "role": "ministry_staff",
            "country": "PH", "ministry": "DOH", "password": "a-long-enough-password", **overrides}


def test_the_admin_creates_a_user_who_can_then_sign_in(app):
    admin = signed_in_client(app, ROLE_USERS["admin"])
    response = admin.post("/admin/users/new", data=new_user_form(ministry="doh"))
    assert response.status_code == 302
    assert "new.person@example.org" in admin.get("/admin/users?q=new.person").get_data(as_text=True)
    person = signed_in_client(app, "new.person@example.org", "a-long-enough-password")
    me = person.get("/account").get_data(as_text=True)
    assert "Department of Health (DOH)" in me


@pytest.mark.parametrize("overrides, field, message", [
    ({"ministry": ""}, "ministry", "Ministry staff need a ministry."),
    ({"ministry": "KEMENKES"}, "ministry", "Philippines has no ministry with the acronym 'KEMENKES'."),
    ({"role": "observer", "ministry": ""}, "country", "A regional user belongs to no member state."),
    ({"email": COORDINATOR}, "email", "A user with this e-mail address exists already."),
    ({"password": "short"}, "password", "Use at least 10 characters."),
])
def test_a_refused_new_user_says_why_at_the_field_and_saves_nothing(app, overrides, field, message):
    admin = signed_in_client(app, ROLE_USERS["admin"])
    before = row_counts(app)
    response = admin.post("/admin/users/new", data=new_user_form(**overrides))
    assert response.status_code == 422
    assert message in field_errors(response)[field]
    assert row_counts(app) == before


# -- flask create-user -----------------------------------------------------------------


def create_user(runner, *args, password=CLI_PASSWORD):
    return runner.invoke(args=["create-user", *args, "--password-stdin"], input=password + "\n")


def test_create_user_makes_an_account_that_signs_in(app, runner):
    result = create_user(runner, "Planner@Example.org", "--role", "ministry_staff",
                         "--country", "id", "--ministry", "bpjs kesehatan", "--name", "A Planner")
    assert result.exit_code == 0, result.output
    assert "Created planner@example.org (Ministry staff)." in result.output
    headers = api_token(app.test_client(), "planner@example.org", "a-long-enough-password")
    me = app.test_client().get("/api/v1/me", headers=headers).get_json()
    assert me["name"] == "A Planner"
    assert me["role"] == "ministry_staff"
    assert me["country"] == "ID"
    assert me["ministry"]["acronym"] == "BPJS Kesehatan"


def test_create_user_for_a_regional_role_needs_no_country(app, runner):
    result = create_user(runner, "analyst@example.org", "--role", "secretariat")
    assert result.exit_code == 0, result.output
    me = app.test_client().get(
        "/api/v1/me", headers=api_token(app.test_client(), "analyst@example.org",
                                        "a-long-enough-password")).get_json()
    assert (me["role"], me["country"], me["ministry"]) == ("secretariat", None, None)


def test_create_user_reads_the_password_from_the_prompt(app, runner):
    result = runner.invoke(args=["create-user", "prompted@example.org", "--role", "observer"],
                           input="a-long-enough-password\na-long-enough-password\n")
    assert result.exit_code == 0, result.output
    assert sign_in(app.test_client(), "prompted@example.org", "a-long-enough-password").status_code == 302


@pytest.mark.parametrize("args, message", [
    (["--role", "superuser"], "role: Choose one of: coordinator, ministry_staff, secretariat, observer, admin."),
    (["--role", "ministry_staff", "--country", "PH"], "ministry: Ministry staff need a ministry."),
    (["--role", "coordinator", "--country", "XX"], "country: There is no member state with the code 'XX'."),
    (["--role", "coordinator"], "country: A national user needs a member state."),
    (["--role", "ministry_staff", "--country", "PH", "--ministry", "NOPE"],
     "ministry: Philippines has no ministry with the acronym 'NOPE'."),
    # Regression: a name longer than its column ended, on PostgreSQL, in a database error.
    (["--role", "observer", "--name", "N" * 121], "name: Use at most 120 characters."),
    (["--role", "observer", "--name", " "], "name: Enter a name."),
])
def test_create_user_refuses_bad_input_with_a_clear_message(app, runner, args, message):
    before = row_counts(app)
    result = create_user(runner, "someone@example.org", *args)
    assert result.exit_code != 0
    assert message in result.stderr
    assert "Created" not in result.output
    assert row_counts(app) == before


def test_create_user_refuses_a_short_password_and_an_existing_address(app, runner):
    before = row_counts(app)
    short = create_user(runner, "someone@example.org", "--role", "observer", password="short")
    assert short.exit_code != 0
    assert "password: Use at least 10 characters." in short.stderr
    taken = create_user(runner, COORDINATOR.upper(), "--role", "observer")
    assert taken.exit_code != 0
    assert "email: A user with this e-mail address exists already." in taken.stderr
    assert row_counts(app) == before
