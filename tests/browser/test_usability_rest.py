"""Usability in a real browser: notifications, the scorecard's "on time", the observer's home and
the administrator's outbox, member states in name order, and charts readable on a phone."""
import re
from datetime import UTC, date, datetime, timedelta

import browser_support
import pytest
from sqlalchemy import select

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

from coordination import clock
from coordination.auth.models import User
from coordination.extensions import db
from coordination.reminders import outbox
from coordination.reminders.models import NOTICE, REMINDER
from coordination.reporting import cycles
from coordination.reporting.models import MonitoringTemplate, ReportingCycle

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
NAMES_IN_ORDER = ["Brunei Darussalam", "Cambodia", "Indonesia", "Lao People's Democratic Republic", "Malaysia",
                  "Myanmar", "Philippines", "Singapore", "Thailand", "Viet Nam"]


@pytest.fixture
def served(tmp_path):
    with browser_support.live_server_with_app(tmp_path / "live.sqlite") as (base_url, app):
        yield base_url, app


def user_id(email: str) -> int:
    return db.session.scalar(select(User.id).where(User.email == email))


def open_cycle_due_in_four_weeks(app) -> int:
    """A second cycle, open, its deadline four weeks ahead: every report pending."""
    with app.app_context():
        secretariat = db.session.scalar(select(User).where(User.email == "secretariat@example.org"))
        template_id = db.session.scalar(select(MonitoringTemplate.id))
        now = clock.now()
        deadline = (now + timedelta(days=28)).date()
        cycle = cycles.create_cycle(db.session, secretariat, {
            "name": "Next self-assessment", "template_id": template_id, "period_start": date(2026, 1, 1),
            "period_end": date(2026, 12, 31), "deadline": deadline}, now)
        cycles.fire_cycle(db.session, secretariat, cycle.id, "open", now)
        db.session.commit()
        return cycle.id


def test_opening_a_notification_marks_it_read_and_the_list_shows_the_time_it_is_sorted_by(page, served, sign_in):
    base_url, app = served
    with app.app_context():
        uid = user_id("coordinator.ph@example.org")
        # Queued later but about an earlier moment: the list is ordered by arrival, and shows it.
        rows = [outbox.row(user_id=uid, kind=NOTICE, title="Older notice", url="/countries/PH",
                           occurred_at=datetime(2026, 11, 25, 3, tzinfo=UTC),
                           now=datetime(2026, 11, 20, 3, tzinfo=UTC)),
                outbox.row(user_id=uid, kind=REMINDER, title="Newer reminder", url="/countries",
                           occurred_at=datetime(2026, 11, 10, 3, tzinfo=UTC),
                           now=datetime(2026, 11, 22, 3, tzinfo=UTC))]
        outbox.insert_new(db.session, rows)
        db.session.commit()
    sign_in(page, base_url, "coordinator.ph@example.org")
    page.goto(f"{base_url}/notifications")
    items = page.locator("main li.list-group-item")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("Newer reminder")
    expect(items.nth(0)).to_contain_text("22 Nov 2026")
    expect(items.nth(1)).to_contain_text("Older notice")
    expect(items.nth(1)).to_contain_text("20 Nov 2026")
    expect(items.nth(1)).not_to_contain_text("25 Nov 2026")

    with page.expect_navigation():
        items.nth(1).get_by_role("link", name="Older notice").click()
    expect(page).to_have_url(f"{base_url}/countries/PH")
    page.goto(f"{base_url}/notifications?unread=1")
    expect(page.locator("main li.list-group-item")).to_have_count(1)
    expect(page.locator("main li.list-group-item").first).to_contain_text("Newer reminder")


def test_the_scorecard_does_not_count_a_deadline_still_ahead_as_missed(page, served, sign_in):
    base_url, app = served
    open_cycle_due_in_four_weeks(app)
    sign_in(page, base_url, "secretariat@example.org")
    page.goto(f"{base_url}/compliance/scorecard")
    row = page.locator("#scorecard tbody tr[data-country='PH']")
    on_time = row.locator("td").last
    expect(on_time).to_contain_text("2 of 2")  # the demo's two published cycles
    expect(on_time).to_contain_text("1 not yet due")


def test_the_observers_home_offers_what_an_observer_may_see(page, served, sign_in):
    base_url, app = served
    with app.app_context():
        baseline = db.session.scalar(select(ReportingCycle.id))
    sign_in(page, base_url, "observer@example.org")
    main = page.locator("main")
    expect(main.get_by_role("link", name="Regional scorecard")).to_be_visible()
    # One link per published cycle: the demo's baseline and its 2019 cycle.
    expect(main.get_by_role("link", name=re.compile("^Compare member states"))).to_have_count(2)
    expect(main.locator(f'a[href="/cycles/{baseline}/comparison"]')).to_contain_text("Compare member states")
    expect(main.get_by_role("link", name="Browse the directory")).to_be_visible()
    main.get_by_role("link", name="Regional scorecard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Regional scorecard")


def test_the_outbox_is_in_the_administrators_menu_and_explains_folded(page, served, sign_in):
    base_url, _ = served
    sign_in(page, base_url, "admin@example.org")
    page.get_by_role("navigation").get_by_role("link", name="Outbox").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Outbox")
    expect(page.locator("main")).to_contain_text("Folded: not sent on its own, because the recipient gets a daily "
                                                 "summary")
    page.context.clear_cookies()
    sign_in(page, base_url, "secretariat@example.org")
    expect(page.get_by_role("navigation").get_by_role("link", name="Outbox")).to_have_count(0)


def test_member_states_are_in_name_order_on_every_page(page, served, sign_in):
    base_url, app = served
    with app.app_context():
        baseline = db.session.scalar(select(ReportingCycle.id))
    sign_in(page, base_url, "secretariat@example.org")
    for path, rows in [("/compliance/scorecard", "#scorecard tbody th"),
                       (f"/cycles/{baseline}/compliance", "#compliance-table tbody th"),
                       (f"/cycles/{baseline}/comparison", "#indicator-table tbody th"),
                       ("/countries", "main table tbody th")]:
        page.goto(base_url + path)
        expect(page.locator(rows)).to_have_text(NAMES_IN_ORDER)


SMALLEST_TEXT = """() => Math.min(...[...document.querySelectorAll('svg.chart text')].map(
    t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a))"""


def test_charts_stay_readable_on_a_phone(browser, served, sign_in):
    base_url, app = served
    with app.app_context():
        baseline = db.session.scalar(select(ReportingCycle.id))
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    try:
        page = context.new_page()
        sign_in(page, base_url, "secretariat@example.org")
        for path in [f"/cycles/{baseline}/compliance", f"/cycles/{baseline}/comparison", "/compliance/scorecard",
                     "/countries/PH/progress", "/countries/PH/compliance"]:
            page.goto(base_url + path)
            expect(page.locator("svg.chart").first).to_be_visible()
            smallest = page.evaluate(SMALLEST_TEXT)
            assert smallest >= 11, f"{path}: chart text of {smallest:.1f} px"
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{path}: the page scrolls sideways ({width} px)"
    finally:
        context.close()
