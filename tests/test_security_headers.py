"""Security headers on every response (API.md, "Second round: hardening"): pages, the API,
error answers and static files; no-store on what a signed-in request receives; HSTS in
production only. And nothing in the templates that the content security policy would block."""
import logging
import re
from pathlib import Path

import pytest
from helpers import api_token, sign_in, signed_in_client

from coordination.security import CONTENT_SECURITY_POLICY

COORDINATOR = "coordinator.ph@example.org"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response.headers["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_secured(response):
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] in (["'none'"], ["'self'"])
    assert csp["form-action"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] in ("same-origin", "no-referrer", "strict-origin")


def not_stored(response) -> bool:
    return "no-store" in response.headers.get("Cache-Control", "")


def test_pages_anonymous_and_signed_in(client):
    for path in ("/login", "/", "/no-such-page", "/healthz"):
        response = client.get(path)
        assert_secured(response)
        assert "Strict-Transport-Security" not in response.headers  # development
        assert not not_stored(response), path  # nothing personal: the browser may keep it
    sign_in(client, COORDINATOR)
    for path in ("/", "/items", "/items/new", "/countries", "/account", "/notifications", "/no-such-page",
                 "/compliance/scorecard.csv"):
        response = client.get(path)
        assert response.status_code in (200, 403, 404), path
        assert_secured(response)
        assert not_stored(response), path


def test_the_sign_in_answer_is_not_stored(client):
    response = sign_in(client, COORDINATOR)
    assert response.status_code == 302
    assert_secured(response)
    assert not_stored(response)


def test_api_responses_and_their_errors(client):
    anonymous = client.get("/api/v1/me")
    assert anonymous.status_code == 401
    assert_secured(anonymous)
    headers = api_token(client, COORDINATOR)
    for method, path, status in (("GET", "/api/v1/me", 200), ("GET", "/api/v1/items", 200),
                                 ("GET", "/api/v1/items/999999", 404), ("DELETE", "/api/v1/items", 405),
                                 ("GET", "/api/v1/nothing-here", 404), ("POST", "/api/v1/items", 400)):
        response = client.open(path, method=method, headers=headers)
        assert response.status_code == status, path
        assert_secured(response)
        assert not_stored(response), path
    bad_token = client.get("/api/v1/me", headers={"Authorization": "Bearer nope"})
    assert bad_token.status_code == 401 and not_stored(bad_token)


def test_error_answers_404_405_413_500(make_app, caplog):
    app = make_app()

    def broken():
        raise RuntimeError("a bug")

    app.add_url_rule("/broken", "broken", broken)
    app.add_url_rule("/api/v1/broken", "api_broken", broken)
    caplog.set_level(logging.CRITICAL)  # the 500 is logged with its traceback, as it should be
    for client in (app.test_client(), signed_in_client(app, COORDINATOR)):
        signed_in = bool(client.get_cookie("session"))
        answers = [client.get("/nothing-here"), client.get("/api/v1/nothing-here"), client.put("/items"),
                   client.delete("/api/v1/items"), client.post("/login", data=b"x" * (2 * 1024 * 1024)),
                   client.post("/api/v1/items", data=b"x" * (2 * 1024 * 1024)), client.get("/broken"),
                   client.get("/api/v1/broken")]
        assert [r.status_code for r in answers] == [404, 404, 405, 405, 413, 413, 500, 500]
        for response in answers:
            assert_secured(response)
            assert not_stored(response) == signed_in, (response.request.path, signed_in)


def test_static_files_keep_their_caching(client):
    sign_in(client, COORDINATOR)
    for path in ("/static/app.css", "/static/favicon.svg", "/bootstrap/static/css/bootstrap.min.css",
                 "/bootstrap/static/js/bootstrap.min.js"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_secured(response)
        assert not not_stored(response), path
        response.close()


def test_hsts_in_production_only(make_app, client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    production = make_app(APP_ENV="production", SECRET_KEY="a-production-secret-of-some-length")
    for path in ("/login", "/api/v1/me", "/static/app.css", "/no-such-page"):
        response = production.test_client().get(path, base_url="https://spf.example.org")
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains", path
        assert_secured(response)
        response.close()


def test_the_policy_allows_what_the_pages_use():
    assert "style-src 'self' 'unsafe-inline'" in CONTENT_SECURITY_POLICY  # style attributes
    assert "img-src 'self' data:" in CONTENT_SECURITY_POLICY  # Bootstrap's icons


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I)
EVENT_ATTRIBUTE = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"javascript:", re.I)


def blocked_by_the_policy(html: str) -> list[str]:
    return [pattern.pattern for pattern in (INLINE_SCRIPT, EVENT_ATTRIBUTE, JAVASCRIPT_URL) if pattern.search(html)]


def test_no_template_holds_what_the_policy_blocks():
    for template in TEMPLATES.rglob("*.html"):
        assert blocked_by_the_policy(template.read_text()) == [], template


@pytest.mark.parametrize("email", [COORDINATOR, "staff.ph.dswd@example.org", "secretariat@example.org",
                                   "admin@example.org"])
def test_rendered_pages_load_scripts_from_files_only(app, email):
    client = signed_in_client(app, email)
    for path in ("/", "/items", "/items/new", "/cycles", "/compliance", "/countries", "/account", "/notifications",
                 "/help/workflow", "/admin/users", "/templates"):
        response = client.get(path)
        if response.status_code != 200:
            continue
        html = response.get_data(as_text=True)
        assert blocked_by_the_policy(html) == [], path
        scripts = re.findall(r'<script[^>]*\ssrc="([^"]+)"', html)
        assert scripts and all(src.startswith("/") and not src.startswith("//") for src in scripts), (path, scripts)
