"""CSV and XLSX exports: read back with csv and openpyxl and compared with the API; empty
cycles give a valid file with its header; cells that would run as formulas are quoted."""
import csv
import io
from datetime import UTC, datetime

import pytest
from helpers import sign_in
from openpyxl import load_workbook

from coordination import spreadsheets
from coordination.compliance import exports
from coordination.reporting.models import ReportingCycle

from .compliance_support import AFTER_DEADLINE, BEFORE_DEADLINE

HEADER = ["cycle", "country", "country_name", "report_state", "compliance", "extended", "deadline", "submitted_at",
          "days_late", "completeness_percent"]


def download(client, path, kind):
    response = client.get(path)
    assert response.status_code == 200, path
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and disposition.endswith(f".{kind}")
    if kind == "csv":
        assert response.headers.getlist("Content-Type") == ["text/csv; charset=utf-8"]
        data = response.get_data()
        assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel on Windows then reads UTF-8
        return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert response.headers.getlist("Content-Type") == [spreadsheets.XLSX_TYPE]
    return load_workbook(io.BytesIO(response.get_data()))


def sheet_dicts(sheet):
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def as_api(record: dict) -> dict:
    """An export row in the API's words (CSV gives text; XLSX gives typed cells: the deadline a
    date, the submission the country's wall-clock time, booleans and numbers)."""
    deadline, extended, submitted = record["deadline"], record["extended"], record["submitted_at"]
    return {"country": record["country"], "state": record["report_state"], "compliance": record["compliance"],
            "deadline": deadline.date().isoformat() if isinstance(deadline, datetime) else str(deadline),
            "extended": extended if isinstance(extended, bool) else extended == "yes",
            "submitted_at": (submitted.isoformat() if isinstance(submitted, datetime) else submitted) or None,
            "days_late": int(record["days_late"]), "completeness": float(record["completeness_percent"])}


def wall_clock(expected: list[dict]) -> list[dict]:
    """The API's rows as an XLSX holds them: an instant without its offset (XLSX has no zones)."""
    return [{**row, "submitted_at": row["submitted_at"][:19] if row["submitted_at"] else None} for row in expected]


@pytest.fixture
def arranged(make_cycle, submit_at, answer, at, client):
    cycle = make_cycle()
    answer(cycle, "PH", {"SPF_COVERAGE_TOTAL": {"availability": "reported", "number": 34.9},
                         "SPF_CHILDREN": {"availability": "reported", "number": 20.0},
                         "SPF_MATERNITY": {"availability": "reported", "number": 10.0}})
    submit_at(cycle, "PH", datetime(2027, 3, 31, 15, 59, 59, tzinfo=UTC))
    submit_at(cycle, "MM", datetime(2027, 3, 31, 17, 30, tzinfo=UTC))
    at(AFTER_DEADLINE)
    return cycle


def test_compliance_csv_and_xlsx_hold_what_the_api_says(client, tokens, arranged):
    api = client.get(f"/api/v1/cycles/{arranged}/compliance", headers=tokens["secretariat"]).get_json()
    expected = [{k: row[k] for k in ("country", "state", "compliance", "deadline", "extended", "submitted_at",
                                     "days_late", "completeness")} for row in api["countries"]]
    sign_in(client, "secretariat@example.org")
    rows = download(client, f"/cycles/{arranged}/compliance.csv", "csv")
    assert list(rows[0]) == HEADER
    assert {r["cycle"] for r in rows} == {"2027 self-assessment"}
    assert [as_api(r) for r in rows] == expected
    ph = next(r for r in rows if r["country"] == "PH")
    assert (ph["submitted_at"], ph["completeness_percent"], ph["country_name"]) == (
        "2027-03-31T23:59:59+08:00", "33.3", "Philippines")
    book = download(client, f"/cycles/{arranged}/compliance.xlsx", "xlsx")
    assert book.sheetnames == ["Compliance", "Totals"]
    records = sheet_dicts(book["Compliance"])
    assert [as_api(r) for r in records] == wall_clock(expected)
    assert all(isinstance(r["days_late"], int) and isinstance(r["completeness_percent"], int | float) for r in records)
    assert all(isinstance(r["extended"], bool) and isinstance(r["deadline"], datetime) for r in records)
    sheet = book["Compliance"]
    deadline = sheet.cell(2, HEADER.index("deadline") + 1)
    assert deadline.is_date and deadline.number_format == spreadsheets.DATE_FORMAT
    ph_row = next(n for n in range(2, sheet.max_row + 1) if sheet.cell(n, 2).value == "PH")
    submitted = sheet.cell(ph_row, HEADER.index("submitted_at") + 1)
    assert submitted.is_date and submitted.number_format == spreadsheets.DATETIME_FORMAT
    assert submitted.value == datetime(2027, 3, 31, 23, 59, 59)  # Manila's wall clock, as the CSV says
    assert sheet_dicts(book["Totals"]) == [{
        "cycle": "2027 self-assessment", "expected": 10, "actual": 2, "on_time": 1, "late": 1, "missing": 8,
        "pending": 0, "reporting_rate_percent": 20, "reporting_rate_on_time_percent": 10}]


def test_a_member_states_export_holds_its_own_row_only(client, arranged):
    sign_in(client, "coordinator.mm@example.org")
    rows = download(client, f"/cycles/{arranged}/compliance.csv", "csv")
    assert [(r["country"], r["compliance"], r["days_late"]) for r in rows] == [("MM", "late", "1")]


def test_exports_of_a_cycle_without_submissions_are_valid_files_with_their_header(client, make_cycle, at):
    at(BEFORE_DEADLINE)
    planned, opened = make_cycle("Planned", state="planned"), make_cycle("Opened")
    sign_in(client, "secretariat@example.org")
    response = client.get(f"/cycles/{planned}/compliance.csv")
    assert response.get_data(as_text=True) == "\ufeff" + ",".join(HEADER) + "\r\n"
    book = download(client, f"/cycles/{planned}/compliance.xlsx", "xlsx")
    assert [c.value for c in book["Compliance"][1]] == HEADER and book["Compliance"].max_row == 1
    rows = download(client, f"/cycles/{opened}/compliance.csv", "csv")
    assert len(rows) == 10 and {r["compliance"] for r in rows} == {"pending"}
    assert {r["submitted_at"] for r in rows} == {""}
    comparison = client.get(f"/cycles/{planned}/comparison.csv").get_data(as_text=True)
    assert comparison == "\ufeff" + ",".join(exports.COMPARISON_COLUMNS) + "\r\n"
    book = download(client, f"/cycles/{planned}/comparison.xlsx", "xlsx")
    assert book["Comparison"].max_row == 1


def test_filenames_name_the_cycle(client, arranged):
    sign_in(client, "secretariat@example.org")
    response = client.get(f"/cycles/{arranged}/compliance.xlsx")
    assert response.headers["Content-Disposition"] == "attachment; filename=compliance-2027-self-assessment.xlsx"
    assert response.headers["Cache-Control"] == "private, no-store"
    response = client.get(f"/cycles/{arranged}/comparison.csv")
    assert response.headers["Content-Disposition"] == "attachment; filename=comparison-2027-self-assessment.csv"


def test_scorecard_exports(client, arranged, make_cycle):
    make_cycle("2026 self-assessment", deadline="2026-03-31")
    sign_in(client, "secretariat@example.org")
    rows = download(client, "/compliance/scorecard.csv", "csv")
    assert list(rows[0]) == HEADER and len(rows) == 40  # four opened cycles (the demo's two among them)
    assert [r["cycle"] for r in rows[::10]] == ["SDG 1.3.1 in 2019 (ILO estimates)",
                                                "SDG 1.3.1 baseline (latest ILO estimates)", "2026 self-assessment",
                                                "2027 self-assessment"]
    book = download(client, "/compliance/scorecard.xlsx", "xlsx")
    assert book.sheetnames == ["Scorecard", "Details", "Totals"]
    wide = sheet_dicts(book["Scorecard"])
    assert list(wide[0]) == ["country", "country_name", "SDG 1.3.1 in 2019 (ILO estimates)",
                             "SDG 1.3.1 baseline (latest ILO estimates)", "2026 self-assessment",
                             "2027 self-assessment"]
    ph = next(r for r in wide if r["country"] == "PH")
    assert ph["2027 self-assessment"] == "on time; 33.3 % complete"
    assert ph["2026 self-assessment"] == "missing, 370 days late; 0 % complete"
    assert len(sheet_dicts(book["Details"])) == 40
    assert [r["cycle"] for r in sheet_dicts(book["Totals"])][-1] == "2027 self-assessment"


def test_comparison_exports_match_the_api(client, tokens, make_cycle, answer, submit_at):
    cycle = make_cycle(state="published")
    answer(cycle, "PH", {"SPF_COVERAGE_TOTAL": {"availability": "reported", "number": 34.9},
                         "COORD_MECHANISM": {"availability": "reported", "flag": True}})
    submit_at(cycle, "PH", BEFORE_DEADLINE)
    client.put("/api/v1/countries/PH/targets/SPF_COVERAGE_TOTAL", headers=tokens["ph"],
               json={"floor": 30, "target": 50, "target_year": 2030})
    api = client.get(f"/api/v1/cycles/{cycle}/comparison", headers=tokens["observer"]).get_json()
    sign_in(client, "observer@example.org")
    rows = download(client, f"/cycles/{cycle}/comparison.csv", "csv")
    assert list(rows[0]) == list(exports.COMPARISON_COLUMNS)
    assert len(rows) == 17 * 10
    assert [(r["indicator_code"], r["country"]) for r in rows] == [
        (i["code"], c["country"]) for i in api["indicators"] for c in i["countries"]]
    coverage = next(r for r in rows if r["indicator_code"] == "SPF_COVERAGE_TOTAL" and r["country"] == "PH")
    assert {k: coverage[k] for k in ("cycle", "unit", "value", "availability", "floor", "target", "target_year",
                                     "status")} == {
        "cycle": "2027 self-assessment", "unit": "percent", "value": "34.9", "availability": "reported",
        "floor": "30.0", "target": "50.0", "target_year": "2030", "status": "at_or_above_floor"}
    mechanism = next(r for r in rows if r["indicator_code"] == "COORD_MECHANISM" and r["country"] == "PH")
    assert mechanism["value"] == "yes"
    assert next(r for r in rows if r["country"] == "VN")["availability"] == "not_submitted"
    book = download(client, f"/cycles/{cycle}/comparison.xlsx", "xlsx")
    records = sheet_dicts(book["Comparison"])
    assert len(records) == 170
    ph = next(r for r in records if r["indicator_code"] == "SPF_COVERAGE_TOTAL" and r["country"] == "PH")
    assert (ph["value"], ph["floor"], ph["target"], ph["status"]) == (34.9, 30, 50, "at_or_above_floor")


# -- formula injection ----------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1:A2)", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_guard_quotes_text_that_would_start_a_formula(text):
    assert spreadsheets.guard(text) == "'" + text


@pytest.mark.parametrize("value", ["Philippines", "34.9", "", 34.9, -1, 0, None, "a=b", " =1"])
def test_guard_leaves_everything_else_alone(value):
    assert spreadsheets.guard(value) == value


def test_a_hostile_cycle_name_and_text_value_are_quoted_in_both_files(client, session, tokens, make_cycle, answer,
                                                                       submit_at):
    cycle = make_cycle("=HYPERLINK(\"http://evil.example\",\"Click\")", state="published")
    answer(cycle, "PH", {"SPF_DISABILITY": {"availability": "not_available", "reason": "@SUM(1+1)*cmd|' /C calc'!A0"}})
    submit_at(cycle, "PH", BEFORE_DEADLINE)
    sign_in(client, "secretariat@example.org")
    rows = download(client, f"/cycles/{cycle}/compliance.csv", "csv")
    assert rows[0]["cycle"] == "'=HYPERLINK(\"http://evil.example\",\"Click\")"
    book = download(client, f"/cycles/{cycle}/compliance.xlsx", "xlsx")
    cell = book["Compliance"]["A2"]
    assert cell.value == "'=HYPERLINK(\"http://evil.example\",\"Click\")" and cell.data_type == "s"
    assert book["Totals"]["A2"].data_type == "s"
    rows = download(client, f"/cycles/{cycle}/comparison.csv", "csv")
    flagged = next(r for r in rows if r["indicator_code"] == "SPF_DISABILITY" and r["country"] == "PH")
    assert flagged["reason"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    book = download(client, f"/cycles/{cycle}/comparison.xlsx", "xlsx")
    formulas = [c.coordinate for row in book["Comparison"].iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    xlsx = download(client, "/compliance/scorecard.xlsx", "xlsx")
    assert all(c.data_type != "f" for sheet in xlsx for row in sheet.iter_rows() for c in row)
    assert "'=HYPERLINK(\"http://evil.example\",\"Click\")" in [c.value for c in xlsx["Scorecard"][1]]
    assert session.get(ReportingCycle, cycle).name.startswith("=")  # stored as entered; quoted on export only


def test_comparison_exports_hold_the_breakdown_by_sex_as_the_page_shows_it(client, make_cycle, answer, submit_at):
    cycle = make_cycle(state="published")
    answer(cycle, "PH", {"SPF_COVERAGE_TOTAL": {"availability": "reported", "number": 34.9,
                                                "breakdown": {"female": 31.5, "male": 38.25}}})
    answer(cycle, "TH", {"SPF_COVERAGE_TOTAL": {"availability": "reported", "number": 50.0}})
    submit_at(cycle, "PH", BEFORE_DEADLINE)
    submit_at(cycle, "TH", BEFORE_DEADLINE)
    sign_in(client, "observer@example.org")
    rows = download(client, f"/cycles/{cycle}/comparison.csv", "csv")
    assert list(rows[0])[-2:] == ["female", "male"]
    coverage = {r["country"]: r for r in rows if r["indicator_code"] == "SPF_COVERAGE_TOTAL"}
    assert (coverage["PH"]["value"], coverage["PH"]["female"], coverage["PH"]["male"]) == ("34.9", "31.5", "38.25")
    assert (coverage["TH"]["female"], coverage["TH"]["male"]) == ("", "")
    book = download(client, f"/cycles/{cycle}/comparison.xlsx", "xlsx")
    ph = next(r for r in sheet_dicts(book["Comparison"])
              if r["indicator_code"] == "SPF_COVERAGE_TOTAL" and r["country"] == "PH")
    assert (ph["female"], ph["male"]) == (31.5, 38.25)
    html = client.get(f"/cycles/{cycle}/comparison?indicator=SPF_COVERAGE_TOTAL").get_data(as_text=True)
    assert "female 31.5 %, male 38.25 %" in html


def test_every_export_says_its_charset_once_and_csv_starts_with_a_bom(client, arranged):
    sign_in(client, "secretariat@example.org")
    for path in (f"/cycles/{arranged}/compliance.csv", f"/cycles/{arranged}/comparison.csv",
                 "/compliance/scorecard.csv"):
        response = client.get(path)
        assert response.headers.getlist("Content-Type") == ["text/csv; charset=utf-8"], path
        assert response.get_data().startswith("\ufeff".encode()), path
        name = response.get_data().decode("utf-8-sig").split(",")[0]
        assert name == "cycle", path
    for path in (f"/cycles/{arranged}/compliance.xlsx", f"/cycles/{arranged}/comparison.xlsx",
                 "/compliance/scorecard.xlsx"):
        assert client.get(path).headers.getlist("Content-Type") == [spreadsheets.XLSX_TYPE], path


def test_exports_list_member_states_by_name(client, arranged):
    sign_in(client, "secretariat@example.org")
    names = [r["country_name"] for r in download(client, f"/cycles/{arranged}/compliance.csv", "csv")]
    assert names == sorted(names) and names[:3] == ["Brunei Darussalam", "Cambodia", "Indonesia"]
    names = [r["country_name"] for r in download(client, f"/cycles/{arranged}/comparison.csv", "csv")
             if r["indicator_code"] == "SPF_COVERAGE_TOTAL"]
    assert names == sorted(names) and len(names) == 10


def test_the_scorecard_workbook_follows_the_language_and_keeps_its_field_names(client, arranged, make_cycle):
    """Sheet names and the wide sheet's cells in the language of the request; the header rows are
    the files' field names, the same in every language."""
    make_cycle("2026 self-assessment", deadline="2026-03-31")
    sign_in(client, "secretariat@example.org")
    response = client.get("/compliance/scorecard.xlsx", headers={"Accept-Language": "th"})
    book = load_workbook(io.BytesIO(response.get_data()))
    assert book.sheetnames == ["ตารางคะแนน", "รายละเอียด", "ยอดรวม"]
    wide = sheet_dicts(book["ตารางคะแนน"])
    assert list(wide[0])[:2] == ["country", "country_name"]
    ph = next(r for r in wide if r["country"] == "PH")
    assert "370" in ph["2026 self-assessment"] and "ล่าช้า 370 วัน" in ph["2026 self-assessment"]
    assert "days late" not in ph["2026 self-assessment"] and "complete" not in ph["2027 self-assessment"]
    assert [c.value for c in book["รายละเอียด"][1]] == HEADER
    compliance = load_workbook(io.BytesIO(client.get(f"/cycles/{arranged}/compliance.xlsx",
                                                     headers={"Accept-Language": "vi"}).get_data()))
    assert compliance.sheetnames == ["Tuân thủ", "Tổng cộng"]
