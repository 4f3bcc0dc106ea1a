"""The action-item workflow through a real browser, each step checked on the page its user sees:
the coordinator creates an item for DSWD, which assigns it; DSWD accepts it and hands it over to DOLE; DOLE
accepts and submits it; the coordinator sends it back, DOLE submits again, the coordinator approves."""
import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

pytestmark = pytest.mark.browser

COORDINATOR = "coordinator.ph@example.org"
DSWD = "staff.ph.dswd@example.org"
DOLE = "staff.ph.dole@example.org"
TITLE = "Link the social registry to PhilHealth enrolment"


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login$"))


def open_item_from_home(page, section: str):
    """Open the item from the user's home page (the inbox or board), as a person would."""
    region = page.get_by_role("region", name=re.compile(section))
    region.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)


def fire(page, trigger: str, *, comment: str | None = None, ministry: str | None = None):
    actions = page.get_by_role("region", name="What you can do")
    if comment is None and ministry is None:
        actions.get_by_role("button", name=trigger, exact=True).click()
        return
    actions.locator("summary", has_text=trigger).click()
    form = actions.locator("details[open] form")
    if ministry is not None:
        form.get_by_label("Ministry").select_option(label=ministry)
    if comment is not None:
        form.get_by_label("Comment (required)").fill(comment)
    form.get_by_role("button", name=trigger, exact=True).click()


def status(page):
    return page.locator("#item-status")


def test_an_item_travels_between_ministries_to_completion(page, live_server, sign_in):
    # The coordinator writes the item and assigns it to DSWD.
    sign_in(page, live_server, COORDINATOR)
    page.get_by_role("link", name="New action item").first.click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Description").fill("Pilot in Region VII before national roll-out.")
    page.get_by_label("Due date").fill("2030-06-28")  # a Friday: a working day in the Philippines
    page.get_by_label("Priority").select_option("high")
    page.get_by_label("Guarantee of the floor it serves").select_option("health")
    page.get_by_label("Ministry to assign it to").select_option(
        label="Department of Social Welfare and Development (DSWD)")
    page.get_by_role("button", name="Save").click()  # the ministry chosen gets it at once
    expect(page.get_by_role("status")).to_contain_text("saved and assigned to")
    expect(status(page)).to_contain_text("Assigned")
    expect(status(page)).to_contain_text("held by Department of Social Welfare and Development")
    sign_out(page)

    # DSWD finds it waiting in its inbox, accepts it and hands it over to DOLE.
    sign_in(page, live_server, DSWD)
    open_item_from_home(page, "Waiting for your acceptance")
    fire(page, "Accept")
    expect(status(page)).to_contain_text("In progress")
    fire(page, "Hand over", ministry="Department of Labor and Employment (DOLE)",
         comment="Enrolment of informal workers sits with DOLE.")
    expect(status(page)).to_contain_text("held by Department of Labor and Employment")
    expect(page.get_by_role("region", name="What you can do")).to_contain_text("Nothing is waiting for you")
    sign_out(page)

    # DOLE accepts and submits.
    sign_in(page, live_server, DOLE)
    open_item_from_home(page, "Waiting for your acceptance")
    expect(page.locator("#history")).to_be_visible()
    expect(page.get_by_role("list").filter(has_text="Enrolment of informal workers")).to_be_visible()
    fire(page, "Accept")
    fire(page, "Submit", comment="Data-sharing agreement signed.")
    expect(status(page)).to_contain_text("Submitted")
    sign_out(page)

    # The coordinator sends it back.
    sign_in(page, live_server, COORDINATOR)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Action items").click()
    page.get_by_label("State").select_option("submitted")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name=TITLE).click()
    fire(page, "Send back", comment="Attach the signed agreement, please.")
    expect(status(page)).to_contain_text("In progress")
    expect(status(page)).to_contain_text("held by Department of Labor and Employment")
    sign_out(page)

    # DOLE submits again.
    sign_in(page, live_server, DOLE)
    open_item_from_home(page, "In progress")
    expect(page.get_by_text("Attach the signed agreement, please.")).to_be_visible()
    fire(page, "Submit", comment="Agreement attached to the record.")
    sign_out(page)

    # The coordinator approves; the history tells the whole story.
    sign_in(page, live_server, COORDINATOR)
    page.goto(f"{live_server}/items?state=submitted")
    page.get_by_role("link", name=TITLE).click()
    fire(page, "Approve")
    expect(status(page)).to_contain_text("Completed")
    history = page.locator("ol.timeline > li")
    expect(history).to_have_count(9)
    expect(history.first).to_contain_text("Approve")
    expect(history.last).to_contain_text("Created as a draft")
    expect(page.get_by_role("region", name="What you can do").locator("summary", has_text="Reopen")).to_be_visible()
