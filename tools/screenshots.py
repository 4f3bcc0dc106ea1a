"""Screenshots for the README: the demo app as the Philippines coordinator sees it.

Run by hand from the project root (not by the tests):

    .venv/bin/python tools/screenshots.py [OUTPUT_DIR]

It serves the demo data on a throw-away SQLite file, signs in with headless Chromium
(CHROMIUM_PATH, default /usr/bin/chromium) and writes 1280x800 PNGs into
docs/screenshots/ (or OUTPUT_DIR).
"""
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "browser")]  # this checkout, even without `pip install -e`

from browser_support import DEMO_PASSWORD, VIEWPORT, launch_chromium, live_server, sign_in  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from coordination.reporting.demo import HISTORICAL_CYCLE  # noqa: E402

COORDINATOR = "coordinator.ph@example.org"
STAFF = "staff.ph.dswd@example.org"
SECRETARIAT = "secretariat@example.org"
ADMIN = "admin@example.org"


def sign_in_as(page, base_url: str, email: str) -> None:
    """Sign in through the form, whatever the page's language (the fields by their names)."""
    page.goto(f"{base_url}/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("form:has(input[name=password]) [type=submit]").click()


def main(output: Path) -> None:
    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, live_server(Path(tmp) / "demo.sqlite", activity=True) as base_url, \
            sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context = browser.new_context(viewport=VIEWPORT, locale="en-GB")
        page = context.new_page()

        page.goto(f"{base_url}/login")
        page.screenshot(path=output / "login.png")

        sign_in(page, base_url, COORDINATOR)
        page.screenshot(path=output / "home-coordinator.png")

        page.goto(f"{base_url}/countries/PH", wait_until="networkidle")
        page.screenshot(path=output / "country.png")

        page.goto(f"{base_url}/items", wait_until="networkidle")
        page.screenshot(path=output / "items.png")
        page.get_by_role("link", name="Reconcile the beneficiary lists of the social pension").click()
        page.screenshot(path=output / "item.png", full_page=True)

        page.goto(f"{base_url}/help/workflow", wait_until="networkidle")
        page.screenshot(path=output / "workflow.png", full_page=True)

        # The printable country report of the demo baseline, as it shows before printing.
        page.goto(f"{base_url}/cycles", wait_until="networkidle")
        page.get_by_role("link", name=HISTORICAL_CYCLE).first.click()
        page.get_by_role("link", name="Open the report").first.click()
        page.get_by_role("link", name="Print or save as PDF").click()
        page.screenshot(path=output / "print-report.png", full_page=True)

        page.goto(f"{base_url}/account/two-step", wait_until="networkidle")
        page.get_by_role("button", name="Set up two-step sign-in").click()
        page.screenshot(path=output / "two-step.png", full_page=True)

        page.get_by_role("button", name="Sign out").click()
        sign_in(page, base_url, ADMIN)
        page.goto(f"{base_url}/admin/audit", wait_until="networkidle")
        page.screenshot(path=output / "audit.png")

        page.get_by_role("button", name="Sign out").click()
        sign_in(page, base_url, STAFF)
        page.screenshot(path=output / "home-ministry.png")

        page.get_by_role("button", name="Sign out").click()
        sign_in(page, base_url, SECRETARIAT)
        page.screenshot(path=output / "home-secretariat.png")
        page.goto(f"{base_url}/compliance", wait_until="networkidle")
        page.get_by_role("link", name="Comparison").first.click()
        page.screenshot(path=output / "comparison.png", full_page=True)

        # The same board in Thai (the browser's language decides while the user has chosen none),
        # and a ministry's inbox and an item on a phone.
        thai = browser.new_context(viewport=VIEWPORT, locale="th-TH")
        page = thai.new_page()
        sign_in_as(page, base_url, COORDINATOR)
        page.screenshot(path=output / "home-coordinator-th.png")
        phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                    has_touch=True, locale="en-GB")
        page = phone.new_page()
        sign_in_as(page, base_url, COORDINATOR)
        page.goto(f"{base_url}/items", wait_until="networkidle")
        page.locator("ul.d-md-none").first.scroll_into_view_if_needed()  # past the filters, to the cards
        page.wait_for_timeout(300)
        page.screenshot(path=output / "phone-items.png")
        browser.close()
    for name in ("login.png", "home-coordinator.png", "country.png", "items.png", "item.png", "workflow.png",
                 "print-report.png", "two-step.png", "audit.png", "home-ministry.png", "home-secretariat.png",
                 "comparison.png", "home-coordinator-th.png", "phone-items.png"):
        print(output / name)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
