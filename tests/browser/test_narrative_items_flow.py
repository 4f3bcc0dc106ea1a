"""Linking action items to a narrative section in a real browser: the search answers in place
as the words are typed (static/narrative.js, under the content security policy), the item
ticked is linked when the section is saved, and clearing its box unlinks it."""
import os
from datetime import UTC, datetime, timedelta

import browser_support
import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

pytestmark = pytest.mark.browser

TITLE = "Cost the options for a universal child benefit"  # a demo item of every country
SHOT = os.environ.get("NARRATIVE_SCREENSHOT")  # a path: a picture of the section, to look at


def call(page, base_url, method, path, body=None, token=None):
    """The JSON API, from the browser context's request client (no cookies of the page)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = page.request.fetch(f"{base_url}{path}", method=method, headers=headers, data=body)
    assert response.ok, (path, response.status, response.text())
    return response.json()


@pytest.fixture
def demo_server(tmp_path):
    with browser_support.live_server(tmp_path / "live.sqlite", activity=True) as base_url:
        yield base_url


def test_items_are_found_in_place_linked_and_unlinked(page, demo_server, sign_in):
    base = demo_server
    token = call(page, base, "POST", "/api/v1/tokens", {"email": "secretariat@example.org",
                                                        "password": browser_support.DEMO_PASSWORD})["token"]
    template = call(page, base, "GET", "/api/v1/templates", token=token)[0]["id"]
    deadline = (datetime.now(UTC).date() + timedelta(days=60)).isoformat()
    cycle = call(page, base, "POST", "/api/v1/cycles", {"name": "Narrative cycle", "template_id": template,
                                                        "period_start": "2026-01-01", "period_end": "2026-12-31",
                                                        "deadline": deadline}, token)["id"]
    call(page, base, "POST", f"/api/v1/cycles/{cycle}/transitions", {"trigger": "open"}, token)

    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.on("pageerror", lambda error: violations.append(str(error)))
    sign_in(page, base, "coordinator.ph@example.org")
    page.goto(f"{base}/cycles/{cycle}")
    page.get_by_role("link", name="Open the report of Philippines").click()
    report_url = page.url
    section = page.locator("#narrative-children")
    section.get_by_text("Write the assessment of income security for children").click()
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == page.main_frame else None)

    section.get_by_label("Find action items by title or number").fill("universal child")
    found = section.get_by_label(TITLE)
    expect(found).to_be_visible()
    expect(found).not_to_be_checked()
    assert navigations == [] and page.url == report_url  # answered in place
    found.check()
    section.get_by_label("Recommendations").fill("Cost a universal child benefit.")
    section.get_by_role("button", name="Save this section").click()
    expect(page.get_by_role("status")).to_have_text("The section “Income security for children” is saved.")

    section = page.locator("#narrative-children")
    expect(section.get_by_role("link", name=TITLE)).to_be_visible()  # the linked items above the form
    section.get_by_text("Edit the assessment of income security for children").click()
    linked = section.get_by_label(TITLE)
    expect(linked).to_be_checked()
    if SHOT:
        section.screenshot(path=SHOT)
    linked.uncheck()
    section.get_by_role("button", name="Save this section").click()
    expect(page.get_by_role("status")).to_have_text("The section “Income security for children” is saved.")
    expect(page.locator("#narrative-children").get_by_role("link", name=TITLE)).to_have_count(0)
    assert violations == []
