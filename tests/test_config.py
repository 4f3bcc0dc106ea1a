"""The application factory and its configuration from the environment."""
import pytest
from helpers import ROLE_USERS, api_token, sign_in, signed_in_client

from coordination import create_app
from coordination.config import ConfigError, from_environment

ENV_NAMES = (
    "APP_ENV", "SECRET_KEY", "DATABASE_URL", "MAIL_PORT", "MAIL_USE_TLS",
    "LOGIN_MAX_FAILURES", "LOGIN_FAILURE_WINDOW_MINUTES",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """Each test states the environment it needs; the shell's does not leak in."""
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)


# What conftest gives every app, spelt out: these tests build their apps themselves.
TEST_SETTINGS = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "WTF_CSRF_ENABLED": False,
    "PASSWORD_HASH_TIME_COST": 1,
    "PASSWORD_HASH_MEMORY_COST": 1024,
}


def sqlite_settings(tmp_path) -> dict:
    return {**TEST_SETTINGS, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'app.sqlite'}"}


# -- the factory -----------------------------------------------------------------------


def test_factory_takes_the_given_settings_over_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "sqlite:////nonexistent/from-environment.sqlite")
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    settings = sqlite_settings(tmp_path)
    app = create_app(settings)
    assert app.testing is True
    assert app.config["SQLALCHEMY_DATABASE_URI"] == settings["SQLALCHEMY_DATABASE_URI"]
    assert app.config["SECRET_KEY"] == "test-secret"
    assert app.config["APP_ENV"] == "development"


def test_two_apps_from_the_factory_do_not_share_settings(tmp_path):
    first = create_app({**sqlite_settings(tmp_path), "LOGIN_MAX_FAILURES": 3})
    second = create_app(sqlite_settings(tmp_path))
    assert first.config["LOGIN_MAX_FAILURES"] == 3
    assert second.config["LOGIN_MAX_FAILURES"] == 10


def test_health_check_answers_ok(empty_app):
    response = empty_app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_health_check_answers_503_when_the_database_does_not(tmp_path):
    # Port 1 on loopback: nothing listens, the connection is refused at once.
    app = create_app({
        **TEST_SETTINGS,
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2",
    })
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable"}


# -- settings from the environment -----------------------------------------------------


def test_development_is_the_default_and_needs_no_secret_key(tmp_path):
    settings = from_environment(str(tmp_path), env={})
    assert settings["APP_ENV"] == "development"
    assert settings["SECRET_KEY"]
    assert settings["SESSION_COOKIE_SECURE"] is False
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'coordination.sqlite'}"


@pytest.mark.parametrize("secret", [None, "", "   "])
def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path, secret):
    monkeypatch.setenv("APP_ENV", "production")
    if secret is not None:
        monkeypatch.setenv("SECRET_KEY", secret)
    settings = sqlite_settings(tmp_path)
    del settings["SECRET_KEY"]  # only the environment speaks
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(settings)


def test_production_starts_with_a_secret_key_and_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-production-secret")
    app = create_app({**sqlite_settings(tmp_path), "SECRET_KEY": "a-long-production-secret"})
    assert app.config["APP_ENV"] == "production"
    for prefix in ("SESSION", "REMEMBER"):
        assert app.config[f"{prefix}_COOKIE_SECURE"] is True
        assert app.config[f"{prefix}_COOKIE_HTTPONLY"] is True
        assert app.config[f"{prefix}_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.parametrize("value", ["staging", "Production", "prod"])
def test_an_unknown_app_env_is_refused(monkeypatch, tmp_path, value):
    monkeypatch.setenv("APP_ENV", value)
    monkeypatch.setenv("SECRET_KEY", "set")
    with pytest.raises(ConfigError, match="APP_ENV must be 'development' or 'production'"):
        create_app(sqlite_settings(tmp_path))


@pytest.mark.parametrize("url", [
    "postgres://user:pw@db.example:5432/spf",
    "postgresql://user:pw@db.example:5432/spf",
])
def test_postgres_urls_get_the_psycopg_driver(tmp_path, url):
    settings = from_environment(str(tmp_path), env={"DATABASE_URL": url})
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://user:pw@db.example:5432/spf"


def test_mail_and_sign_in_settings_come_from_the_environment(tmp_path):
    settings = from_environment(str(tmp_path), env={
        "MAIL_PORT": "587", "MAIL_USE_TLS": "true", "LOGIN_MAX_FAILURES": "4",
    })
    assert settings["MAIL_PORT"] == 587
    assert settings["MAIL_USE_TLS"] is True
    assert settings["LOGIN_MAX_FAILURES"] == 4


def test_a_number_that_is_not_one_is_refused_by_name(tmp_path):
    with pytest.raises(ConfigError, match="MAIL_PORT"):
        from_environment(str(tmp_path), env={"MAIL_PORT": "twenty-five"})


# -- the cookies a browser receives ----------------------------------------------------


def session_cookie_header(response) -> str:
    headers = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    assert len(headers) == 1, response.headers.getlist("Set-Cookie")
    return headers[0]


def test_development_session_cookie_is_httponly_and_lax_but_not_secure(client):
    cookie = session_cookie_header(sign_in(client, ROLE_USERS["coordinator"]))
    attributes = {part.strip().split("=")[0].lower(): part for part in cookie.split(";")}
    assert "httponly" in attributes
    assert attributes["samesite"].strip() == "SameSite=Lax"
    # Plain http on a developer's machine: a Secure cookie would never come back.
    assert "secure" not in attributes


def test_production_session_cookie_is_secure_httponly_and_lax(app, make_app, monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-production-secret")
    production = make_app()  # same database as ``app``, which holds the demo users
    response = sign_in(production.test_client(), ROLE_USERS["coordinator"])
    assert response.status_code == 302
    cookie = session_cookie_header(response)
    attributes = {part.strip().split("=")[0].lower(): part for part in cookie.split(";")}
    assert "secure" in attributes
    assert "httponly" in attributes
    assert attributes["samesite"].strip() == "SameSite=Lax"


# -- cross-site request forgery --------------------------------------------------------


def csrf_token_of(page) -> str:
    html = page.get_data(as_text=True)
    marker = 'name="csrf_token" type="hidden" value="'
    start = html.index(marker) + len(marker)
    return html[start:html.index('"', start)]


def test_forms_refuse_a_post_without_csrf_token(app):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    refused = sign_in(client, ROLE_USERS["coordinator"])
    assert refused.status_code == 400
    assert client.get("/").status_code == 302  # still signed out

    token = csrf_token_of(client.get("/login"))
    response = client.post("/login", data={
        "email": ROLE_USERS["coordinator"], "password": "demo-password", "csrf_token": token,
    })
    assert response.status_code == 302
    assert client.get("/").status_code == 200

    # Signing out is a POST too: a forged one (no token) leaves the user signed in.
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200


def test_token_api_needs_no_csrf_token(app):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    headers = api_token(client, ROLE_USERS["observer"])
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert client.delete("/api/v1/tokens/current", headers=headers).status_code == 204


# -- no request ends in a server error -------------------------------------------------


NOT_FOUND_PAGES = [
    "/countries/XX",
    "/countries/X",
    "/countries/XXX",
    "/countries/XX/mechanism",
    "/admin/countries/XX",
    "/admin/countries/XX/ministries/new",
    "/admin/ministries/999999",
    "/admin/ministries/99999999999999999999",
    "/admin/users/999999",
    "/admin/users/99999999999999999999",
    "/no-such-page",
]


@pytest.mark.parametrize("path", NOT_FOUND_PAGES)
def test_unknown_things_answer_404_not_500(app, path):
    client = signed_in_client(app, ROLE_USERS["admin"])
    response = client.get(path)
    assert response.status_code == 404
    assert "There is no such" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/countries/%00X", "/admin/users?q=%00", "/countries/PH?x=%00"])
def test_a_nul_character_in_the_url_answers_400_not_500(app, path):
    client = signed_in_client(app, ROLE_USERS["admin"])
    assert client.get(path).status_code == 400


def test_a_nul_character_in_a_form_answers_400_and_saves_nothing(app):
    from helpers import row_counts

    client = signed_in_client(app, ROLE_USERS["admin"])
    before = row_counts(app)
    response = client.post("/admin/countries/PH/ministries/new",
                           data={"name": "Ministry\x00", "acronym": "NUL", "sector": "health"})
    assert response.status_code == 400
    assert row_counts(app) == before
    response = app.test_client().post("/login", data={"email": "a\x00@example.org", "password": "x"})
    assert response.status_code == 400


def test_a_nul_character_in_json_answers_400_bad_request(client):
    response = client.post("/api/v1/tokens", json={"email": "a\x00@example.org", "password": "x"})
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_request"


def test_huge_page_numbers_do_not_break_the_user_list(app):
    client = signed_in_client(app, ROLE_USERS["admin"])
    for page in ("99999999999999999999", "-3", "abc"):
        assert client.get(f"/admin/users?page={page}").status_code == 200


def test_unknown_api_paths_answer_json_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"


def test_wrong_method_answers_405_not_500(client):
    assert client.get("/logout").status_code == 405
    response = client.get("/api/v1/tokens")
    assert response.status_code == 405
    assert response.get_json()["error"] == "method_not_allowed"


def test_settings_given_to_the_factory_are_checked_too(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({**sqlite_settings(tmp_path), "APP_ENV": "production", "SECRET_KEY": ""})
    app = create_app({**sqlite_settings(tmp_path), "APP_ENV": "production", "SECRET_KEY": "s3cret-enough",
                      "SESSION_COOKIE_SECURE": False})
    assert app.config["SESSION_COOKIE_SECURE"] is True
