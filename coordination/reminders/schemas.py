"""Schemas of the user's notifications in the JSON API."""
from datetime import date, datetime
from typing import Literal

import pydantic

from coordination.reminders.models import IN_APP_KINDS
from coordination.schemas import PageQuery, Reply, per_page


class NotificationQuery(PageQuery):
    unread: str | None = pydantic.Field(None, description="1, true or yes: the unread ones only")
    per_page: int = per_page(50, 200)


class Notification(Reply):
    id: int
    kind: Literal[IN_APP_KINDS]
    event: str | None = pydantic.Field(description="for a notice, the trigger that happened")
    subject_type: str | None = pydantic.Field(description="item or report")
    subject_id: int | None
    offset: int | None = pydantic.Field(description="days from the due date (reminders)")
    due_date: date | None
    title: str
    body: str
    occurred_at: datetime
    created_at: datetime
    read_at: datetime | None
    url: str | None


class Notifications(Reply):
    notifications: list[Notification]
    total: int
    unread: int
    page: int
    per_page: int
