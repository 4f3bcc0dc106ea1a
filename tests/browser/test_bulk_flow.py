"""A bulk step through a real browser: the coordinator filters the list (overdue), ticks two items, cancels
them with one comment after the confirmation page, and reads the result page; the list's filter
comes back with the link to it."""
import re

import browser_support
import pytest
from test_accessibility import BLOCKING, axe_violations

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

pytestmark = pytest.mark.browser

COORDINATOR = "coordinator.ph@example.org"


@pytest.fixture
def busy_server(tmp_path):
    """The demo app with its action items."""
    with browser_support.live_server(tmp_path / "live.sqlite", activity=True) as base_url:
        yield base_url


@pytest.fixture
def page(axe_page):
    return axe_page


def serious(page) -> list:
    return [v for v in axe_violations(page) if v["impact"] in BLOCKING]


def test_check_two_cancel_them_with_a_comment_and_see_the_result(page, busy_server, sign_in):
    sign_in(page, busy_server, COORDINATOR)
    page.goto(f"{busy_server}/items?overdue=true")  # two open items, both past due
    boxes = page.locator("table input[data-bulk-item]")
    assert boxes.count() >= 2
    titles = [page.locator("table tbody tr").nth(n).locator("a[data-item-link]").inner_text() for n in (0, 1)]

    # "Select all on this page" ticks every box; unticking one unticks it again.
    select_all = page.get_by_label("Select all on this page")
    select_all.check()
    for n in range(boxes.count()):
        expect(boxes.nth(n)).to_be_checked()
    boxes.nth(2 if boxes.count() > 2 else 1).uncheck()
    expect(select_all).not_to_be_checked()
    for n in range(boxes.count()):
        boxes.nth(n).uncheck()

    page.get_by_label(f"Choose “{titles[0]}”").first.check()
    page.get_by_label(f"Choose “{titles[1]}”").first.check()
    page.get_by_label("With the items chosen").select_option(label="Cancel the items")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel 2 action items?")
    chosen = page.locator("#bulk-items")
    expect(chosen).to_contain_text(titles[0])
    expect(chosen).to_contain_text(titles[1])
    assert serious(page) == []
    page.get_by_role("button", name="Yes, cancel these items").click()  # no comment yet
    expect(page.get_by_role("alert")).to_contain_text("Add a comment: it is required for this step.")
    page.get_by_label("Why are they cancelled? (required)").fill("The programme is merged into the 4Ps.")
    page.get_by_role("button", name="Yes, cancel these items").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("What was done: Cancel the items")
    expect(page.locator("#bulk-summary")).to_contain_text("2 items done.")
    assert serious(page) == []
    done = page.locator("#bulk-done")
    expect(done).to_contain_text(titles[0])
    expect(done).to_contain_text("Cancelled")
    back = page.get_by_role("link", name="Back to the list")
    expect(back).to_have_attribute("href", re.compile(r"overdue=true"))
    done.get_by_role("link", name=titles[0]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(titles[0])
    expect(page.locator("#item-status")).to_contain_text("Cancelled")
