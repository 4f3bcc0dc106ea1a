"""The item list as CSV and XLSX: the list's filters, only the user's country, formulas
neutralised, the download in the audit log; on both databases."""
import csv
import io
from datetime import timedelta

from helpers import sign_in
from openpyxl import load_workbook
from sqlalchemy import select

from coordination import clock, spreadsheets
from coordination.audit.models import AuditEvent
from coordination.auth.models import User
from coordination.items import service

COORDINATOR = "coordinator.ph@example.org"


def make_item(session, title, email=COORDINATOR):
    actor = session.scalar(select(User).where(User.email == email))
    due = clock.local(clock.now(), actor.country.timezone).date() + timedelta(days=30)
    item = service.create_item(session, actor, {"title": title, "due_date": due.isoformat()}, clock.now())
    session.commit()
    return item


def read_csv(response) -> list[dict]:
    body = response.get_data()
    assert body.startswith(spreadsheets.BOM.encode())
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_list_as_csv_with_its_filters(client, session):
    make_item(session, "Cost the social pension for 2027")
    make_item(session, "=HYPERLINK(\"http://evil.example\")")
    sign_in(client, COORDINATOR)
    response = client.get("/items.csv?q=pension")
    assert response.status_code == 200
    assert response.headers.getlist("Content-Type") == ["text/csv; charset=utf-8"]
    assert response.headers["Content-Disposition"].startswith("attachment")
    rows = read_csv(response)
    assert rows and all("pension" in row["title"].lower() for row in rows)
    assert {"id", "title", "state", "holding_ministry", "due_date", "overdue"} <= set(rows[0])
    everything = read_csv(client.get("/items.csv"))
    assert len(everything) > len(rows)
    assert "'=HYPERLINK(\"http://evil.example\")" in [row["title"] for row in everything]
    page = client.get("/items?q=pension").get_data(as_text=True)
    assert "/items.csv?q=pension" in page and "/items.xlsx?q=pension" in page


def test_the_list_as_xlsx(client, session):
    make_item(session, "A spreadsheet item")
    sign_in(client, COORDINATOR)
    response = client.get("/items.xlsx?sort=updated")
    assert response.status_code == 200
    assert response.headers.getlist("Content-Type") == [spreadsheets.XLSX_TYPE]
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    header = [cell.value for cell in sheet[1]]
    titles = [row[header.index("title")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles[0] == "A spreadsheet item"  # newest update first, as the list sorts it
    event = session.scalar(select(AuditEvent).where(AuditEvent.type == "export_downloaded")
                           .order_by(AuditEvent.id.desc()))
    assert event.detail["export"] == "items" and event.detail["format"] == "xlsx"


def test_another_country_exports_only_its_own_items(app, client, session):
    make_item(session, "Only for the Philippines")
    sign_in(client, COORDINATOR)
    assert "Only for the Philippines" in [row["title"] for row in read_csv(client.get("/items.csv"))]
    other = app.test_client()
    sign_in(other, "coordinator.th@example.org")
    assert "Only for the Philippines" not in [row["title"] for row in read_csv(other.get("/items.csv"))]


def test_without_a_country_or_signed_out(client):
    assert client.get("/items.csv").status_code == 302  # to the sign-in page
    sign_in(client, "secretariat@example.org")
    response = client.get("/items.xlsx")
    assert response.status_code == 302 and response.headers["Location"].endswith("/items/summary")
