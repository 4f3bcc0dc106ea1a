"""The compliance matrix, the scorecard and the comparison as CSV and XLSX.

Each file has one header row; units are in the column names (``completeness_percent``,
``days_late``) or in a ``unit`` column, and the cycle's name is a column, so that
``csv.DictReader`` reads a file as it is (CSV files start with a UTF-8 byte order mark, so that
spreadsheets on Windows read names in every script; Python reads them with ``utf-8-sig``). The
comparison holds the breakdown by sex (``female``, ``male``) where the value has one. A text
cell that a spreadsheet would run as a formula (it starts with ``= + - @``, a tab or a carriage
return) gets a leading apostrophe.

The sheets' names and the scorecard's cells are in the language of the request; the header
rows are the files' field names (as JSON field names, the same in every language), so that a
script reads an export whatever language it was downloaded in.
"""
from flask_babel import gettext, ngettext

from coordination import i18n
from coordination.spreadsheets import csv_bytes, xlsx_bytes

COMPLIANCE_COLUMNS = ("cycle", "country", "country_name", "report_state", "compliance", "extended", "deadline",
                      "submitted_at", "days_late", "completeness_percent")
COMPARISON_COLUMNS = ("cycle", "indicator_code", "indicator_name", "unit", "country", "country_name", "value",
                      "availability", "reason", "floor", "target", "target_year", "status", "female", "male")


# -- the compliance matrix (one cycle, or the scorecard: every cycle) ----------------------------

def compliance_record(row) -> list:
    """One row of the compliance matrix; ``submitted_at`` is local time in the country's zone."""
    return [row.cycle_name, row.country, row.country_name, row.state, row.compliance, row.extended,
            row.deadline, row.local_submitted_at, row.days_late, row.completeness]


def compliance_csv(rows) -> bytes:
    return csv_bytes(COMPLIANCE_COLUMNS, [compliance_record(r) for r in rows])


TOTALS_COLUMNS = ("cycle", "expected", "actual", "on_time", "late", "missing", "pending",
                  "reporting_rate_percent", "reporting_rate_on_time_percent")


def totals_record(cycle_name: str, totals) -> list:
    return [cycle_name, totals.expected, totals.actual, totals.on_time, totals.late, totals.missing,
            totals.pending, totals.reporting_rate, totals.reporting_rate_on_time]


def compliance_xlsx(cycle_name: str, rows, totals) -> bytes:
    return xlsx_bytes([(gettext("Compliance"), COMPLIANCE_COLUMNS, [compliance_record(r) for r in rows]),
                       (gettext("Totals"), TOTALS_COLUMNS, [totals_record(cycle_name, totals)])])


def scorecard_xlsx(card) -> bytes:
    """The scorecard as on the page (a row per member state, a column per cycle), then every
    cell in detail, then the totals per cycle."""
    wide_columns = ["country", "country_name"] + [c.name for c in card.cycles]
    wide = []
    for country in card.countries:
        cells = [card.cells.get((country.code, c.id)) for c in card.cycles]
        wide.append([country.code, country.name] + [_scorecard_text(cell) for cell in cells])
    return xlsx_bytes([
        (gettext("Scorecard"), wide_columns, wide),
        (gettext("Details"), COMPLIANCE_COLUMNS, [compliance_record(r) for r in card.rows]),
        (gettext("Totals"), TOTALS_COLUMNS, [totals_record(c.name, card.totals[c.id]) for c in card.cycles]),
    ])


def _scorecard_text(row) -> str:
    if row is None:
        return ""
    text = row.compliance_label
    if row.days_late:
        text = ngettext("%(compliance)s, %(num)d day late", "%(compliance)s, %(num)d days late", row.days_late,
                        compliance=text)
    return gettext("%(compliance)s; %(percent)s %% complete", compliance=text,
                   percent=i18n.format_number(row.completeness))


# -- the regional comparison ---------------------------------------------------------------------

def comparison_records(comparison) -> list[list]:
    records = []
    for indicator in comparison.indicators:
        for cell in indicator.cells:
            records.append([comparison.cycle.name, indicator.code, indicator.name, indicator.unit, cell.country,
                            cell.country_name, cell.value, cell.availability or ("" if cell.submitted else
                                                                                  "not_submitted"),
                            cell.reason, cell.floor, cell.target, cell.target_year, cell.status,
                            *_by_sex(cell.breakdown)])
    return records


def _by_sex(breakdown) -> list:
    """The value's female and male parts (empty where the value has no breakdown)."""
    breakdown = breakdown or {}
    return [breakdown.get("female"), breakdown.get("male")]


def comparison_csv(comparison) -> bytes:
    return csv_bytes(COMPARISON_COLUMNS, comparison_records(comparison))


def comparison_xlsx(comparison) -> bytes:
    return xlsx_bytes([(gettext("Comparison"), COMPARISON_COLUMNS, comparison_records(comparison))])
