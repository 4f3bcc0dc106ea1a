"""The printable country report printed to PDF by Chromium, as "Save as PDF" in the browser's
print dialog does: a title page of its own, then the indicators, the narrative and the sources;
no menu, link bar or form text anywhere in the document."""
import io
import re
import unicodedata

import browser_support
import pytest
from sqlalchemy import select

from coordination.extensions import db
from coordination.reporting.demo import HISTORICAL_CYCLE
from coordination.reporting.models import CountryReport, Narrative, NationalTarget, ReportingCycle

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

pytestmark = pytest.mark.browser

# What the application's pages carry around their content, and what the report page's forms say.
NOT_IN_PRINT = ("Sign out", "Notifications", "Menu", "Language", "Skip to main content", "Reporting cycles",
                "Back to the report", "Print command", "Save the value", "Submit", "Change", "Assign",
                "How an action item moves", "National Social Protection Floors (ILO Recommendation")


@pytest.fixture
def served(tmp_path):
    with browser_support.live_server_with_app(tmp_path / "live.sqlite") as (base_url, app):
        with app.app_context():
            report_id = db.session.scalar(select(CountryReport.id).join(ReportingCycle).where(
                ReportingCycle.name == HISTORICAL_CYCLE, CountryReport.country_code == "PH"))
            db.session.add(NationalTarget(country_code="PH", indicator_code="SPF_COVERAGE_TOTAL", floor=30.0,
                                          target=50.0, target_year=2030))
            for guarantee, rating in (("health", 3), ("children", 2), ("working_age", 2), ("older_persons", 3)):
                db.session.add(Narrative(report_id=report_id, guarantee=guarantee, self_rating=rating,
                                         existing_schemes=f"Schemes for {guarantee}: " + "described at length. " * 20,
                                         policy_gaps="Informal workers are not covered.",
                                         implementation_issues="Registration is slow in remote provinces.",
                                         recommendations="Extend the social registry to every province."))
            db.session.commit()
        yield base_url, report_id


def test_the_printable_report_prints_to_a_clean_pdf(page, served, sign_in):
    from pypdf import PdfReader

    base_url, report_id = served
    sign_in(page, base_url, "coordinator.ph@example.org")
    page.goto(f"{base_url}/reports/{report_id}")
    page.get_by_role("link", name="Print or save as PDF").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Philippines")
    expect(page.get_by_text("Back to the report")).to_be_visible()  # on screen only

    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    # The text of each page, its ligatures (ﬂ) as letters.
    pages = [re.sub(r"\s+", " ", unicodedata.normalize("NFKC", p.extract_text())) for p in pdf.pages]
    # A title page, the indicators (17, on one or two pages), the narrative of four guarantees,
    # the sources: each part starts a page.
    assert 4 <= len(pages) <= 8, len(pages)
    title = pages[0]
    assert "Philippines" in title and HISTORICAL_CYCLE in title and "Reporting period" in title
    assert "Indicators, national floors and targets" not in title
    assert "Indicators, national floors and targets" in pages[1]
    everything = " ".join(pages)
    for present in ("National floor", "50 % (2030)", "At or above floor", "Narrative and self-ratings",
                    "3 – Substantial", "Extend the social registry", "Sources and flags of the data",
                    "ILO estimate for 2022", "Reason: Not collected in the baseline"):
        assert present in everything, present
    for absent in NOT_IN_PRINT:
        assert absent not in everything, absent
    narrative = next(n for n, text in enumerate(pages) if "Narrative and self-ratings" in text)
    sources = next(n for n, text in enumerate(pages) if "Sources and flags of the data" in text)
    assert 1 < narrative < sources
