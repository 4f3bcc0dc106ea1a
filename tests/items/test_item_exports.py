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


def test_the_xlsx_cells_are_typed(client, session):
    """Dates are date cells, instants date-and-time cells on the member state's clock, the id a
    number, overdue a boolean, text a string; a title that would start a formula stays text."""
    item = make_item(session, "-1+2 pensions")
    sign_in(client, COORDINATOR)
    sheet = load_workbook(io.BytesIO(client.get("/items.xlsx?sort=updated").get_data())).active
    header = [cell.value for cell in sheet[1]]
    cells = {name: sheet.cell(2, n + 1) for n, name in enumerate(header)}
    assert cells["id"].value == item.id and cells["id"].data_type == "n"
    assert cells["title"].value == "'-1+2 pensions" and cells["title"].data_type == "s"
    assert cells["due_date"].is_date and cells["due_date"].number_format == spreadsheets.DATE_FORMAT
    assert cells["due_date"].value.date() == item.due_date
    assert cells["overdue"].value is False and cells["overdue"].data_type == "b"
    assert cells["created_at"].is_date and cells["created_at"].number_format == spreadsheets.DATETIME_FORMAT
    manila = clock.local(item.created_at, "Asia/Manila").replace(tzinfo=None, microsecond=0)
    assert abs((cells["created_at"].value - manila).total_seconds()) < 1
    assert cells["state"].value == "draft" and cells["holding_ministry"].value is None
    # The CSV holds the same instant as text, with its offset.
    csv_row = next(r for r in read_csv(client.get("/items.csv")) if r["id"] == str(item.id))
    assert csv_row["created_at"].endswith("+08:00") and csv_row["due_date"] == item.due_date.isoformat()
    assert csv_row["overdue"] == "no"


def test_typed_cells_of_every_kind_and_the_formula_guard():
    from datetime import UTC, date, datetime
    from decimal import Decimal

    data = spreadsheets.xlsx_bytes([("=Sheet", ["=a", "b"], [
        [date(2027, 3, 31), datetime(2027, 3, 31, 14, 30, tzinfo=UTC), 3, 2.5, Decimal("33.3"), True, None,
         "=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "a=b", -4]])])
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    assert sheet.title == "=Sheet" and sheet["A1"].value == "'=a"  # the header is guarded too
    row = list(sheet.iter_rows(min_row=2, max_row=2))[0]
    assert [c.value for c in row[:7]] == [datetime(2027, 3, 31), datetime(2027, 3, 31, 14, 30), 3, 2.5, 33.3, True,
                                          None]
    assert [c.data_type for c in row[2:6]] == ["n", "n", "n", "b"]
    assert row[0].number_format == "yyyy-mm-dd" and row[1].number_format == "yyyy-mm-dd hh:mm:ss"
    # (A stored carriage return reads back as itself with lxml, as a line feed with the standard parser.)
    read = [c.value.replace("\r", "\n") for c in row[7:14]]
    assert read == ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\t=1", "'\n=1", "a=b"]
    assert all(c.data_type == "s" for c in row[7:14])
    assert row[14].value == -4 and row[14].data_type == "n"  # a negative number is a number, not a formula
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)
