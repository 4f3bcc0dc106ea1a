"""Good practices through a real browser: the Philippines' coordinator writes one up, publishes
it after the confirmation page, an observer finds it in the library and asks a question, and the
coordinator answers it from the page. Locators go by role and label only."""
import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

pytestmark = pytest.mark.browser

COORDINATOR = "coordinator.ph@example.org"
OBSERVER = "observer@example.org"
TITLE = "Social pension payouts through the barangay"


def test_a_practice_is_written_published_asked_about_and_answered(page, live_server, sign_in):
    sign_in(page, live_server, COORDINATOR)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Good practices").click()
    page.get_by_role("link", name="Write up a practice").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Summary").fill("Quarterly payouts of the social pension at the barangay hall.")
    page.get_by_label("The practice in full").fill("The municipal social welfare office pays in cash.")
    page.get_by_label("Guarantee of the floor it serves").select_option("older_persons")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("status")).to_contain_text("The draft is saved.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)

    page.get_by_role("link", name="Publish", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Publish “{TITLE}”?")
    page.get_by_role("button", name="Yes, publish it").click()
    expect(page.get_by_role("status")).to_contain_text("The practice is published")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, OBSERVER)
    page.goto(f"{live_server}/practices")
    page.get_by_label("Guarantee").select_option("older_persons")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("link", name=TITLE).click()
    page.get_by_label("Your question").fill("How are payouts recorded?")
    page.get_by_role("button", name="Ask the question").click()
    expect(page.get_by_role("status")).to_contain_text("Your question is posted.")
    expect(page.get_by_role("main")).to_contain_text("How are payouts recorded?")
    practice_url = page.url.split("#")[0]
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, COORDINATOR)
    page.goto(practice_url)
    page.get_by_label("Your answer").fill("In the payroll, signed by each pensioner.")
    page.get_by_role("button", name="Answer", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Your answer is posted")
    expect(page.get_by_role("main")).to_contain_text(re.compile(r"Answer by National Coordinator, Philippines"))
    expect(page.get_by_role("main")).to_contain_text("In the payroll, signed by each pensioner.")
