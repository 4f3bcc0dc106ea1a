"""Schemas of meetings and their decisions: the API's bodies (and the forms' data) and answers.
Types, lengths and ranges are checked here; what depends on the data (a ministry of this
country, a member state) in the service."""
from datetime import date, datetime
from typing import Literal

import pydantic

from coordination.i18n import N_
from coordination.items import schemas as items
from coordination.items.workflow import STATES
from coordination.schemas import (
    PageQuery,
    Reply,
    Schema,
    checked,
    day,
    invalid,
    per_page,
    row_id,
    row_ids,
    text,
    whole_number,
)

TITLE_MAX = 200
MINUTES_MAX = 50_000
COUNTRY_MESSAGE = N_("Use the two-letter code of a member state, e.g. PH.")
COUNTRIES_MESSAGE = N_("Send a list of member state codes, e.g. [\"PH\", \"MY\"].")


def _code(value):
    if value in (None, ""):
        return None
    if not isinstance(value, str) or len(value.strip()) != 2 or not value.strip().isalpha():
        raise invalid(COUNTRY_MESSAGE)
    return value.strip().upper()


def _codes(value):
    if value in (None, ""):
        return []
    if not isinstance(value, list) or any(_code(code) is None for code in value):
        raise invalid(COUNTRIES_MESSAGE)
    return [_code(code) for code in value]


COUNTRY = checked(_code, {"type": ["string", "null"], "minLength": 2, "maxLength": 2})
COUNTRIES = checked(_codes, {"type": ["array", "null"], "items": {"type": "string", "minLength": 2, "maxLength": 2}})
TITLE = text(required=True, max_length=TITLE_MAX, messages={
    "type": N_("The title must be text."), "required": N_("The title is required."),
    "long": N_("The title may be at most 200 characters long.")})
HELD_ON = day(N_("Enter the day the meeting was held as a date, e.g. 2027-03-31."))
MINUTES = text(max_length=MINUTES_MAX, messages={
    "type": N_("The minutes must be text."), "long": N_("The minutes may be at most 50000 characters long.")})
MINISTRIES = row_ids(N_("Send a list of ministry ids."))
VERSION = whole_number(N_("Send the version of the meeting you saw (a whole number)."))
DECISION = text(required=True, max_length=items.TITLE_MAX, messages={
    "type": N_("The decision must be text."), "required": N_("Write the decision."),
    "long": N_("The decision may be at most 200 characters long (put the rest in the description).")})


class MeetingCreate(Schema):
    """A meeting: of the coordinator's national mechanism (``country`` theirs, or absent), or,
    by the secretariat and without ``country``, of the regional network."""

    title: TITLE
    held_on: HELD_ON
    country: COUNTRY = pydantic.Field(None, description="the coordinator's country (the default); absent "
                                                        "for a meeting of the regional network")
    attendee_ministry_ids: MINISTRIES = pydantic.Field(None, description="a national meeting: the ministries "
                                                                         "attending, of that country")
    attendee_countries: COUNTRIES = pydantic.Field(None, description="a regional meeting: the member states "
                                                                     "attending, by code")
    minutes: MINUTES = ""


class MeetingChanges(Schema):
    """Changes to a meeting (its creator's side): only the fields sent change."""

    version: VERSION = pydantic.Field(description="the version of the meeting the change is made to")
    title: TITLE = None
    held_on: HELD_ON = None
    attendee_ministry_ids: MINISTRIES = None
    attendee_countries: COUNTRIES = None
    minutes: MINUTES = None


class DecisionCreate(Schema):
    """A decision of the meeting, carried out by a new action item linked back to it."""

    text: DECISION = pydantic.Field(description="the decision; the item's title")
    description: items.DESCRIPTION = ""
    due_date: items.DUE_DATE
    ministry_id: row_id(N_("Choose a ministry of this member state.")) = pydantic.Field(
        None, description="a national meeting: the ministry (of that country) the item is assigned to at once; "
                          "without, the item is a draft for the coordinator")
    country: COUNTRY = pydantic.Field(None, description="a regional meeting: the member state whose coordinator "
                                                        "gets the item as a draft (required there)")


class MeetingQuery(PageQuery):
    country: COUNTRY = pydantic.Field(None, description="a member state's national meetings; absent: the "
                                                        "regional network's")
    per_page: int = per_page(25, 100)


# -- replies -------------------------------------------------------------------------------------

class Decision(Reply):
    item_id: int
    text: str
    country: str
    ministry_id: int | None
    due_date: date
    state: Literal[STATES] | None = pydantic.Field(description="the item's state; null for a user of another "
                                                                "member state")
    overdue: bool | None


class MeetingBase(Reply):
    id: int
    country: str | None = pydantic.Field(description="null: a meeting of the regional network")
    title: str
    held_on: date
    version: int
    attendee_ministry_ids: list[int]
    attendee_countries: list[str]
    created_by: int
    created_at: datetime
    updated_at: datetime


class Meeting(MeetingBase):
    minutes: str
    decisions: list[Decision]


class MeetingList(Reply):
    meetings: list[MeetingBase]
    total: int
    page: int
    per_page: int
