"""The usability of the reporting pages in a real browser (faults 1, 3, 5 and 6 of the usability
review): a refused value comes back with an error summary that names the indicator and leads to
the field; closing a cycle and submitting a report each have a page of their own before the step
(working without JavaScript); indicators and guarantees go by their names, codes come second;
the secretariat raises a query next to each value and section, and the member state finds them
listed at the top of the returned report."""
import re
from datetime import UTC, datetime, timedelta

import browser_support
import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

pytestmark = pytest.mark.browser

COORDINATOR = "coordinator.ph@example.org"
SECRETARIAT = "secretariat@example.org"
OLDER = "Persons above statutory pensionable age receiving an old-age pension"
COVERAGE = "Population covered by at least one social protection benefit"
REQUIRED = {
    "SPF_COVERAGE_TOTAL": {"value": 34.9},
    "SPF_CHILDREN": {"value": 21.5},
    "SPF_MATERNITY": {"value": 11.0, "availability": "estimate"},
    "SPF_DISABILITY": {"availability": "not_available", "reason": "No survey since 2016"},
    "SPF_OLDER_PERSONS": {"value": 40.0},
    "SPF_HEALTH_PROTECTION": {"value": 100.0},
    "COORD_FOCAL_POINT": {"value": True},
    "COORD_MECHANISM": {"value": True},
    "COORD_NATIONAL_FLOOR": {"value": False},
}


def call(page, base_url, method, path, body=None, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = page.request.fetch(f"{base_url}{path}", method=method, headers=headers, data=body)
    assert response.ok, (path, response.status, response.text())
    return response.json()


def token(page, base_url, email):
    return call(page, base_url, "POST", "/api/v1/tokens",
                {"email": email, "password": browser_support.DEMO_PASSWORD})["token"]


def open_cycle(page, base_url) -> dict:
    """An open cycle; its id, the Philippines' report id, and the tokens of both sides."""
    tokens = {"secretariat": token(page, base_url, SECRETARIAT), "coordinator": token(page, base_url, COORDINATOR)}
    template = call(page, base_url, "GET", "/api/v1/templates", token=tokens["secretariat"])[0]["id"]
    deadline = (datetime.now(UTC).date() + timedelta(days=60)).isoformat()
    cycle = call(page, base_url, "POST", "/api/v1/cycles", {
        "name": "Usability cycle", "template_id": template, "period_start": "2026-01-01",
        "period_end": "2026-12-31", "deadline": deadline}, tokens["secretariat"])["id"]
    call(page, base_url, "POST", f"/api/v1/cycles/{cycle}/transitions", {"trigger": "open"}, tokens["secretariat"])
    report = call(page, base_url, "GET", f"/api/v1/cycles/{cycle}", token=tokens["coordinator"])["reports"][0]["id"]
    return {"cycle": cycle, "report": report, "tokens": tokens}


def fill_and_start(page, base_url, setup) -> None:
    report, coordinator = setup["report"], setup["tokens"]["coordinator"]
    for code, body in REQUIRED.items():
        call(page, base_url, "PUT", f"/api/v1/reports/{report}/values/{code}", body, coordinator)
    call(page, base_url, "PUT", f"/api/v1/reports/{report}/narratives/children",
         {"existing_schemes": "The 4Ps conditional cash transfer.", "self_rating": 2}, coordinator)
    fire(page, base_url, setup, "start", "coordinator")


def fire(page, base_url, setup, trigger, who, **extra):
    report = call(page, base_url, "GET", f"/api/v1/reports/{setup['report']}", token=setup["tokens"][who])
    call(page, base_url, "POST", f"/api/v1/reports/{setup['report']}/transitions",
         {"trigger": trigger, "version": report["version"], **extra}, setup["tokens"][who])


@pytest.fixture
def no_script(browser):
    """A page with JavaScript off."""
    context = browser.new_context(viewport=browser_support.VIEWPORT, locale="en-GB", java_script_enabled=False)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


# -- fault 1: a refused value on the long report page ---------------------------------------------------------

def test_a_refused_value_comes_back_with_a_summary_naming_the_indicator(page, live_server, sign_in):
    setup = open_cycle(page, live_server)
    sign_in(page, live_server, COORDINATOR)
    page.goto(f"{live_server}/reports/{setup['report']}")
    block = page.locator("#indicator-SPF_OLDER_PERSONS")
    block.get_by_text(f"Enter the value of {OLDER}").click()
    block.get_by_label("Value (%)").fill("40")
    block.get_by_label("Female").fill("140")
    block.get_by_role("button", name="Save the value").click()

    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_visible()
    assert focused_id(page) == "error-summary"  # read out at once, at the top of the page
    link = summary.get_by_role("link")
    expect(link).to_have_count(1)
    expect(link).to_have_text(f"{OLDER}, female: A percentage lies between 0 and 100.")
    expect(page.get_by_text(re.compile(r"^\s*female:"))).to_have_count(0)  # no field key for people
    link.click()
    field = page.locator("#indicator-SPF_OLDER_PERSONS").get_by_label("Female")
    expect(field).to_be_focused()
    expect(field).to_be_in_viewport()
    expect(field).to_have_attribute("aria-invalid", "true")
    message = field.get_attribute("aria-describedby").split()[0]
    expect(page.locator(f"#{message}")).to_have_text("A percentage lies between 0 and 100.")
    expect(field).to_have_value("140")  # the typing is kept

    # A value of a field of its own: the same summary, the same marks.
    page.goto(f"{live_server}/reports/{setup['report']}")
    block = page.locator("#indicator-SPF_DISABILITY")
    block.get_by_text("Enter the value of Persons with severe disabilities").click()
    block.get_by_label("Availability").select_option(label="Not available")
    block.get_by_role("button", name="Save the value").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary.get_by_role("link")).to_have_text(
        "Persons with severe disabilities receiving disability cash benefits, reason (when not available or not "
        "applicable): Say why there is no figure.")
    reason = page.locator("#indicator-SPF_DISABILITY").get_by_label("Reason (when not available or not applicable)")
    expect(reason).to_have_attribute("aria-invalid", "true")


# -- fault 3: a page before closing a cycle, and before submitting a report ---------------------------------------

def test_closing_a_cycle_asks_first_without_javascript(no_script, live_server, sign_in):
    page = no_script
    setup = open_cycle(page, live_server)
    sign_in(page, live_server, SECRETARIAT)
    page.goto(f"{live_server}/cycles/{setup['cycle']}")
    page.get_by_role("link", name="Close the cycle…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Close “Usability cycle”?")
    expect(page.get_by_role("main")).to_contain_text("no member state can submit or change its report")
    close = page.get_by_role("button", name="Close the cycle")
    expect(close).to_have_class("btn btn-danger")
    page.get_by_role("link", name="Keep it open").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Usability cycle")
    expect(page.locator("main")).to_contain_text("Open")

    page.get_by_role("link", name="Close the cycle…").click()
    page.get_by_role("button", name="Close the cycle").click()
    expect(page.get_by_role("status")).to_have_text("The cycle is closed: no more submissions.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Usability cycle")


def test_submitting_a_report_goes_through_check_your_answers(no_script, live_server, sign_in):
    page = no_script
    setup = open_cycle(page, live_server)
    fill_and_start(page, live_server, setup)
    sign_in(page, live_server, COORDINATOR)
    page.goto(f"{live_server}/reports/{setup['report']}")
    page.get_by_role("link", name="Submit to the secretariat…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before you submit")
    values = page.get_by_role("table", name="Indicators")
    expect(values.get_by_role("row").filter(has_text=COVERAGE)).to_contain_text("34.9 %")
    expect(values.get_by_role("row").filter(has_text="Persons with severe disabilities")).to_contain_text(
        "No survey since 2016")
    expect(values.get_by_role("row").filter(has_text="Unemployed persons")).to_contain_text("Not entered")
    narrative = page.get_by_role("region", name="Narrative and self-ratings")
    expect(narrative).to_contain_text("The 4Ps conditional cash transfer.")
    expect(narrative).to_contain_text("2 – Partial: schemes exist with large gaps")
    expect(narrative).to_contain_text("Not rated")
    # Each answer can still be changed: a link back to it on the report.
    expect(values.get_by_role("link", name=f"Change {COVERAGE}")).to_have_attribute(
        "href", f"/reports/{setup['report']}#indicator-SPF_COVERAGE_TOTAL")
    page.get_by_role("button", name="Submit the report").click()
    expect(page.get_by_role("status")).to_contain_text("The report is now submitted.")


# -- fault 5: names first, codes second ---------------------------------------------------------------------

def test_indicators_and_guarantees_go_by_their_names(page, live_server, sign_in):
    setup = open_cycle(page, live_server)
    fill_and_start(page, live_server, setup)
    fire(page, live_server, setup, "submit", "coordinator")
    fire(page, live_server, setup, "send_back", "secretariat", comment="Two questions",
         queries=[{"indicator_code": "health", "question": "Which schemes?"},
                  {"indicator_code": "SPF_COVERAGE_TOTAL", "question": "Which year?"}])
    sign_in(page, live_server, COORDINATOR)
    page.goto(f"{live_server}/reports/{setup['report']}")
    fire(page, live_server, setup, "revise", "coordinator")
    page.goto(f"{live_server}/reports/{setup['report']}")
    expect(page.get_by_text("Enter the value of SPF_COVERAGE_TOTAL")).to_have_count(0)
    expect(page.get_by_text(f"Enter the value of {COVERAGE}", exact=True)).to_have_count(1)
    expect(page.locator("#indicator-SPF_COVERAGE_TOTAL code")).to_have_text("SPF_COVERAGE_TOTAL")  # still there

    section = page.locator("#narrative-health")
    section.get_by_label("Your answer").fill("PhilHealth and the Malasakit centres.")
    section.get_by_role("button", name="Answer").click()
    expect(page.get_by_role("status")).to_have_text("Your answer on “Essential health care” is saved.")
    block = page.locator("#indicator-SPF_COVERAGE_TOTAL")
    block.get_by_label("Your answer").fill("2022.")
    block.get_by_role("button", name="Answer").click()
    expect(page.get_by_role("status")).to_have_text(f"Your answer on “{COVERAGE}” is saved.")


# -- fault 6: queries raised next to each value and section, listed at the top --------------------------------

def test_queries_are_raised_next_to_each_value_and_listed_on_the_returned_report(no_script, live_server, sign_in):
    page = no_script
    setup = open_cycle(page, live_server)
    fill_and_start(page, live_server, setup)
    fire(page, live_server, setup, "submit", "coordinator")
    sign_in(page, live_server, SECRETARIAT)
    page.goto(f"{live_server}/reports/{setup['report']}")
    page.get_by_role("link", name="Send back…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Send the report of Philippines back")
    expect(page.get_by_text("CODE: question")).to_have_count(0)  # no mini-language
    coverage = page.locator("#send-back-SPF_COVERAGE_TOTAL")
    expect(coverage).to_contain_text("34.9 %")  # the value, next to its query
    coverage.get_by_label(f"Query on “{COVERAGE}” (optional)").fill("Which year is this?")
    page.locator("#send-back-children").get_by_label(
        "Query on “Income security for children” (optional)").fill("Name the schemes.")
    page.get_by_role("button", name="Send the report back").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary.get_by_role("link")).to_have_text("Add a comment: it is required for this step.")
    expect(coverage.get_by_label(f"Query on “{COVERAGE}” (optional)")).to_have_value("Which year is this?")
    page.get_by_label("Comment to the member state (required)").fill("Please check two points.")
    page.get_by_role("button", name="Send the report back").click()
    expect(page.get_by_role("status")).to_contain_text("The report is now returned.")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, COORDINATOR)
    page.goto(f"{live_server}/reports/{setup['report']}")
    queries = page.get_by_role("region", name="Queries from the secretariat")
    expect(queries).to_contain_text("Please check two points.")
    links = queries.get_by_role("link")
    expect(links).to_have_count(2)
    expect(links.nth(0)).to_contain_text(COVERAGE)
    expect(queries.get_by_role("listitem").nth(0)).to_contain_text("Which year is this?")
    expect(links.nth(1)).to_contain_text("Income security for children")
    links.nth(0).click()
    target = page.url.split("#")[1]
    assert target.startswith("query-")
    expect(page.locator("#indicator-SPF_COVERAGE_TOTAL").locator(f"#{target}")).to_contain_text(
        "Which year is this?")
    expect(page.locator("#narrative-children")).to_contain_text("Name the schemes.")
