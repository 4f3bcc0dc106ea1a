"""Mentions through a real browser: the coordinator types "@" and the start of an address in
an item's comment box, the box offers the colleague, the comment names them; the colleague
finds the mention among their notifications, and watches the item from then on."""
import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

pytestmark = pytest.mark.browser

COORDINATOR = "coordinator.ph@example.org"
DOLE = "staff.ph.dole@example.org"
TITLE = "Match the wage records of informal workers"


def test_a_mention_reaches_the_colleagues_notifications(page, live_server, sign_in):
    sign_in(page, live_server, COORDINATOR)
    page.goto(f"{live_server}/items/new")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Due date").fill("2030-06-28")
    page.get_by_label("Ministry to assign it to").select_option(
        label="Department of Social Welfare and Development (DSWD)")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("#watching")).to_contain_text("You are watching this item")  # its creator

    # The comment box offers the colleague once "@" and the start of the address are typed.
    box = page.get_by_label("Add a comment")
    box.click()
    box.press_sequentially("Could you send the wage records, @staff.ph.dol", delay=20)
    offered = page.get_by_role("listbox", name="People to mention").get_by_role("option")
    expect(offered).to_have_count(1)
    expect(offered.first).to_contain_text("DOLE focal person, Philippines (DOLE)")
    box.press("ArrowDown")
    expect(offered.first).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    expect(box).to_have_value("Could you send the wage records, @staff.ph.dole@example.org ")
    expect(page.get_by_role("listbox", name="People to mention")).to_be_hidden()
    box.press_sequentially("before Friday?")
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_role("status")).to_contain_text("Your comment is posted.")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login$"))

    # The colleague finds the mention among their notifications, and watches the item now.
    sign_in(page, live_server, DOLE)
    page.get_by_role("link", name=re.compile("Notifications")).first.click()
    mention = page.get_by_role("link", name=f"National Coordinator, Philippines mentioned you on “{TITLE}”")
    expect(mention).to_be_visible()
    mention.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("#history")).to_be_visible()
    expect(page.get_by_text("@staff.ph.dole@example.org before Friday?")).to_be_visible()
    expect(page.locator("#watching")).to_contain_text("You are watching this item")
    page.get_by_role("button", name="Stop watching").click()
    expect(page.get_by_role("status")).to_contain_text("You no longer watch this item.")


def test_without_javascript_a_mention_is_typed_in_full(browser, live_server):
    import browser_support

    context = browser.new_context(viewport=browser_support.VIEWPORT, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    try:
        browser_support.sign_in(page, live_server, COORDINATOR)
        page.goto(f"{live_server}/items/new")
        page.get_by_label("Title").fill(TITLE)
        page.get_by_label("Due date").fill("2030-06-28")
        page.get_by_role("button", name="Save").click()
        page.get_by_label("Add a comment").fill(f"Draft for @{DOLE} to read")
        page.get_by_role("button", name="Post comment").click()
        expect(page.get_by_role("status")).to_contain_text("Your comment is posted.")
        expect(page.get_by_role("listbox")).to_have_count(0)
        page.get_by_role("button", name="Sign out").click()
        browser_support.sign_in(page, live_server, DOLE)
        page.goto(f"{live_server}/notifications")
        expect(page.get_by_role("link", name=f"National Coordinator, Philippines mentioned you on “{TITLE}”")
               ).to_be_visible()
    finally:
        context.close()
