"""Bounded input (API.md, "Second round: hardening"): request bodies over MAX_BODY_BYTES answer
413 before anything parses them, JSON nested deeper than 64 levels answers 400, and HTTP
errors keep their headers (Allow on a 405). None of it writes a traceback."""
import io
import json
import logging

import pytest
from flask import request
from helpers import api_token, signed_in_client
from werkzeug.exceptions import TooManyRequests

from coordination.limits import body_limit

COORDINATOR = "coordinator.ph@example.org"
MiB = 1024 * 1024


def assert_no_traceback(caplog):
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert errors == [], caplog.text
    assert "Traceback" not in caplog.text


def nested_list(depth: int) -> str:
    return "[" * depth + "]" * depth


def nested_object(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


def is_error_page(response, status: int) -> bool:
    html = response.get_data(as_text=True)
    return response.status_code == status and response.mimetype == "text/html" and "<h1" in html


# -- nested JSON --------------------------------------------------------------------------------

URLS = [("POST", "/api/v1/items"), ("PATCH", "/api/v1/items/1"), ("POST", "/api/v1/tokens"),
        ("GET", "/api/v1/me"), ("POST", "/api/v1/no-such-endpoint"),
        ("POST", "/items/new"), ("POST", "/login"), ("GET", "/items"), ("POST", "/no-such-page")]


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
@pytest.mark.parametrize(("method", "path"), URLS)
def test_json_nested_too_deep_answers_400_without_a_traceback(app, caplog, method, path, signed_in):
    client = signed_in_client(app, COORDINATOR) if signed_in else app.test_client()
    headers = api_token(app.test_client(), COORDINATOR) if signed_in and path.startswith("/api/") else {}
    caplog.set_level(logging.INFO)
    for body in (nested_list(65), nested_list(1_000), nested_list(200_000), nested_object(5_000),
                 '{"title": ' + nested_list(600) + "}"):
        response = client.open(path, method=method, data=body, content_type="application/json", headers=headers)
        if path.startswith("/api/"):
            assert response.status_code == 400, (path, response.get_data(as_text=True)[:300])
            assert response.get_json()["error"] == "bad_request"
            assert "64 levels" in response.get_json()["message"]
        else:
            assert is_error_page(response, 400), (path, response.status_code)
            assert "64 levels" in response.get_data(as_text=True)
    assert_no_traceback(caplog)


def test_json_of_64_levels_is_taken_and_brackets_inside_strings_do_not_count(client):
    headers = api_token(client, COORDINATOR)
    body = '{"title": "Deep", "due_date": "2027-03-31", "extra": ' + nested_list(63) + "}"
    assert client.post("/api/v1/items", data=body, content_type="application/json", headers=headers).status_code == 201
    body = '{"title": "Deep", "due_date": "2027-03-31", "extra": ' + nested_list(64) + "}"
    refused = client.post("/api/v1/items", data=body, content_type="application/json", headers=headers)
    assert refused.status_code == 400 and refused.get_json()["error"] == "bad_request"
    created = client.post("/api/v1/items", headers=headers, json={
        "title": "Brackets", "due_date": "2027-03-31", "description": '[{"\\"' * 2_000})
    assert created.status_code == 201
    assert created.get_json()["description"] == '[{"\\"' * 2_000


def test_a_nul_character_deep_inside_json_is_still_refused(client):
    headers = api_token(client, COORDINATOR)
    body = {"title": "NUL", "due_date": "2027-03-31", "extra": [[[[{"k": ["x\x00"]}]]]]}
    response = client.post("/api/v1/items", json=body, headers=headers)
    assert response.status_code == 400 and "NUL" in response.get_json()["message"]


# -- body size ----------------------------------------------------------------------------------

def json_of_size(size: int) -> bytes:
    """A JSON object of exactly ``size`` bytes."""
    frame = b'{"title": "Big", "due_date": "2027-03-31", "description": ""}'
    return frame[:-2] + b"x" * (size - len(frame)) + frame[-2:]


def test_a_body_over_the_limit_answers_413_before_authentication_and_parsing(app, caplog, monkeypatch):
    limit = app.config["MAX_BODY_BYTES"]
    assert limit == MiB
    client = app.test_client()
    token = api_token(app.test_client(), COORDINATOR)
    parsed = []
    monkeypatch.setattr(app.json, "loads", lambda *a, **k: parsed.append(1))
    caplog.set_level(logging.INFO)
    for headers in ({}, token, {"Authorization": "Bearer not-a-token"}):
        for size in (limit + 1, 10 * MiB):
            response = client.post("/api/v1/items", data=json_of_size(size), content_type="application/json",
                                   headers=headers)
            assert response.status_code == 413
            body = json.loads(response.get_data())
            assert body["error"] == "payload_too_large" and "1,048,576 bytes" in body["message"]
    assert parsed == []
    response = client.post("/api/v1/tokens", data=b"x" * (limit + 1), content_type="text/plain")
    assert response.status_code == 413 and json.loads(response.get_data())["error"] == "payload_too_large"
    assert_no_traceback(caplog)


def test_a_body_of_exactly_the_limit_is_read(client):
    headers = api_token(client, COORDINATOR)
    response = client.post("/api/v1/items", data=json_of_size(MiB), content_type="application/json", headers=headers)
    assert response.status_code == 422  # read and parsed: the description is too long
    assert "description" in response.get_json()["fields"]


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
@pytest.mark.parametrize("path", ["/login", "/items/new", "/no-such-page", "/items"])
def test_a_form_over_the_limit_answers_413_with_a_page(app, caplog, path, signed_in):
    client = signed_in_client(app, COORDINATOR) if signed_in else app.test_client()
    caplog.set_level(logging.INFO)
    for body in ({"email": "a@example.org", "password": "x" * MiB},
                 {"title": "Big", "due_date": "2027-03-31", "file": (io.BytesIO(b"x" * 2 * MiB), "big.bin")}):
        response = client.post(path, data=body)
        assert is_error_page(response, 413), (path, response.status_code)
        assert "The request is too large" in response.get_data(as_text=True)
    assert_no_traceback(caplog)


def chunked(client, path, payload: bytes, content_type: str, headers=None):
    """A request whose body comes without Content-Length (Transfer-Encoding: chunked, the
    server having taken the chunks apart, as gunicorn and werkzeug's server do)."""
    return client.post(path, input_stream=io.BytesIO(payload), content_type=content_type,
                       headers={"Transfer-Encoding": "chunked", **(headers or {})},
                       environ_overrides={"wsgi.input_terminated": True})


def test_a_chunked_body_is_cut_off_at_the_limit(app, caplog):
    caplog.set_level(logging.INFO)
    client = app.test_client()
    headers = api_token(app.test_client(), COORDINATOR)
    small = chunked(client, "/api/v1/items", b'{"title": "Chunked", "due_date": "2027-03-31"}', "application/json",
                    headers)
    assert small.status_code == 201 and small.get_json()["title"] == "Chunked"
    for extra in ({}, headers):
        big = chunked(client, "/api/v1/items", json_of_size(2 * MiB), "application/json", extra)
        assert big.status_code == 413 and big.get_json()["error"] == "payload_too_large"
        assert "1,048,576 bytes" in big.get_json()["message"]
    web = signed_in_client(app, COORDINATOR)
    form = chunked(web, "/items/new", b"title=Big&description=" + b"x" * (2 * MiB), "application/x-www-form-urlencoded")
    assert is_error_page(form, 413)
    assert_no_traceback(caplog)


def test_an_endpoint_may_take_larger_bodies(make_app, caplog):
    """Attachments will have a limit of their own: an endpoint names the setting it uses."""
    app = make_app(UPLOAD_TEST_BYTES=3 * MiB)

    @body_limit("UPLOAD_TEST_BYTES")
    def upload():
        return {"size": len(request.get_data())}

    def ordinary():
        return {"size": len(request.get_data())}

    app.add_url_rule("/api/v1/upload-test", "upload_test", upload, methods=["POST"])
    app.add_url_rule("/api/v1/ordinary-test", "ordinary_test", ordinary, methods=["POST"])
    caplog.set_level(logging.INFO)
    client = app.test_client()
    body = b"x" * (2 * MiB)
    assert client.post("/api/v1/upload-test", data=body).get_json() == {"size": 2 * MiB}
    assert chunked(client, "/api/v1/upload-test", body, "application/octet-stream").get_json() == {"size": 2 * MiB}
    assert client.post("/api/v1/ordinary-test", data=body).status_code == 413
    too_big = client.post("/api/v1/upload-test", data=b"x" * (3 * MiB + 1))
    assert too_big.status_code == 413 and "3,145,728 bytes" in too_big.get_json()["message"]
    assert chunked(client, "/api/v1/upload-test", b"x" * (4 * MiB), "application/octet-stream").status_code == 413
    assert_no_traceback(caplog)


# -- 405 and the headers of every HTTP error -------------------------------------------------------------

@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_405_says_which_methods_are_allowed(app, signed_in):
    client = signed_in_client(app, COORDINATOR) if signed_in else app.test_client()
    headers = api_token(app.test_client(), COORDINATOR) if signed_in else {}
    api = client.delete("/api/v1/items", headers=headers)
    assert api.status_code == 405 and api.get_json()["error"] == "method_not_allowed"
    assert set(api.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}
    assert api.mimetype == "application/json"
    for path, allowed in (("/items", {"GET", "HEAD", "OPTIONS"}), ("/login", {"GET", "HEAD", "OPTIONS", "POST"}),
                          ("/logout", {"OPTIONS", "POST"})):
        page = client.put(path)
        assert is_error_page(page, 405), path
        assert set(page.headers["Allow"].split(", ")) == allowed, path


def test_http_errors_keep_their_headers(make_app, caplog):
    app = make_app()

    def limited():
        raise TooManyRequests(retry_after=30)

    app.add_url_rule("/limited", "limited", limited)
    app.add_url_rule("/api/v1/limited", "api_limited", limited)
    client = app.test_client()
    caplog.set_level(logging.INFO)
    for path in ("/limited", "/api/v1/limited"):
        response = client.get(path)
        assert response.status_code == 429 and response.headers["Retry-After"] == "30"
        assert response.mimetype == ("application/json" if path.startswith("/api/") else "text/html")
    assert_no_traceback(caplog)
