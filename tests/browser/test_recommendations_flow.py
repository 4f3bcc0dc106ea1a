"""A recommendation through a real browser: the secretariat adopts it for three member states,
the Philippines assesses "some progress" with an action item linked, the secretariat revises it
to "limited" with a comment, and after the cycle is published the observer sees the chart."""
import re

import browser_support
import pytest
from sqlalchemy import select

from coordination import clock
from coordination.auth.models import User
from coordination.extensions import db
from coordination.items import service as items
from coordination.reporting import cycles, templates

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

pytestmark = pytest.mark.browser

CYCLE = "Regional review 2026"
TITLE = "Portability of pension rights between member states"
ITEM = "Negotiate the pension portability agreement with Malaysia"


def arrange(app) -> int:
    """An open cycle, and an action item of the Philippines to link."""
    now = clock.now()
    with app.app_context():
        session = db.session
        secretariat = session.scalar(select(User).where(User.email == "secretariat@example.org"))
        coordinator = session.scalar(select(User).where(User.email == "coordinator.ph@example.org"))
        template = templates.ensure_default_template(session)
        cycle = cycles.create_cycle(session, secretariat, {
            "name": CYCLE, "template_id": template.id, "period_start": "2026-01-01", "period_end": "2026-12-31",
            "deadline": "2027-03-31"}, now)
        cycles.fire_cycle(session, secretariat, cycle.id, "open", now)
        items.create_item(session, coordinator, {"title": ITEM, "due_date": "2027-02-28"}, now)
        session.commit()
        return cycle.id


@pytest.fixture
def live_app(tmp_path):
    with browser_support.live_server_with_app(tmp_path / "live.sqlite") as (base_url, app):
        yield base_url, app


def as_user(browser, base_url, email):
    context = browser.new_context(viewport=browser_support.VIEWPORT, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    browser_support.sign_in(page, base_url, email)
    return context, page


def test_adopt_assess_revise_publish_and_the_observer_sees_the_chart(browser, live_app):
    base_url, app = live_app
    cycle_id = arrange(app)

    context, page = as_user(browser, base_url, "secretariat@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Recommendations").click()
    page.get_by_role("link", name="New recommendation").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Text of the recommendation").fill("Conclude agreements so that pension rights travel.")
    page.get_by_label("Guarantee of the floor").select_option("older_persons")
    for country in ("Philippines", "Malaysia", "Thailand"):
        page.get_by_label(country, exact=True).check()
    page.get_by_label("Adopted on").fill("2026-11-10")
    page.get_by_role("button", name="Adopt the recommendation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    recommendation_url = page.url
    context.close()

    context, page = as_user(browser, base_url, "coordinator.ph@example.org")
    page.goto(recommendation_url)
    page.locator("#progress-table").get_by_role("link", name=re.compile(f"^Assess {CYCLE}")).click()
    expect(page.get_by_role("heading", name="Assess your progress")).to_be_visible()
    page.get_by_label("Some progress").check()
    page.get_by_label("Evidence").fill("Negotiations opened in March.")
    page.get_by_label(ITEM).check()
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.locator("#country-rating")).to_have_text("Some progress")
    expect(page.get_by_role("link", name=ITEM)).to_be_visible()
    context.close()

    context, page = as_user(browser, base_url, "secretariat@example.org")
    page.goto(recommendation_url)
    page.locator("#progress-table").get_by_role("link", name=re.compile(f"^Assessment Philippines, {CYCLE}")).click()
    page.get_by_label("Limited progress").check()
    page.get_by_label("Comment").fill("The agreement is not signed yet.")
    page.get_by_role("button", name="Validate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    row = page.locator("#progress-table").get_by_role("row", name=re.compile("^Philippines"))
    expect(row).to_contain_text("Limited progress")
    expect(row).to_contain_text("Country’s rating: Some progress")
    # Publish the cycle through its page, as the secretariat does.
    page.goto(f"{base_url}/cycles/{cycle_id}")
    page.get_by_role("link", name="Close the cycle…").click()
    page.get_by_role("button", name="Close the cycle").click()
    page.get_by_role("button", name=re.compile("^Publish the comparison")).click()
    expect(page.get_by_text("The comparison is published to every member state and observer.")).to_be_visible()
    context.close()

    context, page = as_user(browser, base_url, "observer@example.org")
    page.goto(recommendation_url)
    chart = page.get_by_role("img", name=re.compile("^Validated progress over the cycles"))
    expect(chart).to_be_visible()
    expect(chart).to_have_accessible_name(re.compile(f"Philippines: {CYCLE}: Limited progress"))
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] > 100
    context.close()
