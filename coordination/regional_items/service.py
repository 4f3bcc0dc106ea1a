"""Regional (cross-border) items: raise one for several member states, read one, list them.
Services flush; the caller commits. Who may read what is the policy's (auth/policy.py)."""
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from coordination import clock, paging
from coordination.auth.policy import may, may_see, require
from coordination.directory.models import Country, Ministry
from coordination.errors import NotFound, ValidationError
from coordination.ids import as_id
from coordination.items import service as items
from coordination.items.models import ActionItem, ItemEvent
from coordination.regional_items import progress, schemas
from coordination.regional_items.models import RegionalItem

PARTS = (selectinload(RegionalItem.parts).selectinload(ActionItem.country),
         selectinload(RegionalItem.parts).selectinload(ActionItem.ministry))


def create(session, actor, data: dict, now: datetime) -> RegionalItem:
    """A regional item for two or more member states and, in each, its part: an action item in
    draft for that country's coordinator to assign, who is told."""
    require(actor, "regional.create")
    body = schemas.RegionalItemCreate.parse(data)
    known = set(session.scalars(select(Country.code).where(Country.code.in_(body.countries))))
    unknown = [code for code in body.countries if code not in known]
    if unknown:
        raise ValidationError({"countries": [gettext("There is no member state with the code %(codes)s.",
                                                     codes=", ".join(unknown))]})
    regional = RegionalItem(title=body.title, description=body.description, due_date=body.due_date, state="open",
                            created_by_id=actor.id, created_at=now, updated_at=now)
    session.add(regional)
    session.flush()
    for code in sorted(body.countries):
        part = items.create_part(session, actor, code, regional.id, body, now)
        progress.part_created(session, regional, part, actor, now)
    session.expire(regional, ["parts"])
    return regional


def get(session, actor, regional_item_id) -> RegionalItem:
    """The regional item, if ``actor`` may read it; otherwise NotFound."""
    regional = None
    if as_id(regional_item_id):
        regional = session.scalars(select(RegionalItem).where(RegionalItem.id == regional_item_id)
                                   .options(*PARTS)).first()
    if regional is None or not may_see(actor, regional) or not may(actor, "regional.read", regional):
        raise NotFound(gettext("There is no such regional item."))
    return regional


@dataclass(frozen=True)
class PartView:
    """A part as ``actor`` reads it: its country and state for all who read the regional item;
    the item, its due date and holder for the secretariat and the part's own country; the history
    for the secretariat."""

    country: Country
    state: str
    overdue: bool
    item_id: int | None
    due_date: date | None
    ministry: Ministry | None
    events: list | None


def local_today(country, now: datetime) -> date:
    return clock.local(now, country.timezone).date()


def parts_of(session, actor, regional: RegionalItem, now: datetime, *, history: bool = True) -> list[PartView]:
    events: dict[int, list] = {}
    history = history and may(actor, "regional.parts", regional)
    if history and regional.parts:
        for event in session.scalars(select(ItemEvent).where(ItemEvent.item_id.in_([p.id for p in regional.parts]))
                                     .order_by(ItemEvent.item_id, ItemEvent.id)):
            events.setdefault(event.item_id, []).append(event)
    views = []
    for part in regional.parts:
        own = actor.role == "secretariat" or actor.country_code == part.country_code
        views.append(PartView(
            country=part.country, state=part.state, overdue=part.is_overdue(local_today(part.country, now)),
            item_id=part.id if own else None, due_date=part.due_date if own else None,
            ministry=part.ministry if own else None, events=events.get(part.id, []) if history else None))
    return views


def _visible(actor, statement):
    """Only the regional items ``actor`` may read: a member state's users those naming it."""
    if actor.country_code is not None:
        mine = select(ActionItem.regional_item_id).where(ActionItem.country_code == actor.country_code,
                                                         ActionItem.regional_item_id.is_not(None))
        statement = statement.where(RegionalItem.id.in_(mine))
    return statement


def page(session, actor, state: str | None, number: int, per_page: int) -> tuple[list[RegionalItem], int]:
    """A page of the regional items ``actor`` may read, by due date; and how many there are."""
    require(actor, "regional.read")
    statement = _visible(actor, select(RegionalItem))
    if state:
        statement = statement.where(RegionalItem.state == state)
    total = session.scalar(statement.with_only_columns(func.count(), maintain_column_froms=True).order_by(None))
    rows = session.scalars(statement.options(*PARTS).order_by(RegionalItem.due_date, RegionalItem.id)
                           .offset(paging.offset(number, per_page)).limit(per_page)).all()
    return list(rows), total


PANEL_SIZE = 5


def secretariat_panel(session, actor, now: datetime) -> dict | None:
    """The open regional items due first, and their overdue parts (the secretariat's home)."""
    if not may(actor, "regional.parts"):
        return None
    rows, total = page(session, actor, "open", 1, PANEL_SIZE)
    overdue = [(regional, part) for regional in rows for part in regional.parts
               if part.is_overdue(local_today(part.country, now))]
    return {"items": rows, "total": total, "overdue": overdue}


def country_panel(session, actor, country_code: str, now: datetime) -> dict | None:
    """The member state's open parts of regional items, due first (its board, its page)."""
    if not may(actor, "regional.read") or actor.country_code not in (None, country_code):
        return None
    if actor.country_code is None and actor.role != "secretariat":
        return None
    parts = session.scalars(
        select(ActionItem).join(RegionalItem, RegionalItem.id == ActionItem.regional_item_id)
        .where(ActionItem.country_code == country_code, ActionItem.regional_item_id.is_not(None),
               RegionalItem.state == "open")
        .options(selectinload(ActionItem.country), selectinload(ActionItem.ministry))
        .order_by(ActionItem.due_date, ActionItem.id).limit(PANEL_SIZE * 2)).all()
    regionals = {r.id: r for r in session.scalars(select(RegionalItem).where(
        RegionalItem.id.in_({p.regional_item_id for p in parts})))} if parts else {}
    return {"parts": [(regionals[p.regional_item_id], p) for p in parts],
            "today": local_today(parts[0].country, now) if parts else None}
