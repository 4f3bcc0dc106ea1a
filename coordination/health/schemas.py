"""Schemas of the coordination-health figures in the JSON API."""
import pydantic

from coordination.compliance.schemas import CycleRef
from coordination.schemas import Reply

SHARE = pydantic.Field(ge=0, le=1, description="a share between 0 and 1; null when there is nothing to count")


class CountryHealth(Reply):
    country: str
    member_ministries: int = pydantic.Field(ge=0)
    meetings_held: int = pydantic.Field(ge=0)
    ministries_attending: int = pydantic.Field(ge=0)
    items_created: int = pydantic.Field(ge=0)
    median_days_to_accept: float | None = pydantic.Field(
        ge=0, description="days from an item's first assignment to its first acceptance; null when none")
    handed_over_share: float | None = SHARE
    data_requests_on_time_share: float | None = SHARE
    overdue_share: float | None = SHARE


class CycleHealth(Reply):
    cycle: CycleRef
    countries: list[CountryHealth]
