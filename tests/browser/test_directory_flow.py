"""The directory through a real browser: sign in, the mechanism form, the administrator's forms.

Locators go by role and label only, so these tests also prove that every field has a label.
"""
import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

pytestmark = pytest.mark.browser

COORDINATOR = "coordinator.ph@example.org"
NCSC = "National Commission of Senior Citizens (NCSC)"


def ministry_row(page, name: str):
    return page.get_by_role("row").filter(has=page.get_by_role("cell", name=name, exact=True))


def test_coordinator_edits_the_mechanism_and_signs_out(page, live_server, sign_in):
    sign_in(page, live_server, COORDINATOR)

    expect(page).to_have_url(f"{live_server}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("National Coordinator, Philippines")
    expect(page.get_by_role("main")).to_contain_text("Philippines")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Member states").click()
    page.get_by_role("link", name="Philippines", exact=True).click()
    expect(page).to_have_url(f"{live_server}/countries/PH")
    expect(page.get_by_role("heading", level=1)).to_have_text("Philippines")
    expect(ministry_row(page, "National Commission of Senior Citizens")).to_contain_text("Member")

    page.get_by_role("link", name="Edit the mechanism").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Coordination mechanism of Philippines")
    members = page.get_by_role("group", name="Member ministries and agencies")
    expect(members.get_by_role("checkbox")).to_have_count(8)
    ncsc = members.get_by_label(NCSC)
    expect(ncsc).to_be_checked()
    ncsc.uncheck()
    expect(page.get_by_label("Ministry that reports to the regional network")).to_have_value(
        re.compile(r"^\d+$"))
    page.get_by_role("button", name="Save mechanism").click()

    expect(page).to_have_url(f"{live_server}/countries/PH")
    expect(page.get_by_role("status")).to_have_text("The coordination mechanism is saved.")
    expect(ministry_row(page, "National Commission of Senior Citizens")).not_to_contain_text("Member")
    expect(ministry_row(page, "Department of Social Welfare and Development")).to_contain_text("Member, reports")

    page.get_by_role("link", name="Edit the mechanism").click()
    expect(page.get_by_role("group", name="Member ministries and agencies").get_by_label(NCSC)).not_to_be_checked()
    page.get_by_role("link", name="Cancel").click()

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("status")).to_contain_text("You are signed out.")

    page.goto(f"{live_server}/")
    expect(page).to_have_url(re.compile(r"/login\?next=%2F$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def test_wrong_password_shows_the_error(page, live_server, sign_in):
    sign_in(page, live_server, COORDINATOR, password="not-the-password")

    expect(page).to_have_url(f"{live_server}/login")
    expect(page.get_by_role("alert")).to_have_text("The e-mail address or the password is not correct.")
    expect(page.get_by_label("E-mail address")).to_have_value(COORDINATOR)
    expect(page.get_by_label("Password")).to_have_value("")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_admin_adds_a_ministry_to_a_country(page, live_server, sign_in):
    sign_in(page, live_server, "admin@example.org")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Member states").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Member states")
    expect(page.get_by_role("row")).to_have_count(11)  # a header and the ten member states
    page.get_by_role("link", name="Philippines", exact=True).click()

    page.get_by_role("link", name="Add a ministry").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("New ministry or agency")
    page.get_by_label("Official English name").fill("Department of Education")
    page.get_by_label("Acronym").fill("DepEd")
    page.get_by_label("Sector").select_option(label="Education")
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(f"{live_server}/countries/PH")
    expect(page.get_by_role("status")).to_have_text("Department of Education is saved.")
    row = ministry_row(page, "Department of Education")
    expect(row.get_by_role("cell")).to_have_text(["Department of Education", "DepEd", "Education", "—", "Edit DepEd"])

    # The same acronym twice in one country is refused, next to the field.
    page.get_by_role("link", name="Add a ministry").click()
    page.get_by_label("Official English name").fill("Department of Education, again")
    page.get_by_label("Acronym").fill("DepEd")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_have_text("Please correct the fields marked below.")
    expect(page.get_by_text("Philippines has a ministry with this acronym already.")).to_be_visible()
