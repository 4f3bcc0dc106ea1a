"""Templates, cycles, country reports, values and assignments through the API."""
from datetime import UTC, datetime

import pytest
from helpers import api_token, sign_in
from sqlalchemy import func, select

from coordination.items.models import ActionItem
from coordination.reporting.models import CountryReport, IndicatorValue

SUBMITTED = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)
INDICATOR = {"code": "SPF_X", "name": "Something", "guarantee": "overall", "unit": "percent", "required": True}


def report(client, tokens, report_id, who="coordinator"):
    return client.get(f"/api/v1/reports/{report_id}", headers=tokens[who]).get_json()


def fire(client, tokens, report_id, trigger, who="coordinator", **extra):
    version = report(client, tokens, report_id, "coordinator")["version"]
    return client.post(f"/api/v1/reports/{report_id}/transitions", headers=tokens[who],
                       json={"trigger": trigger, "version": version, **extra})


# -- templates ----------------------------------------------------------------------------------

def test_default_template_is_seeded_from_the_monitoring_format(client, tokens):
    templates = client.get("/api/v1/templates", headers=tokens["coordinator"]).get_json()
    default = next(t for t in templates if t["name"] == "ASEAN SPF self-assessment")
    codes = [i["code"] for i in default["indicators"]]
    assert len(codes) == 17 and codes[0] == "SPF_COVERAGE_TOTAL"
    assert default["in_use"] is True  # the published historical cycle uses it


def test_secretariat_creates_templates_and_bad_ones_are_refused(client, tokens, session):
    created = client.post("/api/v1/templates", headers=tokens["secretariat"],
                          json={"name": "Short form", "indicators": [INDICATOR]})
    assert created.status_code == 201 and created.get_json()["indicators"][0]["code"] == "SPF_X"
    assert client.post("/api/v1/templates", headers=tokens["coordinator"],
                       json={"name": "Mine", "indicators": [INDICATOR]}).status_code == 403
    bad = client.post("/api/v1/templates", headers=tokens["secretariat"], json={
        "name": "Bad", "indicators": [INDICATOR | {"unit": "kg"}, INDICATOR]})
    assert bad.status_code == 422
    assert bad.get_json()["fields"] == {
        "indicators[0]": ["unit: choose one of percent, number, currency, yes_no, text."]}
    twice = client.post("/api/v1/templates", headers=tokens["secretariat"], json={
        "name": "Twice", "indicators": [INDICATOR, INDICATOR]})
    assert twice.status_code == 422 and twice.get_json()["fields"] == {"indicators[1]": ["code: SPF_X appears twice."]}


def test_template_in_use_cannot_change_but_can_be_copied(client, tokens, ids, open_cycle):
    change = client.put(f"/api/v1/templates/{ids['template']}", headers=tokens["secretariat"],
                        json={"name": "Changed", "indicators": [INDICATOR]})
    assert change.status_code == 409
    copy = client.post(f"/api/v1/templates/{ids['template']}/copies", headers=tokens["secretariat"],
                       json={"name": "ASEAN SPF self-assessment (2028)"})
    assert copy.status_code == 201 and copy.get_json()["in_use"] is False
    new_id = copy.get_json()["id"]
    changed = client.put(f"/api/v1/templates/{new_id}", headers=tokens["secretariat"],
                         json={"name": "ASEAN SPF self-assessment (2028)", "indicators": [INDICATOR]})
    assert changed.status_code == 200 and len(changed.get_json()["indicators"]) == 1


# -- cycles -------------------------------------------------------------------------------------

def test_opening_a_cycle_creates_one_report_per_member_state(client, tokens, session, open_cycle):
    count = session.scalar(select(func.count(CountryReport.id)).where(
        CountryReport.cycle_id == open_cycle["cycle"]["id"]))
    assert count == 10
    cycle_id = open_cycle["cycle"]["id"]
    states = set(session.scalars(select(CountryReport.state).where(CountryReport.cycle_id == cycle_id)))
    assert states == {"not_started"}


def test_cycle_transitions_in_order_only(client, tokens, open_cycle):
    cycle_id = open_cycle["cycle"]["id"]
    again = client.post(f"/api/v1/cycles/{cycle_id}/transitions", json={"trigger": "open"},
                        headers=tokens["secretariat"])
    assert again.status_code == 409 and again.get_json()["allowed"] == ["close"]
    assert client.post(f"/api/v1/cycles/{cycle_id}/transitions", json={"trigger": "close"},
                       headers=tokens["coordinator"]).status_code == 403
    for trigger, state in (("close", "closed"), ("publish", "published")):
        response = client.post(f"/api/v1/cycles/{cycle_id}/transitions", json={"trigger": trigger},
                               headers=tokens["secretariat"])
        assert response.get_json()["state"] == state


@pytest.mark.parametrize("body, field", [
    ({"period_start": "2026-12-31", "period_end": "2026-01-01"}, "period_end"),
    ({"deadline": "soon"}, "deadline"),
    ({"template_id": 99999}, "template_id"),
    ({"name": ""}, "name"),
])
def test_bad_cycles_are_refused(client, tokens, ids, body, field):
    good = {"name": "X", "template_id": ids["template"], "period_start": "2026-01-01", "period_end": "2026-12-31",
            "deadline": "2020-03-31"}  # a past deadline is fine: earlier cycles can be recorded
    response = client.post("/api/v1/cycles", headers=tokens["secretariat"], json=good | body)
    assert response.status_code == 422 and field in response.get_json()["fields"]
    assert client.post("/api/v1/cycles", headers=tokens["secretariat"], json=good).status_code == 201


# -- values ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("code, body, ok", [
    ("SPF_COVERAGE_TOTAL", {"value": 0}, True),
    ("SPF_COVERAGE_TOTAL", {"value": 100}, True),
    ("SPF_COVERAGE_TOTAL", {"value": 100.01}, False),
    ("SPF_COVERAGE_TOTAL", {"value": -0.01}, False),
    ("SPF_COVERAGE_TOTAL", {"value": "34"}, False),
    ("SPF_COVERAGE_TOTAL", {"value": True}, False),
    ("COORD_MEETINGS", {"value": 0}, True),
    ("COORD_MEETINGS", {"value": 1000000}, True),
    ("COORD_MEETINGS", {"value": -0.01}, False),
    ("COORD_FOCAL_POINT", {"value": True}, True),
    ("COORD_FOCAL_POINT", {"value": "yes"}, False),
    ("COORD_FOCAL_POINT", {"value": 1}, False),
    ("SPF_CHILDREN", {"value": 20, "breakdown": {"female": 100, "male": 0}}, True),
    ("SPF_CHILDREN", {"value": 20, "breakdown": {"female": 100.01}}, False),
    ("SPF_CHILDREN", {"value": 20, "breakdown": {"martian": 5}}, False),
    ("SPF_MATERNITY", {"value": 20, "breakdown": {"female": 5}}, False),
    ("SPF_COVERAGE_TOTAL", {"availability": "not_available"}, False),
    ("SPF_COVERAGE_TOTAL", {"availability": "not_available", "reason": "No survey"}, True),
    ("SPF_COVERAGE_TOTAL", {"availability": "not_applicable", "reason": "x", "value": 3}, False),
    ("SPF_COVERAGE_TOTAL", {"availability": "estimate", "value": 3}, True),
    ("SPF_COVERAGE_TOTAL", {"availability": "estimate"}, False),
    ("SPF_COVERAGE_TOTAL", {"availability": "guess", "value": 3}, False),
])
def test_values_are_validated_by_unit(client, tokens, session, open_cycle, code, body, ok):
    response = client.put(f"/api/v1/reports/{open_cycle['report']}/values/{code}", json=body,
                          headers=tokens["coordinator"])
    assert response.status_code == (200 if ok else 422), response.get_json()
    stored = session.scalar(select(func.count(IndicatorValue.id)).where(
        IndicatorValue.report_id == open_cycle["report"], IndicatorValue.availability.is_not(None)))
    assert stored == (1 if ok else 0)


def test_text_values_have_a_limit(client, tokens, ids, session):
    template = client.post("/api/v1/templates", headers=tokens["secretariat"], json={
        "name": "Text form", "indicators": [INDICATOR | {"code": "NOTE", "unit": "text"}]}).get_json()
    cycle = client.post("/api/v1/cycles", headers=tokens["secretariat"], json={
        "name": "Text cycle", "template_id": template["id"], "period_start": "2026-01-01",
        "period_end": "2026-12-31", "deadline": "2027-03-31"}).get_json()
    client.post(f"/api/v1/cycles/{cycle['id']}/transitions", json={"trigger": "open"}, headers=tokens["secretariat"])
    reports = client.get(f"/api/v1/cycles/{cycle['id']}", headers=tokens["coordinator"]).get_json()["reports"]
    report_id = reports[0]["id"]
    url = f"/api/v1/reports/{report_id}/values/NOTE"
    assert client.put(url, json={"value": "x" * 5000}, headers=tokens["coordinator"]).status_code == 200
    assert client.put(url, json={"value": "x" * 5001}, headers=tokens["coordinator"]).status_code == 422


def test_unknown_indicator_and_other_country(client, tokens, open_cycle):
    url = f"/api/v1/reports/{open_cycle['report']}/values"
    unknown = client.put(f"{url}/NOPE", json={"value": 1}, headers=tokens["coordinator"])
    assert unknown.status_code == 422 and "indicator_code" in unknown.get_json()["fields"]
    assert client.put(f"{url}/SPF_COVERAGE_TOTAL", json={"value": 1}, headers=tokens["th"]).status_code == 404
    assert client.get(f"/api/v1/reports/{open_cycle['report']}", headers=tokens["th"]).status_code == 404
    assert client.get(f"/api/v1/reports/{open_cycle['report']}", headers=tokens["secretariat"]).status_code == 404


# -- assignments and data requests ------------------------------------------------------------------

def test_assignment_creates_a_data_request_and_only_that_ministry_enters_the_value(client, tokens, ids, session,
                                                                                open_cycle):
    report_id = open_cycle["report"]
    response = client.post(f"/api/v1/reports/{report_id}/assignments", headers=tokens["coordinator"],
                           json={"indicator_code": "SPF_CHILDREN", "ministry_id": ids["DSWD"]})
    assert response.status_code == 201
    assignment = response.get_json()
    # Ten working days of the Philippines before 31 March 2027: two weekends and Maundy Thursday
    # and Good Friday (25 and 26 March) skipped.
    assert assignment["item_state"] == "assigned" and assignment["due_date"] == "2027-03-15"
    item = client.get(f"/api/v1/items/{assignment['item_id']}", headers=tokens["dswd"]).get_json()
    assert item["ministry_id"] == ids["DSWD"]
    assert item["title"] == ("Data request: Children covered by social protection benefits, 2027 self-assessment "
                             "(SPF_CHILDREN)")
    assert "accept" in item["allowed_triggers"]
    # from the report back to the data request
    values = {v["indicator_code"]: v for v in report(client, tokens, report_id)["values"]}
    assert values["SPF_CHILDREN"]["data_request_id"] == assignment["item_id"]
    assert values["SPF_CHILDREN"]["ministry_id"] == ids["DSWD"]
    url = f"/api/v1/reports/{report_id}/values"
    assert client.put(f"{url}/SPF_CHILDREN", json={"value": 21.5, "note": "DSWD 4Ps registry"},
                      headers=tokens["dswd"]).status_code == 200
    assert client.put(f"{url}/SPF_CHILDREN", json={"value": 22}, headers=tokens["dole"]).status_code == 403
    assert client.put(f"{url}/SPF_COVERAGE_TOTAL", json={"value": 22}, headers=tokens["dswd"]).status_code == 403
    twice = client.post(f"/api/v1/reports/{report_id}/assignments", headers=tokens["coordinator"],
                        json={"indicator_code": "SPF_CHILDREN", "ministry_id": ids["DOLE"]})
    assert twice.status_code == 409


def _move(client, tokens, item_id, who, trigger, ministry_id):
    item = client.get(f"/api/v1/items/{item_id}", headers=tokens[who]).get_json()
    response = client.post(f"/api/v1/items/{item_id}/transitions", headers=tokens[who], json={
        "trigger": trigger, "version": item["version"], "ministry_id": ministry_id, "comment": "Theirs"})
    assert response.status_code == 200, response.get_json()


@pytest.mark.parametrize("trigger, who", [("hand_over", "dswd"), ("transfer", "coordinator")])
def test_a_data_request_follows_its_item_to_the_ministry_now_holding_it(client, tokens, ids, open_cycle,
                                                                       trigger, who):
    report_id = open_cycle["report"]
    item_id = client.post(f"/api/v1/reports/{report_id}/assignments", headers=tokens["coordinator"], json={
        "indicator_code": "SPF_CHILDREN", "ministry_id": ids["DSWD"]}).get_json()["item_id"]
    _move(client, tokens, item_id, who, trigger, ids["DOLE"])

    url = f"/api/v1/reports/{report_id}/values/SPF_CHILDREN"
    refused = client.put(url, json={"value": 30}, headers=tokens["dswd"])
    assert refused.status_code == 403
    assert client.put(url, json={"value": 22.5}, headers=tokens["dole"]).status_code == 200
    values = {v["indicator_code"]: v for v in report(client, tokens, report_id)["values"]}
    assert values["SPF_CHILDREN"]["value"] == 22.5
    assert values["SPF_CHILDREN"]["ministry_id"] == ids["DOLE"]


def test_after_a_hand_over_the_web_offers_the_value_form_to_the_new_holder_only(app, client, tokens, ids,
                                                                                open_cycle):
    from helpers import signed_in_client

    report_id = open_cycle["report"]
    item_id = client.post(f"/api/v1/reports/{report_id}/assignments", headers=tokens["coordinator"], json={
        "indicator_code": "SPF_CHILDREN", "ministry_id": ids["DSWD"]}).get_json()["item_id"]
    _move(client, tokens, item_id, "dswd", "hand_over", ids["DOLE"])

    dole = signed_in_client(app, "staff.ph.dole@example.org")
    dswd = signed_in_client(app, "staff.ph.dswd@example.org")
    assert 'name="SPF_CHILDREN-availability"' in dole.get(f"/items/{item_id}").get_data(as_text=True)
    assert 'name="SPF_CHILDREN-availability"' not in dswd.get(f"/items/{item_id}").get_data(as_text=True)
    held_by = dole.get(f"/reports/{report_id}").get_data(as_text=True)
    block = held_by[held_by.index('id="indicator-SPF_CHILDREN"'):]
    assert "DOLE" in block[:block.index("</tr>")]


@pytest.mark.parametrize("body, field", [
    ({"indicator_code": "SPF_CHILDREN", "ministry_id": "SSO"}, "ministry_id"),
    ({"indicator_code": "NOPE", "ministry_id": "DSWD"}, "indicator_code"),
])
def test_bad_assignments_are_refused(client, tokens, ids, session, open_cycle, body, field):
    body = body | {"ministry_id": ids[body["ministry_id"]]}
    response = client.post(f"/api/v1/reports/{open_cycle['report']}/assignments", headers=tokens["coordinator"],
                           json=body)
    assert response.status_code == 422 and field in response.get_json()["fields"]
    assert session.scalar(select(func.count(ActionItem.id))) == 0


def test_only_the_coordinator_assigns(client, tokens, ids, open_cycle):
    body = {"indicator_code": "SPF_CHILDREN", "ministry_id": ids["DSWD"]}
    url = f"/api/v1/reports/{open_cycle['report']}/assignments"
    assert client.post(url, headers=tokens["dswd"], json=body).status_code == 403
    assert client.post(url, headers=tokens["th"], json=body).status_code == 404


# -- the report workflow ------------------------------------------------------------------------------

def test_submission_is_gated_on_required_indicators(client, tokens, open_cycle, fill_required):
    report_id = open_cycle["report"]
    fire(client, tokens, report_id, "start")
    fill_required(report_id, skip=("SPF_OLDER_PERSONS", "COORD_MECHANISM"))
    refused = fire(client, tokens, report_id, "submit")
    assert refused.status_code == 422
    assert set(refused.get_json()["fields"]) == {"SPF_OLDER_PERSONS", "COORD_MECHANISM"}
    assert "SPF_OLDER_PERSONS" in refused.get_json()["message"]
    assert report(client, tokens, report_id)["state"] == "drafting"
    fill_required(report_id)
    submitted = fire(client, tokens, report_id, "submit")
    assert submitted.status_code == 200 and submitted.get_json()["state"] == "submitted"
    assert submitted.get_json()["missing"] == [] and submitted.get_json()["completeness"] == 100.0
    # read-only until sent back
    locked = client.put(f"/api/v1/reports/{report_id}/values/SPF_COVERAGE_TOTAL", json={"value": 1},
                        headers=tokens["coordinator"])
    assert locked.status_code == 409


def test_send_back_with_queries_then_revise_and_accept(client, tokens, open_cycle, fill_required):
    report_id = open_cycle["report"]
    fire(client, tokens, report_id, "start")
    fill_required(report_id)
    first = fire(client, tokens, report_id, "submit").get_json()["submitted_at"]
    assert fire(client, tokens, report_id, "send_back", who="secretariat").status_code == 422  # comment needed
    bad_query = fire(client, tokens, report_id, "send_back", who="secretariat", comment="Check",
                     queries=[{"indicator_code": "NOPE", "question": "?"}])
    assert bad_query.status_code == 422
    sent_back = fire(client, tokens, report_id, "send_back", who="secretariat", comment="Please check coverage",
                     queries=[{"indicator_code": "SPF_COVERAGE_TOTAL", "question": "Which year is this?"}])
    assert sent_back.get_json()["state"] == "returned"
    query = report(client, tokens, report_id)["queries"][0]
    assert query["indicator_code"] == "SPF_COVERAGE_TOTAL" and query["answer"] is None
    assert fire(client, tokens, report_id, "revise", who="secretariat").status_code == 403
    assert fire(client, tokens, report_id, "revise").get_json()["state"] == "drafting"
    answered = client.post(f"/api/v1/reports/{report_id}/queries/{query['id']}/answer",
                           json={"answer": "2022, ILO estimate"}, headers=tokens["coordinator"])
    assert answered.status_code == 200
    again = fire(client, tokens, report_id, "submit").get_json()
    assert again["submitted_at"] == first  # the first submission is kept
    accepted = fire(client, tokens, report_id, "accept", who="secretariat").get_json()
    assert accepted["state"] == "accepted"
    assert [e["trigger"] for e in accepted["events"]] == ["start", "submit", "send_back", "revise", "submit", "accept"]


MALFORMED_SEND_BACKS = [
    ({"queries": [{"indicator_code": ["SPF_CHILDREN"], "question": "Which year?"}]},
     {"queries": ["The indicator must be text."]}),
    ({"queries": [{"question": "Which year?"}]}, {"queries": ["The indicator is required."]}),
    ({"queries": [{"indicator_code": "SPF_CHILDREN", "question": " "}]},
     {"queries": ["SPF_CHILDREN: write the question."]}),
    ({"queries": [{"indicator_code": "SPF_CHILDREN", "question": "?" * 20_001}]},
     {"queries": ["SPF_CHILDREN: a question may be at most 20000 characters long."]}),
    ({"queries": ["SPF_CHILDREN: Which year?"]}, {"queries": ["Send a list of {indicator_code, question}."]}),
    ({"queries": {"indicator_code": "SPF_CHILDREN"}}, {"queries": ["Send a list of {indicator_code, question}."]}),
    ({"comment": 5}, {"comment": ["The comment must be text."]}),
    ({"comment": ["Check"]}, {"comment": ["The comment must be text."]}),
    ({"comment": "x" * 20_001}, {"comment": ["The comment may be at most 20000 characters long."]}),
]


def test_a_send_back_with_malformed_queries_or_comment_is_refused_with_their_problem(client, tokens, open_cycle,
                                                                                     fill_required):
    """Regression: a query's code that was a list ended in a server error."""
    report_id = open_cycle["report"]
    fire(client, tokens, report_id, "start")
    fill_required(report_id)
    fire(client, tokens, report_id, "submit")
    for body, fields in MALFORMED_SEND_BACKS:
        refused = fire(client, tokens, report_id, "send_back", who="secretariat", **{"comment": "Check", **body})
        assert refused.status_code == 422 and refused.get_json()["fields"] == fields, body
    assert report(client, tokens, report_id)["state"] == "submitted"


REPORT_TABLE = {
    "start": ({"not_started"}, "drafting", "coordinator"),
    "submit": ({"drafting"}, "submitted", "coordinator"),
    "accept": ({"submitted"}, "accepted", "secretariat"),
    "send_back": ({"submitted"}, "returned", "secretariat"),
    "revise": ({"returned"}, "drafting", "coordinator"),
}


@pytest.mark.parametrize("state", ["not_started", "drafting", "submitted", "accepted", "returned"])
def test_every_report_trigger_from_every_state_as_every_role(client, tokens, session, open_cycle, fill_required,
                                                            state):
    report_id = open_cycle["report"]
    fill_required(report_id)
    for trigger, (sources, destination, who) in REPORT_TABLE.items():
        for role in ("coordinator", "dswd", "th", "secretariat", "observer", "admin"):
            row = session.get(CountryReport, report_id)
            row.state = state
            row.first_submitted_at = None if state in ("not_started", "drafting") else SUBMITTED
            session.commit()
            session.expire_all()
            version = session.get(CountryReport, report_id).version
            response = client.post(f"/api/v1/reports/{report_id}/transitions", headers=tokens[role],
                                   json={"trigger": trigger, "version": version, "comment": "Because"})
            sees = role in ("coordinator", "dswd") or (role == "secretariat" and state != "not_started"
                                                      and state != "drafting")
            if not sees:
                expected = 404
            elif state not in sources:
                expected = 409
            elif role != who:
                expected = 403
            else:
                expected = 200
            if role == "secretariat" and state in ("not_started", "drafting"):
                expected = 404
            assert response.status_code == expected, (trigger, role, state, response.get_json())
            session.expire_all()
            after = session.get(CountryReport, report_id).state
            assert after == (destination if expected == 200 else state)


def test_stale_report_version_is_refused(client, tokens, open_cycle):
    report_id = open_cycle["report"]
    version = report(client, tokens, report_id)["version"]
    fire(client, tokens, report_id, "start")
    stale = client.post(f"/api/v1/reports/{report_id}/transitions", headers=tokens["coordinator"],
                        json={"trigger": "submit", "version": version})
    assert stale.status_code == 409 and stale.get_json()["error"] == "stale_version"


def test_closed_cycle_refuses_submission(client, tokens, open_cycle, fill_required):
    report_id = open_cycle["report"]
    fire(client, tokens, report_id, "start")
    fill_required(report_id)
    client.post(f"/api/v1/cycles/{open_cycle['cycle']['id']}/transitions", json={"trigger": "close"},
                headers=tokens["secretariat"])
    assert fire(client, tokens, report_id, "submit").status_code == 409


# -- floors and targets ---------------------------------------------------------------------------

def test_coordinator_sets_floors_and_targets(client, tokens):
    url = "/api/v1/countries/PH/targets/SPF_COVERAGE_TOTAL"
    assert client.put(url, json={"floor": 40, "target": 60, "target_year": 2030},
                      headers=tokens["coordinator"]).status_code == 200
    assert client.put(url, json={"floor": 40}, headers=tokens["th"]).status_code == 403
    assert client.put(url, json={"floor": 40}, headers=tokens["dswd"]).status_code == 403
    bad = client.put(url, json={"floor": 60, "target": 40}, headers=tokens["coordinator"])
    assert bad.status_code == 422 and "target" in bad.get_json()["fields"]
    expected = [{"indicator_code": "SPF_COVERAGE_TOTAL", "floor": 40.0, "target": 60.0, "target_year": 2030}]
    for reader in ("coordinator", "dswd", "secretariat"):
        assert client.get("/api/v1/countries/PH/targets", headers=tokens[reader]).get_json() == expected


def test_floors_and_targets_belong_to_their_country(app, client, tokens):
    """Another country, an observer and the admin do not learn a country's targets, not even that
    it has a page of them."""
    client.put("/api/v1/countries/PH/targets/SPF_COVERAGE_TOTAL", json={"floor": 40, "target": 60},
               headers=tokens["coordinator"])
    for email in ("coordinator.th@example.org", "observer@example.org", "admin@example.org"):
        headers = api_token(app.test_client(), email)
        response = client.get("/api/v1/countries/PH/targets", headers=headers)
        assert response.status_code == 404, email
        assert response.get_json()["error"] == "not_found"
        web = app.test_client()
        sign_in(web, email)
        assert web.get("/countries/PH/targets").status_code == 404, email


@pytest.mark.parametrize("value, floor, target, expected", [
    (39.99, 40, 60, "below_floor"),
    (40, 40, 60, "at_or_above_floor"),
    (59.99, 40, 60, "at_or_above_floor"),
    (60, 40, 60, "at_or_above_target"),
    (70, None, 60, "at_or_above_target"),
    (10, None, 60, None),
    (10, None, None, None),
    (None, 40, 60, None),
])
def test_classification_against_floor_and_target(value, floor, target, expected):
    from coordination.reporting.values import classify
    assert classify(value, floor, target) == expected


def test_sending_back_and_accepting_notify_the_coordinators(client, tokens, session, open_cycle, fill_required):
    from coordination.auth.models import User
    from coordination.reminders.models import Notification

    report_id = open_cycle["report"]
    fire(client, tokens, report_id, "start")
    fill_required(report_id)
    fire(client, tokens, report_id, "submit")
    fire(client, tokens, report_id, "send_back", who="secretariat", comment="Check the coverage figure")
    coordinator = session.scalar(select(User).where(User.email == "coordinator.ph@example.org"))
    notices = session.scalars(select(Notification).where(
        Notification.user_id == coordinator.id, Notification.subject_type == "report")).all()
    assert [n.event for n in notices] == ["send_back"]
    assert "Check the coverage figure" in notices[0].body
