"""The regional reporting pages: who sees what, the forms, the data-request panel, query counts."""
import re
import threading
import time
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from helpers import api_token, sign_in
from sqlalchemy import event, func, select

from coordination.auth.models import User
from coordination.directory.models import Ministry
from coordination.errors import ValidationError
from coordination.items.models import ActionItem
from coordination.reporting import reports, targets
from coordination.reporting.models import (
    CountryReport,
    IndicatorValue,
    MonitoringTemplate,
    Narrative,
    NationalTarget,
    ReportingCycle,
    ReportQuery,
)

COORDINATOR = "coordinator.ph@example.org"
SECRETARIAT = "secretariat@example.org"
DSWD = "staff.ph.dswd@example.org"
DOLE = "staff.ph.dole@example.org"
NOW = datetime(2027, 1, 4, 2, 0, tzinfo=UTC)


def as_user(client, email):
    client.post("/logout")
    sign_in(client, email)
    return client


def text(response) -> str:
    return response.get_data(as_text=True)


def report_row(session, report_id) -> CountryReport:
    session.expire_all()
    return session.get(CountryReport, report_id)


def value_row(session, report_id, code) -> IndicatorValue | None:
    session.expire_all()
    return session.scalar(select(IndicatorValue).join(IndicatorValue.indicator).where(
        IndicatorValue.report_id == report_id, IndicatorValue.indicator.has(code=code)))


def version(session, report_id) -> int:
    return report_row(session, report_id).version


def post_value(client, report_id, code, **fields):
    return client.post(f"/reports/{report_id}/values/{code}", data={f"{code}-{k}": v for k, v in fields.items()})


def assign(client, report_id, code, ministry_id):
    return client.post(f"/reports/{report_id}/assignments",
                       data={"indicator_code": code, f"assign-{code}-ministry_id": str(ministry_id)})


def fire(client, session, report_id, trigger, **extra):
    return client.post(f"/reports/{report_id}/transitions",
                       data={"trigger": trigger, "version": version(session, report_id), **extra})


# -- who sees what -----------------------------------------------------------------------------------

@pytest.mark.parametrize("email, expected", [
    (SECRETARIAT, {"cycles": 200, "templates": 200, "cycle": 200, "report": 404, "targets": 200}),
    (COORDINATOR, {"cycles": 200, "templates": 200, "cycle": 200, "report": 200, "targets": 200}),
    (DSWD, {"cycles": 200, "templates": 200, "cycle": 200, "report": 200, "targets": 200}),
    ("coordinator.th@example.org", {"cycles": 200, "templates": 200, "cycle": 200, "report": 404, "targets": 404}),
    ("observer@example.org", {"cycles": 200, "templates": 200, "cycle": 200, "report": 404, "targets": 404}),
    ("admin@example.org", {"cycles": 403, "templates": 403, "cycle": 403, "report": 404, "targets": 404}),
])
def test_pages_per_role(client, open_cycle, email, expected):
    """The secretariat sees a report only once submitted; another country's users never (404)."""
    paths = {"cycles": "/cycles", "templates": "/templates", "cycle": f"/cycles/{open_cycle['cycle']['id']}",
             "report": f"/reports/{open_cycle['report']}", "targets": "/countries/PH/targets"}
    as_user(client, email)
    assert {name: client.get(path).status_code for name, path in paths.items()} == expected
    nav = text(client.get("/"))
    assert ('href="/cycles"' in nav) == (email != "admin@example.org")
    if email != "admin@example.org":  # the secretariat reaches the templates from the cycle list
        assert ('href="/templates"' in text(client.get("/cycles"))) == (email == SECRETARIAT)


def test_forms_of_the_secretariat_are_refused_to_others(client, ids):
    for email in (COORDINATOR, DSWD, "observer@example.org"):
        as_user(client, email)
        assert client.get("/cycles/new").status_code == 403
        assert client.get("/templates/new").status_code == 403
        assert client.post(f"/templates/{ids['template']}/copy", data={"name": "Mine"}).status_code == 403


def test_historical_cycle_lists_ten_accepted_reports(client, session):
    cycle = session.scalar(select(ReportingCycle).where(ReportingCycle.state == "published"))
    as_user(client, SECRETARIAT)
    page = text(client.get(f"/cycles/{cycle.id}"))
    assert cycle.name in page and "Published" in page
    table = page[page.index('id="reports-heading"'):page.index('id="history"')]
    assert table.count(">Accepted</span>") == 10 and table.count("Open the report") == 10
    assert "Brunei Darussalam" in table and "Viet Nam" in table
    assert "Published the comparison" in page  # the cycle's history
    as_user(client, COORDINATOR)
    page = text(client.get(f"/cycles/{cycle.id}"))
    table = page[page.index('id="reports-heading"'):page.index('id="history"')]
    assert table.count("Open the report") == 1 and "Philippines" in table and "Viet Nam" not in table
    report_id = session.scalar(select(CountryReport.id).where(CountryReport.cycle_id == cycle.id,
                                                               CountryReport.country_code == "PH"))
    report = text(client.get(f"/reports/{report_id}"))
    assert "Accepted" in report and "can no longer change" in report and "Save the value" not in report


def test_secretariat_sees_the_report_link_only_once_submitted(client, session, open_cycle, fill_required):
    cycle_url = f"/cycles/{open_cycle['cycle']['id']}"
    as_user(client, SECRETARIAT)
    page = text(client.get(cycle_url))
    assert page.count(">Not started</span>") == 10 and "Open the report" not in page
    fill_required(open_cycle["report"])
    as_user(client, COORDINATOR)
    fire(client, session, open_cycle["report"], "start")
    fire(client, session, open_cycle["report"], "submit")
    as_user(client, SECRETARIAT)
    page = text(client.get(cycle_url))
    assert page.count("Open the report") == 1 and f'href="/reports/{open_cycle["report"]}"' in page
    assert client.get(f"/reports/{open_cycle['report']}").status_code == 200


def reports_table(page: str) -> str:
    return page[page.index('id="reports-heading"'):page.index('id="history"')]


def test_observers_see_the_states_of_a_published_cycle_only(client, session, open_cycle):
    """An observer sees every member state's report state once the cycle is published, never a
    report's content; while a cycle is open, none of its reports."""
    published = session.scalar(select(ReportingCycle).where(ReportingCycle.state == "published"))
    as_user(client, "observer@example.org")
    table = reports_table(text(client.get(f"/cycles/{published.id}")))
    assert table.count(">Accepted</span>") == 10 and "Open the report" not in table
    table = reports_table(text(client.get(f"/cycles/{open_cycle['cycle']['id']}")))
    assert "Not started" not in table and "Philippines" not in table
    assert "visible to the member states and the secretariat" in table


# -- templates ---------------------------------------------------------------------------------------

def test_secretariat_creates_a_template_from_lines(client, session):
    as_user(client, SECRETARIAT)
    lines = ("SPF_CHILDREN | Children covered | children | percent | yes | sex | Share of children\n"
             "\n"
             "COORD_MEETINGS | Meetings held | coordination | number | no\n")
    response = client.post("/templates/new", data={"name": "Short form", "description": "Two figures",
                                                    "indicators": lines})
    assert response.status_code == 302
    template = session.scalar(select(MonitoringTemplate).where(MonitoringTemplate.name == "Short form"))
    assert [(i.code, i.required, i.disaggregations, i.definition) for i in template.indicators] == [
        ("SPF_CHILDREN", True, ["sex"], "Share of children"), ("COORD_MEETINGS", False, [], "")]
    page = text(client.get(response.headers["Location"]))
    assert "Edit the template" in page and "Copy into a new template" in page


def test_template_errors_are_shown_at_the_field_by_line(client, session):
    as_user(client, SECRETARIAT)
    lines = "SPF_OK | Fine | overall | percent | yes\n\nbad code | x | nowhere | kg | perhaps\nSPF_SHORT | Short"
    response = client.post("/templates/new", data={"name": "", "indicators": lines})
    assert response.status_code == 422
    page = text(response)
    assert "Give the template a name." in page
    response = client.post("/templates/new", data={"name": "Broken", "indicators": lines})
    page = text(response)
    assert response.status_code == 422
    assert "Line 3: code: use capital letters" in page and "Line 3: unit: choose one of" in page
    assert "Line 3: required: true or false." in page and "Line 4: guarantee: choose one of" in page
    assert "Line 1" not in page
    assert session.scalar(select(func.count(MonitoringTemplate.id))) == 1  # the demo's only


def test_template_in_use_is_read_only_and_copied(client, session, ids):
    as_user(client, SECRETARIAT)
    page = text(client.get(f"/templates/{ids['template']}"))
    assert "Read-only: used by a reporting cycle" in page and "Edit the template" not in page
    assert 'value="Copy into a new template"' in page
    edit = client.get(f"/templates/{ids['template']}/edit", follow_redirects=True)
    assert "copy it into a new one to change it" in text(edit)
    refused = client.post(f"/templates/{ids['template']}/edit", follow_redirects=True,
                          data={"name": "X", "indicators": "A | a | overall | percent | yes"})
    assert "copy it into a new one to change it" in text(refused)
    taken = client.post(f"/templates/{ids['template']}/copy", data={"name": "ASEAN SPF self-assessment"})
    assert taken.status_code == 422 and "Another template has this name." in text(taken)
    copied = client.post(f"/templates/{ids['template']}/copy", data={"name": "ASEAN SPF 2028"})
    assert copied.status_code == 302
    copy = session.scalar(select(MonitoringTemplate).where(MonitoringTemplate.name == "ASEAN SPF 2028"))
    assert len(copy.indicators) == 17 and copy.copied_from_id == ids["template"]


def test_editing_a_template_may_keep_its_codes(client, session):
    """Regression: replacing the indicators of a template with rows of the same codes broke the
    unique (template, code) constraint, because the new rows were inserted before the old deleted."""
    as_user(client, SECRETARIAT)
    client.post("/templates/new", data={"name": "Draft", "indicators": "SPF_X | First name | overall | percent | yes"})
    template = session.scalar(select(MonitoringTemplate).where(MonitoringTemplate.name == "Draft"))
    form = client.get(f"/templates/{template.id}/edit")
    assert "SPF_X | First name | overall | percent | yes" in text(form)
    response = client.post(f"/templates/{template.id}/edit", data={
        "name": "Draft",
        "indicators": "SPF_X | Second name | overall | percent | no\nSPF_Y | New | health | number | no"})
    assert response.status_code == 302
    session.expire_all()
    assert [(i.code, i.name, i.required) for i in session.get(MonitoringTemplate, template.id).indicators] == [
        ("SPF_X", "Second name", False), ("SPF_Y", "New", False)]


# -- cycles --------------------------------------------------------------------------------------------

def test_secretariat_plans_and_opens_a_cycle(client, session, ids):
    as_user(client, SECRETARIAT)
    assert "New cycle" in text(client.get("/cycles"))
    bad = client.post("/cycles/new", data={"name": "2027", "template_id": str(ids["template"]),
                                           "period_start": "2026-12-31", "period_end": "2026-01-01",
                                           "deadline": "2020-03-31"})
    assert bad.status_code == 422 and "The period ends before it starts." in text(bad)
    response = client.post("/cycles/new", data={"name": "2019 recorded", "template_id": str(ids["template"]),
                                                "period_start": "2018-01-01", "period_end": "2018-12-31",
                                                "deadline": "2019-03-31"})  # a past deadline is allowed
    assert response.status_code == 302
    cycle = session.scalar(select(ReportingCycle).where(ReportingCycle.name == "2019 recorded"))
    page = text(client.get(f"/cycles/{cycle.id}"))
    assert "Planned" in page and "Open the cycle (creates a report for each member state)" in page
    assert "The reports are created when the cycle opens." in page

    as_user(client, DSWD)
    assert client.post(f"/cycles/{cycle.id}/transitions", data={"trigger": "open"}).status_code == 403
    assert "Open the cycle" not in text(client.get(f"/cycles/{cycle.id}"))

    as_user(client, SECRETARIAT)
    opened = client.post(f"/cycles/{cycle.id}/transitions", data={"trigger": "open"}, follow_redirects=True)
    assert "every member state has a report" in text(opened) and "Close the cycle" in text(opened)
    assert session.scalar(select(func.count(CountryReport.id)).where(CountryReport.cycle_id == cycle.id)) == 10
    again = client.post(f"/cycles/{cycle.id}/transitions", data={"trigger": "open"}, follow_redirects=True)
    assert "is not possible while the state is" in text(again)
    assert "Opened the cycle" in text(again)  # history


# -- values --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("code, fields, message", [
    ("SPF_CHILDREN", {"number": "120"}, "A percentage lies between 0 and 100."),
    ("SPF_CHILDREN", {"number": ""}, "Enter the value, or flag it as not available"),
    ("SPF_CHILDREN", {"number": "20", "female": "abc"}, "Enter a number."),  # at the field: no key
    ("SPF_CHILDREN", {"availability": "not_available"}, "Say why there is no figure."),
    ("COORD_MEETINGS", {"number": "-1"}, "The value may not be negative."),
    ("COORD_FOCAL_POINT", {"flag": ""}, "Enter the value, or flag it as not available"),
    ("SPF_CHILDREN", {"availability": "guess", "number": "3"}, "Not a valid choice."),
])
def test_value_form_errors_save_nothing(client, session, open_cycle, code, fields, message):
    as_user(client, COORDINATOR)
    response = post_value(client, open_cycle["report"], code, **({"availability": "reported"} | fields))
    assert response.status_code == 422
    page = text(response)
    assert message in page
    # the form of that indicator is open, the message next to it
    block = page[page.index(f'id="indicator-{code}"'):]
    assert message in block[:block.index("</tbody>")]
    assert value_row(session, open_cycle["report"], code) is None


def test_value_form_saves_by_unit(client, session, open_cycle):
    report_id = open_cycle["report"]
    as_user(client, COORDINATOR)
    assert post_value(client, report_id, "SPF_CHILDREN", number="21.5", availability="estimate", female="21",
                      male="22", note="4Ps registry").status_code == 302
    assert post_value(client, report_id, "COORD_FOCAL_POINT", flag="no", availability="reported").status_code == 302
    assert post_value(client, report_id, "SPF_DISABILITY", availability="not_available",
                      reason="No survey since 2016").status_code == 302
    children = value_row(session, report_id, "SPF_CHILDREN")
    assert (children.number, children.availability, children.breakdown, children.note) == (
        21.5, "estimate", {"female": 21.0, "male": 22.0}, "4Ps registry")
    assert value_row(session, report_id, "COORD_FOCAL_POINT").flag is False
    page = text(client.get(f"/reports/{report_id}"))
    block = page[page.index('id="indicator-SPF_CHILDREN"'):]
    block = block[:block.index("</tbody>")]
    assert "21.5 %" in block and "Female 21 %, Male 22 %" in block and "Estimate" in block
    assert 'type="number"' in block and 'step="any"' in block
    focal = page[page.index('id="indicator-COORD_FOCAL_POINT"'):]
    assert ">No</span>" in focal[:focal.index("</tbody>")] and "<select" in focal[:focal.index("</tbody>")]
    assert "No survey since 2016" in page and "Not available" in page
    assert "33.3 % of the required indicators answered (3 of 9)" in page


def test_report_page_of_another_country_is_404(client, open_cycle):
    as_user(client, "coordinator.th@example.org")
    report_id = open_cycle["report"]
    assert client.get(f"/reports/{report_id}").status_code == 404
    assert post_value(client, report_id, "SPF_CHILDREN", number="3").status_code == 404
    assert client.post(f"/reports/{report_id}/transitions", data={"trigger": "start", "version": 1}).status_code == 404


# -- assignments and the data-request panel --------------------------------------------------------------

def test_assign_from_the_page_creates_the_data_request(client, session, open_cycle, ids):
    report_id = open_cycle["report"]
    as_user(client, COORDINATOR)
    page = text(client.get(f"/reports/{report_id}"))
    assert "Ask a ministry for Children covered by social protection benefits" in page
    bad = assign(client, report_id, "SPF_CHILDREN", "")
    assert bad.status_code == 422 and "Choose a ministry of this member state." in text(bad)
    assert assign(client, report_id, "SPF_CHILDREN", ids["SSO"]).status_code == 422  # a Thai ministry
    assert session.scalar(select(func.count(ActionItem.id))) == 0
    response = assign(client, report_id, "SPF_CHILDREN", ids["DSWD"])
    assert response.status_code == 302
    item = session.scalar(select(ActionItem))
    # ten working days of the Philippines before the deadline (Holy Week skipped)
    assert (item.state, item.ministry_id, item.due_date) == ("assigned", ids["DSWD"], date(2027, 3, 15))
    page = text(client.get(response.headers["Location"]))
    block = page[page.index('id="indicator-SPF_CHILDREN"'):]
    block = block[:block.index("</tbody>")]
    assert "DSWD" in block and "Assigned" in block and f'href="/items/{item.id}"' in block
    assert "Ask a ministry for" not in block  # a second request only after this one is closed
    again = assign(client, report_id, "SPF_CHILDREN", ids["DOLE"])
    assert again.status_code == 302 and "already requested from DSWD" in text(client.get(again.headers["Location"]))
    as_user(client, DSWD)
    assert assign(client, report_id, "SPF_OLDER_PERSONS", ids["DSWD"]).status_code == 403


def test_a_refused_value_or_assignment_writes_nothing(client, session, open_cycle, fill_required, ids):
    """Refused because the report is submitted: the page says why, and no value row or data
    request is left behind for an indicator that had none."""
    report_id = open_cycle["report"]
    fill_required(report_id)
    as_user(client, COORDINATOR)
    fire(client, session, report_id, "start")
    fire(client, session, report_id, "submit")
    refused = post_value(client, report_id, "SPF_UNEMPLOYED", number="5", availability="reported")
    assert refused.status_code == 302
    assert "read-only until the secretariat sends it back" in text(client.get(refused.headers["Location"]))
    refused = assign(client, report_id, "SPF_UNEMPLOYED", ids["DSWD"])
    assert refused.status_code == 302
    assert "read-only until the secretariat sends it back" in text(client.get(refused.headers["Location"]))
    assert value_row(session, report_id, "SPF_UNEMPLOYED") is None
    assert session.scalar(select(func.count()).select_from(ActionItem)) == 0


def test_staff_of_the_assigned_ministry_enter_the_value_on_the_item_page(client, session, open_cycle, ids):
    report_id = open_cycle["report"]
    as_user(client, COORDINATOR)
    assign(client, report_id, "SPF_CHILDREN", ids["DSWD"])
    item = session.scalar(select(ActionItem))

    as_user(client, DSWD)
    page = text(client.get(f"/items/{item.id}"))
    assert "Figure requested for the 2027 self-assessment report" in page
    assert "Children covered by social protection benefits" in page and "Not entered yet" in page
    assert 'name="SPF_CHILDREN-number"' in page and "submit this data request" in page
    bad = post_value(client, report_id, "SPF_CHILDREN", number="101", availability="reported", item_id=item.id)
    assert bad.status_code == 422
    assert "A percentage lies between 0 and 100." in text(bad) and "Figure requested" in text(bad)
    assert value_row(session, report_id, "SPF_CHILDREN").availability is None  # assigned, nothing entered
    saved = post_value(client, report_id, "SPF_CHILDREN", number="21.5", availability="reported",
                       note="DSWD 4Ps registry", item_id=item.id)
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/items/{item.id}")
    assert "21.5 %" in text(client.get(f"/items/{item.id}"))
    assert value_row(session, report_id, "SPF_CHILDREN").updated_by_id == session.scalar(
        select(User.id).where(User.email == DSWD))
    assert post_value(client, report_id, "SPF_OLDER_PERSONS", number="3").status_code == 403  # not theirs

    as_user(client, DOLE)
    page = text(client.get(f"/items/{item.id}"))
    assert "Figure requested" in page and 'name="SPF_CHILDREN-number"' not in page
    assert post_value(client, report_id, "SPF_CHILDREN", number="1", item_id=item.id).status_code == 403
    assert value_row(session, report_id, "SPF_CHILDREN").number == 21.5


def test_ordinary_items_have_no_panel(client, session):
    coordinator = session.scalar(select(User).where(User.email == COORDINATOR))
    item = ActionItem(country_code="PH", title="Plain", description="", state="draft", due_date=date(2027, 1, 1),
                      priority="normal", created_by_id=coordinator.id, created_at=NOW, updated_at=NOW)
    session.add(item)
    session.commit()
    as_user(client, COORDINATOR)
    assert "Figure requested" not in text(client.get(f"/items/{item.id}"))


# -- the report workflow -----------------------------------------------------------------------------------

def test_submit_button_lists_what_is_missing_and_the_refusal_is_shown(client, session, open_cycle,
                                                                        fill_required):
    report_id = open_cycle["report"]
    fill_required(report_id, skip=("SPF_OLDER_PERSONS", "COORD_MECHANISM"))
    as_user(client, COORDINATOR)
    page = text(client.get(f"/reports/{report_id}"))
    assert "Start the report" in page and "Submit to the secretariat" not in page
    assert fire(client, session, report_id, "start").status_code == 302
    page = text(client.get(f"/reports/{report_id}"))
    assert "Submit to the secretariat (2 required indicators missing)" in page
    missing = page[page.index('id="missing-list"'):]
    missing = missing[:missing.index("</div>")]
    assert "SPF_OLDER_PERSONS" in missing and "COORD_MECHANISM" in missing and "SPF_CHILDREN" not in missing
    refused = fire(client, session, report_id, "submit")
    assert refused.status_code == 422
    assert "required indicators are missing: SPF_OLDER_PERSONS, COORD_MECHANISM." in text(refused)
    assert report_row(session, report_id).state == "drafting"
    post_value(client, report_id, "SPF_OLDER_PERSONS", number="40", availability="reported")
    post_value(client, report_id, "COORD_MECHANISM", flag="yes", availability="reported")
    page = text(client.get(f"/reports/{report_id}"))
    assert "100 % of the required indicators answered (9 of 9)" in page and 'id="missing-list"' not in page
    submitted = fire(client, session, report_id, "submit")
    assert submitted.status_code == 302
    page = text(client.get(f"/reports/{report_id}"))
    assert "The report is now submitted." in page and "read-only while the secretariat reviews it" in page
    assert "Save the value" not in page and "Ask a ministry for" not in page and "Write the assessment" not in page
    assert "Submit to the secretariat" in page  # in the history


def test_stale_version_says_so_and_shows_the_current_state(client, session, open_cycle):
    report_id = open_cycle["report"]
    as_user(client, COORDINATOR)
    seen = version(session, report_id)
    client.post(f"/reports/{report_id}/transitions", data={"trigger": "start", "version": seen})
    response = client.post(f"/reports/{report_id}/transitions", data={"trigger": "submit", "version": seen},
                           follow_redirects=True)
    page = text(response)
    assert "Someone else changed this report in the meantime. It is now drafting" in page
    assert ">Drafting</span>" in page


def test_send_back_with_queries_answer_revise_and_accept(client, session, open_cycle, fill_required):
    report_id = open_cycle["report"]
    fill_required(report_id)
    as_user(client, COORDINATOR)
    fire(client, session, report_id, "start")
    fire(client, session, report_id, "submit")
    as_user(client, SECRETARIAT)
    page = text(client.get(f"/reports/{report_id}"))
    assert ">Accept<" in page and "Send back…" in page and "Save the value" not in page
    no_comment = fire(client, session, report_id, "send_back", comment="", queries="")
    assert no_comment.status_code == 422 and "Add a comment: it is required for this step." in text(no_comment)
    bad_query = fire(client, session, report_id, "send_back", comment="Check", queries="NOPE: why?")
    assert bad_query.status_code == 422 and "is not an indicator of this report" in text(bad_query)
    sent = fire(client, session, report_id, "send_back", comment="Please check two figures",
                queries="SPF_COVERAGE_TOTAL: Which year is this?\nchildren: Name the schemes.")
    assert sent.status_code == 302
    assert report_row(session, report_id).state == "returned"

    as_user(client, COORDINATOR)
    page = text(client.get(f"/reports/{report_id}"))
    assert "Which year is this?" in page and "Name the schemes." in page and "Please check two figures" in page
    assert ">Revise<" in page
    query = session.scalar(select(ReportQuery).where(ReportQuery.indicator_code == "SPF_COVERAGE_TOTAL"))
    empty = client.post(f"/reports/{report_id}/queries/{query.id}/answer", data={f"query-{query.id}-answer": ""})
    assert empty.status_code == 422 and "Write the answer." in text(empty)
    assert client.post(f"/reports/{report_id}/queries/{query.id}/answer",
                       data={f"query-{query.id}-answer": "2022, ILO estimate"}).status_code == 302
    fire(client, session, report_id, "revise")
    assert "Save the value" in text(client.get(f"/reports/{report_id}"))
    fire(client, session, report_id, "submit")
    as_user(client, SECRETARIAT)
    assert fire(client, session, report_id, "accept").status_code == 302
    page = text(client.get(f"/reports/{report_id}"))
    assert "The report is now accepted." in page and "2022, ILO estimate" in page
    assert [e.trigger for e in report_row(session, report_id).events] == [
        "start", "submit", "send_back", "revise", "submit", "accept"]


def test_history_times_are_in_the_viewers_time_zone(client, session, open_cycle):
    report_id = open_cycle["report"]
    as_user(client, COORDINATOR)
    fire(client, session, report_id, "start")
    at = report_row(session, report_id).events[0].at
    page = text(client.get(f"/reports/{report_id}"))
    assert "Times in Asia/Manila." in page
    assert at.astimezone(ZoneInfo("Asia/Manila")).strftime("%d %b %Y, %H:%M") in page


def test_narrative_with_self_rating_and_linked_items(client, session, open_cycle, ids):
    report_id = open_cycle["report"]
    as_user(client, COORDINATOR)
    assign(client, report_id, "SPF_CHILDREN", ids["DSWD"])
    item = session.scalar(select(ActionItem))
    page = text(client.get(f"/reports/{report_id}"))
    assert "Write the assessment of income security for children" in page
    assert "The schemes that serve this guarantee" in page  # the help text of the format
    assert "Comprehensive: the guarantee is met for the whole population" in page
    bad = client.post(f"/reports/{report_id}/narratives/children", data={
        "narrative-children-self_rating": "5", "narrative-children-existing_schemes": "4Ps"})
    assert bad.status_code == 422 and "Not a valid choice" in text(bad)
    response = client.post(f"/reports/{report_id}/narratives/children", data={
        "narrative-children-existing_schemes": "4Ps conditional cash transfers",
        "narrative-children-recommendations": "Extend the child grant to all under 5",
        "narrative-children-self_rating": "2", "narrative-children-item_ids": [str(item.id)]})
    assert response.status_code == 302
    narrative = session.scalar(select(Narrative))
    assert (narrative.self_rating, [i.id for i in narrative.items]) == (2, [item.id])
    page = text(client.get(f"/reports/{report_id}"))
    section = page[page.index('id="narrative-children"'):]
    section = section[:section.index("</section>")]
    assert "4Ps conditional cash transfers" in section and "2 – Partial" in section
    assert item.title in section and ">Assigned</span>" in section


def test_a_narrative_links_an_item_once(client, tokens, session, open_cycle, ids):
    """Regression: the same item twice in item_ids inserted the link twice (an IntegrityError)."""
    report_id = open_cycle["report"]
    client.post(f"/api/v1/reports/{report_id}/assignments", headers=tokens["coordinator"],
                json={"indicator_code": "SPF_CHILDREN", "ministry_id": ids["DSWD"]})
    item_id = session.scalar(select(ActionItem.id))
    response = client.put(f"/api/v1/reports/{report_id}/narratives/children", headers=tokens["coordinator"],
                          json={"item_ids": [item_id, item_id]})
    assert response.status_code == 200 and response.get_json()["item_ids"] == [item_id]


# -- national floors and targets ------------------------------------------------------------------------

def test_coordinator_sets_floors_and_targets_and_the_report_classifies(client, session, open_cycle):
    as_user(client, COORDINATOR)
    page = text(client.get("/countries/PH/targets"))
    assert 'name="SPF_CHILDREN-floor"' in page and "COORD_FOCAL_POINT" not in page  # numeric units only
    bad = client.post("/countries/PH/targets/SPF_CHILDREN", data={
        "SPF_CHILDREN-floor": "60", "SPF_CHILDREN-target": "40", "SPF_CHILDREN-target_year": "2030"})
    assert bad.status_code == 422 and "The target lies at or above the floor." in text(bad)
    assert client.post("/countries/PH/targets/SPF_CHILDREN", data={
        "SPF_CHILDREN-floor": "nan", "SPF_CHILDREN-target": ""}).status_code == 422
    assert session.scalar(select(func.count(NationalTarget.id))) == 0
    assert client.post("/countries/PH/targets/SPF_CHILDREN", data={
        "SPF_CHILDREN-floor": "25", "SPF_CHILDREN-target": "40", "SPF_CHILDREN-target_year": "2030"}).status_code == 302
    post_value(client, open_cycle["report"], "SPF_CHILDREN", number="21.5", availability="reported")
    page = text(client.get(f"/reports/{open_cycle['report']}"))
    block = page[page.index('id="indicator-SPF_CHILDREN"'):]
    block = block[:block.index("</tbody>")]
    assert "Below floor" in block and "floor 25 %, target 40 % by 2030" in block

    as_user(client, DSWD)
    page = text(client.get("/countries/PH/targets"))
    assert "25 %" in page and 'name="SPF_CHILDREN-floor"' not in page
    assert client.post("/countries/PH/targets/SPF_CHILDREN", data={"SPF_CHILDREN-floor": "1"}).status_code == 403

    # Another country neither reads (for it there is no such page) nor changes them.
    as_user(client, "coordinator.th@example.org")
    assert client.get("/countries/PH/targets").status_code == 404
    assert client.post("/countries/PH/targets/SPF_CHILDREN", data={"SPF_CHILDREN-floor": "1"}).status_code == 403


def test_floors_must_be_finite(app, session):
    """Regression: "nan" and "inf" passed the check that a floor is a number that is not negative."""
    coordinator = session.scalar(select(User).where(User.email == COORDINATOR))
    for value in ("nan", "inf", float("inf")):
        with pytest.raises(ValidationError) as refused:
            targets.set_target(session, coordinator, "PH", "SPF_CHILDREN", {"floor": value}, NOW)
        assert "floor" in refused.value.fields
        session.rollback()


# -- concurrency and query counts ---------------------------------------------------------------------------

def test_two_value_entries_at_once_do_not_collide(app, client, session, database_url, open_cycle):
    """Regression: a value entry raises the report's version; two at once on PostgreSQL ended in
    StaleDataError (a 500). The report row is now locked while a value is entered."""
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite serialises writers with BEGIN IMMEDIATE")
    report_id = open_cycle["report"]
    as_user(client, COORDINATOR)
    coordinator = session.scalar(select(User).where(User.email == COORDINATOR))
    reports.set_value(session, coordinator, report_id, "SPF_CHILDREN", {"value": 20}, NOW)  # not committed yet
    result = {}
    request = threading.Thread(target=lambda: result.update(response=post_value(
        client, report_id, "SPF_OLDER_PERSONS", number="40", availability="reported")))
    request.start()
    time.sleep(0.5)
    session.commit()
    request.join(timeout=15)
    assert result["response"].status_code == 302
    assert value_row(session, report_id, "SPF_OLDER_PERSONS").number == 40.0
    assert value_row(session, report_id, "SPF_CHILDREN").number == 20.0


class QueryCounter:
    def __init__(self, engine):
        self.engine, self.statements = engine, []

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, conn, cursor, statement, *args):
        self.statements.append(statement)


def statements_for(app, client, path) -> list[str]:
    from coordination.extensions import db
    with app.app_context():
        engine = db.engine
    with QueryCounter(engine) as counter:
        assert client.get(path).status_code == 200
    return counter.statements


ASSIGNMENTS = [("SPF_CHILDREN", "DSWD"), ("SPF_OLDER_PERSONS", "SSS"), ("SPF_HEALTH_PROTECTION", "PhilHealth"),
               ("SPF_HEALTH_OOP", "DOH"), ("SPF_UNEMPLOYED", "DOLE"), ("SPF_VULNERABLE", "NCSC"),
               ("SP_EXPENDITURE_GDP", "DEPDev"), ("SPF_DISABILITY", "GSIS")]


def test_report_page_queries_do_not_grow_with_assignments(app, client, session, tokens, open_cycle):
    report_id = open_cycle["report"]
    ids = dict(session.execute(select(Ministry.acronym, Ministry.id).where(Ministry.country_code == "PH")).all())

    def assign_and_fill(pairs):
        for code, acronym in pairs:
            response = client.post(f"/api/v1/reports/{report_id}/assignments", headers=tokens["coordinator"],
                                   json={"indicator_code": code, "ministry_id": ids[acronym]})
            assert response.status_code == 201, response.get_json()
            assert client.put(f"/api/v1/reports/{report_id}/values/{code}", json={"value": 12.5},
                              headers=tokens["coordinator"]).status_code == 200

    as_user(client, COORDINATOR)
    assign_and_fill(ASSIGNMENTS[:2])
    few = statements_for(app, client, f"/reports/{report_id}")
    assign_and_fill(ASSIGNMENTS[2:])
    many = statements_for(app, client, f"/reports/{report_id}")
    assert len(few) == len(many), "\n".join(many)
    page = text(client.get(f"/reports/{report_id}"))
    assert len(re.findall(r'href="/items/\d+"', page)) == 8


def test_cycle_and_country_pages_link_to_compliance_for_who_may_follow(client):
    sign_in(client, "secretariat@example.org")
    cycles = client.get("/api/v1/cycles", headers=api_token(client, "secretariat@example.org")).get_json()
    published = cycles[0]["id"]
    page = client.get(f"/cycles/{published}").get_data(as_text=True)
    assert f"/cycles/{published}/compliance" in page and f"/cycles/{published}/comparison" in page
    assert "/countries/PH/compliance" in client.get("/countries/PH").get_data(as_text=True)
    client.post("/logout")
    sign_in(client, "coordinator.th@example.org")
    assert "/countries/PH/compliance" not in client.get("/countries/PH").get_data(as_text=True)
    assert "/countries/TH/compliance" in client.get("/countries/TH").get_data(as_text=True)
