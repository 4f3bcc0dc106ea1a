"""The import's pages: upload, preview of every row, apply all or nothing (the file kept on the
server and judged again), the history naming the file, bad files, and who may do what."""
import html
import io
import re

from helpers import signed_in_client
from openpyxl import Workbook
from sqlalchemy import func, select

from coordination.reporting.models import ValueChange
from coordination.reporting.uploads import PendingImport

COORDINATOR = "coordinator.ph@example.org"
COLUMNS = ["code", "name", "unit", "availability", "value", "female", "male", "reason", "note"]


def workbook(rows) -> bytes:
    book = Workbook()
    book.active.append(COLUMNS)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def post_file(client, report_id, content: bytes, name="figures-2026.xlsx"):
    return client.post(f"/reports/{report_id}/import", data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def shown_digest(page: str) -> str:
    return re.search(r'name="shown" type="hidden" value="([0-9a-f]+)"', page).group(1)


def values(client, tokens, report_id) -> dict:
    body = client.get(f"/api/v1/reports/{report_id}", headers=tokens["coordinator"]).get_json()
    return {v["indicator_code"]: v["value"] for v in body["values"]}


def pending_count(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(PendingImport))


FILLED = workbook([
    ["SPF_COVERAGE_TOTAL", None, None, "reported", 34.9],
    ["SPF_CHILDREN", None, None, "estimate", 21.5, 21.0, 22.0],
    ["SPF_DISABILITY", None, None, "not_available", None, None, None, "No survey since 2016"],
    ["SPF_MATERNITY"],
])


def test_upload_preview_apply_and_the_history_names_the_file(app, client, tokens, open_cycle, session):
    report_id = open_cycle["report"]
    web = signed_in_client(app, COORDINATOR)
    report_page = text(web.get(f"/reports/{report_id}"))
    assert f'href="/reports/{report_id}/import"' in report_page
    upload_page = web.get(f"/reports/{report_id}/import")
    page = text(upload_page)
    assert upload_page.status_code == 200
    assert '<label class="form-label" for="file">The filled-in spreadsheet</label>' in page
    assert f'href="/reports/{report_id}/import-template.xlsx"' in page and "at most 1,000 rows" in page

    uploaded = post_file(web, report_id, FILLED)
    assert uploaded.status_code == 302
    preview = web.get(uploaded.headers["Location"])
    page = text(preview)
    assert preview.status_code == 200
    assert "Preview of the import of figures-2026.xlsx" in page
    assert "3 changes, 1 unchanged, 0 errors" in page
    assert 'value="Apply 3 changes"' in page
    rows = re.findall(r'<tr id="import-row-(\d+)"', page)
    assert rows == ["2", "3", "4", "5"]
    assert "No survey since 2016" in page and "Unchanged" in page
    assert values(client, tokens, report_id)["SPF_COVERAGE_TOTAL"] is None  # a preview changes nothing

    applied = web.post(uploaded.headers["Location"], data={"shown": shown_digest(page)})
    assert applied.status_code == 302 and applied.headers["Location"].endswith(f"/reports/{report_id}")
    assert "3 values were changed by the import of “figures-2026.xlsx”." in text(web.get(applied.headers["Location"]))
    now = values(client, tokens, report_id)
    assert (now["SPF_COVERAGE_TOTAL"], now["SPF_CHILDREN"]) == (34.9, 21.5)
    assert pending_count(session) == 0
    history = text(web.get(f"/reports/{report_id}/values/SPF_CHILDREN/history"))
    assert "An import of figures-2026.xlsx" in history
    rows = client.get(f"/api/v1/reports/{report_id}/values/SPF_CHILDREN/history",
                      headers=tokens["coordinator"]).get_json()
    assert [(r["source"], r["import_name"], r["value"]) for r in rows] == [("import", "figures-2026.xlsx", 21.5)]
    # Applied once: the same upload again is not found, and changes nothing.
    again = web.post(uploaded.headers["Location"], data={"shown": shown_digest(page)})
    assert again.status_code == 404
    assert session.scalar(select(func.count()).select_from(ValueChange)
                          .where(ValueChange.report_id == report_id)) == 3


def test_a_preview_with_an_error_offers_no_apply_and_applies_nothing(app, client, tokens, open_cycle, session):
    report_id = open_cycle["report"]
    web = signed_in_client(app, COORDINATOR)
    content = workbook([["SPF_COVERAGE_TOTAL", None, None, "reported", 30], ["NO_SUCH_CODE", None, None, None, 3],
                        ["SPF_CHILDREN", None, None, "reported", "many"]])
    location = post_file(web, report_id, content).headers["Location"]
    page = text(web.get(location))
    assert "1 change, 0 unchanged, 2 errors" in page
    assert 'id="error-summary"' in page and 'href="#import-row-3"' in page
    assert "Row 4 (SPF_CHILDREN): Enter a number." in page
    assert 'id="apply-form"' not in page and "Apply 1 change" not in page
    # The page offers no form; a made-up one is refused all the same.
    refused = web.post(location, data={"shown": "0" * 64}, follow_redirects=True)
    assert "nothing was applied" in text(refused).lower()
    assert values(client, tokens, report_id)["SPF_COVERAGE_TOTAL"] is None


def test_values_changed_since_the_preview_are_judged_again_and_refused(app, client, tokens, open_cycle, session):
    report_id = open_cycle["report"]
    web = signed_in_client(app, COORDINATOR)
    location = post_file(web, report_id, FILLED).headers["Location"]
    digest = shown_digest(text(web.get(location)))
    # A made-up digest is refused, and nothing changes.
    forged = web.post(location, data={"shown": "f" * 64})
    assert forged.status_code == 302 and forged.headers["Location"].endswith(location)
    assert values(client, tokens, report_id)["SPF_COVERAGE_TOTAL"] is None
    # Someone enters a value the file holds, after the preview: the judgement differs.
    client.put(f"/api/v1/reports/{report_id}/values/SPF_COVERAGE_TOTAL", headers=tokens["coordinator"],
               json={"value": 34.9})
    stale = web.post(location, data={"shown": digest}, follow_redirects=True)
    assert "changed since your preview, so nothing was applied" in text(stale)
    assert "2 changes, 2 unchanged, 0 errors" in text(stale)
    assert values(client, tokens, report_id)["SPF_CHILDREN"] is None
    assert pending_count(session) == 1
    fresh = shown_digest(text(web.get(location)))
    assert web.post(location, data={"shown": fresh}).status_code == 302
    assert values(client, tokens, report_id)["SPF_CHILDREN"] == 21.5


def test_bad_files_get_a_clear_message_on_the_upload_page(app, open_cycle, session):
    report_id = open_cycle["report"]
    web = signed_in_client(app, COORDINATOR)
    nothing = web.post(f"/reports/{report_id}/import", data={}, content_type="multipart/form-data")
    assert nothing.status_code == 422 and "Choose the spreadsheet to upload." in text(nothing)
    assert 'aria-invalid="true"' in text(nothing) and "There is a problem" in text(nothing)
    cases = {
        b"": "The file is empty.",
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4: "neither an XLSX workbook nor a CSV file",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512: "protected by a password",
        ("code,value\n" + "SPF_COVERAGE_TOTAL,1\n" * 1_500).encode(): "more than 1000 rows",
        b"a,b\n1,2\n": "The first row must name the columns",
    }
    for content, message in cases.items():
        response = post_file(web, report_id, content, name="values.csv")
        assert response.status_code == 422, message
        assert message in text(response), message
    assert pending_count(session) == 0


def test_a_ministry_imports_its_indicators_and_others_may_not_see_the_upload(app, client, tokens, open_cycle, ids,
                                                                             session):
    report_id = open_cycle["report"]
    client.post(f"/api/v1/reports/{report_id}/assignments", headers=tokens["coordinator"],
                json={"indicator_code": "SPF_CHILDREN", "ministry_id": ids["DSWD"]})
    dswd = signed_in_client(app, "staff.ph.dswd@example.org")
    assert f'href="/reports/{report_id}/import"' in text(dswd.get(f"/reports/{report_id}"))
    location = post_file(dswd, report_id, FILLED).headers["Location"]
    page = text(dswd.get(location))
    assert "1 change, 0 unchanged, 3 errors" in page
    assert page.count("This indicator is not assigned to your ministry.") >= 3
    # The upload is its uploader's alone: not the coordinator's, nor another ministry's, nor another country's.
    for email in (COORDINATOR, "staff.ph.dole@example.org", "coordinator.th@example.org"):
        other = signed_in_client(app, email)
        assert other.get(location).status_code == 404, email
        assert other.post(location, data={"shown": "0" * 64}).status_code == 404
    only = workbook([["SPF_CHILDREN", None, None, "reported", 25]])
    location = post_file(dswd, report_id, only).headers["Location"]
    assert pending_count(session) == 1  # the earlier upload of the same user and report is gone
    assert dswd.post(location, data={"shown": shown_digest(text(dswd.get(location)))}).status_code == 302
    assert values(client, tokens, report_id)["SPF_CHILDREN"] == 25
    # Another report's address with this upload's id: not found.
    assert dswd.get(location.replace(f"/reports/{report_id}/", "/reports/999999/")).status_code == 404


def test_other_roles_and_countries_may_not_import(app, open_cycle):
    report_id = open_cycle["report"]
    th = signed_in_client(app, "coordinator.th@example.org")
    assert th.get(f"/reports/{report_id}/import").status_code == 404
    assert post_file(th, report_id, FILLED).status_code == 404
    for email in ("secretariat@example.org", "observer@example.org", "admin@example.org"):
        web = signed_in_client(app, email)
        assert web.get(f"/reports/{report_id}/import").status_code in (403, 404), email
        assert post_file(web, report_id, FILLED).status_code in (403, 404), email
        assert f'href="/reports/{report_id}/import"' not in text(web.get(f"/reports/{report_id}"))


def test_a_submitted_report_takes_no_import(app, client, tokens, open_cycle, fill_required, session):
    report_id = open_cycle["report"]
    web = signed_in_client(app, COORDINATOR)
    location = post_file(web, report_id, FILLED).headers["Location"]
    digest = shown_digest(text(web.get(location)))
    fill_required(report_id)
    for trigger in ("start", "submit"):
        report = client.get(f"/api/v1/reports/{report_id}", headers=tokens["coordinator"]).get_json()
        if trigger in report["allowed_triggers"]:
            client.post(f"/api/v1/reports/{report_id}/transitions", headers=tokens["coordinator"],
                        json={"trigger": trigger, "version": report["version"]})
    refused = web.post(location, data={"shown": digest}, follow_redirects=True)
    assert "read-only until the secretariat sends it back" in text(refused)
    page = web.get(f"/reports/{report_id}/import", follow_redirects=True)
    assert "read-only until the secretariat sends it back" in text(page)
    assert f'href="/reports/{report_id}/import"' not in text(web.get(f"/reports/{report_id}"))


def test_the_pages_are_translated(app, client, tokens, open_cycle):
    report_id = open_cycle["report"]
    client.patch("/api/v1/me", headers=tokens["coordinator"], json={"locale": "th"})
    web = signed_in_client(app, COORDINATOR)
    page = text(web.get(f"/reports/{report_id}/import"))
    assert "Import values from a spreadsheet" not in page and "What the file must hold" not in page
    preview = text(web.get(post_file(web, report_id, FILLED).headers["Location"]))
    assert "3 changes" not in preview and "Every row of the file" not in preview


def test_an_import_through_the_api_names_its_file_too(client, tokens, open_cycle):
    report_id = open_cycle["report"]
    response = client.post(f"/api/v1/reports/{report_id}/import", headers=tokens["coordinator"],
                           data={"file": (io.BytesIO(b"code,value\nSPF_COVERAGE_TOTAL,41\n"), "exports/ph\x07.csv"),
                                 "dry_run": "false"}, content_type="multipart/form-data")
    assert response.status_code == 200 and response.get_json()["applied"] == 1
    rows = client.get(f"/api/v1/reports/{report_id}/values/SPF_COVERAGE_TOTAL/history",
                      headers=tokens["coordinator"]).get_json()
    assert [(r["source"], r["import_name"]) for r in rows] == [("import", "ph.csv")]
    client.put(f"/api/v1/reports/{report_id}/values/SPF_COVERAGE_TOTAL", headers=tokens["coordinator"],
               json={"value": 42})
    rows = client.get(f"/api/v1/reports/{report_id}/values/SPF_COVERAGE_TOTAL/history",
                      headers=tokens["coordinator"]).get_json()
    assert rows[-1]["source"] == "api" and rows[-1]["import_name"] is None
