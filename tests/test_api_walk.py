"""Every answer of the API is what its OpenAPI document says: the walk goes over every path of
the document (the paths of API.md are among them) as each role, with real ids of the demo data,
another country's ids, ids that exist nowhere, good bodies and the odd inputs of
test_no_server_errors.py, and validates each answer against the schema the document gives
for its status. A status the document does not list for the operation fails the walk."""
import io
import re

import pytest
from helpers import PDF_BYTES, ROLE_USERS, api_token, seed_attachments
from jsonschema import Draft202012Validator
from sqlalchemy import select
from test_no_server_errors import ODD_FIELDS, ODD_QUERY, SEARCHES, values_for

from coordination import clock
from coordination.auth.models import User
from coordination.demo import DEMO_PASSWORD
from coordination.demo_activity import seed_activity
from coordination.directory.models import Ministry
from coordination.extensions import db
from coordination.meetings.demo import seed_meetings
from coordination.openapi import document
from coordination.regional_items.demo import seed_regional_items
from coordination.reporting import cycles
from coordination.reporting.models import CountryReport, MonitoringTemplate, ReportingCycle

INDICATOR = {"code": "SPF_WALK", "name": "Walked", "guarantee": "overall", "unit": "percent", "required": True}
ODD_BODY = {"version": "x", "trigger": 5, "value": [1], "ministry_id": 10**30}


def add_walk_data(app) -> None:
    """To the demo data: action items and an open cycle (the Philippines' report started)."""
    with app.app_context():
        now = clock.now()
        seed_activity(db.session, now)
        seed_regional_items(db.session, now)
        seed_meetings(db.session, now)
        secretariat = db.session.scalar(select(User).where(User.email == ROLE_USERS["secretariat"]))
        template = db.session.scalar(select(MonitoringTemplate))
        cycle = cycles.create_cycle(db.session, secretariat, {
            "name": "Open cycle", "template_id": template.id, "period_start": "2026-01-01",
            "period_end": "2026-12-31", "deadline": "2027-03-31"}, now)
        cycles.fire_cycle(db.session, secretariat, cycle.id, "open", now)
        seed_attachments(db.session, now)
        db.session.commit()


@pytest.fixture
def walked(app):
    """The demo data with action items and an open cycle (the Philippines' report started)."""
    add_walk_data(app)
    return app


def good_bodies(session, client, headers) -> dict[str, callable]:
    """A body each write operation should take, by operationId (built when it is sent: it may
    need the version of what the path names)."""
    ph_ministry = session.scalar(select(Ministry.id).where(Ministry.country_code == "PH", Ministry.acronym == "DSWD"))
    # A bulk step over an item of the Philippines, one of Thailand's and an id of none.
    bulk_ids = [*values_for(session)["item_id"]]

    def version_of(path):
        response = client.get(re.sub(r"/(transitions|values/.*)$", "", path), headers=headers)
        return (response.get_json() or {}).get("version", 1) if response.is_json else 1

    return {
        "create_token": lambda path: {"email": ROLE_USERS["coordinator"], "password": DEMO_PASSWORD},
        "create_item": lambda path: {"title": "Walked item", "due_date": "2027-03-31", "ministry_id": ph_ministry},
        "update_item": lambda path: {"version": version_of(path), "title": "Walked"},
        "fire_transition": lambda path: {"trigger": "assign", "version": version_of(path),
                                         "ministry_id": ph_ministry},
        "add_comment": lambda path: {"comment": "Walked by"},
        "bulk_step": lambda path: {"ids": bulk_ids, "priority": "high", "due_date": "2027-06-30"},
        "create_template": lambda path: {"name": "Walked template", "indicators": [INDICATOR]},
        "update_template": lambda path: {"name": "Walked template 2", "indicators": [INDICATOR]},
        "copy_template": lambda path: {"name": "Walked copy"},
        "create_cycle": lambda path: {"name": "Walked cycle", "template_id": 1, "period_start": "2026-01-01",
                                      "period_end": "2026-12-31", "deadline": "2027-03-31"},
        "fire_cycle": lambda path: {"trigger": "close"},
        "grant_extension": lambda path: {"country": "PH", "deadline": "2027-05-31", "reason": "Floods"},
        "put_value": lambda path: {"value": 12.5, "note": "Walked"},
        "assign": lambda path: {"indicator_code": "SPF_CHILDREN", "ministry_id": ph_ministry},
        "fire_report": lambda path: {"trigger": "start", "version": version_of(path)},
        "answer_query": lambda path: {"answer": "Walked"},
        "put_narrative": lambda path: {"existing_schemes": "4Ps", "self_rating": 2},
        "put_target": lambda path: {"floor": 10, "target": 20, "target_year": 2030},
        "request_password_reset": lambda path: {"email": ROLE_USERS["ministry_staff"]},
        "confirm_password_reset": lambda path: {"token": "not-a-token", "password": "a long new password 1"},
        "confirm_mfa": lambda path: {"otp": "000000"},
        "disable_mfa": lambda path: {"otp": "000000"},
        "upload_to_item": lambda path: Multipart({"file": (io.BytesIO(PDF_BYTES), "walked.pdf"),
                                                  "description": "Walked"}),
        "upload_to_report": lambda path: Multipart({"file": (io.BytesIO(b"walked,1\n"), "walked.csv"),
                                                    "indicator_code": "SPF_COVERAGE_TOTAL"}),
        "import_values": lambda path: Multipart({"file": (io.BytesIO(b"code,value\nSPF_COVERAGE_TOTAL,12\n"),
                                                          "walked.csv"), "dry_run": "true"}),
        # The rest of the walk in Thai: names, codes and error codes are the same in every language.
        "set_email_preference": lambda path: {"email_mode": "daily"},
        "update_me": lambda path: {"locale": "th"},
        "set_away": lambda path: {"from": "2030-01-01", "until": "2030-01-05"},
        "create_regional_item": lambda path: {"title": "Walked regional item", "due_date": "2031-03-31",
                                              "countries": ["PH", "TH"]},
        "create_recommendation": lambda path: {"title": "Walked recommendation", "text": "Walk.",
                                               "countries": ["PH", "TH"], "adopted_on": "2026-01-01"},
        "put_assessment": lambda path: {"progress": "some", "evidence": "Walked"},
        "validate_assessment": lambda path: {"progress": "limited", "comment": "Walked"},
        "create_meeting": lambda path: {"title": "Walked meeting", "held_on": "2027-02-01",
                                        "attendee_ministry_ids": [ph_ministry], "minutes": "Walked"},
        "update_meeting": lambda path: {"version": version_of(path), "title": "Walked meeting"},
        "record_decision": lambda path: {"text": "Walked decision", "due_date": "2027-06-30",
                                         "ministry_id": ph_ministry, "country": "PH"},
        "create_practice": lambda path: {"title": "Walked practice", "summary": "Walked", "guarantee": "health"},
        "update_practice": lambda path: {"title": "Walked practice", "summary": "Walked", "version": version_of(path)},
        "publish_practice": lambda path: {},
        "withdraw_practice": lambda path: {},
        "comment_on_practice": lambda path: {"comment": "Walked question"},
        "upload_to_practice": lambda path: Multipart({"file": (io.BytesIO(PDF_BYTES), "walked.pdf")}),
        "upload_to_meeting": lambda path: Multipart({"file": (io.BytesIO(PDF_BYTES), "walked-minutes.pdf"),
                                                     "description": "Walked"}),
    }


class Multipart(dict):
    """A good body sent as multipart/form-data (a file upload), not as JSON."""

    def attempt(self) -> dict:
        return dict(data=dict(self), content_type="multipart/form-data")


class Document:
    def __init__(self, doc):
        self.doc = doc
        self.validators = {}

    def check(self, method: str, template: str, response) -> list:
        """What is wrong with ``response`` to ``method template``: nothing, or the problems."""
        operation = self.doc["paths"][template][method.lower()]
        status = str(response.status_code)
        if status not in operation["responses"]:
            return [f"status {status} is not in the document ({sorted(operation['responses'])})"]
        content = operation["responses"][status].get("content")
        if content is None:
            return [] if not response.get_data() else [f"{status} has a body the document does not describe"]
        if "application/json" not in content:  # a file: any type the document allows, never a JSON error
            allowed = "*/*" in content or response.mimetype in content
            return [] if allowed and not response.is_json else [f"{status} is {response.mimetype}, not {list(content)}"]
        if not response.is_json:
            return [f"{status} is not JSON"]
        key = (method, template, status)
        if key not in self.validators:
            schema = {**content["application/json"]["schema"], "components": self.doc["components"]}
            self.validators[key] = Draft202012Validator(schema)
        return [f"{status}: {error.message} at {list(error.absolute_path)}"
                for error in self.validators[key].iter_errors(response.get_json())][:3]


def requests_for(doc, session):
    """(method, template, path, body or None, query) for every operation of the document."""
    values = values_for(session)
    values["code"] = ["PH", "TH", "XX", "SPF_COVERAGE_TOTAL"]
    open_cycle = session.scalar(select(ReportingCycle.id).where(ReportingCycle.state == "open"))
    open_report = session.scalar(select(CountryReport.id).where(
        CountryReport.cycle_id == open_cycle, CountryReport.country_code == "PH"))
    values["cycle_id"] = [open_cycle, *values["cycle_id"]]
    values["report_id"] = [open_report, *values["report_id"]]
    ids = {"notification_id": [1], "query_id": [1, 999999]}
    for template, operations in doc["paths"].items():
        names = re.findall(r"{(\w+)}", template)
        combos = [{}]
        for name in names:
            options = ids.get(name) or values.get(name) or ["1"]
            combos = [dict(c, **{name: v}) for c in combos for v in options]
        for method, operation in operations.items():
            for combo in combos:
                path = template.format(**combo)
                yield method, template, path, operation, combo


@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_every_answer_is_what_the_document_says(walked, session, role):
    app = walked
    doc = Document(document(app))
    client = app.test_client()
    headers = api_token(client, ROLE_USERS[role])
    bodies = good_bodies(session, client, headers)
    problems = []

    def send(method, template, path, **kwargs):
        own = headers
        if template == "/api/v1/tokens/current":
            own = api_token(app.test_client(), ROLE_USERS[role])  # revoke a token of its own
        response = client.open(path, method=method.upper(), headers=own, **kwargs)
        for problem in doc.check(method, template, response):
            problems.append((method.upper(), path, kwargs.get("json", kwargs.get("query_string")), problem))
        return response

    planned = list(requests_for(doc.doc, session))
    for method, template, path, operation, _ in planned:
        if method == "get":
            send(method, template, path)
            if "parameters" in operation and any(p["in"] == "query" for p in operation["parameters"]):
                send(method, template, path, query_string=ODD_QUERY)
            if template == "/api/v1/search":  # answers with results too, not only empty lists
                for words in SEARCHES:
                    send(method, template, path, query_string={"q": words, "per_page": "2"})
            continue
        if "requestBody" not in operation:
            send(method, template, path)
            continue
        good = bodies.get(operation["operationId"])
        attempts = [dict(json={}), dict(json=ODD_BODY), dict(json=ODD_FIELDS),
                    dict(data="[]", content_type="application/json")]
        if good is not None:
            body = good(path)
            attempts.insert(0, body.attempt() if isinstance(body, Multipart) else dict(json=body))
        for attempt in attempts:
            send(method, template, path, **attempt)
    # The reads again, after the writes changed what they show.
    for method, template, path, _operation, _ in planned:
        if method == "get":
            send(method, template, path)
    assert problems == []


def test_the_walk_covers_the_paths_of_api_md(app):
    """The paths API.md names are in the document (and so in the walk)."""
    paths = set(document(app)["paths"])
    for path in ("/api/v1/tokens", "/api/v1/tokens/current", "/api/v1/me", "/api/v1/countries",
                 "/api/v1/countries/{code}/ministries", "/api/v1/items", "/api/v1/items/{item_id}",
                 "/api/v1/items/{item_id}/transitions", "/api/v1/items/summary", "/api/v1/items/bulk",
                 "/api/v1/templates",
                 "/api/v1/cycles", "/api/v1/cycles/{cycle_id}/transitions", "/api/v1/cycles/{cycle_id}/compliance",
                 "/api/v1/cycles/{cycle_id}/extensions", "/api/v1/reports/{report_id}",
                 "/api/v1/reports/{report_id}/values/{code}", "/api/v1/reports/{report_id}/assignments",
                 "/api/v1/reports/{report_id}/transitions", "/api/v1/countries/{code}/compliance",
                 "/api/v1/notifications", "/api/v1/password-reset", "/api/v1/password-reset/confirm",
                 "/api/v1/users/{user_id}/password-reset", "/api/v1/me/mfa", "/api/v1/me/mfa/confirm",
                 "/api/v1/audit-events", "/api/v1/countries/{code}/targets",
                 "/api/v1/items/{item_id}/attachments", "/api/v1/reports/{report_id}/attachments",
                 "/api/v1/attachments/{attachment_id}", "/api/v1/me/away",
                 "/api/v1/items/{item_id}/watchers/me", "/api/v1/search",
                 "/api/v1/reports/{report_id}/values/{code}/history", "/api/v1/reports/{report_id}/checks",
                 "/api/v1/cycles/{cycle_id}/sdmx.csv", "/api/v1/cycles/{cycle_id}/coordination",
                 "/api/v1/reports/{report_id}/import", "/api/v1/reports/{report_id}/submissions",
                 "/api/v1/reports/{report_id}/submissions/{number}", "/api/v1/reports/{report_id}/changes",
                 "/api/v1/regional-items", "/api/v1/regional-items/{regional_item_id}",
                 "/api/v1/recommendations", "/api/v1/recommendations/{recommendation_id}",
                 "/api/v1/recommendations/{recommendation_id}/assessments/{country}/{cycle_id}",
                 "/api/v1/recommendations/{recommendation_id}/assessments/{country}/{cycle_id}/validate",
                 "/api/v1/recommendations/{recommendation_id}/progress",
                 "/api/v1/meetings", "/api/v1/meetings/{meeting_id}", "/api/v1/meetings/{meeting_id}/decisions",
                 "/api/v1/practices", "/api/v1/practices/{practice_id}", "/api/v1/practices/{practice_id}/publish",
                 "/api/v1/practices/{practice_id}/comments", "/api/v1/meetings/{meeting_id}/attachments"):
        assert path in paths, path


def test_a_report_of_the_walk_is_readable(walked, session):
    """The walk reads a real report (not only 404s): the coordinator's report validates."""
    client = walked.test_client()
    headers = api_token(client, ROLE_USERS["coordinator"])
    report_id = session.scalar(select(CountryReport.id).join(ReportingCycle).where(
        CountryReport.country_code == "PH", ReportingCycle.state == "open"))
    response = client.get(f"/api/v1/reports/{report_id}", headers=headers)
    assert response.status_code == 200
    assert Document(document(walked)).check("get", "/api/v1/reports/{report_id}", response) == []
