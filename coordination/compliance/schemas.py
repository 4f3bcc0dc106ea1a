"""Schemas of compliance, extensions and the regional comparison in the JSON API."""
from datetime import date, datetime
from typing import Literal

import pydantic

from coordination.compliance.rules import COMPLIANCE
from coordination.items.models import GUARANTEES
from coordination.reporting import workflow
from coordination.reporting.models import AVAILABILITY, UNITS
from coordination.reporting.values import AT_FLOOR, AT_TARGET, BELOW_FLOOR
from coordination.schemas import IndicatorValue, Reply

PERCENT = pydantic.Field(ge=0, le=100)


class CycleRef(Reply):
    id: int
    name: str
    state: Literal[workflow.CYCLE_STATES]
    deadline: date


class ComplianceRow(Reply):
    country: str
    country_name: str
    report_id: int
    state: Literal[workflow.REPORT_STATES]
    compliance: Literal[COMPLIANCE]
    deadline: date = pydantic.Field(description="the effective deadline: the extended one where an extension exists")
    extended: bool
    submitted_at: datetime | None = pydantic.Field(description="the first submission, in the country's local time")
    days_late: int
    completeness: float = PERCENT


class CycleCompliance(Reply):
    cycle: CycleRef
    expected: int
    actual: int
    on_time: int
    late: int
    missing: int
    pending: int
    reporting_rate: float = PERCENT
    reporting_rate_on_time: float = PERCENT
    countries: list[ComplianceRow] = pydantic.Field(
        description="every member state for the secretariat (and observers once the cycle is published); "
                    "the user's own country otherwise")


class CountryComplianceRow(ComplianceRow):
    cycle_id: int
    cycle: str
    cycle_state: Literal[workflow.CYCLE_STATES]


class Extension(Reply):
    id: int
    cycle_id: int
    country: str
    deadline: date
    reason: str
    granted_by: int
    granted_at: datetime


class ComparisonCell(Reply):
    country: str
    country_name: str
    submitted: bool
    value: IndicatorValue
    availability: Literal[AVAILABILITY] | None
    reason: str
    floor: float | None
    target: float | None
    target_year: int | None
    status: Literal[BELOW_FLOOR, AT_FLOOR, AT_TARGET] | None


class ComparedIndicator(Reply):
    code: str
    name: str
    unit: Literal[UNITS]
    guarantee: Literal[GUARANTEES]
    required: bool
    countries: list[ComparisonCell]


class Comparison(Reply):
    cycle: CycleRef
    indicators: list[ComparedIndicator]
