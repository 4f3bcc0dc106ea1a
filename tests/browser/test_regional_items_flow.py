"""A cross-border item through a real browser: the secretariat raises a portability agreement for
the Philippines and Malaysia; each country's part runs through its own workflow (the coordinator
assigns it, the ministry accepts and submits, the coordinator approves); when both parts are
completed the regional item is completed, on the secretariat's page."""
import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

pytestmark = pytest.mark.browser

TITLE = "A portability agreement for pension rights between the Philippines and Malaysia"
PARTS = (("PH", "coordinator.ph@example.org", "staff.ph.sss@example.org", "Social Security System (SSS)"),
         ("MY", "coordinator.my@example.org", "staff.my.perkeso@example.org", "Social Security Organisation (PERKESO)"))


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login$"))


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


def test_parts_completed_in_two_countries_complete_the_regional_item(page, live_server, sign_in):
    sign_in(page, live_server, "secretariat@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Regional items").click()
    page.get_by_role("link", name="New regional item").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Due date").fill("2031-06-30")
    page.get_by_label("Philippines").check()
    page.get_by_role("button", name="Raise the regional item").click()
    expect(page.get_by_role("alert")).to_contain_text("Member states (two or more)")  # one is not enough
    page.get_by_label("Malaysia").check()
    page.get_by_role("button", name="Raise the regional item").click()
    expect(page.get_by_role("status")).to_contain_text("The regional item is raised")
    regional_url = page.url
    expect(page.locator("h1")).to_have_text(TITLE)
    sign_out(page)

    for _code, coordinator, staff, ministry in PARTS:
        sign_in(page, live_server, coordinator)
        board = page.get_by_role("region", name="Parts of regional items")
        board.get_by_role("link", name=TITLE).click()
        expect(page.get_by_role("complementary")).to_contain_text("Part of the regional item")
        fire(page, "Assign", ministry=ministry)
        item_url = page.url
        sign_out(page)
        sign_in(page, live_server, staff)
        page.goto(item_url)
        fire(page, "Accept")
        fire(page, "Submit", comment="The agreement is signed and the contribution periods count both ways.")
        sign_out(page)
        sign_in(page, live_server, coordinator)
        page.goto(item_url)
        fire(page, "Approve")
        expect(page.locator("#item-status")).to_contain_text("Completed")
        sign_out(page)
        if _code == "PH":  # one part done: the regional item is still open
            sign_in(page, live_server, "secretariat@example.org")
            page.goto(regional_url)
            expect(page.locator("h1 + p")).to_contain_text("Open")
            sign_out(page)

    sign_in(page, live_server, "secretariat@example.org")
    page.goto(regional_url)
    expect(page.locator("h1 + p")).to_contain_text("Completed")
    parts = page.get_by_role("table")
    expect(parts.locator("tbody tr")).to_have_count(2)
    expect(parts.locator("tbody")).not_to_contain_text("Overdue")
    expect(parts.locator("tbody")).to_contain_text("PERKESO")
    page.get_by_role("link", name="Notifications").first.click()
    expect(page.get_by_role("main")).to_contain_text("Regional item completed")
