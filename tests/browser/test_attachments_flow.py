"""Evidence through a real browser: a ministry's staff attach a document to their data request
with the item page's plain file input, enter the figure (which submits the request), and the
coordinator finds the document on the report's indicator and downloads it."""
import re

import pytest
from browser_support import live_server_with_app
from sqlalchemy import select

from coordination import clock
from coordination.auth.models import User
from coordination.directory.models import Ministry
from coordination.extensions import db
from coordination.reporting import cycles, reports
from coordination.reporting.models import CountryReport, MonitoringTemplate

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
NAME = "Children covered by social protection benefits"


def arrange(app) -> tuple[int, int]:
    """An open cycle, and the Philippines' SPF_CHILDREN requested from DSWD: (report, item)."""
    with app.app_context():
        now = clock.now()
        user = {email: db.session.scalar(select(User).where(User.email == email))
                for email in ("secretariat@example.org", "coordinator.ph@example.org")}
        template = db.session.scalar(select(MonitoringTemplate).where(
            MonitoringTemplate.name == "ASEAN SPF self-assessment"))
        cycle = cycles.create_cycle(db.session, user["secretariat@example.org"], {
            "name": "2027 self-assessment", "template_id": template.id, "period_start": "2026-01-01",
            "period_end": "2026-12-31", "deadline": "2027-12-31"}, now)
        cycles.fire_cycle(db.session, user["secretariat@example.org"], cycle.id, "open", now)
        report = db.session.scalar(select(CountryReport).where(CountryReport.cycle_id == cycle.id,
                                                               CountryReport.country_code == "PH"))
        dswd = db.session.scalar(select(Ministry.id).where(Ministry.country_code == "PH", Ministry.acronym == "DSWD"))
        row = reports.assign_indicator(db.session, user["coordinator.ph@example.org"], report.id,
                                       {"indicator_code": "SPF_CHILDREN", "ministry_id": dswd}, now)
        db.session.commit()
        return report.id, row.item_id


def test_evidence_uploaded_to_a_data_request_reaches_the_report(page, browser, tmp_path, sign_in):
    evidence = tmp_path / "child-benefit-register.pdf"
    evidence.write_bytes(PDF)
    with live_server_with_app(tmp_path / "live.sqlite") as (base_url, app):
        report_id, item_id = arrange(app)

        # -- DSWD's staff attach the register and enter the figure ------------------------------------------
        sign_in(page, base_url, "staff.ph.dswd@example.org")
        page.goto(f"{base_url}/items/{item_id}")
        page.get_by_role("button", name="Accept", exact=True).click()
        expect(page.get_by_role("status")).to_have_text("Done: accept. The item is now in progress.")
        files = page.get_by_role("region", name="Files")
        files.get_by_text("Attach a file…").click()
        files.get_by_label("File").set_input_files(str(evidence))
        files.get_by_label("What it is (optional)").fill("DSWD register, December 2026")
        files.get_by_role("button", name="Upload the file").click()
        expect(page.get_by_role("status")).to_have_text("The file “child-benefit-register.pdf” is attached.")
        expect(page.get_by_role("region", name="Files").get_by_role(
            "link", name="child-benefit-register.pdf", exact=True)).to_be_visible()
        panel = page.get_by_role("region", name="Figure requested for the 2027 self-assessment report")
        panel.get_by_label("Value (%)").fill("21.5")
        panel.get_by_role("button", name="Save the value").click()
        expect(page.locator("#item-status")).to_contain_text("Submitted")  # the figure submits the request

        # -- the coordinator sees the file on the report's indicator and downloads it -----------------------
        page.get_by_role("button", name="Sign out").click()
        sign_in(page, base_url, "coordinator.ph@example.org")
        page.goto(f"{base_url}/reports/{report_id}")
        block = page.get_by_role("rowgroup", name=re.compile(r"\(SPF_CHILDREN\)$"))
        expect(block).to_contain_text(NAME)
        expect(block).to_contain_text("DSWD register, December 2026")
        with page.expect_download() as download_info:
            block.get_by_role("link", name="child-benefit-register.pdf", exact=True).click()
        download = download_info.value
        assert download.suggested_filename == "child-benefit-register.pdf"
        assert open(download.path(), "rb").read() == PDF
