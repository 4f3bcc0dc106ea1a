"""axe-core over every page of the app, as each role (and signed out): no critical and no
serious violation.

The pages are the GET routes of the URL map (as tests/test_no_server_errors.py walks them),
filled with the demo data's ids: PH's items in several states, a closed and an open cycle's
report, a template, a ministry, a user. axe-core comes from npm (package.json, installed into
node_modules by `make install-test`) and is injected from the file system, never from a CDN; the
test's browser context bypasses the content security policy for that injected script only.
"""
import os
import re
from pathlib import Path

import browser_support
import pytest
from helpers import seed_attachments
from sqlalchemy import select

from coordination import ROOT, clock
from coordination.auth.models import User
from coordination.demo_activity import seed_activity
from coordination.directory.models import Ministry
from coordination.extensions import db
from coordination.items.models import ActionItem
from coordination.meetings.demo import seed_meetings
from coordination.meetings.models import Meeting
from coordination.practices.models import Practice
from coordination.regional_items.demo import seed_regional_items
from coordination.regional_items.models import RegionalItem
from coordination.reporting import cycles
from coordination.reporting.models import CountryReport, MonitoringTemplate, ReportingCycle

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"critical", "serious"}
ROLES = {
    "coordinator": "coordinator.ph@example.org",
    "ministry staff": "staff.ph.dswd@example.org",
    "secretariat": "secretariat@example.org",
    "observer": "observer@example.org",
    "admin": "admin@example.org",
    "signed out": None,
}
# Not pages: files, feeds, the API, what only redirects or signs out, and the part of the report
# page that static/narrative.js fetches (shown inside the report page, checked there).
SKIPPED_ENDPOINTS = {"static", "bootstrap.static", "home.favicon", "home.healthz", "auth.logout", "auth.set_language",
                     "reminders.calendar_feed", "reporting.find_for_narrative",
                     "attachments.download_attachment"}  # a file, not a page
SKIPPED_SUFFIXES = (".csv", ".xlsx", ".ics", ".svg", ".json")
ITEM_STATES = ("draft", "blocked", "submitted", "completed")


def arrange(app) -> dict:
    """The demo's action items and an open cycle (its reports pending), as in
    tests/test_no_server_errors.py; return the ids the pages are filled with."""
    with app.app_context():
        now = clock.now()
        seed_activity(db.session, now)
        seed_regional_items(db.session, now)
        seed_meetings(db.session, now)
        secretariat = db.session.scalar(select(User).where(User.email == "secretariat@example.org"))
        template = db.session.scalar(select(MonitoringTemplate).order_by(MonitoringTemplate.id))
        cycle = cycles.create_cycle(db.session, secretariat, {
            "name": "Open cycle", "template_id": template.id, "period_start": "2026-01-01",
            "period_end": "2026-12-31", "deadline": "2027-03-31"}, now)
        cycles.fire_cycle(db.session, secretariat, cycle.id, "open", now)
        files = seed_attachments(db.session, now)
        db.session.commit()
        items = {item.state: item.id for item in db.session.scalars(
            select(ActionItem).where(ActionItem.country_code == "PH").order_by(ActionItem.id))}
        reports = list(db.session.scalars(
            select(CountryReport.id).where(CountryReport.country_code == "PH").order_by(CountryReport.id)))
        return {
            "item_id": [items[state] for state in ITEM_STATES if state in items],
            "report_id": reports,
            "cycle_id": list(db.session.scalars(select(ReportingCycle.id).order_by(ReportingCycle.id))),
            "template_id": [template.id],
            "ministry_id": [db.session.scalar(select(Ministry.id).where(Ministry.country_code == "PH")
                                              .order_by(Ministry.id))],
            "user_id": [db.session.scalar(select(User.id).where(User.email == "staff.ph.dswd@example.org"))],
            "code": ["PH"],
            "guarantee": ["health"],
            "token": ["not-a-token"],
            "attachment_id": [files["PH"], files["PH report"]],
            "regional_item_id": list(db.session.scalars(select(RegionalItem.id))),
            # A recommendation's assessment pages and a country's recommendations: the Philippines'.
            "country": ["PH"],
            "country_code": ["PH"],
            # The Philippines' mechanism's meeting and the regional network's.
            "meeting_id": [db.session.scalar(select(Meeting.id).where(Meeting.country_code == "PH")),
                           db.session.scalar(select(Meeting.id).where(Meeting.country_code.is_(None)))],
            "practice_id": list(db.session.scalars(select(Practice.id).order_by(Practice.id))),
        }


def page_paths(app, values: dict) -> list[str]:
    """Every GET page of the URL map, once per value of each of its parameters."""
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if ("GET" not in rule.methods or rule.endpoint in SKIPPED_ENDPOINTS or rule.rule.startswith("/api/")
                or rule.rule.endswith(SKIPPED_SUFFIXES)):
            continue
        combos = [{}]
        for name in rule.arguments:
            combos = [dict(combo, **{name: value}) for combo in combos for value in values.get(name, ["1"])]
        for combo in combos:
            found.append(re.sub(r"<(?:[^:>]+:)?(\w+)>", lambda m, c=combo: str(c[m.group(1)]), rule.rule))
        if rule.endpoint == "search.search":  # with results (marked snippets, the pager) too
            found.append(f"{rule.rule}?q=demo+item")
    return found


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    with browser_support.live_server_with_app(tmp_path_factory.mktemp("axe") / "axe.sqlite") as (base_url, app):
        yield base_url, page_paths(app, arrange(app))


# On a phone, the rules whose answer depends on the layout (what scrolls, what shows, its
# colours); the others were checked on the desktop already.
LAYOUT_RULES = ["scrollable-region-focusable", "color-contrast", "label-content-name-mismatch", "button-name",
                "link-name", "aria-hidden-focus", "nested-interactive", "frame-focusable-content"]


def axe_violations(page, rules=None) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    options = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    return page.evaluate("""async (options) => {
        const results = await axe.run(document, options);
        return results.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.target.join(" "))}));
    }""", options)


PHONE = {"width": 390, "height": 844}


# On a phone, the roles whose pages differ most (the staff's and the signed-out pages are theirs too).
RUNS = [(role, browser_support.VIEWPORT) for role in ROLES] + [
    (role, PHONE) for role in ("coordinator", "secretariat", "observer", "admin")]


@pytest.mark.parametrize(("role", "viewport"), RUNS,
                         ids=[f"{role}-{'phone' if viewport == PHONE else 'desktop'}" for role, viewport in RUNS])
def test_no_page_has_a_serious_accessibility_violation(browser, served, role, viewport):
    if not AXE.exists():
        reason = f"axe-core is not installed at {AXE.relative_to(Path(ROOT))}: run `make install-test` (npm ci)"
        if os.environ.get("REQUIRE_BROWSER", "").lower() in {"1", "true", "yes"}:
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    base_url, paths = served
    context = browser.new_context(viewport=viewport, locale="en-GB", bypass_csp=True)
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        if ROLES[role]:
            browser_support.sign_in(page, base_url, ROLES[role])
        findings, checked, seen = [], 0, set()
        for path in paths:
            response = page.goto(f"{base_url}{path}")
            if response is None or "text/html" not in response.headers.get("content-type", ""):
                continue
            # A page reached twice (a redirect to the sign-in page, to home) is checked once, and
            # error pages, which share one template, once for each status.
            landed = page.url.split("?")[0] if response.status == 200 else response.status
            if landed in seen:
                continue
            seen.add(landed)
            checked += 1
            for violation in axe_violations(page, LAYOUT_RULES if viewport == PHONE else None):
                if violation["impact"] in BLOCKING:
                    findings.append(f"{path} [{response.status}]: {violation['id']} ({violation['impact']}) "
                                    f"{violation['help']} -- {', '.join(violation['nodes'][:5])}")
        assert checked >= (20 if ROLES[role] else 3), f"only {checked} pages checked"
        summary = f"{len(findings)} serious or critical findings as {role} at {viewport['width']} px:"
        assert not findings, "\n".join([summary, *findings])
    finally:
        context.close()
