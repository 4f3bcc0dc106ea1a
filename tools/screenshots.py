"""Screenshots for the README: the demo app as the Philippines coordinator sees it.

Run by hand from the project root (not by the tests):

    .venv/bin/python tools/screenshots.py [OUTPUT_DIR]

It serves the demo data on a throw-away SQLite file, signs in with headless Chromium
(CHROMIUM_PATH, default /usr/bin/chromium) and writes 1280x800 PNGs into
docs/screenshots/ (or OUTPUT_DIR).
"""
import io
import json
import sys
import tempfile
import urllib.request
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "browser")]  # this checkout, even without `pip install -e`

from browser_support import DEMO_PASSWORD, VIEWPORT, launch_chromium, live_server, sign_in  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from coordination.reporting.demo import HISTORICAL_CYCLE  # noqa: E402

COORDINATOR = "coordinator.ph@example.org"
STAFF = "staff.ph.dswd@example.org"
SECRETARIAT = "secretariat@example.org"
ADMIN = "admin@example.org"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
CSV = b"region,beneficiaries\nNCR,48210\nRegion VII,31877\n" * 200


def sign_in_as(page, base_url: str, email: str) -> None:
    """Sign in through the form, whatever the page's language (the fields by their names)."""
    page.goto(f"{base_url}/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("form:has(input[name=password]) [type=submit]").click()


def api(base_url: str, method: str, path: str, body=None, token: str | None = None):
    """One call of the JSON API (the way a script of a ministry would make it)."""
    request = urllib.request.Request(f"{base_url}/api/v1{path}", method=method,  # noqa: S310 - the local demo server
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(request) as response:  # noqa: S310 - the local demo server
        return json.loads(response.read() or b"null")


CHECKED_VALUES = {
    "SPF_COVERAGE_TOTAL": {"value": 60.0},  # 34.9 % in the accepted baseline: a warning without a note
    "SPF_CHILDREN": {"value": 25.0, "breakdown": {"female": 21.0, "male": 22.0}},  # outside its parts
    "SPF_MATERNITY": {"value": 11.0, "availability": "estimate"},
    "SPF_DISABILITY": {"availability": "not_available", "reason": "No survey since 2016"},
    "SPF_OLDER_PERSONS": {"value": 40.0, "breakdown": {"female": 38.0, "male": 43.0}},
    "SPF_HEALTH_PROTECTION": {"value": 100.0},
    "COORD_FOCAL_POINT": {"value": True},
    "COORD_MECHANISM": {"value": False},
    "COORD_SOCIAL_REGISTRY": {"value": True},  # in use without a mechanism: a contradiction
    "COORD_NATIONAL_FLOOR": {"value": False},
}


def token(base_url: str, email: str) -> str:
    return api(base_url, "POST", "/tokens", {"email": email, "password": DEMO_PASSWORD})["token"]


def step(base_url: str, report: int, trigger: str, who: str, **extra) -> None:
    version = api(base_url, "GET", f"/reports/{report}", token=who)["version"]
    api(base_url, "POST", f"/reports/{report}/transitions", {"trigger": trigger, "version": version, **extra}, who)


THAI_VALUES = {
    "SPF_COVERAGE_TOTAL": {"value": 68.0},
    "SPF_CHILDREN": {"value": 24.2, "breakdown": {"female": 23.9, "male": 24.5}},
    "SPF_MATERNITY": {"value": 43.0},
    "SPF_DISABILITY": {"value": 100.0},
    "SPF_OLDER_PERSONS": {"value": 100.0},
    "SPF_HEALTH_PROTECTION": {"value": 99.5},
    "COORD_FOCAL_POINT": {"value": True},
    "COORD_MECHANISM": {"value": True},
    "COORD_NATIONAL_FLOOR": {"value": True},
}


def arrange_resubmitted_report(base_url: str, cycle: int) -> int:
    """Thailand's report of the open cycle submitted, returned by the secretariat, two figures
    corrected and submitted again."""
    secretariat, coordinator = token(base_url, SECRETARIAT), token(base_url, "coordinator.th@example.org")
    report = api(base_url, "GET", f"/cycles/{cycle}", token=coordinator)["reports"][0]["id"]
    step(base_url, report, "start", coordinator)
    for code, body in THAI_VALUES.items():
        api(base_url, "PUT", f"/reports/{report}/values/{code}", {**body, "note": "Labour Force Survey 2026"},
            coordinator)
    step(base_url, report, "submit", coordinator)
    step(base_url, report, "send_back", secretariat, comment="The maternity figure looks low: please check it.")
    step(base_url, report, "revise", coordinator)
    api(base_url, "PUT", f"/reports/{report}/values/SPF_MATERNITY",
        {"value": 47.5, "note": "Social Security Office register, December 2026"}, coordinator)
    api(base_url, "PUT", f"/reports/{report}/values/SPF_COVERAGE_TOTAL",
        {"value": 68.6, "note": "Recomputed with the corrected maternity figure"}, coordinator)
    step(base_url, report, "submit", coordinator)
    return report


def arrange_checked_report(base_url: str) -> tuple[int, int]:
    """An open cycle in which the Philippines' report holds values that fail its checks."""
    secretariat, coordinator = token(base_url, SECRETARIAT), token(base_url, COORDINATOR)
    template = next(t for t in api(base_url, "GET", "/templates", token=secretariat)
                    if t["name"] == "ASEAN SPF self-assessment")
    cycle = api(base_url, "POST", "/cycles", {"name": "2027 self-assessment", "template_id": template["id"],
                                               "period_start": "2026-01-01", "period_end": "2026-12-31",
                                               "deadline": "2027-03-31"}, secretariat)
    api(base_url, "POST", f"/cycles/{cycle['id']}/transitions", {"trigger": "open"}, secretariat)
    report = api(base_url, "GET", f"/cycles/{cycle['id']}", token=coordinator)["reports"][0]["id"]
    step(base_url, report, "start", coordinator)
    for code, body in CHECKED_VALUES.items():
        api(base_url, "PUT", f"/reports/{report}/values/{code}", body, coordinator)
    return cycle["id"], report


def import_workbook() -> bytes:
    """A filled-in import template: three changes and a row left as it is."""
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "name", "unit", "availability", "value", "female", "male", "reason", "note"])
    for row in (["SPF_COVERAGE_TOTAL", None, None, "reported", 36.2, None, None, None, "PSA survey, 2026 round"],
                ["SPF_MATERNITY", None, None, "estimate", 11.0],
                ["SPF_OLDER_PERSONS", None, None, "reported", 41.5, 39.0, 44.0],
                ["COORD_MECHANISM", None, None, "reported", "yes"]):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


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

        # A meeting of the national mechanism: who attended, its minutes, its decisions as items.
        page.goto(f"{base_url}/countries/PH/meetings", wait_until="networkidle")
        page.locator("main table a").first.click()
        page.screenshot(path=output / "meeting.png", full_page=True)
        # Its signed minutes attached on the upload page, listed in the meeting's Files section.
        meeting_url = page.url
        page.get_by_role("link", name="Attach a file").click()
        page.get_by_label("File", exact=True).set_input_files(
            files={"name": "council-minutes-signed.pdf", "mimeType": "application/pdf", "buffer": PDF})
        page.get_by_label("What it is (optional)").fill("Signed minutes of the council")
        page.get_by_role("button", name="Upload the file").click()
        page.wait_for_url(f"{meeting_url}*")
        page.locator("#attachments").evaluate("e => window.scrollTo(0, e.getBoundingClientRect().top + scrollY - 96)")
        page.screenshot(path=output / "meeting-files.png")

        page.goto(f"{base_url}/items", wait_until="networkidle")
        page.screenshot(path=output / "items.png")
        page.get_by_role("link", name="Reconcile the beneficiary lists of the social pension").click()
        page.screenshot(path=output / "item.png", full_page=True)
        # Evidence on the item: a signed note and the figures, attached with the page's plain file input.
        for name, kind, data, what in (
                ("DSWD-DOLE-reconciliation-note.pdf", "application/pdf", PDF, "Signed note of the reconciliation"),
                ("social-pension-list-2026.csv", "text/csv", CSV, "Matched beneficiary list, December 2026")):
            files = page.get_by_role("region", name="Files")
            files.get_by_text("Attach a file…").click()
            files.get_by_label("File", exact=True).set_input_files(
                files={"name": name, "mimeType": kind, "buffer": data})
            files.get_by_label("What it is (optional)").fill(what)
            files.get_by_role("button", name="Upload the file").click()
        page.locator("#attachments").evaluate("e => window.scrollTo(0, e.getBoundingClientRect().top + scrollY - 96)")
        page.screenshot(path=output / "attachments.png")

        # An edit of that item, and its history with the values: from what to what.
        page.get_by_role("link", name="Edit details").click()
        due = page.get_by_label("Due date")
        due.fill((date.fromisoformat(due.input_value()) + timedelta(days=21)).isoformat())
        priority = page.get_by_label("Priority")
        priority.select_option("low" if priority.input_value() == "high" else "high")
        page.get_by_label("Title").fill("Reconcile the beneficiary lists of the social pension and 4Ps")
        with page.expect_navigation():
            page.get_by_role("button", name="Save").click()
        page.locator("div:has(> #history)").screenshot(path=output / "item-history.png")

        # Mentioning a colleague: the comment box offers the people who may read the item.
        box = page.get_by_label("Add a comment")
        box.click()
        box.press_sequentially("Please add the pension payroll figures, @staff.ph.d", delay=10)
        page.get_by_role("listbox", name="People to mention").get_by_role("option").first.wait_for()
        box.press("ArrowDown")
        page.locator("#watching").scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        page.screenshot(path=output / "mention.png", full_page=True)

        page.goto(f"{base_url}/search?q=pension+registry", wait_until="networkidle")
        page.screenshot(path=output / "search.png")

        page.goto(f"{base_url}/help/workflow", wait_until="networkidle")
        page.screenshot(path=output / "workflow.png", full_page=True)

        cycle, report = arrange_checked_report(base_url)
        page.goto(f"{base_url}/reports/{report}/submit", wait_until="networkidle")
        page.screenshot(path=output / "checks.png")

        # The import of a filled-in template into that report: the preview of every row.
        page.goto(f"{base_url}/reports/{report}/import", wait_until="networkidle")
        page.get_by_label("The filled-in spreadsheet").set_input_files(files={
            "name": "figures-2026.xlsx", "buffer": import_workbook(),
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
        with page.expect_navigation():
            page.get_by_role("button", name="Upload and preview").click()
        page.screenshot(path=output / "import-preview.png", full_page=True)

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
        # A ministry's officer takes an item in progress: named on it, and offered to give it on.
        page.locator("section[aria-labelledby=in_progress-heading] a[data-item-link]").first.click()
        page.get_by_role("button", name="Take it").click()
        page.locator("#officer-actions summary").click()
        page.screenshot(path=output / "officer.png", full_page=True)

        page.get_by_role("button", name="Sign out").click()
        sign_in(page, base_url, SECRETARIAT)
        page.screenshot(path=output / "home-secretariat.png")
        page.goto(f"{base_url}/regional-items", wait_until="networkidle")  # the demo's cross-border item
        page.get_by_role("link", name="A portability agreement for pension rights").click()
        page.screenshot(path=output / "regional-item.png", full_page=True)
        page.goto(f"{base_url}/compliance", wait_until="networkidle")
        page.get_by_role("link", name="Comparison").first.click()
        page.screenshot(path=output / "comparison.png", full_page=True)
        # A returned report back from Thailand: what changed since its first submission.
        page.goto(f"{base_url}/reports/{arrange_resubmitted_report(base_url, cycle)}", wait_until="networkidle")
        page.locator("#submissions").evaluate("e => window.scrollTo(0, e.getBoundingClientRect().top + scrollY - 96)")
        page.screenshot(path=output / "submissions.png")
        # Coordination health of the Philippines over cycles: its row in each cycle, a chart per figure.
        page.goto(f"{base_url}/countries/PH/coordination", wait_until="networkidle")
        page.screenshot(path=output / "coordination-health.png", full_page=True)
        # A recommendation of the network: each member state's validated progress over the cycles.
        page.goto(f"{base_url}/recommendations", wait_until="networkidle")
        page.get_by_role("link", name="A standardised social registry in every member state").click()
        page.screenshot(path=output / "recommendation.png", full_page=True)

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

        # The good-practice library's Philippine write-up, with its question answered, as an observer reads it.
        page = browser.new_context(viewport=VIEWPORT, locale="en-GB").new_page()
        sign_in_as(page, base_url, "observer@example.org")
        page.goto(f"{base_url}/practices", wait_until="networkidle")
        page.get_by_role("link", name="Listahanan and the Community-Based Monitoring System", exact=False).click()
        page.wait_for_load_state("networkidle")
        page.screenshot(path=output / "practice.png", full_page=True)

        # A bulk step: three items ticked on the list and cancelled with one comment; the
        # completed one is refused, and the result page says why.
        page = browser.new_context(viewport=VIEWPORT, locale="en-GB").new_page()
        sign_in_as(page, base_url, COORDINATOR)
        page.goto(f"{base_url}/items", wait_until="networkidle")
        for title in ("Reconcile the beneficiary lists of the social pension and 4Ps",
                      "Cost the options for a universal child benefit",
                      "Update the health coverage estimate for the SDG 1.3.1 report"):
            page.get_by_label(f"Choose “{title}”").first.check()
        page.get_by_label("With the items chosen").select_option("cancel")
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("Why are they cancelled? (required)").fill("Merged into the national review.")
        page.get_by_role("button", name="Yes, cancel these items").click()
        page.wait_for_load_state("networkidle")
        page.screenshot(path=output / "bulk-result.png")
        browser.close()
    for shot in sorted(output.glob("*.png")):
        print(shot)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
