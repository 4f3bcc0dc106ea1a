"""Schemas of the user's notifications in the JSON API."""
from datetime import date, datetime
from typing import Literal

import pydantic

from coordination.i18n import N_
from coordination.messages import msg
from coordination.reminders.models import API_EMAIL_MODES, EMAIL_MODE_ALIASES, IN_APP_KINDS
from coordination.schemas import PageQuery, Reply, Schema, choice, per_page


class NotificationQuery(PageQuery):
    unread: str | None = pydantic.Field(None, description="1, true or yes: the unread ones only")
    per_page: int = per_page(50, 200)


class Notification(Reply):
    id: int
    kind: Literal[IN_APP_KINDS]
    event: str | None = pydantic.Field(description="for a notice, the trigger that happened")
    subject_type: str | None = pydantic.Field(description="item, report or practice")
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


# -- the e-mail preference -----------------------------------------------------------------------

EMAIL_MODE = choice(EMAIL_MODE_ALIASES, msg(N_("Choose one of: %(choices)s."), choices=", ".join(API_EMAIL_MODES)))


class EmailPreferenceInput(Schema):
    email_mode: EMAIL_MODE = pydantic.Field(description="each: every reminder and notice as it comes; daily: one "
                                                        "summary a day (digest, as the account page says, is "
                                                        "the same); none: in the application only, no e-mail")


class EmailPreference(Reply):
    email_mode: Literal[tuple(API_EMAIL_MODES)]
