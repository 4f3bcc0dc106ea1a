"""Compliance through a real browser: the secretariat's page after one on-time, one late and
one missing report (the others extended, so pending); the chart and its text alternative;
the CSV and XLSX downloads hold the table's rows; an extension granted through the form."""
import csv
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import browser_support
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from coordination import clock
from coordination.auth.models import User
from coordination.extensions import db
from coordination.reporting import cycles, templates
from coordination.reporting.models import CountryReport, Indicator, IndicatorValue

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

pytestmark = pytest.mark.browser

CYCLE = "Browser test cycle"
LABELS = {"on_time": "on time", "late": "late", "missing": "missing", "pending": "pending"}


def arrange(app) -> tuple[int, date]:
    """An open cycle whose deadline passed 20 days ago: the Philippines reported on time (noon
    on the deadline day, Manila time, three required indicators answered), Thailand three days
    late, Myanmar not at all; the seven others have an extension that has not run out yet."""
    now = clock.now()
    deadline = (now - timedelta(days=20)).date()
    with app.app_context():
        session = db.session
        secretariat = session.scalar(select(User).where(User.email == "secretariat@example.org"))
        template = templates.ensure_default_template(session)
        cycle = cycles.create_cycle(session, secretariat, {
            "name": CYCLE, "template_id": template.id, "period_start": "2026-01-01", "period_end": "2026-12-31",
            "deadline": deadline.isoformat()}, now)
        cycles.fire_cycle(session, secretariat, cycle.id, "open", now)
        reports = {r.country_code: r for r in session.scalars(
            select(CountryReport).where(CountryReport.cycle_id == cycle.id))}
        submissions = {"PH": datetime.combine(deadline, time(12), ZoneInfo("Asia/Manila")),
                       "TH": datetime.combine(deadline + timedelta(days=3), time(12), ZoneInfo("Asia/Bangkok"))}
        for code, instant in submissions.items():
            report = reports[code]
            report.state, report.first_submitted_at, report.submitted_at = "submitted", instant, instant
        required = session.scalars(select(Indicator).where(Indicator.template_id == template.id,
                                                           Indicator.unit == "percent",
                                                           Indicator.required.is_(True))).all()[:3]
        for indicator in required:
            session.add(IndicatorValue(report_id=reports["PH"].id, indicator_id=indicator.id,
                                       availability="reported", number=50.0, reason="", note=""))
        for code in reports:
            if code not in ("PH", "TH", "MM"):
                cycles.grant_extension(session, secretariat, cycle.id, {
                    "country": code, "deadline": (now + timedelta(days=10)).date().isoformat(),
                    "reason": "Caught by the regional data review"}, now)
        session.commit()
        return cycle.id, deadline


@pytest.fixture
def live_app(tmp_path):
    with browser_support.live_server_with_app(tmp_path / "live.sqlite") as (base_url, app):
        yield base_url, app


def table_rows(page) -> list[dict]:
    rows = []
    for row in page.locator("#compliance-table tbody tr").all():
        cells = [c.strip() for c in row.locator("th, td").all_inner_texts()]
        rows.append({"country_name": cells[0], "compliance": cells[2], "days_late": int(cells[5].split()[0]),
                     "completeness": float(cells[6].rstrip(" %")), "submitted": cells[4] != "—"})
    return rows


def export_rows(records) -> list[dict]:
    """The rows of a CSV (text) or an XLSX (typed cells: ``extended`` a boolean)."""
    return [{"country_name": r["country_name"],
             "compliance": LABELS[r["compliance"]] + (" (extended)" if r["extended"] in ("yes", True) else ""),
             "days_late": int(r["days_late"]), "completeness": float(r["completeness_percent"]),
             "submitted": bool(r["submitted_at"])} for r in records]


def test_secretariat_sees_compliance_chart_and_downloads(page, live_app, sign_in, tmp_path):
    base_url, app = live_app
    cycle_id, deadline = arrange(app)
    sign_in(page, base_url, "secretariat@example.org")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Compliance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compliance and regional comparison")
    page.get_by_role("link", name=f"Compliance in {CYCLE}").click()
    expect(page).to_have_url(f"{base_url}/cycles/{cycle_id}/compliance")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Compliance: {CYCLE}")

    table = page.locator("#compliance-table")
    expect(table.get_by_role("row")).to_have_count(11)  # the header and ten member states
    expect(table.get_by_role("row", name=re.compile("^Philippines"))).to_contain_text("on time")
    expect(table.get_by_role("row", name=re.compile("^Thailand"))).to_contain_text("late")
    expect(table.get_by_role("row", name=re.compile("^Thailand"))).to_contain_text("3 days")
    expect(table.get_by_role("row", name=re.compile("^Myanmar"))).to_contain_text("missing")
    expect(table.get_by_role("row", name=re.compile("^Viet Nam"))).to_contain_text("pending (extended)")
    expect(table.get_by_role("row", name=re.compile("^Philippines"))).to_contain_text("33.3 %")

    chart = page.get_by_role("img", name=re.compile(f"^Reports by compliance: {CYCLE}"))
    expect(chart).to_be_visible()
    expect(chart).to_have_accessible_name(re.compile("1 on time, 1 late, 1 missing, 7 pending"))
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] > 50
    expect(page.get_by_role("img", name=re.compile("^Completeness by member state"))).to_be_visible()
    totals = page.locator("#totals")
    expect(totals.get_by_role("row", name=re.compile("^Reporting rate on time"))).to_contain_text("10 %")

    shown = table_rows(page)
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Download CSV").click()
    assert csv_download.value.suggested_filename == "compliance-browser-test-cycle.csv"
    csv_path = tmp_path / "compliance.csv"
    csv_download.value.save_as(csv_path)
    with csv_path.open(newline="", encoding="utf-8-sig") as handle:
        records = list(csv.DictReader(handle))
    assert {r["cycle"] for r in records} == {CYCLE}
    assert export_rows(records) == shown

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Download Excel (XLSX)").click()
    assert xlsx_download.value.suggested_filename == "compliance-browser-test-cycle.xlsx"
    xlsx_path = tmp_path / "compliance.xlsx"
    xlsx_download.value.save_as(xlsx_path)
    sheet = load_workbook(xlsx_path)["Compliance"]
    values = list(sheet.iter_rows(values_only=True))
    records = [{k: ("" if v is None else v) for k, v in zip(values[0], row, strict=True)} for row in values[1:]]
    assert export_rows(records) == shown

    # An extension for Thailand, through the form: its late report becomes on time (extended).
    form = page.get_by_role("region", name="Grant an extension")
    form.get_by_label("Member state").select_option(label="Thailand")
    form.get_by_label("New deadline").fill((deadline + timedelta(days=5)).isoformat())
    form.get_by_label("Reason").fill("Floods closed the ministry for a week")
    form.get_by_role("button", name="Grant the extension").click()
    expect(page.get_by_role("status")).to_contain_text("Thailand now reports by")
    thailand = page.locator("#compliance-table").get_by_role("row", name=re.compile("^Thailand"))
    expect(thailand).to_contain_text("on time (extended)")
    expect(thailand).to_contain_text("Floods closed the ministry for a week")
    expect(page.get_by_role("img", name=re.compile(f"^Reports by compliance: {CYCLE}"))).to_have_accessible_name(
        re.compile("2 on time, 0 late, 1 missing, 7 pending"))
