"""Read-side queries for lists, boards and summaries: aggregates in SQL, a fixed number of
queries whatever the number of items."""
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import selectinload

from coordination import clock
from coordination.directory.models import Country, Ministry
from coordination.ids import as_id
from coordination.items.models import ActionItem
from coordination.items.workflow import CLOSED_STATES, HELD_BY_MINISTRY, STATES, WAITING_ON_COORDINATOR

BOARD_LIST_LIMIT = 20
INBOX_LIMIT = 20


@dataclass
class ItemFilters:
    state: str | None = None
    ministry_id: int | None = None
    guarantee: str | None = None
    overdue: bool = False
    q: str = ""

    @classmethod
    def from_args(cls, args) -> "ItemFilters":
        state = args.get("state") or None
        ministry = args.get("ministry_id") or ""
        return cls(
            state=state if state in STATES else None,
            ministry_id=as_id(str(ministry)),
            guarantee=args.get("guarantee") or None,
            overdue=str(args.get("overdue", "")).lower() in ("1", "true", "yes", "on"),
            q=(args.get("q") or "").strip()[:200],
        )


def overdue_clause(today: date):
    return and_(ActionItem.due_date < today, ActionItem.state.not_in(CLOSED_STATES))


def items_statement(actor, filters: ItemFilters, today: date):
    """The items of the actor's country matching ``filters``, overdue and due first."""
    statement = select(ActionItem).where(ActionItem.country_code == actor.country_code)
    if filters.state:
        statement = statement.where(ActionItem.state == filters.state)
    if filters.ministry_id:
        statement = statement.where(ActionItem.ministry_id == filters.ministry_id)
    if filters.guarantee:
        statement = statement.where(ActionItem.guarantee == filters.guarantee)
    if filters.overdue:
        statement = statement.where(overdue_clause(today))
    if filters.q:
        like = f"%{filters.q.lower()}%"
        statement = statement.where(
            or_(func.lower(ActionItem.title).like(like), func.lower(ActionItem.description).like(like))
        )
    open_first = case((ActionItem.state.in_(CLOSED_STATES), 1), else_=0)
    return statement.options(selectinload(ActionItem.ministry)).order_by(
        open_first, ActionItem.due_date, ActionItem.id
    )


def country_board(session, country: Country, now: datetime) -> dict:
    """Counts by state and by holding ministry, with overdue counts, in two queries."""
    today = clock.local(now, country.timezone).date()
    overdue = func.sum(case((overdue_clause(today), 1), else_=0))
    by_state = {
        state: (count, late or 0)
        for state, count, late in session.execute(
            select(ActionItem.state, func.count(), overdue)
            .where(ActionItem.country_code == country.code)
            .group_by(ActionItem.state)
        )
    }
    open_count = func.sum(case((ActionItem.state.not_in(CLOSED_STATES), 1), else_=0))
    by_ministry = session.execute(
        select(Ministry, func.coalesce(open_count, 0), func.coalesce(overdue, 0))
        .outerjoin(ActionItem, ActionItem.ministry_id == Ministry.id)
        .where(Ministry.country_code == country.code)
        .group_by(Ministry.id)
        .order_by(func.coalesce(overdue, 0).desc(), func.coalesce(open_count, 0).desc(), Ministry.acronym)
    ).all()
    # What needs the coordinator's eye first: overdue items, then what waits on them.
    attention = session.scalars(
        select(ActionItem)
        .where(ActionItem.country_code == country.code,
               or_(overdue_clause(today), ActionItem.state.in_(WAITING_ON_COORDINATOR)))
        .options(selectinload(ActionItem.ministry))
        .order_by(ActionItem.due_date, ActionItem.id)
        .limit(BOARD_LIST_LIMIT)
    ).all()
    return {
        "by_state": [(s, *by_state.get(s, (0, 0))) for s in STATES],
        "by_ministry": by_ministry,
        "overdue": sum(late for _, late in by_state.values()),
        "overdue_items": [i for i in attention if i.is_overdue(today)],
        "waiting_items": [i for i in attention if not i.is_overdue(today)],
        "today": today,
    }


def summary(session, actor, now: datetime) -> list[dict]:
    """Counts by country and state, with overdue counts: the secretariat's only view of items.
    National users get their own country's row."""
    countries = session.scalars(select(Country).order_by(Country.code)).all()
    if actor.country_code is not None:
        countries = [c for c in countries if c.code == actor.country_code]
    # Each country has its own "today"; one CASE per country keeps it one query.
    today_of = {c.code: clock.local(now, c.timezone).date() for c in countries}
    overdue = func.sum(case(
        *[(and_(ActionItem.country_code == code, overdue_clause(today)), 1) for code, today in today_of.items()],
        else_=0,
    )) if today_of else func.sum(0)
    rows = session.execute(
        select(ActionItem.country_code, ActionItem.state, func.count(), overdue)
        .where(ActionItem.country_code.in_(list(today_of)))
        .group_by(ActionItem.country_code, ActionItem.state)
    ).all()
    result = {c.code: {"country": c.code, "name": c.name, "by_state": dict.fromkeys(STATES, 0),
                       "total": 0, "overdue": 0} for c in countries}
    for code, state, count, late in rows:
        entry = result[code]
        entry["by_state"][state] = count
        entry["total"] += count
        entry["overdue"] += late or 0
    return list(result.values())


def inbox(session, actor, now: datetime) -> dict:
    """What the actor's ministry holds, in three sections (overdue; waiting for acceptance;
    in progress), each with its count and its first INBOX_LIMIT items by due date."""
    today = clock.local(now, actor.country.timezone).date()
    held = and_(ActionItem.ministry_id == actor.ministry_id, ActionItem.state.in_(HELD_BY_MINISTRY))
    late = ActionItem.due_date < today
    sections = {
        "overdue": late,
        "waiting": and_(~late, ActionItem.state == "assigned"),
        "in_progress": and_(~late, ActionItem.state.in_(("in_progress", "blocked"))),
    }
    counts = session.execute(select(*[func.count().filter(c) for c in sections.values()]).where(held)).one()
    result: dict = {"today": today, "limit": INBOX_LIMIT}
    for (key, condition), count in zip(sections.items(), counts, strict=True):
        result[key] = session.scalars(  # all held by the actor's ministry: none loaded per item
            select(ActionItem).where(held, condition)
            .order_by(ActionItem.due_date, ActionItem.id).limit(INBOX_LIMIT)
        ).all()
        result[f"{key}_count"] = count
    return result
