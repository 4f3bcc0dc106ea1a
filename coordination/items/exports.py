"""The item list as CSV and XLSX, with the list's filters and sort: the rows a user sees on the
list's pages, at most ``EXPORT_LIMIT`` of them (a larger list is narrowed by its filters).
Instants are on the wall clock of the member state (CSV says the offset; XLSX holds date-and-time
cells, dates as date cells, ``overdue`` as a boolean and ``id`` as a number)."""
from datetime import date

from flask_babel import gettext

from coordination import clock
from coordination.items import queries
from coordination.spreadsheets import csv_bytes, xlsx_bytes

EXPORT_LIMIT = 5000
COLUMNS = ("id", "title", "state", "holding_ministry", "due_date", "overdue", "priority", "guarantee",
           "created_at", "updated_at")


def rows(session, country_code: str, filters: queries.ItemFilters, today: date,
         timezone: str = "UTC") -> tuple[list[list], int]:
    """(the rows of the export, the total the filters match); instants in ``timezone``."""
    items, total = queries.item_page(session, country_code, filters, today, 1, EXPORT_LIMIT)
    return [[item.id, item.title, item.state, item.ministry.acronym if item.ministry else None, item.due_date,
             item.is_overdue(today), item.priority, item.guarantee, clock.local(item.created_at, timezone),
             clock.local(item.updated_at, timezone)]
            for item in items], total


def items_csv(records: list[list]) -> bytes:
    return csv_bytes(COLUMNS, records)


def items_xlsx(records: list[list]) -> bytes:
    return xlsx_bytes([(gettext("Action items"), COLUMNS, records)])
