"""The coordination-health table of a cycle as CSV and XLSX (coordination/spreadsheets.py).

One header row of the API's field names (the same in every language), the cycle's name and
the member state's name as columns; the figures are numbers (shares between 0 and 1, as in the
API), and a figure with nothing to count is an empty cell. The rows are those the reader may
read on the page."""
from flask_babel import gettext

from coordination.spreadsheets import csv_bytes, xlsx_bytes

COLUMNS = ("cycle", "country", "country_name", "member_ministries", "meetings_held", "ministries_attending",
           "items_created", "median_days_to_accept", "handed_over_share", "data_requests_on_time_share",
           "overdue_share")


def records(cycle_name: str, rows, names: dict[str, str]) -> list[list]:
    return [[cycle_name, row.country, names.get(row.country, row.country), row.member_ministries,
             row.meetings_held, row.ministries_attending, row.items_created, row.median_days_to_accept,
             row.handed_over_share, row.data_requests_on_time_share, row.overdue_share] for row in rows]


def health_csv(cycle_name: str, rows, names: dict[str, str]) -> bytes:
    return csv_bytes(COLUMNS, records(cycle_name, rows, names))


def health_xlsx(cycle_name: str, rows, names: dict[str, str]) -> bytes:
    return xlsx_bytes([(gettext("Coordination health"), COLUMNS, records(cycle_name, rows, names))])
