"""Import of a report's values from a spreadsheet: the template (XLSX, one row per indicator
with its current value), and the reading of a filled-in XLSX or CSV file into rows judged
``ok`` (a change), ``unchanged`` or ``error`` (with the reason). Applying is all or nothing:
every change goes through ``reports.set_value`` (same checks and permissions as a value
entered on the page) with history source ``import``; nothing is applied while a row is in error.

A cell holding a formula is an error, never evaluated (openpyxl reads with ``data_only=False``).
The file is judged by its content: an XLSX is a ZIP, an encrypted XLSX an OLE file, a CSV
UTF-8 text (with or without a byte order mark, comma or semicolon)."""
import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext
from openpyxl import load_workbook

from coordination import spreadsheets
from coordination.auth.policy import may_enter_value, require
from coordination.errors import ValidationError
from coordination.reporting import history, reports
from coordination.reporting.models import CountryReport
from coordination.reporting.values import check_entry

COLUMNS = ("code", "name", "unit", "availability", "value", "female", "male", "reason", "note")
NUMERIC = ("percent", "number", "currency")
_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class FileProblem(ValueError):
    """The file as a whole cannot be read: one message for it."""


@dataclass
class Row:
    row: int
    indicator_code: str
    status: str
    message: str | None = None
    data: dict | None = None

    def as_json(self) -> dict:
        body = {"row": self.row, "indicator_code": self.indicator_code, "status": self.status}
        if self.message:
            body["message"] = self.message
        return body


def visible_indicators(actor, report: CountryReport) -> list:
    """The indicators the actor may enter: all for the coordinator, the assigned ones for a ministry."""
    rows = reports.values_by_code(report)
    return [i for i in report.cycle.template.indicators if may_enter_value(actor, report, rows[i.code])]


def template_bytes(actor, report: CountryReport) -> bytes:
    rows = reports.values_by_code(report)
    out = []
    for indicator in visible_indicators(actor, report):
        row = rows[indicator.code]
        breakdown = (row.breakdown or {}) if row is not None else {}
        sexed = "sex" in (indicator.disaggregations or [])
        out.append([indicator.code, indicator.name, indicator.unit,
                    row.availability if row is not None else None,
                    row.value if row is not None else None,
                    breakdown.get("female") if sexed else None, breakdown.get("male") if sexed else None,
                    row.reason if row is not None else None, row.note if row is not None else None])
    return spreadsheets.xlsx_bytes([(report.country_code, COLUMNS, out)])


def read_table(content: bytes, max_rows: int) -> list[tuple[int, dict]]:
    """The file's data rows (row number, {column: cell}); FileProblem for the whole file."""
    if not content.strip():
        raise FileProblem(gettext("The file is empty."))
    if content.startswith(_OLE):
        raise FileProblem(gettext("The workbook is protected by a password or encrypted: save it without one."))
    if content.startswith(_ZIP):
        raw = _xlsx_rows(content, max_rows)
    else:
        raw = _csv_rows(content, max_rows)
    if not raw:
        raise FileProblem(gettext("The file is empty."))
    header = [str(c).strip().lower() if c is not None else "" for c in raw[0][1]]
    if "code" not in header:
        raise FileProblem(gettext("The first row must name the columns, among them %(column)s.", column="code"))
    rows = []
    for number, cells in raw[1:]:
        record = {name: cells[n] if n < len(cells) else None for n, name in enumerate(header) if name}
        if any(v not in (None, "") for v in record.values()):
            rows.append((number, record))
    if len(rows) > max_rows:
        raise FileProblem(gettext("The file has more than %(count)s rows: split it.", count=max_rows))
    return rows


def _xlsx_rows(content: bytes, max_rows: int) -> list:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise FileProblem(gettext("The file is neither an XLSX workbook nor a CSV file.")) from exc
    sheet = workbook.worksheets[0] if workbook.worksheets else None
    if sheet is None:
        raise FileProblem(gettext("The file is empty."))
    rows = []
    for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > max_rows + 2:  # header, then one past the limit is enough to say so
            break
        rows.append((number, list(cells)))
    workbook.close()
    return rows


def _csv_rows(content: bytes, max_rows: int) -> list:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem(gettext("The file is neither an XLSX workbook nor a CSV file.")) from exc
    if "\x00" in text:
        raise FileProblem(gettext("The file is neither an XLSX workbook nor a CSV file."))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = []
    for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        if number > max_rows + 2:
            break
        rows.append((number, [c.strip() for c in cells]))
    return rows


def _formula(value) -> bool:
    return isinstance(value, str) and value.startswith("=")


def _number(value):
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        return value
    text = str(value).strip().replace(" ", "")
    return float(text.replace(",", ".")) if text.count(",") == 1 and "." not in text else float(text)


def _cell_value(unit: str, value):
    """A cell as the value the API takes; ValueError when it cannot be one."""
    if value in (None, ""):
        return None
    if unit in NUMERIC:
        return _number(value)
    if unit == "yes_no":
        if isinstance(value, bool):
            return value
        answer = str(value).strip().lower()
        if answer in ("yes", "true", "1", "y"):
            return True
        if answer in ("no", "false", "0", "n"):
            return False
        raise ValueError
    return str(value)


def _entry(indicator, record: dict) -> dict:
    """The body of a value save for one row (ValueError, message: a cell that is not a value)."""
    unit = indicator.unit
    try:
        value = _cell_value(unit, record.get("value"))
        parts = {k: _cell_value(unit, record.get(k)) for k in ("female", "male")}
    except (ValueError, TypeError) as exc:
        message = gettext("Enter a number.") if unit in NUMERIC else gettext("Answer yes or no.")
        raise ValueError(message) from exc
    availability = str(record.get("availability") or "").strip() or ("reported" if value is not None else "")
    entry = {"availability": availability or None, "value": value,
             "reason": str(record.get("reason") or ""), "note": str(record.get("note") or "")}
    if any(v is not None for v in parts.values()):
        entry["breakdown"] = {k: v for k, v in parts.items() if v is not None}
    return entry


def judge_rows(session, actor, report: CountryReport, rows: list[tuple[int, dict]]) -> list[Row]:
    """Each row's status: an error (its reason), unchanged, or ok (a change to apply)."""
    values = reports.values_by_code(report)
    seen, out = set(), []
    for number, record in rows:
        code = str(record.get("code") or "").strip()
        formula = next((name for name, v in record.items() if _formula(v)), None)
        indicator = reports.indicator_of(report, code)
        if formula:
            out.append(Row(number, code, "error", gettext("The cell %(column)s holds a formula: enter the "
                                                          "value itself.", column=formula)))
        elif indicator is None:
            out.append(Row(number, code, "error", reports.not_in_template(code)))
        elif code in seen:
            out.append(Row(number, code, "error", gettext("This indicator is on an earlier row already.")))
        elif not may_enter_value(actor, report, values[code]):
            out.append(Row(number, code, "error", gettext("This indicator is not assigned to your ministry.")))
        else:
            seen.add(code)
            out.append(_judge_one(session, actor, report, indicator, values[code], number, record))
    return out


def _judge_one(session, actor, report, indicator, current, number: int, record: dict) -> Row:
    code = indicator.code
    if all(record.get(k) in (None, "") for k in ("availability", "value", "female", "male", "reason", "note")):
        return Row(number, code, "unchanged")  # a row left empty leaves the value as it is
    try:
        entry = _entry(indicator, record)
        columns, errors = check_entry(indicator, entry)
    except ValueError as exc:
        return Row(number, code, "error", str(exc))
    except ValidationError as exc:
        errors = exc.fields
    if errors:
        return Row(number, code, "error", "; ".join(m for ms in errors.values() for m in ms))
    if current is not None and current.availability is not None and all(
            (getattr(current, k) or None) == (v or None) for k, v in columns.items()
            if k in history.TRACKED):
        return Row(number, code, "unchanged")
    return Row(number, code, "ok", data=entry)


def import_values(session, actor, report_id, content: bytes, dry_run: bool, now: datetime,
                  max_rows: int, filename: str | None = None) -> tuple[list[Row], int]:
    """Judge the file's rows, and apply the changes unless ``dry_run``: (rows, applied).
    ValidationError (file) for a file that cannot be read, or for applying with an error row."""
    report = reports.get_report(session, actor, report_id)
    require(actor, "report.import", report)
    reports.require_editable(report)
    try:
        table = read_table(content, max_rows)
    except FileProblem as exc:
        raise ValidationError({"file": [str(exc)]}) from exc
    rows = judge_rows(session, actor, report, table)
    if dry_run:
        return rows, 0
    return rows, apply_rows(session, actor, report, rows, now, filename)


def apply_rows(session, actor, report: CountryReport, rows: list[Row], now: datetime,
               filename: str | None) -> int:
    """Apply every ``ok`` row (history source ``import``, naming the file), or nothing while a
    row is in error (ValidationError): how many values changed."""
    if any(r.status == "error" for r in rows):
        raise ValidationError({"file": [gettext("Nothing was applied: correct the rows in error first.")]})
    applied = 0
    for row in rows:
        if row.status == "ok":
            reports.set_value(session, actor, report.id, row.indicator_code, row.data, now, source="import",
                              import_name=filename)
            applied += 1
    return applied
