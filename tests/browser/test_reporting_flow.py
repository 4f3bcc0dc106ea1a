"""A reporting cycle from end to end through a real browser: the secretariat plans and opens a cycle,
the coordinator of the Philippines asks two ministries for figures, their staff enter them on the
data requests, the coordinator completes and submits the report, and the secretariat accepts it.

Locators go by role and label (the containers of one indicator are row groups named by its name
and code), so the test also proves that every field it uses has a label.
"""
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

pytestmark = pytest.mark.browser

CYCLE = "2027 regional self-assessment"
COORDINATOR = "coordinator.ph@example.org"
REQUESTS = {  # indicator, staff, ministry (as the select shows it), value
    "SPF_CHILDREN": ("staff.ph.dswd@example.org", "Department of Social Welfare and Development (DSWD)", "21.5"),
    "SPF_OLDER_PERSONS": ("staff.ph.sss@example.org", "Social Security System (SSS)", "40"),
}
NAMES = {  # the indicators' names, as the data requests' titles give them
    "SPF_CHILDREN": "Children covered by social protection benefits",
    "SPF_OLDER_PERSONS": "Persons above statutory pensionable age receiving an old-age pension",
}


# What people call each indicator (the pages name them so, the code second).
FORMAT = Path(__file__).resolve().parents[2] / "coordination" / "data" / "monitoring_format.json"
NAMES = {i["code"]: i["name"] for i in json.loads(FORMAT.read_text())["indicators"]}


def switch_user(page, base_url, sign_in, email):
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    sign_in(page, base_url, email)


def indicator(page, code):
    return page.get_by_role("rowgroup", name=re.compile(rf"\({code}\)$"))


def status(page):
    return expect(page.get_by_role("status"))


def enter_value(page, code, *, number=None, flag=None, availability=None, reason=None, note=None):
    block = indicator(page, code)
    block.get_by_text(f"Enter the value of {NAMES[code]}", exact=True).click()
    if number is not None:
        block.get_by_label("Value (%)").fill(number)
    if flag is not None:
        block.get_by_label("Value", exact=True).select_option(label=flag)
    if availability is not None:
        block.get_by_label("Availability").select_option(label=availability)
    if reason is not None:
        block.get_by_label("Reason (when not available or not applicable)").fill(reason)
    if note is not None:
        block.get_by_label("Source note").fill(note)
    block.get_by_role("button", name="Save the value").click()
    status(page).to_have_text(f"The value of “{NAMES[code]}” is saved.")


def test_a_report_from_the_cycle_to_its_acceptance(page, live_server, sign_in):
    deadline = datetime.now(UTC).date() + timedelta(days=60)  # well ahead in every member state

    # -- the secretariat plans and opens the cycle ----------------------------------------------------
    sign_in(page, live_server, "secretariat@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reporting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reporting cycles")
    page.get_by_role("link", name="New cycle").click()
    page.get_by_label("Name").fill(CYCLE)
    page.get_by_label("Monitoring template").select_option(label="ASEAN SPF self-assessment")
    page.get_by_label("Period start").fill("2026-01-01")
    page.get_by_label("Period end").fill("2026-12-31")
    page.get_by_label("Submission deadline").fill(deadline.isoformat())
    page.get_by_role("button", name="Create the cycle").click()
    status(page).to_contain_text(f"The cycle “{CYCLE}” is planned.")
    expect(page.get_by_role("heading", level=1)).to_have_text(CYCLE)
    page.get_by_role("button", name="Open the cycle (creates a report for each member state)").click()
    status(page).to_have_text("The cycle is open: every member state has a report to fill in.")
    reports = page.get_by_role("table", name="Country reports")
    expect(reports.get_by_role("row")).to_have_count(11)  # a header and the ten member states
    expect(reports.get_by_text("Not started")).to_have_count(10)

    # -- the coordinator asks two ministries for a figure each ---------------------------------------------
    switch_user(page, live_server, sign_in, COORDINATOR)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reporting").click()
    page.get_by_role("row").filter(has=page.get_by_role("link", name=CYCLE)).get_by_role(
        "link", name="Open the report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Philippines: {CYCLE}")
    report_url = page.url
    for code, (_, ministry, _) in REQUESTS.items():
        block = indicator(page, code)
        block.get_by_text(f"Ask a ministry for {NAMES[code]}", exact=True).click()
        block.get_by_label("Ministry").select_option(label=ministry)
        block.get_by_role("button", name="Assign", exact=True).click()
        acronym = ministry.split("(")[1].rstrip(")")
        status(page).to_contain_text(f"“{NAMES[code]}” is requested from {acronym}")
        held_by = indicator(page, code).get_by_role("cell").nth(2)
        expect(held_by).to_contain_text(acronym)
        expect(held_by).to_contain_text("Assigned")

    # -- staff of each ministry enter their figure on the data request ---------------------------------------
    for code, (email, ministry, value) in REQUESTS.items():
        switch_user(page, live_server, sign_in, email)
        waiting = page.get_by_role("region", name=re.compile("^Waiting for your acceptance"))
        waiting.get_by_role("link", name=f"Data request: {NAMES[code]}, {CYCLE} ({code})").click()
        panel = page.get_by_role("region", name=f"Figure requested for the {CYCLE} report")
        expect(panel).to_contain_text("Not entered yet")
        page.get_by_role("button", name="Accept", exact=True).click()
        status(page).to_have_text("Done: accept. The item is now in progress.")
        panel.get_by_label("Value (%)").fill(value)
        panel.get_by_label("Source note").fill(f"{ministry} administrative data, 2026")
        panel.get_by_role("button", name="Save the value").click()
        status(page).to_contain_text(f"The value of “{NAMES[code]}” is saved.")
        expect(panel.get_by_text(f"{value} %")).to_be_visible()
        # the value entered, the data request goes to the coordinator by itself
        expect(page.locator("#item-status")).to_contain_text("Submitted")

    # -- the coordinator approves both, fills in the rest, starts and submits ----------------------------------
    switch_user(page, live_server, sign_in, COORDINATOR)
    page.goto(report_url)
    for code, (_, _, value) in REQUESTS.items():
        block = indicator(page, code)
        expect(block).to_contain_text("Submitted")
        expect(block).to_contain_text(f"{value} %")
        block.get_by_role("link", name=re.compile(r"^Data request #\d+$")).click()
        page.get_by_role("button", name="Approve").click()
        status(page).to_have_text("Done: approve. The item is now completed.")
        page.get_by_role("link", name="Report of Philippines").click()
        expect(indicator(page, code)).to_contain_text("Completed")

    expect(page.get_by_text("22.2 % of the required indicators answered (2 of 9)")).to_be_visible()
    enter_value(page, "SPF_COVERAGE_TOTAL", number="34.9")
    enter_value(page, "SPF_MATERNITY", number="11", availability="Estimate")
    enter_value(page, "SPF_DISABILITY", availability="Not available", reason="No survey since 2016")
    enter_value(page, "SPF_HEALTH_PROTECTION", number="100", note="PhilHealth membership, 2026")
    enter_value(page, "COORD_FOCAL_POINT", flag="Yes")
    enter_value(page, "COORD_MECHANISM", flag="Yes")
    enter_value(page, "COORD_NATIONAL_FLOOR", flag="No")
    value_cell = indicator(page, "COORD_NATIONAL_FLOOR").get_by_role("cell").nth(3)
    expect(value_cell.locator(".fw-semibold")).to_have_text("No")
    expect(value_cell.get_by_role("link", name=re.compile("^1 change of "))).to_be_visible()
    expect(page.get_by_text("100 % of the required indicators answered (9 of 9)")).to_be_visible()

    page.get_by_role("button", name="Start the report").click()
    status(page).to_have_text("Done: start the report. The report is now drafting.")
    page.get_by_role("link", name="Submit to the secretariat…", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before you submit")
    page.get_by_role("button", name="Submit the report", exact=True).click()
    status(page).to_have_text("Done: submit to the secretariat. The report is now submitted.")
    expect(page.get_by_role("button", name="Save the value")).to_have_count(0)
    expect(page.get_by_role("note")).to_contain_text("read-only while the secretariat reviews it")

    # -- the secretariat accepts it --------------------------------------------------------------------------
    switch_user(page, live_server, sign_in, "secretariat@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reporting").click()
    page.get_by_role("link", name=CYCLE).click()
    reports = page.get_by_role("table", name="Country reports")
    expect(reports.get_by_role("link", name=re.compile("^Open the report"))).to_have_count(1)
    reports.get_by_role("link", name="Open the report of Philippines").click()
    expect(indicator(page, "SPF_CHILDREN")).to_contain_text("21.5 %")
    page.get_by_role("button", name="Accept", exact=True).click()
    status(page).to_have_text("Done: accept. The report is now accepted.")
    expect(page.locator("#report-status")).to_contain_text("Accepted")
    page.get_by_role("link", name=CYCLE).click()
    expect(page.get_by_role("table", name="Country reports").get_by_role("row", name=re.compile("^Philippines"))
           ).to_contain_text("Accepted")
