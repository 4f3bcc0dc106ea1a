"""Replies of a value's history and of a report's checks (API.md "Second round: reporting
data"); the request schemas of values are in reporting/schemas.py."""
from datetime import datetime
from typing import Literal

import pydantic

from coordination.reporting.checks import SEVERITIES
from coordination.reporting.history import SOURCES
from coordination.reporting.models import AVAILABILITY
from coordination.reporting.schemas import Value
from coordination.schemas import IndicatorValue, Reply, Schema, checked

# The file part of an import form: the service reads and judges it.
IMPORT_FILE = checked(lambda value: value, {"type": "string", "format": "binary"})


class ValueChange(Reply):
    at: datetime
    actor: int | None = pydantic.Field(description="the user id of who saved it")
    actor_name: str | None
    value: IndicatorValue
    availability: Literal[AVAILABILITY] | None
    reason: str
    note: str
    breakdown: dict[str, IndicatorValue] | None
    source: Literal[SOURCES]
    import_name: str | None = pydantic.Field(description="the name of the file an import came from")


class Check(Reply):
    rule: str = pydantic.Field(description="the template rule's id, or outlier")
    severity: Literal[SEVERITIES]
    indicator_codes: list[str]
    message: str
    blocks_submission: bool = pydantic.Field(description="an error; a warning whose value has no note")


class ValueSaved(Value):
    checks: list[Check] = pydantic.Field(description="the checks this value fails now (it is saved all the same)")


class ImportUpload(Schema):
    """``multipart/form-data``: the filled-in template (XLSX or CSV) and whether only to preview."""

    file: IMPORT_FILE = pydantic.Field(description="XLSX or CSV; its type is judged by its content")
    dry_run: Literal["true", "false"] = pydantic.Field("true", description="true: judge the rows, apply nothing")


class ImportRow(Reply):
    row: int
    indicator_code: str
    status: Literal["ok", "unchanged", "error"]
    message: str | None = None


class ImportResult(Reply):
    rows: list[ImportRow]
    applied: int = pydantic.Field(description="how many values were changed (0 for a dry run)")
