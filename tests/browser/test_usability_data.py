"""Data requests and report data as people meet them in a real browser: a data request named by
its indicator (code last), a notice naming the member state, a data request that goes to the
coordinator once its value is entered and is closed when the report is accepted, a report never
submitted in a closed cycle shown as missing, and the demo baseline's accepted reports complete."""
import re
from datetime import timedelta

import browser_support
import pytest
from sqlalchemy import select

from coordination import clock
from coordination.auth.models import User
from coordination.directory.models import Ministry
from coordination.extensions import db
from coordination.reporting import cycles, reports, templates
from coordination.reporting.demo import HISTORICAL_CYCLE
from coordination.reporting.models import CountryReport, ReportingCycle

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

pytestmark = pytest.mark.browser

CYCLE = "Usability cycle"
NAME = "Population protected by a health protection scheme"


def user(session, email):
    return session.scalar(select(User).where(User.email == email))


def arrange(app) -> dict:
    """An open cycle (deadline in 60 days) whose Philippine report asks DOH for
    SPF_HEALTH_PROTECTION."""
    now = clock.now()
    with app.app_context():
        session = db.session
        secretariat = user(session, "secretariat@example.org")
        coordinator = user(session, "coordinator.ph@example.org")
        template = templates.ensure_default_template(session)
        cycle = cycles.create_cycle(session, secretariat, {
            "name": CYCLE, "template_id": template.id, "period_start": "2026-01-01", "period_end": "2026-12-31",
            "deadline": (now + timedelta(days=60)).date().isoformat()}, now)
        cycles.fire_cycle(session, secretariat, cycle.id, "open", now)
        report = session.scalar(select(CountryReport).where(CountryReport.cycle_id == cycle.id,
                                                            CountryReport.country_code == "PH"))
        doh = session.scalar(select(Ministry).where(Ministry.country_code == "PH", Ministry.acronym == "DOH"))
        row = reports.assign_indicator(session, coordinator, report.id,
                                       {"indicator_code": "SPF_HEALTH_PROTECTION", "ministry_id": doh.id}, now)
        staff = session.scalar(select(User).where(User.ministry_id == doh.id, User.active.is_(True)))
        ids = {"cycle": cycle.id, "report": report.id, "item": row.item_id, "staff": staff.email}
        db.session.commit()
    return ids


@pytest.fixture
def served(tmp_path):
    with browser_support.live_server_with_app(tmp_path / "live.sqlite") as (base_url, app):
        yield base_url, app, arrange(app)


def test_a_data_request_reads_by_its_indicators_name_and_goes_on_with_its_value(page, served, sign_in):
    base_url, app, ids = served
    sign_in(page, base_url, ids["staff"])
    page.goto(f"{base_url}/items/{ids['item']}")
    title = f"Data request: {NAME}, {CYCLE} (SPF_HEALTH_PROTECTION)"
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    expect(page.locator("#item-status")).to_contain_text("Assigned")
    page.get_by_role("button", name="Accept", exact=True).click()
    panel = page.get_by_role("region", name=f"Figure requested for the {CYCLE} report")
    panel.get_by_label("Value (%)").fill("98")
    panel.get_by_role("button", name="Save the value").click()
    expect(page.locator("#item-status")).to_contain_text("Submitted")  # on to the coordinator by itself

    # accepted, the report closes its data request: no longer "submitted, waiting for you"
    with app.app_context():
        session = db.session
        now = clock.now()
        report = session.get(CountryReport, ids["report"])
        report.state, report.first_submitted_at, report.submitted_at = "submitted", now, now
        session.flush()
        reports.fire_report(session, user(session, "secretariat@example.org"), report.id, "accept", report.version,
                            now)
        session.commit()
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base_url, "coordinator.ph@example.org")
    page.goto(f"{base_url}/items/{ids['item']}")
    expect(page.locator("#item-status")).to_contain_text("Completed")
    expect(page.locator("#item-status")).not_to_contain_text("Overdue")
    expect(page.get_by_text("The country report was accepted: this data request is closed.")).to_be_visible()


def test_a_report_never_submitted_in_a_closed_cycle_reads_missing(page, served, sign_in):
    base_url, app, ids = served
    with app.app_context():
        cycles.fire_cycle(db.session, user(db.session, "secretariat@example.org"), ids["cycle"], "close", clock.now())
        db.session.commit()
    sign_in(page, base_url, "secretariat@example.org")
    page.goto(f"{base_url}/cycles/{ids['cycle']}/compliance")
    row = page.locator('tr[data-country="PH"]')
    expect(row.locator("[data-compliance]")).to_have_attribute("data-compliance", "missing")
    expect(row).to_contain_text("missing")
    expect(page.locator("[data-compliance=pending]")).to_have_count(0)


def test_the_demo_baseline_shows_its_accepted_reports_complete(page, served, sign_in):
    base_url, app, _ = served
    with app.app_context():
        baseline = db.session.scalar(select(ReportingCycle.id).where(ReportingCycle.name == HISTORICAL_CYCLE))
    sign_in(page, base_url, "secretariat@example.org")
    page.goto(f"{base_url}/cycles/{baseline}/compliance")
    rows = page.locator("#compliance-table tbody tr")
    expect(rows).to_have_count(10)
    for n in range(10):
        expect(rows.nth(n).locator("td").last).to_have_text(re.compile(r"^100\s?%$"))
