"""Schemas of action items: what the doors send in (the API's bodies, the forms' data) and
what the API answers. The states, triggers, guarantees and priorities are the workflow's
and the models' own tuples.

The messages are English, marked for the catalogue (``N_``); the service translates them into
the language of the request when it raises them (``service.translated``)."""
from datetime import date, datetime
from typing import Literal

import pydantic
from flask_babel import gettext

from coordination.i18n import N_
from coordination.ids import MAX_ID, as_id
from coordination.items import workflow
from coordination.items.models import GUARANTEES, PRIORITIES
from coordination.schemas import (
    PageQuery,
    Reply,
    Schema,
    checked,
    choice,
    day,
    invalid,
    per_page,
    row_id,
    row_ids,
    text,
    whole_number,
)

TITLE_MAX = 200
DESCRIPTION_MAX = 10_000
COMMENT_MAX = 5_000
# The history records these beside the workflow's triggers.
EVENT_KINDS = ("create", "edit", "comment", *workflow.TRIGGERS, "attach", "detach", "officer")
# The fields an edit records in its changes (the names of the item JSON).
CHANGED_FIELDS = ("title", "description", "due_date", "priority", "guarantee", "supporting_ministry_ids")

TITLE = text(required=True, max_length=TITLE_MAX, messages={
    "type": N_("The title must be text."), "required": N_("The title is required."),
    "long": N_("The title may be at most 200 characters long.")})
DESCRIPTION = text(max_length=DESCRIPTION_MAX, messages={
    "type": N_("The description must be text."), "long": N_("The description may be at most 10000 characters long.")})
DUE_DATE = day(N_("Enter the due date as a date, e.g. 2027-03-31."))
PRIORITY = choice(PRIORITIES, N_("Choose a priority: low, normal or high."), default="normal")
GUARANTEE = choice(GUARANTEES, N_("Choose a guarantee of the floor, or none."), nullable=True)
MINISTRY = row_id(N_("Choose a ministry of this member state."))
SUPPORTERS = row_ids(N_("Send a list of ministry ids."))
OFFICER = row_id(N_("Choose an active colleague of the ministry holding the item."))
VERSION = whole_number(N_("Send the version of the item you saw (a whole number)."))
COMMENT_MESSAGES = {"type": N_("The comment must be text."), "required": N_("The comment is required."),
                    "long": N_("The comment may be at most 5000 characters long.")}
COMMENT = text(max_length=COMMENT_MAX, messages=COMMENT_MESSAGES)
REQUIRED_COMMENT = text(max_length=COMMENT_MAX, required=True, messages=COMMENT_MESSAGES)


def _trigger(value):
    if value not in workflow.TRIGGERS:
        raise invalid(gettext("Unknown trigger. Triggers: %(triggers)s.", triggers=", ".join(workflow.TRIGGERS)))
    return value


TRIGGER = checked(_trigger, {"type": "string", "enum": list(workflow.TRIGGERS)})


class ItemCreate(Schema):
    """A new item (coordinator); it starts as a draft, in the coordinator's country."""

    title: TITLE
    description: DESCRIPTION = ""
    due_date: DUE_DATE = pydantic.Field(description="any date, past ones included")
    priority: PRIORITY = "normal"
    guarantee: GUARANTEE = None
    ministry_id: MINISTRY = pydantic.Field(None, description="the ministry to assign it to later; "
                                                             "one of the coordinator's country")
    supporter_ids: SUPPORTERS = pydantic.Field(None, description="supporting ministries (they read and comment)")


class ItemChanges(Schema):
    """Changes to an item (coordinator): only the fields sent change; a changed due date re-arms
    its reminders."""

    version: VERSION = pydantic.Field(description="the version of the item the change is made to")
    title: TITLE = None
    description: DESCRIPTION = None
    due_date: DUE_DATE = None
    priority: PRIORITY = None
    guarantee: GUARANTEE = None
    supporter_ids: SUPPORTERS = None
    assignee_id: OFFICER = pydantic.Field(None, description="the named officer: a user of the holding ministry, or "
                                                            "null for none. The coordinator, or staff of the "
                                                            "holding ministry (then the only field sent)")


class ItemTransition(Schema):
    trigger: TRIGGER
    version: VERSION
    comment: COMMENT = pydantic.Field(None, description="required by decline, hand_over, transfer, block, "
                                                        "submit, send_back, reopen and cancel (but from draft)")
    ministry_id: MINISTRY = pydantic.Field(None, description="the ministry of assign, hand_over and transfer")


class ItemComment(Schema):
    comment: REQUIRED_COMMENT


# The orders of the item list (items/queries.py gives each its label and its index).
SORT_KEYS = ("due", "state", "ministry", "priority", "updated")
ASSIGNEE_FILTERS = ("me",)
Q_KEPT = 200  # the words searched for: the rest of a longer text is cut off
YES = ("1", "true", "yes", "on")


def _known(options, default=None):
    """A value among ``options``; anything else is ``default`` (a list link with an old or
    mistyped filter still shows the list)."""
    return lambda value: value if value in options else default


class ItemFilterQuery(Schema):
    """What the item list is filtered and sorted by (the API's query string and the list page's
    links). A filter it does not know is ignored, never refused."""

    state: checked(_known(workflow.STATES), {"type": ["string", "null"], "enum": [*workflow.STATES, None]}) = None
    ministry_id: checked(lambda value: as_id(str(value or "")), {"type": ["integer", "null"], "minimum": 1}) = None
    guarantee: checked(lambda value: value or None, {"type": ["string", "null"], "enum": [*GUARANTEES, None]}) = None
    overdue: checked(lambda value: str(value).lower() in YES, {"type": ["boolean", "null"]}) = pydantic.Field(
        False, description="true: only items past their due date and open")
    q: checked(lambda value: str(value or "").strip()[:Q_KEPT], {"type": ["string", "null"]}) = pydantic.Field(
        "", description="words in the title or description")
    sort: checked(_known(SORT_KEYS, "due"), {"type": "string", "enum": list(SORT_KEYS)}) = pydantic.Field(
        "due", description="due: open items first, by due date")
    assignee: checked(_known(ASSIGNEE_FILTERS), {"type": ["string", "null"], "enum": [*ASSIGNEE_FILTERS, None]}) = \
        pydantic.Field(None, description="me: only the items whose named officer is the user")


class ItemQuery(ItemFilterQuery, PageQuery):
    per_page: int = per_page(25, 100)


# -- replies -------------------------------------------------------------------------------------

class FieldChange(Reply):
    """One field an edit changed, in the item's JSON names and forms."""

    field: Literal[CHANGED_FIELDS]
    old: str | list[int] | None = pydantic.Field(description="the value before: text, an ISO date, a code, "
                                                             "ministry ids (supporting_ministry_ids), or null")
    new: str | list[int] | None = pydantic.Field(description="the value after, in the same form")


class ItemEvent(Reply):
    trigger: Literal[EVENT_KINDS]
    from_state: Literal[workflow.STATES] | None
    to_state: Literal[workflow.STATES] | None
    from_ministry_id: int | None
    to_ministry_id: int | None
    from_assignee_id: int | None
    to_assignee_id: int | None
    actor: int
    comment: str
    at: datetime
    changes: list[FieldChange] | None = pydantic.Field(
        None, description="for an edit, what it changed from what to what; absent for the other steps and for "
                          "edits recorded before the values were kept")


class ItemBase(Reply):
    id: int
    country: str
    title: str
    description: str
    state: Literal[workflow.STATES]
    version: int
    ministry_id: int | None
    assignee_id: int | None = pydantic.Field(description="the named officer (a user of the holding ministry), or null")
    due_date: date
    overdue: bool
    guarantee: Literal[GUARANTEES] | None
    priority: Literal[PRIORITIES]
    supporting_ministry_ids: list[int]
    regional_item_id: int | None = pydantic.Field(description="the regional (cross-border) item this item is its "
                                                              "country's part of, or null")
    meeting_id: int | None = pydantic.Field(description="the meeting whose decision the item carries out, or null")
    created_by: int
    created_at: datetime
    updated_at: datetime
    allowed_triggers: list[Literal[workflow.TRIGGERS]] = pydantic.Field(description="what this user may fire now")


class Item(ItemBase):
    """An item with its history."""

    events: list[ItemEvent]
    watchers: list[int] = pydantic.Field(description="the ids of the users watching the item")
    watching: bool = pydantic.Field(description="whether this user watches the item")


class ItemList(Reply):
    items: list[ItemBase]
    total: int
    page: int
    per_page: int


class CountryCounts(Reply):
    country: str
    name: str
    by_state: dict[Literal[workflow.STATES], int]
    total: int
    overdue: int


class ItemSummary(Reply):
    countries: list[CountryCounts]


# -- bulk steps (items/bulk.py) ------------------------------------------------------------------

BULK_MAX = 500  # items in one bulk step
BULK_IDS_MESSAGE = N_("Send a list of action item ids (whole numbers).")


def _bulk_ids(value):
    if not isinstance(value, list):
        raise invalid(BULK_IDS_MESSAGE)
    if not value:
        raise invalid(N_("Choose at least one action item."))
    if len(value) > BULK_MAX:
        raise invalid(N_("Choose at most 500 action items at once."))
    if any(isinstance(v, bool) or not isinstance(v, int) or as_id(v) is None for v in value):
        raise invalid(BULK_IDS_MESSAGE)
    if len(set(value)) != len(value):
        raise invalid(N_("Name each action item once: some ids are repeated."))
    return list(value)


def _optional_trigger(value):
    return None if value in (None, "") else _trigger(value)


class BulkStep(Schema):
    """One step on many items (coordinator): a trigger, a new due date or priority, or a
    change of the fields and then a trigger. Each item is checked and changed as if alone."""

    ids: checked(_bulk_ids, {"type": "array", "minItems": 1, "maxItems": BULK_MAX, "uniqueItems": True,
                             "items": {"type": "integer", "minimum": 1, "maximum": MAX_ID}},
                 missing=N_("Choose at least one action item."))
    trigger: checked(_optional_trigger, {"type": ["string", "null"], "enum": [*workflow.TRIGGERS, None]}) = None
    comment: COMMENT = pydantic.Field(None, description="the step's comment, the same for every item")
    ministry_id: MINISTRY = pydantic.Field(None, description="the ministry of assign and transfer")
    due_date: day(N_("Enter the due date as a date, e.g. 2027-03-31."), required=False) = None
    priority: choice(PRIORITIES, N_("Choose a priority: low, normal or high."), nullable=True) = None


BULK_STATUSES = ("done", "unchanged", "refused")


class BulkResult(Reply):
    id: int
    status: Literal[BULK_STATUSES] = pydantic.Field(description="done; unchanged (the item had these "
                                                                "values already); refused")
    error: str | None = pydantic.Field(description="when refused: the error code the item alone would answer "
                                                   "(invalid_transition, forbidden, not_found, validation_error)")
    message: str | None = pydantic.Field(description="when refused: why, in the request's language")


class BulkResults(Reply):
    results: list[BulkResult]
