"""The import in a real browser: the coordinator goes from the report page to the upload page,
chooses a filled-in workbook, sees the preview of every row, applies the changes with the
keyboard and is back on the report page with the confirmation; the value's history names the
file. The upload page and the preview (also one with an error) pass axe-core."""
import io
import re

import pytest
from openpyxl import Workbook
from test_accessibility import axe_violations
from test_value_checks_flow import COORDINATOR, arrange

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

pytestmark = pytest.mark.browser
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(rows) -> bytes:
    book = Workbook()
    book.active.append(["code", "name", "unit", "availability", "value", "female", "male", "reason", "note"])
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def page(axe_page):
    return axe_page


def serious(page) -> list:
    return [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]


def upload(page, name, content):
    page.get_by_label("The filled-in spreadsheet").set_input_files(files={"name": name, "mimeType": XLSX,
                                                                          "buffer": content})
    page.get_by_role("button", name="Upload and preview").click()


def test_upload_preview_and_apply_from_the_keyboard(page, live_server, sign_in):
    report = arrange(page, live_server)
    sign_in(page, live_server, COORDINATOR)
    page.goto(f"{live_server}/reports/{report}")
    page.get_by_role("link", name="Import from a spreadsheet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import values from a spreadsheet")
    assert serious(page) == []

    upload(page, "wrong.xlsx", workbook([["SPF_COVERAGE_TOTAL", None, None, "reported", "=1+1"]]))
    expect(page.get_by_role("alert")).to_contain_text("holds a formula")
    expect(page.get_by_role("button", name=re.compile("^Apply"))).to_have_count(0)
    assert serious(page) == []

    page.get_by_role("link", name="Upload another file").click()
    upload(page, "figures-2026.xlsx", workbook([["SPF_COVERAGE_TOTAL", None, None, "reported", 36.2],
                                                ["SPF_OLDER_PERSONS", None, None, "reported", 40.0]]))
    expect(page.locator("#import-summary")).to_have_text("1 change, 1 unchanged, 0 errors")
    assert serious(page) == []
    apply = page.get_by_role("button", name="Apply 1 change")
    apply.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("1 value was changed by the import of “figures-2026.xlsx”.")
    page.goto(f"{live_server}/reports/{report}/values/SPF_COVERAGE_TOTAL/history")
    expect(page.locator("tbody tr").last).to_contain_text("An import of figures-2026.xlsx")
