"""Schemas of the audit log in the JSON API."""
from datetime import datetime
from typing import Any, Literal

import pydantic

from coordination.audit.models import EVENT_TYPES
from coordination.schemas import PageQuery, Reply, per_page


class AuditQuery(PageQuery):
    type: Literal[EVENT_TYPES] | None = None
    email: str | None = pydantic.Field(None, description="the account concerned (case does not matter)")
    since: str | None = pydantic.Field(None, description="a date (2027-03-31) or an instant with its offset "
                                                         "(2027-03-31T08:00:00+07:00)")
    per_page: int = per_page(50, 200)


class AuditEvent(Reply):
    id: int
    at: datetime
    type: Literal[EVENT_TYPES]
    actor_id: int | None
    email: str
    address: str
    detail: dict[str, Any]


class AuditEvents(Reply):
    events: list[AuditEvent]
    total: int
    page: int
    per_page: int
