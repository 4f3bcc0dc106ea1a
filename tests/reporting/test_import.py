"""Import of a report's values from a spreadsheet: the template, the preview (dry run), the
all-or-nothing apply with history source "import", bad files, and who may import what."""
import io

from helpers import api_token
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from coordination.reporting.models import ValueChange

COLUMNS = ["code", "name", "unit", "availability", "value", "female", "male", "reason", "note"]


def upload(client, headers, report_id, content: bytes, dry_run=True, name="values.xlsx"):
    return client.post(f"/api/v1/reports/{report_id}/import", headers=headers,
                       data={"file": (io.BytesIO(content), name), "dry_run": "true" if dry_run else "false"},
                       content_type="multipart/form-data")


def workbook(rows, header=COLUMNS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def statuses(response):
    return [(r["indicator_code"], r["status"]) for r in response.get_json()["rows"]]


def test_the_round_trip_download_fill_preview_apply(client, tokens, open_cycle, session):
    report_id = open_cycle["report"]
    from helpers import sign_in
    sign_in(client, "coordinator.ph@example.org")
    response = client.get(f"/reports/{report_id}/import-template.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.data))
    sheet = book.active
    assert [c.value for c in sheet[1]] == COLUMNS
    codes = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert "SPF_COVERAGE_TOTAL" in codes and "SPF_CHILDREN" in codes
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "SPF_COVERAGE_TOTAL":
            row[4].value = 34.9
        elif row[0].value == "SPF_CHILDREN":
            row[3].value, row[4].value, row[5].value, row[6].value = "estimate", 21.5, 21.0, 22.0
        elif row[0].value == "SPF_DISABILITY":
            row[3].value, row[7].value = "not_available", "No survey since 2016"
    out = io.BytesIO()
    book.save(out)
    preview = upload(client, tokens["coordinator"], report_id, out.getvalue())
    assert preview.status_code == 200, preview.get_json()
    body = preview.get_json()
    assert body["applied"] == 0
    ok = {code for code, status in statuses(preview) if status == "ok"}
    assert ok == {"SPF_COVERAGE_TOTAL", "SPF_CHILDREN", "SPF_DISABILITY"}
    assert not [s for _, s in statuses(preview) if s == "error"]
    assert session.scalar(select(ValueChange).where(ValueChange.report_id == report_id)) is None
    applied = upload(client, tokens["coordinator"], report_id, out.getvalue(), dry_run=False)
    assert applied.status_code == 200 and applied.get_json()["applied"] == 3
    report = client.get(f"/api/v1/reports/{report_id}", headers=tokens["coordinator"]).get_json()
    values = {v["indicator_code"]: v for v in report["values"]}
    assert values["SPF_COVERAGE_TOTAL"]["value"] == 34.9
    assert values["SPF_CHILDREN"]["breakdown"] == {"female": 21.0, "male": 22.0}
    assert values["SPF_CHILDREN"]["availability"] == "estimate"
    assert values["SPF_DISABILITY"]["reason"] == "No survey since 2016"
    changes = client.get(f"/api/v1/reports/{report_id}/values/SPF_CHILDREN/history",
                         headers=tokens["coordinator"]).get_json()
    assert [(c["value"], c["source"]) for c in changes] == [(21.5, "import")]
    # The same file again changes nothing: every row is unchanged.
    again = upload(client, tokens["coordinator"], report_id, out.getvalue(), dry_run=False)
    assert again.get_json()["applied"] == 0
    assert {s for _, s in statuses(again)} == {"unchanged"}


def test_a_csv_with_bom_and_semicolons_works_the_same_way(client, tokens, open_cycle):
    report_id = open_cycle["report"]
    content = "\ufeffcode;availability;value\r\nSPF_COVERAGE_TOTAL;reported;40,5\r\nCOORD_MECHANISM;;yes\r\n"
    response = upload(client, tokens["coordinator"], report_id, content.encode(), dry_run=False, name="v.csv")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["applied"] == 2
    values = {v["indicator_code"]: v["value"] for v in client.get(
        f"/api/v1/reports/{report_id}", headers=tokens["coordinator"]).get_json()["values"]}
    assert values["SPF_COVERAGE_TOTAL"] == 40.5 and values["COORD_MECHANISM"] is True
    plain = upload(client, tokens["coordinator"], report_id, b"code,value\nSPF_COVERAGE_TOTAL,41\n", name="v.csv")
    assert statuses(plain) == [("SPF_COVERAGE_TOTAL", "ok")]


def test_bad_rows_are_errors_and_nothing_is_applied(client, tokens, open_cycle):
    report_id = open_cycle["report"]
    content = workbook([
        ["SPF_COVERAGE_TOTAL", None, None, "reported", 30],
        ["NO_SUCH_CODE", None, None, "reported", 3],
        ["SPF_CHILDREN", None, None, "reported", "many"],
        ["SPF_OLDER_PERSONS", None, None, "reported", 140],
        ["SPF_MATERNITY", None, None, "reported", "=1+1"],
    ])
    preview = upload(client, tokens["coordinator"], report_id, content)
    assert preview.status_code == 200
    rows = {r["indicator_code"]: r for r in preview.get_json()["rows"]}
    assert rows["SPF_COVERAGE_TOTAL"]["status"] == "ok"
    assert "not an indicator" in rows["NO_SUCH_CODE"]["message"]
    assert rows["SPF_CHILDREN"]["message"] == "Enter a number."
    assert "between 0 and 100" in rows["SPF_OLDER_PERSONS"]["message"]
    assert "formula" in rows["SPF_MATERNITY"]["message"]
    assert rows["NO_SUCH_CODE"]["row"] == 3
    applied = upload(client, tokens["coordinator"], report_id, content, dry_run=False)
    assert applied.status_code == 422 and applied.get_json()["error"] == "validation_error"
    assert "file" in applied.get_json()["fields"]
    values = {v["indicator_code"]: v["value"] for v in client.get(
        f"/api/v1/reports/{report_id}", headers=tokens["coordinator"]).get_json()["values"]}
    assert values["SPF_COVERAGE_TOTAL"] is None


def file_error(response) -> str:
    assert response.status_code == 422, response.get_json()
    return response.get_json()["fields"]["file"][0]


def test_bad_files_get_one_clear_message(client, tokens, open_cycle, app):
    report_id, headers = open_cycle["report"], tokens["coordinator"]
    assert "empty" in file_error(upload(client, headers, report_id, b""))
    assert "empty" in file_error(upload(client, headers, report_id, workbook([], header=[])))
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    assert "neither" in file_error(upload(client, headers, report_id, png, name="values.xlsx"))
    assert "neither" in file_error(upload(client, headers, report_id, b"PK\x03\x04broken zip", name="v.xlsx"))
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    assert "password" in file_error(upload(client, headers, report_id, ole))
    big = "code,value\n" + "SPF_COVERAGE_TOTAL,1\n" * 10_000
    assert "more than 1000 rows" in file_error(upload(client, headers, report_id, big.encode(), name="v.csv"))
    assert "code" in file_error(upload(client, headers, report_id, b"a,b\n1,2\n", name="v.csv"))
    app.config["IMPORT_MAX_ROWS"] = 1
    two = b"code,value\nSPF_COVERAGE_TOTAL,1\nSPF_CHILDREN,2\n"
    assert "more than 1 rows" in file_error(upload(client, headers, report_id, two, name="v.csv"))


def test_a_ministry_imports_only_its_assigned_indicators(client, tokens, open_cycle, ids, session):
    report_id = open_cycle["report"]
    client.post(f"/api/v1/reports/{report_id}/assignments", headers=tokens["coordinator"],
                json={"indicator_code": "SPF_CHILDREN", "ministry_id": ids["DSWD"]})
    from helpers import sign_in
    sign_in(client, "staff.ph.dswd@example.org")
    template = load_workbook(io.BytesIO(client.get(f"/reports/{report_id}/import-template.xlsx").data)).active
    assert [row[0].value for row in template.iter_rows(min_row=2)] == ["SPF_CHILDREN"]
    content = workbook([["SPF_CHILDREN", None, None, "reported", 25], ["SPF_COVERAGE_TOTAL", None, None, None, 3]])
    preview = upload(client, tokens["dswd"], report_id, content)
    rows = {r["indicator_code"]: r for r in preview.get_json()["rows"]}
    assert rows["SPF_CHILDREN"]["status"] == "ok"
    assert rows["SPF_COVERAGE_TOTAL"]["message"] == "This indicator is not assigned to your ministry."
    assert upload(client, tokens["dswd"], report_id, content, dry_run=False).status_code == 422
    only = workbook([["SPF_CHILDREN", None, None, "reported", 25]])
    assert upload(client, tokens["dswd"], report_id, only, dry_run=False).get_json()["applied"] == 1
    staff = client.get("/api/v1/me", headers=tokens["dswd"]).get_json()["id"]
    change = session.scalars(select(ValueChange).where(ValueChange.report_id == report_id)).all()[-1]
    assert (change.source, change.actor_id, change.number) == ("import", staff, 25.0)


def test_others_may_not_import(client, tokens, open_cycle, fill_required):
    report_id = open_cycle["report"]
    content = workbook([["SPF_COVERAGE_TOTAL", None, None, "reported", 30]])
    other = upload(client, tokens["th"], report_id, content)
    assert other.status_code == 404 and other.get_json()["error"] == "not_found"
    assert upload(client, api_token(client, "coordinator.id@example.org"), report_id, content).status_code == 404
    assert upload(client, tokens["observer"], report_id, content).status_code in (403, 404)
    assert upload(client, tokens["admin"], report_id, content).status_code in (403, 404)
    fill_required(report_id)
    for trigger in ("start", "submit"):
        report = client.get(f"/api/v1/reports/{report_id}", headers=tokens["coordinator"]).get_json()
        if trigger in report["allowed_triggers"]:
            response = client.post(f"/api/v1/reports/{report_id}/transitions", headers=tokens["coordinator"],
                                   json={"trigger": trigger, "version": report["version"]})
            assert response.status_code == 200, response.get_json()
    assert upload(client, tokens["secretariat"], report_id, content).status_code == 403
    submitted = upload(client, tokens["coordinator"], report_id, content)
    assert submitted.status_code == 409 and submitted.get_json()["error"] == "conflict"


def test_the_report_page_links_the_template_for_those_who_may_import(client, tokens, open_cycle):
    from helpers import sign_in
    report_id = open_cycle["report"]
    sign_in(client, "coordinator.ph@example.org")
    page = client.get(f"/reports/{report_id}")
    assert f'href="/reports/{report_id}/import-template.xlsx"' in page.get_data(as_text=True)
    client.post("/logout")
    sign_in(client, "observer@example.org")
    assert "import-template.xlsx" not in client.get(f"/reports/{report_id}").get_data(as_text=True)


def test_the_messages_are_translated(client, tokens, open_cycle):
    client.patch("/api/v1/me", headers=tokens["coordinator"], json={"locale": "th"})
    response = upload(client, tokens["coordinator"], open_cycle["report"], b"")
    assert file_error(response) == "ไฟล์นี้ว่างเปล่า"
