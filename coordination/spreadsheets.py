"""CSV and XLSX files for people's spreadsheets: one header row of field names, CSV in UTF-8
with a byte order mark (so that spreadsheets on Windows read names in every script; Python reads
them with ``utf-8-sig``). A text cell that a spreadsheet would run as a formula (it starts with
``= + - @``, a tab or a carriage return) gets a leading apostrophe.

CSV holds text: dates and instants in ISO 8601, booleans as yes/no. XLSX cells are typed: a date
is a date cell (shown 2027-03-31), an instant a date-and-time cell on the wall clock of the
offset it carries (a spreadsheet keeps no time zone), a number a number, a boolean a boolean
(TRUE/FALSE), and text is text (a string cell, never a formula)."""
import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv"  # Flask adds "; charset=utf-8" (once) to every text type
BOM = "\ufeff"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT, DATETIME_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss"


def guard(value):
    """The cell as a spreadsheet should show it: text that would start a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _plain(value):
    """A value for a cell: dates and instants in ISO 8601, booleans as yes/no."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def csv_bytes(columns: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else guard(_plain(v)) for v in row])
    return out.getvalue().encode("utf-8")


def _typed(value):
    """A value for an XLSX cell, and its number format (or None): dates as dates, instants as
    their wall-clock time (XLSX has no time zones), numbers and booleans as they are, anything
    else as guarded text."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None), DATETIME_FORMAT
    if isinstance(value, date):
        return value, DATE_FORMAT
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value, None
    return guard(str(value)), None


def _write_row(sheet, row_number: int, values) -> list[str]:
    """Write one row of typed cells; the shown widths of its values."""
    shown = []
    for column, raw in enumerate(values, start=1):
        value, number_format = _typed(raw)
        cell = sheet.cell(row=row_number, column=column)
        cell.value = value  # guarded text never starts with "=": a string cell, not a formula
        if number_format:
            cell.number_format = number_format
        shown.append(number_format or ("" if value is None else str(value)))
    return shown


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]]) -> bytes:
    """A workbook with one sheet per (title, columns, rows): a bold, frozen header row, then
    typed cells (see the module's text)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, columns, rows in sheets:
        sheet = workbook.create_sheet(_sheet_title(title))
        widths = [len(w) for w in _write_row(sheet, 1, columns)]
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for number, row in enumerate(rows, start=2):
            widths = [max(w, len(v)) for w, v in zip(widths, _write_row(sheet, number, row), strict=False)]
        for n, w in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(n)].width = min(60, w + 2)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sheet_title(title: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Sheet"


def filename(kind: str, name: str, extension: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()[:60] or "export"
    return f"{kind}-{slug}.{extension}"
