"""Schemas of the audit log: the filters of its list (the API's query string, the admin page's
form) and what the API answers."""
from datetime import UTC, date, datetime
from typing import Any, Literal

import pydantic

from coordination.audit.models import EVENT_TYPES
from coordination.i18n import N_
from coordination.messages import msg
from coordination.schemas import PageQuery, Reply, Schema, checked, invalid, per_page

EMAIL_KEPT = 254  # the longest address there is; the rest of a longer one is cut off
SINCE = N_("Send a date (2027-03-31) or an instant with its offset (2027-03-31T08:00:00+07:00).")


def _type(value):
    value = "" if value is None else value
    if not isinstance(value, str) or value.strip() not in ("", *EVENT_TYPES):
        raise invalid(msg(N_("Choose one of: %(choices)s."), choices=", ".join(EVENT_TYPES)))
    return value.strip()


def _email(value):
    return value.strip().lower()[:EMAIL_KEPT] if isinstance(value, str) else ""


def _since(value):
    """A date (its start in UTC) or an instant with its offset, from 1900 to 2199; empty is None."""
    raw = value.strip() if isinstance(value, str) else value
    if raw in (None, ""):
        return None
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            instant = datetime(day.year, day.month, day.day, tzinfo=UTC)
        else:
            instant = datetime.fromisoformat(raw)
    except (TypeError, ValueError):
        raise invalid(SINCE) from None
    if instant.tzinfo is None or not 1900 <= instant.year <= 2199:
        raise invalid(SINCE)
    return instant


class AuditFilterQuery(Schema):
    """What the list is filtered by; an empty field filters nothing."""

    type: checked(_type, {"type": ["string", "null"], "enum": ["", *EVENT_TYPES, None]}) = ""
    email: checked(_email, {"type": ["string", "null"]}) = pydantic.Field(
        "", description="the account concerned (case does not matter)")
    since: checked(_since, {"type": ["string", "null"]}) = pydantic.Field(
        None, description="a date (2027-03-31) or an instant with its offset (2027-03-31T08:00:00+07:00)")


class AuditQuery(AuditFilterQuery, PageQuery):
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
