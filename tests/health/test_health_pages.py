"""The coordination-health pages beyond the cycle's table: its CSV and XLSX, one member state
over cycles with a chart per figure, and the links to them; who reads what, from every role."""
import csv
import io
import re

import pytest
from helpers import signed_in_client
from openpyxl import load_workbook
from sqlalchemy import select

from coordination.audit.models import AuditEvent
from coordination.directory.models import Mechanism

from .test_health_api import LATER, build_history

EMAILS = {"secretariat": "secretariat@example.org", "observer": "observer@example.org",
          "admin": "admin@example.org", "ph": "coordinator.ph@example.org",
          "dswd": "staff.ph.dswd@example.org", "th": "coordinator.th@example.org"}
PH_FIGURES = {"meetings_held": 2, "ministries_attending": 3, "items_created": 5, "median_days_to_accept": 3.0,
              "handed_over_share": 0.2, "data_requests_on_time_share": 0.5, "overdue_share": 0.6}


def page(app, who, path):
    return signed_in_client(app, EMAILS[who]).get(path)


def csv_rows(response):
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def xlsx_rows(response):
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.fixture
def history(make_cycle, session, at):
    cycle_id = make_cycle()
    build_history(session, cycle_id)
    at(LATER)
    return cycle_id


def test_the_csv_holds_the_table_with_numbers_and_empty_cells(app, history, session):
    rows = {r["country"]: r for r in csv_rows(page(app, "secretariat", f"/cycles/{history}/coordination.csv"))}
    assert len(rows) == 10
    ph = rows["PH"]
    assert ph["cycle"] == "2030 half-year review" and ph["country_name"] == "Philippines"
    assert {key: float(ph[key]) for key in PH_FIGURES} == PH_FIGURES
    members = len(session.scalar(select(Mechanism).where(Mechanism.country_code == "PH")).members)
    assert int(ph["member_ministries"]) == members
    # Viet Nam has nothing to count in the period: the shares and the median are empty cells.
    vn = rows["VN"]
    assert (vn["items_created"], vn["median_days_to_accept"], vn["handed_over_share"], vn["overdue_share"]) == \
        ("0", "", "", "")


def test_the_xlsx_holds_typed_numbers_and_empty_cells(app, history):
    rows = {r["country"]: r for r in xlsx_rows(page(app, "secretariat", f"/cycles/{history}/coordination.xlsx"))}
    assert len(rows) == 10
    assert {key: rows["PH"][key] for key in PH_FIGURES} == PH_FIGURES
    assert isinstance(rows["PH"]["items_created"], int)
    assert rows["VN"]["handed_over_share"] is None and rows["VN"]["items_created"] == 0


def test_an_export_leaves_an_audit_event(app, history, session):
    page(app, "ph", f"/cycles/{history}/coordination.xlsx")
    event = session.scalars(select(AuditEvent).where(AuditEvent.type == "export_downloaded")
                            .order_by(AuditEvent.id.desc())).first()
    assert event.detail["export"] == "coordination" and event.detail["format"] == "xlsx"


@pytest.mark.parametrize("who, countries", [("ph", {"PH"}), ("dswd", {"PH"}), ("th", {"TH"})])
def test_a_member_state_exports_its_own_row_of_an_unpublished_cycle(app, history, who, countries):
    assert {r["country"] for r in csv_rows(page(app, who, f"/cycles/{history}/coordination.csv"))} == countries
    assert {r["country"] for r in xlsx_rows(page(app, who, f"/cycles/{history}/coordination.xlsx"))} == countries


@pytest.mark.parametrize("who", ["observer", "admin"])
def test_observers_and_admins_get_no_export_of_an_unpublished_cycle_but_every_row_once_published(
        app, history, make_cycle, who):
    for extension in ("csv", "xlsx"):
        assert page(app, who, f"/cycles/{history}/coordination.{extension}").status_code == 404
    published = make_cycle("published", "2030 published review")
    assert len(csv_rows(page(app, who, f"/cycles/{published}/coordination.csv"))) == 10
    assert page(app, who, "/cycles/999999/coordination.csv").status_code == 404


def test_the_table_links_its_exports_and_each_member_states_view(app, history):
    body = page(app, "secretariat", f"/cycles/{history}/coordination").get_data(as_text=True)
    assert f"/cycles/{history}/coordination.csv" in body and f"/cycles/{history}/coordination.xlsx" in body
    assert 'href="/countries/PH/coordination"' in body


def cycle_row(body, cycle_id):
    match = re.search(rf'<tr data-cycle="{cycle_id}">(.*?)</tr>', body, re.S)
    return match and re.findall(r'<td class="text-end">([^<]*)</td>', match.group(1))


def test_a_coordinator_sees_their_own_figures_over_cycles_with_a_chart_per_figure(app, history):
    response = page(app, "ph", "/countries/PH/coordination")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    cells = cycle_row(body, history)
    assert cells[1:] == ["2", "3", "5", "3", "20 %", "50 %", "60 %"]
    charts = re.findall(r'<svg [^>]*role="img"[^>]*>.*?</svg>', body, re.S)
    assert len(charts) == 8
    assert all("<title" in chart and "<desc" in chart for chart in charts)
    # The text alternative of a chart says each cycle's value in words.
    overdue = next(chart for chart in charts if 'id="chart-overdue-share"' in chart)
    assert re.search(r"<desc[^>]*>[^<]*2030 half-year review: 60", overdue)
    assert "How each figure is computed" in body
    assert "<script" not in body.split("<main", 1)[-1].split("</main>", 1)[0]


@pytest.mark.parametrize("who", ["secretariat", "ph", "dswd"])
def test_the_secretariat_and_the_member_states_users_read_its_unpublished_cycle(app, history, who):
    assert cycle_row(page(app, who, "/countries/PH/coordination").get_data(as_text=True), history)


@pytest.mark.parametrize("who", ["th", "observer", "admin"])
def test_others_read_nothing_of_an_unpublished_cycle_and_the_published_ones(app, history, make_cycle, who):
    response = page(app, who, "/countries/PH/coordination")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert not cycle_row(body, history) and "2030 half-year review" not in body
    published = make_cycle("published", "2030 published review")
    assert cycle_row(page(app, who, "/countries/PH/coordination").get_data(as_text=True), published)


def test_an_unknown_member_state_is_404(app):
    assert page(app, "secretariat", "/countries/XX/coordination").status_code == 404
    assert page(app, "ph", "/countries/ph-/coordination").status_code == 404


def test_the_cycle_the_compliance_and_the_country_pages_link_the_figures(app, history):
    link = f'href="/cycles/{history}/coordination"'
    assert link in page(app, "secretariat", f"/cycles/{history}").get_data(as_text=True)
    assert link in page(app, "secretariat", "/compliance").get_data(as_text=True)
    assert link in page(app, "ph", f"/cycles/{history}").get_data(as_text=True)
    assert link not in page(app, "observer", "/compliance").get_data(as_text=True)
    country = 'href="/countries/PH/coordination"'
    assert country in page(app, "observer", "/countries/PH").get_data(as_text=True)
    assert country in page(app, "ph", "/countries/PH/compliance").get_data(as_text=True)
