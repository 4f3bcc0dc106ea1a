"""CSV and XLSX files for people's spreadsheets: one header row of field names, CSV in UTF-8
with a byte order mark (so that spreadsheets on Windows read names in every script; Python reads
them with ``utf-8-sig``). A text cell that a spreadsheet would run as a formula (it starts with
``= + - @``, a tab or a carriage return) gets a leading apostrophe."""
import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv"  # Flask adds "; charset=utf-8" (once) to every text type
BOM = "\ufeff"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]]) -> bytes:
    """A workbook with one sheet per (title, columns, rows): a bold, frozen header row."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, columns, rows in sheets:
        sheet = workbook.create_sheet(_sheet_title(title))
        sheet.append([guard(c) for c in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        widths = [len(str(c)) for c in columns]
        for row in rows:
            values = [guard(_plain(v)) for v in row]
            sheet.append(values)
            widths = [max(w, len(str(v or ""))) for w, v in zip(widths, values, strict=False)]
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
