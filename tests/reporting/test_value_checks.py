"""Checks of a report's values: rules of the template (a total within its parts by sex, a
yes/no contradiction), the change from the previous accepted value; shown as values are
saved, gathered before submission, and blocking it."""
import json
import re

import pytest
from helpers import sign_in
from sqlalchemy import event, select

from coordination.extensions import db
from coordination.reporting import checks
from coordination.reporting.models import MonitoringTemplate
from coordination.reporting.templates import default_format

COORDINATOR = "coordinator.ph@example.org"


def put(client, tokens, report_id, code, body, who="coordinator"):
    return client.put(f"/api/v1/reports/{report_id}/values/{code}", json=body, headers=tokens[who])


def found(client, tokens, report_id, who="coordinator"):
    response = client.get(f"/api/v1/reports/{report_id}/checks", headers=tokens[who])
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def fire(client, tokens, report_id, trigger):
    version = client.get(f"/api/v1/reports/{report_id}", headers=tokens["coordinator"]).get_json()["version"]
    return client.post(f"/api/v1/reports/{report_id}/transitions", headers=tokens["coordinator"],
                       json={"trigger": trigger, "version": version})


def submit(client, tokens, report_id):
    return fire(client, tokens, report_id, "submit")


@pytest.fixture
def drafting(client, tokens, open_cycle, fill_required):
    """The Philippines' report, every required indicator answered (nothing fails a check)."""
    report_id = open_cycle["report"]
    assert fire(client, tokens, report_id, "start").status_code == 200
    fill_required(report_id)
    return report_id


# -- a total outside its parts by sex -------------------------------------------------------------

def test_a_total_outside_its_parts_is_saved_but_blocks_submission(client, tokens, drafting):
    saved = put(client, tokens, drafting, "SPF_CHILDREN", {"value": 25.0, "breakdown": {"female": 21.0, "male": 22.0}})
    assert saved.status_code == 200
    body = saved.get_json()
    assert body["value"] == 25.0  # no work lost
    assert [(c["rule"], c["severity"], c["indicator_codes"], c["blocks_submission"]) for c in body["checks"]] == [
        ("sex_total_within_parts", "error", ["SPF_CHILDREN"], True)]
    assert "outside its parts" in body["checks"][0]["message"]
    assert [c["rule"] for c in found(client, tokens, drafting)] == ["sex_total_within_parts"]
    refused = submit(client, tokens, drafting)
    assert refused.status_code == 422
    assert list(refused.get_json()["fields"]) == ["SPF_CHILDREN"]
    assert "SPF_CHILDREN" in refused.get_json()["message"]
    # Within its parts (the bounds included): nothing to check, and it goes.
    fixed = put(client, tokens, drafting, "SPF_CHILDREN", {"value": 22.0, "breakdown": {"female": 21.0, "male": 22.0}})
    assert fixed.get_json()["checks"] == [] and found(client, tokens, drafting) == []
    assert submit(client, tokens, drafting).status_code == 200


def test_a_total_without_both_parts_is_not_compared(client, tokens, drafting):
    body = put(client, tokens, drafting, "SPF_CHILDREN", {"value": 50.0, "breakdown": {"female": 21.0}}).get_json()
    assert body["checks"] == []


def test_missing_indicators_and_failed_checks_are_named_together(client, tokens, open_cycle, fill_required):
    report_id = open_cycle["report"]
    fire(client, tokens, report_id, "start")
    fill_required(report_id, skip=("SPF_OLDER_PERSONS",))
    put(client, tokens, report_id, "SPF_CHILDREN", {"value": 30.0, "breakdown": {"female": 21.0, "male": 22.0}})
    refused = submit(client, tokens, report_id)
    assert refused.status_code == 422
    assert set(refused.get_json()["fields"]) == {"SPF_OLDER_PERSONS", "SPF_CHILDREN"}


# -- a contradiction the template defines ---------------------------------------------------------

@pytest.mark.parametrize(("registry", "mechanism", "fails"), [
    (True, False, True), (True, True, False), (False, False, False), (False, True, False)])
def test_a_registry_in_use_without_a_mechanism_is_a_contradiction(client, tokens, drafting, registry, mechanism,
                                                                  fails):
    put(client, tokens, drafting, "COORD_MECHANISM", {"value": mechanism})
    body = put(client, tokens, drafting, "COORD_SOCIAL_REGISTRY", {"value": registry}).get_json()
    expected = [("registry_without_mechanism", "error", ["COORD_SOCIAL_REGISTRY", "COORD_MECHANISM"])] if fails else []
    assert [(c["rule"], c["severity"], c["indicator_codes"]) for c in body["checks"]] == expected
    response = submit(client, tokens, drafting)
    if fails:
        assert response.status_code == 422
        assert set(response.get_json()["fields"]) == {"COORD_SOCIAL_REGISTRY", "COORD_MECHANISM"}
    else:
        assert response.status_code == 200


def test_an_answer_flagged_not_available_contradicts_nothing(client, tokens, drafting):
    put(client, tokens, drafting, "COORD_MECHANISM", {"value": False})
    body = put(client, tokens, drafting, "COORD_SOCIAL_REGISTRY",
               {"availability": "not_available", "reason": "Not surveyed"}).get_json()
    assert body["checks"] == []


# -- a change from the previous accepted value ------------------------------------------------------

def test_a_jump_from_the_previous_accepted_value_needs_a_note(client, tokens, drafting):
    # The demo's accepted baseline holds 34.9 % for the Philippines (2022).
    body = put(client, tokens, drafting, "SPF_COVERAGE_TOTAL", {"value": 60.0}).get_json()
    assert [(c["rule"], c["severity"], c["blocks_submission"]) for c in body["checks"]] == [
        ("outlier", "warning", True)]
    assert "34.9" in body["checks"][0]["message"] and "25.1" in body["checks"][0]["message"]
    refused = submit(client, tokens, drafting)
    assert refused.status_code == 422 and list(refused.get_json()["fields"]) == ["SPF_COVERAGE_TOTAL"]
    assert "note" in refused.get_json()["fields"]["SPF_COVERAGE_TOTAL"][0]
    noted = put(client, tokens, drafting, "SPF_COVERAGE_TOTAL",
                {"value": 60.0, "note": "The 2026 survey counts the new universal pension."}).get_json()
    assert [(c["rule"], c["blocks_submission"]) for c in noted["checks"]] == [("outlier", False)]
    assert submit(client, tokens, drafting).status_code == 200


@pytest.mark.parametrize(("value", "warned"), [(49.9, False), (19.9, False), (50.0, True), (19.8, True)])
def test_the_outlier_limit_is_more_than_fifteen_points(client, tokens, drafting, value, warned):
    body = put(client, tokens, drafting, "SPF_COVERAGE_TOTAL", {"value": value}).get_json()
    assert bool(body["checks"]) is warned


def test_the_outlier_limit_is_a_setting(client, tokens, drafting, app, monkeypatch):
    monkeypatch.setitem(app.config, "OUTLIER_POINTS", 30.0)
    assert put(client, tokens, drafting, "SPF_COVERAGE_TOTAL", {"value": 60.0}).get_json()["checks"] == []
    assert submit(client, tokens, drafting).status_code == 200


def test_only_an_accepted_earlier_report_of_the_same_country_counts(client, tokens, drafting):
    # Thailand's baseline is 70.14 %: it says nothing of the Philippines' figure, nor of
    # an indicator without a previous value.
    assert put(client, tokens, drafting, "SPF_COVERAGE_TOTAL", {"value": 70.0}).get_json()["checks"] != []
    assert put(client, tokens, drafting, "SPF_HEALTH_PROTECTION", {"value": 10.0}).get_json()["checks"] == []


# -- who reads the checks ---------------------------------------------------------------------------

def test_another_country_cannot_read_the_checks(client, tokens, drafting):
    assert client.get(f"/api/v1/reports/{drafting}/checks", headers=tokens["th"]).status_code == 404
    assert client.get(f"/api/v1/reports/{drafting}/checks", headers=tokens["observer"]).status_code == 404
    assert client.get(f"/api/v1/reports/{drafting}/checks", headers=tokens["dswd"]).status_code == 200
    assert client.get("/api/v1/reports/999999/checks", headers=tokens["coordinator"]).status_code == 404


# -- the pages --------------------------------------------------------------------------------------

def test_the_report_page_shows_a_failed_check_beside_the_value(client, tokens, drafting):
    put(client, tokens, drafting, "SPF_CHILDREN", {"value": 25.0, "breakdown": {"female": 21.0, "male": 22.0}})
    sign_in(client, COORDINATOR)
    page = client.get(f"/reports/{drafting}").get_data(as_text=True)
    block = page[page.index('id="indicator-SPF_CHILDREN"'):page.index('id="indicator-SPF_MATERNITY"')]
    assert 'data-rule="sex_total_within_parts"' in block and "outside its parts" in block
    assert 'data-rule=' not in page[page.index('id="indicator-SPF_MATERNITY"'):]
    assert "but 1 check stands in the way" in page
    put(client, tokens, drafting, "SPF_CHILDREN", {"value": 21.5, "breakdown": {"female": 21.0, "male": 22.0}})
    page = client.get(f"/reports/{drafting}").get_data(as_text=True)
    assert "stands in the way" not in page and "Every required indicator is answered." in page


def test_a_value_saved_on_the_page_says_what_it_fails(client, tokens, drafting):
    sign_in(client, COORDINATOR)
    response = client.post(f"/reports/{drafting}/values/SPF_CHILDREN", data={
        "SPF_CHILDREN-number": "30", "SPF_CHILDREN-availability": "reported", "SPF_CHILDREN-female": "21",
        "SPF_CHILDREN-male": "22"}, follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "is saved" in page and "Check it:" in page
    values = client.get(f"/api/v1/reports/{drafting}", headers=tokens["coordinator"]).get_json()["values"]
    assert next(v for v in values if v["indicator_code"] == "SPF_CHILDREN")["value"] == 30.0  # kept


def test_check_your_answers_gathers_the_checks_and_holds_back_the_submit_button(client, tokens, drafting):
    put(client, tokens, drafting, "SPF_CHILDREN", {"value": 25.0, "breakdown": {"female": 21.0, "male": 22.0}})
    put(client, tokens, drafting, "SPF_COVERAGE_TOTAL", {"value": 60.0})
    sign_in(client, COORDINATOR)
    page = client.get(f"/reports/{drafting}/submit").get_data(as_text=True)
    section = page[page.index('id="checks"'):page.index("</section>", page.index('id="checks"'))]
    assert "outside its parts" in section and "25.1" in section
    assert "#indicator-SPF_CHILDREN" in section and "#indicator-SPF_COVERAGE_TOTAL" in section
    assert "Submit the report" not in page
    put(client, tokens, drafting, "SPF_CHILDREN", {"value": 21.5, "breakdown": {"female": 21.0, "male": 22.0}})
    put(client, tokens, drafting, "SPF_COVERAGE_TOTAL", {"value": 60.0, "note": "New survey"})
    page = client.get(f"/reports/{drafting}/submit").get_data(as_text=True)
    assert "explained in the note" in page and "Submit the report" in page
    posted = client.post(f"/reports/{drafting}/transitions", data={
        "trigger": "submit", "version": re.search(r'name="version" value="(\d+)"', page).group(1)})
    assert posted.status_code == 302


def test_a_submit_refused_by_a_check_names_it_on_the_page(client, tokens, drafting):
    put(client, tokens, drafting, "SPF_CHILDREN", {"value": 25.0, "breakdown": {"female": 21.0, "male": 22.0}})
    sign_in(client, COORDINATOR)
    version = client.get(f"/api/v1/reports/{drafting}", headers=tokens["coordinator"]).get_json()["version"]
    response = client.post(f"/reports/{drafting}/transitions", data={"trigger": "submit", "version": version})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "check these values first" in page and 'href="#indicator-SPF_CHILDREN"' in page


# -- the statements it costs ------------------------------------------------------------------------

def test_checks_cost_the_same_statements_for_two_values_or_twenty(app, client, tokens, open_cycle):
    report_id = open_cycle["report"]
    with app.app_context():
        engine = db.engine
    statements = []

    def count(*args):
        statements.append(args[2])

    def measured():
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            assert client.get(f"/api/v1/reports/{report_id}/checks", headers=tokens["coordinator"]).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return list(statements)

    put(client, tokens, report_id, "SPF_COVERAGE_TOTAL", {"value": 60.0})
    put(client, tokens, report_id, "SPF_CHILDREN", {"value": 25.0, "breakdown": {"female": 21.0, "male": 22.0}})
    few = measured()
    for code in ("SPF_MATERNITY", "SPF_DISABILITY", "SPF_UNEMPLOYED", "SPF_EMPLOYMENT_INJURY", "SPF_VULNERABLE",
                 "SPF_OLDER_PERSONS", "SPF_HEALTH_PROTECTION", "SPF_HEALTH_OOP", "SP_EXPENDITURE_GDP"):
        put(client, tokens, report_id, code, {"value": 80.0})
    for code in ("COORD_FOCAL_POINT", "COORD_MECHANISM", "COORD_NATIONAL_FLOOR", "COORD_SOCIAL_REGISTRY"):
        put(client, tokens, report_id, code, {"value": code != "COORD_MECHANISM"})
    many = measured()
    assert len(found(client, tokens, report_id)) == 3  # the total, the jump, the contradiction
    assert len(few) == len(many), "\n".join(many)


# -- the rules as the template's data ---------------------------------------------------------------

def test_the_monitoring_format_holds_its_rules_and_their_messages_are_in_the_catalogue(session):
    spec = default_format()
    template = session.scalar(select(MonitoringTemplate).where(MonitoringTemplate.name == spec["name"]))
    assert template.rules == spec["rules"]
    assert checks.rule_problems(spec["rules"], {i["code"] for i in spec["indicators"]}) == {}
    for rule in spec["rules"]:
        if "message" in rule:
            assert rule["message"] in checks.FORMAT_MESSAGES
    codes = {i["code"] for i in spec["indicators"] if "sex" in (i.get("disaggregations") or [])}
    assert set(spec["rules"][0]["indicators"]) == codes


RULE = {"id": "pension_needs_floor", "kind": "implies", "severity": "warning",
        "if": {"indicator": "SPF_X", "equals": True}, "then": {"indicator": "SPF_Y", "equals": True},
        "message": "A pension without a floor?"}
INDICATORS = [{"code": "SPF_X", "name": "X", "guarantee": "overall", "unit": "yes_no"},
              {"code": "SPF_Y", "name": "Y", "guarantee": "overall", "unit": "yes_no"}]


def test_a_template_takes_rules_and_refuses_bad_ones(client, tokens):
    created = client.post("/api/v1/templates", headers=tokens["secretariat"],
                          json={"name": "With rules", "indicators": INDICATORS, "rules": [RULE]})
    assert created.status_code == 201 and created.get_json()["rules"] == [RULE]
    copy = client.post(f"/api/v1/templates/{created.get_json()['id']}/copies", headers=tokens["secretariat"],
                       json={"name": "With rules, copied"})
    assert copy.get_json()["rules"] == [RULE]
    for bad, field in (([RULE | {"kind": "sometimes"}], "rules[0]"),
                       ([RULE | {"then": {"indicator": "SPF_Z", "equals": True}}], "rules[0]"),
                       ([RULE, RULE], "rules[1]"),
                       ([{"id": "t", "kind": "total_within_parts", "indicators": []}], "rules[0]"),
                       ("not a list", "rules")):
        response = client.post("/api/v1/templates", headers=tokens["secretariat"],
                               json={"name": "Bad rules", "indicators": INDICATORS, "rules": bad})
        assert response.status_code == 422, bad
        assert list(response.get_json()["fields"]) == [field], response.get_json()
    assert client.post("/api/v1/templates", headers=tokens["coordinator"],
                       json={"name": "Mine", "indicators": INDICATORS, "rules": [RULE]}).status_code == 403


def test_the_template_editor_carries_the_rules(client, session):
    sign_in(client, "secretariat@example.org")
    lines = "SPF_X | X | overall | yes_no | no\nSPF_Y | Y | overall | yes_no | no"
    bad = client.post("/templates/new", data={"name": "Edited rules", "indicators": lines, "rules": "[{oops"})
    assert bad.status_code == 422 and "not valid JSON" in bad.get_data(as_text=True)
    wrong = client.post("/templates/new", data={"name": "Edited rules", "indicators": lines,
                                                "rules": json.dumps([RULE | {"severity": "fatal"}])})
    assert wrong.status_code == 422 and "Rule 1: severity" in wrong.get_data(as_text=True)
    saved = client.post("/templates/new", data={"name": "Edited rules", "indicators": lines,
                                                "rules": json.dumps([RULE])})
    assert saved.status_code == 302
    template = session.scalar(select(MonitoringTemplate).where(MonitoringTemplate.name == "Edited rules"))
    assert template.rules == [RULE]
    form = client.get(f"/templates/{template.id}/edit").get_data(as_text=True)
    assert "pension_needs_floor" in form
    assert "pension_needs_floor" in client.get(f"/templates/{template.id}").get_data(as_text=True)

