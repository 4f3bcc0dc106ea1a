"""Bounded input (API.md, "Second round: hardening"): request bodies over MAX_BODY_BYTES answer
413 before anything parses them, JSON nested deeper than 64 levels answers 400, dates outside
1900-01-01..2199-12-31 answer 422, page numbers beyond the last page (however many digits)
answer an empty page, and 405 answers say what is allowed. None of it writes a traceback."""
import io
import json
import logging
from datetime import UTC, datetime

import pytest
from flask import request
from helpers import api_token, field_errors, row_counts, sign_in, signed_in_client
from sqlalchemy import select
from werkzeug.exceptions import TooManyRequests

from coordination import clock
from coordination.auth.models import User
from coordination.dates import OUT_OF_RANGE
from coordination.demo_activity import seed_activity
from coordination.directory.models import Ministry
from coordination.extensions import db
from coordination.items.models import ActionItem
from coordination.limits import body_limit
from coordination.paging import MAX_PAGE
from coordination.reminders.jobs import run_sweep
from coordination.reminders.models import Notification
from coordination.reporting.models import CountryReport, Indicator, MonitoringTemplate

COORDINATOR = "coordinator.ph@example.org"
SECRETARIAT = "secretariat@example.org"
ADMIN = "admin@example.org"
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


# -- dates ----------------------------------------------------------------------------------------

REFUSED_DATES = ["1899-12-31", "2200-01-01", "9999-12-31", "0001-01-01"]
EDGE_DATES = ["1900-01-01", "2199-12-31"]


@pytest.fixture
def world(app, session):
    """What the date endpoints need: tokens, signed-in pages, a draft item, an open cycle and
    the Philippines' report in it."""
    client = app.test_client()
    tokens = {"coordinator": api_token(client, COORDINATOR), "secretariat": api_token(client, SECRETARIAT)}
    template = session.scalar(select(MonitoringTemplate.id)
                              .where(MonitoringTemplate.name == "ASEAN SPF self-assessment"))
    cycle = client.post("/api/v1/cycles", headers=tokens["secretariat"], json={
        "name": "2027 self-assessment", "template_id": template, "period_start": "2026-01-01",
        "period_end": "2026-12-31", "deadline": "2027-03-31"}).get_json()["id"]
    assert client.post(f"/api/v1/cycles/{cycle}/transitions", json={"trigger": "open"},
                       headers=tokens["secretariat"]).status_code == 200
    item = client.post("/api/v1/items", headers=tokens["coordinator"],
                       json={"title": "Dated", "due_date": "2027-03-31"}).get_json()["id"]
    report = session.scalar(select(CountryReport.id).where(CountryReport.cycle_id == cycle,
                                                           CountryReport.country_code == "PH"))
    return {
        "app": app, "client": client, "tokens": tokens, "template": template, "cycle": cycle, "item": item,
        "report": report,
        "indicators": list(session.scalars(select(Indicator.code).where(Indicator.template_id == template)
                                           .order_by(Indicator.position))),
        "dswd": session.scalar(select(Ministry.id).where(Ministry.country_code == "PH", Ministry.acronym == "DSWD")),
        "web": {"coordinator": signed_in_client(app, COORDINATOR), "secretariat": signed_in_client(app, SECRETARIAT)},
    }


def _version(w) -> int:
    return w["client"].get(f"/api/v1/items/{w['item']}", headers=w["tokens"]["coordinator"]).get_json()["version"]


def _cycle_body(w, n, field, value):
    body = {"name": f"Dated cycle {n}", "template_id": w["template"], "period_start": "2026-01-01",
            "period_end": "2026-12-31", "deadline": "2027-03-31"}
    if field == "period_start":
        body["period_end"] = "2199-12-31"
    if field == "period_end":
        body["period_start"] = "1900-01-01"
    return body | {field: value}


# Every API endpoint and field that takes a date: (request, field, the edge dates it accepts).
API_DATES = {
    "POST /items due_date": (lambda w, n, v: w["client"].post(
        "/api/v1/items", headers=w["tokens"]["coordinator"], json={"title": f"Dated {n}", "due_date": v}),
        "due_date", EDGE_DATES),
    "PATCH /items/ID due_date": (lambda w, n, v: w["client"].patch(
        f"/api/v1/items/{w['item']}", headers=w["tokens"]["coordinator"], json={"version": _version(w), "due_date": v}),
        "due_date", EDGE_DATES),
    **{f"POST /cycles {field}": (lambda w, n, v, field=field: w["client"].post(
        "/api/v1/cycles", headers=w["tokens"]["secretariat"], json=_cycle_body(w, n, field, v)), field, EDGE_DATES)
       for field in ("period_start", "period_end", "deadline")},
    # An extension ends after the cycle's deadline (31 March 2027): 1900-01-01 is refused for that.
    "POST /cycles/ID/extensions deadline": (lambda w, n, v: w["client"].post(
        f"/api/v1/cycles/{w['cycle']}/extensions", headers=w["tokens"]["secretariat"],
        json={"country": "PH", "deadline": v, "reason": "Floods"}), "deadline", ["2199-12-31"]),
    "POST /reports/ID/assignments due_date": (lambda w, n, v: w["client"].post(
        f"/api/v1/reports/{w['report']}/assignments", headers=w["tokens"]["coordinator"],
        json={"indicator_code": w["indicators"][n], "ministry_id": w["dswd"], "due_date": v}), "due_date", EDGE_DATES),
}


@pytest.mark.parametrize("case", list(API_DATES))
def test_api_takes_dates_from_1900_to_2199_only(world, case):
    send, field, accepted = API_DATES[case]
    n = 0
    for value in EDGE_DATES:
        n += 1
        response = send(world, n, value)
        if value in accepted:
            assert response.status_code in (200, 201), (value, response.get_json())
        else:
            assert response.status_code == 422 and response.get_json()["fields"][field] != [OUT_OF_RANGE]
    before = row_counts(world["app"])
    for value in REFUSED_DATES:
        n += 1
        response = send(world, n, value)
        assert response.status_code == 422, (value, response.get_json())
        body = response.get_json()
        assert body["error"] == "validation_error" and body["fields"][field] == [OUT_OF_RANGE], value
    assert row_counts(world["app"]) == before


def _web_item_edit(w, n, value):
    return w["web"]["coordinator"].post(f"/items/{w['item']}/edit", data={
        "title": "Dated", "due_date": value, "priority": "normal", "version": str(_version(w))})


# Every form field that takes a date: (post, the page that shows the form, field, accepted edge dates).
# The item forms take a due date within reason only (from a year back to ten years ahead): the
# edges of the span are refused there too, with a message of their own.
FORM_DATES = {
    "/items/new due_date": (lambda w, n, v: w["web"]["coordinator"].post("/items/new", data={
        "title": f"Dated {n}", "due_date": v, "priority": "normal"}), "/items/new", "due_date", []),
    "/items/ID/edit due_date": (_web_item_edit, "/items/{item}/edit", "due_date", []),
    **{f"/cycles/new {field}": (lambda w, n, v, field=field: w["web"]["secretariat"].post(
        "/cycles/new", data={**_cycle_body(w, n, field, v), "template_id": str(w["template"])}),
        "/cycles/new", field, EDGE_DATES) for field in ("period_start", "period_end", "deadline")},
    "/cycles/ID/extensions deadline": (lambda w, n, v: w["web"]["secretariat"].post(
        f"/cycles/{w['cycle']}/extensions", data={"country": "PH", "deadline": v, "reason": "Floods"}),
        "/cycles/{cycle}/compliance", "deadline", ["2199-12-31"]),
}


@pytest.mark.parametrize("case", list(FORM_DATES))
def test_forms_take_dates_from_1900_to_2199_only(world, case):
    send, page, field, accepted = FORM_DATES[case]
    user = "secretariat" if "cycle" in page else "coordinator"
    html = world["web"][user].get(page.format(**world)).get_data(as_text=True)
    assert 'min="1900-01-01"' in html and 'max="2199-12-31"' in html  # the date picker keeps to it
    n = 0
    for value in EDGE_DATES:
        n += 1
        response = send(world, n, value)
        if value in accepted:
            assert response.status_code == 302, (value, field_errors(response))
        else:
            assert response.status_code == 422 and OUT_OF_RANGE not in field_errors(response).get(field, [])
    before = row_counts(world["app"])
    for value in REFUSED_DATES:
        n += 1
        response = send(world, n, value)
        assert response.status_code == 422, value
        assert field_errors(response)[field] == [OUT_OF_RANGE], value
    assert row_counts(world["app"]) == before


COMPLIANCE_PAGES = ["/compliance", "/compliance/scorecard", "/compliance/scorecard.csv", "/compliance/scorecard.xlsx",
                    "/cycles/{cycle}/compliance", "/cycles/{cycle}/compliance.csv", "/cycles/{cycle}/compliance.xlsx",
                    "/cycles/{cycle}", "/cycles", "/countries/PH/compliance", "/countries/PH/progress"]
COMPLIANCE_API = ["/api/v1/cycles/{cycle}/compliance", "/api/v1/countries/PH/compliance", "/api/v1/cycles/{cycle}"]


def test_after_refused_dates_and_at_the_edges_compliance_still_answers(world, session):
    w, secretariat = world, world["tokens"]["secretariat"]
    for value in ("9999-12-31", "2200-01-01"):
        assert w["client"].post(f"/api/v1/cycles/{w['cycle']}/extensions", headers=secretariat,
                                json={"country": "PH", "deadline": value, "reason": "Floods"}).status_code == 422
        assert w["web"]["secretariat"].post(f"/cycles/{w['cycle']}/extensions", data={
            "country": "TH", "deadline": value, "reason": "Floods"}).status_code == 422
    # The extremes that are taken: an extension to the last day, cycles due on the first and the last.
    assert w["client"].post(f"/api/v1/cycles/{w['cycle']}/extensions", headers=secretariat,
                            json={"country": "MM", "deadline": "2199-12-31", "reason": "Floods"}).status_code == 201
    for n, (start, end, deadline) in enumerate([("1900-01-01", "1900-01-01", "1900-01-01"),
                                                ("2199-01-01", "2199-12-31", "2199-12-31")]):
        created = w["client"].post("/api/v1/cycles", headers=secretariat, json={
            "name": f"Edge {n}", "template_id": w["template"], "period_start": start, "period_end": end,
            "deadline": deadline})
        assert created.status_code == 201
        assert w["client"].post(f"/api/v1/cycles/{created.get_json()['id']}/transitions", json={"trigger": "open"},
                                headers=secretariat).status_code == 200
    for value in EDGE_DATES:
        assert w["client"].post("/api/v1/items", headers=w["tokens"]["coordinator"], json={
            "title": f"Due {value}", "due_date": value, "ministry_id": w["dswd"]}).status_code == 201
    with w["app"].app_context():
        assert run_sweep(w["app"], clock.now()) >= 0
    for user, web in w["web"].items():
        for path in COMPLIANCE_PAGES + ["/reports/{report}", "/items", "/notifications", "/"]:
            path = path.format(**w)
            status = web.get(path).status_code
            assert status in (200, 302, 403, 404) and status < 500, (user, path, status)
    for path in COMPLIANCE_PAGES:
        assert w["web"]["secretariat"].get(path.format(**w)).status_code == 200, path
    for path in COMPLIANCE_API:
        assert w["client"].get(path.format(**w), headers=secretariat).status_code == 200, path
    assert w["web"]["coordinator"].get(f"/reports/{w['report']}").status_code == 200
    assert w["client"].get(f"/api/v1/reports/{w['report']}", headers=w["tokens"]["coordinator"]).status_code == 200


# -- page numbers -----------------------------------------------------------------------------------

HUGE_PAGES = ["99999999999999999999", "9" * 5_000, str(MAX_PAGE), str(MAX_PAGE + 1), "1000", "0" * 30 + "1000"]


@pytest.fixture
def lists(app, session):
    """Items of the Philippines (seed_activity), notifications of its coordinator, and a
    failed message in the outbox."""
    with app.app_context():
        seed_activity(db.session, clock.now())
        db.session.commit()
    coordinator = session.scalar(select(User).where(User.email == COORDINATOR))
    now = clock.now()
    for n in range(3):
        session.add(Notification(user_id=coordinator.id, kind="notice", title=f"Notice {n}", occurred_at=now,
                                 next_attempt_at=now, status="failed" if n == 0 else "sent", last_error="refused"))
    session.commit()
    return app


WEB_LISTS = [(COORDINATOR, "/items", "action item", "No action item matches these filters."),
             (COORDINATOR, "/notifications", "Notice 1", "No notifications yet."),
             (ADMIN, "/admin/outbox", "Notice 0", "No message has failed."),
             (ADMIN, "/admin/users", COORDINATOR, "No user matches")]


@pytest.mark.parametrize(("email", "path", "on_first_page", "empty"), WEB_LISTS)
def test_pages_beyond_the_last_are_empty_on_every_web_list(lists, session, email, path, on_first_page, empty):
    client = signed_in_client(lists, email)
    first = client.get(path).get_data(as_text=True)
    assert on_first_page in first and empty not in first
    for number in HUGE_PAGES:
        response = client.get(f"{path}?page={number}")
        assert response.status_code == 200, number
        assert empty in response.get_data(as_text=True), number
    for odd in ("0", "-1", "abc", "²", "1.5", "", "%00"):
        response = client.get(f"{path}?page={odd}")
        assert response.status_code in (200, 400), odd  # the first page, or NUL refused
        if response.status_code == 200:
            assert empty not in response.get_data(as_text=True), odd
    if path == "/notifications":
        read = client.post(f"/notifications/{1}/read", data={"page": "99999999999999999999"})
        assert read.status_code in (302, 404)


API_LISTS = [("/api/v1/items", "items"), ("/api/v1/notifications", "notifications")]


@pytest.mark.parametrize(("path", "key"), API_LISTS)
def test_pages_beyond_the_last_are_empty_on_every_api_list(lists, path, key):
    client = lists.test_client()
    headers = api_token(client, COORDINATOR)
    first = client.get(path, headers=headers).get_json()
    assert first[key] and first["page"] == 1
    for number in HUGE_PAGES:
        response = client.get(f"{path}?page={number}&per_page=99999999999999999999", headers=headers)
        assert response.status_code == 200, number
        body = response.get_json()
        assert body[key] == [] and body["total"] == first["total"], number
        assert body["page"] == (MAX_PAGE if len(number.lstrip("0")) > 10 else min(int(number), MAX_PAGE))
    for odd in ("0", "-1", "abc", "²", "1.5"):
        response = client.get(f"{path}?page={odd}", headers=headers)
        assert response.status_code == 422 and "page" in response.get_json()["fields"], odd


def test_huge_ids_in_filters_find_nothing(lists):
    client = signed_in_client(lists, COORDINATOR)
    headers = api_token(lists.test_client(), COORDINATOR)
    for value in ("99999999999999999999", "²", "9" * 5_000):
        assert client.get(f"/items?ministry_id={value}").status_code == 200
        assert client.get(f"/api/v1/items?ministry_id={value}", headers=headers).status_code == 200


def test_odd_digits_in_forms_are_refused_not_500(world, session):
    """'²' passes str.isdigit() but not int(): every such check is the shared one."""
    item = session.get(ActionItem, world["item"])
    web = world["web"]["coordinator"]
    assert web.post(f"/items/{item.id}/transitions", data={"trigger": "cancel", "version": "²"}).status_code < 500
    started = web.post(f"/reports/{world['report']}/transitions", data={"trigger": "start", "version": "²"})
    assert started.status_code < 500
    code = world["indicators"][0]
    assert web.post(f"/reports/{world['report']}/values/{code}",
                    data={f"{code}-number": "1", f"{code}-item_id": "²"}).status_code < 500
    headers = world["tokens"]["coordinator"]
    narrative = world["client"].put(f"/api/v1/reports/{world['report']}/narratives/health", headers=headers,
                                    json={"self_rating": "²"})
    assert narrative.status_code == 422
    target = world["client"].put(f"/api/v1/countries/PH/targets/{code}", headers=headers,
                                 json={"floor": 1, "target": 2, "target_year": "²"})
    assert target.status_code == 422


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


def test_a_cycle_due_on_the_first_day_taken_is_judged_like_any_other(client, session, world):
    """A report submitted long after a deadline of 1 January 1900 is simply late."""
    secretariat = world["tokens"]["secretariat"]
    created = client.post("/api/v1/cycles", headers=secretariat, json={
        "name": "Old", "template_id": world["template"], "period_start": "1900-01-01", "period_end": "1900-01-01",
        "deadline": "1900-01-01"}).get_json()
    client.post(f"/api/v1/cycles/{created['id']}/transitions", json={"trigger": "open"}, headers=secretariat)
    report = session.scalar(select(CountryReport).where(CountryReport.cycle_id == created["id"],
                                                        CountryReport.country_code == "TH"))
    report.state, report.first_submitted_at = "submitted", datetime(2027, 1, 1, tzinfo=UTC)
    report.submitted_at = report.first_submitted_at
    session.commit()
    sign_in(client, SECRETARIAT)
    html = client.get(f"/cycles/{created['id']}/compliance").get_data(as_text=True)
    assert "Late" in html
