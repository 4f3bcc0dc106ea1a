"""The printable country report (/reports/ID/print): the whole report as one document (title
page, indicators with the national floors and targets, narrative and self-ratings, the sources
and flags of the data), with no menu and no form, for the readers of the report only."""
import re

import pytest
from helpers import sign_in
from sqlalchemy import select

from coordination.reporting.demo import HISTORICAL_CYCLE
from coordination.reporting.models import CountryReport, Narrative, NationalTarget, ReportingCycle

COORDINATOR = "coordinator.ph@example.org"


@pytest.fixture
def baseline_report(session) -> int:
    """The Philippines' accepted report of the demo baseline, with a floor and target for its
    SDG 1.3.1 figure and one narrative section rated."""
    report_id = session.scalar(select(CountryReport.id).join(ReportingCycle).where(
        ReportingCycle.name == HISTORICAL_CYCLE, CountryReport.country_code == "PH"))
    session.add(NationalTarget(country_code="PH", indicator_code="SPF_COVERAGE_TOTAL", floor=30.0, target=50.0,
                               target_year=2030))
    session.add(Narrative(report_id=report_id, guarantee="health", existing_schemes="PhilHealth covers members.",
                          policy_gaps="Informal workers", implementation_issues="", recommendations="",
                          self_rating=3))
    session.commit()
    return report_id


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("email", [COORDINATOR, "staff.ph.dswd@example.org", "secretariat@example.org"])
def test_the_printable_report_holds_the_whole_report(client, baseline_report, email):
    sign_in(client, email)
    response = client.get(f"/reports/{baseline_report}/print")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = visible_text(html)
    # The title page.
    assert re.search(r'<section class="title-page"[^>]*>', html)
    assert "Philippines" in text and HISTORICAL_CYCLE in text and "1 January 2015 to 31 December 2023" in text
    assert "Accepted by the secretariat" in text
    # Indicators with their floor, target and classification.
    row = re.search(r"Population covered by at least one social protection benefit.*?</tr>", html, re.S).group(0)
    cells = [visible_text(c).strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
    assert cells == ["34.9 % (Estimate)", "30 %", "50 % (2030)", "At or above floor"]
    # The narrative and self-ratings.
    assert "PhilHealth covers members." in text and "3 – Substantial" in text and "Not rated" in text
    # The sources and flags of the data.
    sources = html[html.index('id="sources-heading"'):]
    assert "ILO estimate for 2022, UN SDG Global Database" in sources
    assert "Estimate" in sources and "2022" in sources
    assert "Reason: Not collected in the baseline" in sources
    # No menu, no form, no control.
    for absent in ("<form", "<nav", "<input", "<select", "<button", "<textarea", "Sign out", "Notifications"):
        assert absent not in html, absent
    assert "print.css" in html


def test_the_report_page_links_its_printable_version(client, baseline_report):
    sign_in(client, COORDINATOR)
    html = client.get(f"/reports/{baseline_report}").get_data(as_text=True)
    assert f'href="/reports/{baseline_report}/print"' in html and "Print or save as PDF" in html


@pytest.mark.parametrize("email", ["coordinator.th@example.org", "observer@example.org", "admin@example.org"])
def test_another_country_and_other_roles_get_no_printable_report(client, baseline_report, email):
    sign_in(client, email)
    assert client.get(f"/reports/{baseline_report}/print").status_code == 404
    assert client.get("/reports/999999/print").status_code == 404


def test_signed_out_the_printable_report_asks_to_sign_in(client, baseline_report):
    response = client.get(f"/reports/{baseline_report}/print")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_secretariat_sees_no_printable_report_before_its_first_submission(client, session):
    from helpers import api_token

    headers = api_token(client, "secretariat@example.org")
    template = client.get("/api/v1/templates", headers=headers).get_json()[0]["id"]
    cycle = client.post("/api/v1/cycles", headers=headers, json={
        "name": "2027 self-assessment", "template_id": template, "period_start": "2026-01-01",
        "period_end": "2026-12-31", "deadline": "2027-03-31"}).get_json()["id"]
    client.post(f"/api/v1/cycles/{cycle}/transitions", json={"trigger": "open"}, headers=headers)
    report = session.scalar(select(CountryReport.id).where(CountryReport.cycle_id == cycle,
                                                           CountryReport.country_code == "PH"))
    sign_in(client, "secretariat@example.org")
    assert client.get(f"/reports/{report}/print").status_code == 404
    client.post("/logout")
    sign_in(client, COORDINATOR)
    text = visible_text(client.get(f"/reports/{report}/print").get_data(as_text=True))
    assert "Not started" in text and "Not entered" in text and "required indicators are not answered" in text
