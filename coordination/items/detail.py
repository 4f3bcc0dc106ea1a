"""One action item for its JSON (API.md, GET /api/v1/items/ID), read as plain rows: the item
with its history in one statement, no ORM objects to build."""
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from flask_babel import gettext
from sqlalchemy import bindparam, func, select

from coordination.auth.policy import may, may_see
from coordination.directory.models import Country, Ministry
from coordination.errors import NotFound
from coordination.ids import as_id
from coordination.items.models import ActionItem, ItemEvent, item_supporters
from coordination.items.workflow import CLOSED_STATES


@dataclass(frozen=True)
class Zone:
    timezone: str


@dataclass(frozen=True)
class Supporter:
    id: int


@dataclass(frozen=True)
class ItemDetail:
    """What the JSON of one item shows, read as plain rows (no ORM objects to build): the
    item's columns, its country's time zone, its supporting ministries and its history. It
    answers the policy's and item_json's questions as an ActionItem does."""

    id: int
    country_code: str
    title: str
    description: str
    state: str
    version: int
    ministry_id: int | None
    assignee_id: int | None
    due_date: date
    priority: str
    guarantee: str | None
    created_by_id: int
    created_at: datetime
    updated_at: datetime
    regional_item_id: int | None
    meeting_id: int | None
    country: Zone
    supporters: list[Supporter]
    events: list

    @property
    def is_open(self) -> bool:
        return self.state not in CLOSED_STATES

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due_date < today


_EVENT_COLUMNS = ("trigger", "from_state", "to_state", "from_ministry_id", "to_ministry_id", "actor_id", "comment",
                  "at", "changes", "from_assignee_id", "to_assignee_id")


@dataclass(frozen=True)
class EventRow:
    trigger: str
    from_state: str | None
    to_state: str | None
    from_ministry_id: int | None
    to_ministry_id: int | None
    actor_id: int
    comment: str
    at: datetime
    changes: list | None
    from_assignee_id: int | None
    to_assignee_id: int | None


@cache
def _detail_statements():
    """(the item with its country's zone, how many supporters it has, and its events, one row
    per event; its supporters by acronym): built once."""
    items, countries = ActionItem.__table__, Country.__table__
    events, ministries = ItemEvent.__table__, Ministry.__table__
    item_id = bindparam("item_id")
    supporters = (select(func.count()).select_from(item_supporters)
                  .where(item_supporters.c.item_id == items.c.id).scalar_subquery())
    event_columns = [events.c[name].label(f"event_{name}") for name in _EVENT_COLUMNS]
    return (
        select(items, countries.c.timezone, supporters.label("supporter_count"), events.c.id.label("event_id"),
               *event_columns)
        .join(countries, countries.c.code == items.c.country_code)
        .outerjoin(events, events.c.item_id == items.c.id)
        .where(items.c.id == item_id).order_by(events.c.id),
        select(item_supporters.c.ministry_id).join(ministries, ministries.c.id == item_supporters.c.ministry_id)
        .where(item_supporters.c.item_id == item_id).order_by(ministries.c.acronym),
    )


def item_detail(session, actor, item_id) -> ItemDetail:
    """One item for its JSON, if ``actor`` may read it; otherwise NotFound, as
    service.get_item. Index reads of Core rows: the item with its history in one statement,
    its supporting ministries in a second one when it has any."""
    item_statement, supporters_statement = _detail_statements()
    rows = session.execute(item_statement, {"item_id": item_id}).all() if as_id(item_id) else []
    if rows:
        first = rows[0]._mapping
        supporters = []
        if first["supporter_count"]:
            supporters = [Supporter(i) for i in session.scalars(supporters_statement, {"item_id": item_id})]
        events = [EventRow(*(row._mapping[f"event_{name}"] for name in _EVENT_COLUMNS))
                  for row in rows if row._mapping["event_id"] is not None]
        detail = ItemDetail(**{name: first[name] for name in _DETAIL_COLUMNS},
                            country=Zone(first["timezone"]), supporters=supporters, events=events)
        if may_see(actor, detail) and may(actor, "item.read", detail):
            return detail
    raise NotFound(gettext("There is no such action item."))


_DETAIL_COLUMNS = ("id", "country_code", "title", "description", "state", "version", "ministry_id", "assignee_id",
                   "due_date",
                   "priority", "guarantee", "created_by_id", "created_at", "updated_at", "regional_item_id",
                   "meeting_id")
