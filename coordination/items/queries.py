"""Read-side queries for lists, boards and summaries, shaped for their indexes: whatever the
number of items held, a page reads its rows in index order (no sort of the whole country) and
takes its counts from ``item_counts`` (see ``counts``), in a fixed number of statements.

A list is the concatenation of *segments*, each an index-served query in (due date, id) order:
open items then closed ones, or one segment per state, per holding ministry, per priority.
The counts say which segments a page overlaps; one statement reads the page's ids from those
segments, and one loads the items.
"""
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import and_, func, literal, or_, select, union_all
from sqlalchemy.orm import selectinload

from coordination import clock, paging
from coordination.directory.models import Country, Ministry
from coordination.ids import as_id
from coordination.items.counts import CLOSED_MONTH, ItemCount, counted, month_start
from coordination.items.models import ActionItem
from coordination.items.schemas import SORT_KEYS, ItemFilterQuery
from coordination.items.workflow import (
    CLOSED_STATES,
    HELD_BY_MINISTRY,
    OPEN_STATES,
    STATES,
    WAITING_ON_COORDINATOR,
)

BOARD_LIST_LIMIT = 20
INBOX_LIMIT = 20
# The orders a user can choose for the item list, by the column clicked.
SORTS = dict(zip(SORT_KEYS, (_l("Due date (open items first)"), _l("State"), _l("Holding ministry"),
                             _l("Priority (high first)"), _l("Last updated (newest first)")), strict=True))
PER_PAGE_CHOICES = (25, 50, 100)
PRIORITY_ORDER = ("high", "normal", "low")


@dataclass
class ItemFilters:
    state: str | None = None
    ministry_id: int | None = None
    guarantee: str | None = None
    overdue: bool = False
    q: str = ""
    sort: str = "due"
    assignee: str | None = None  # "me": the items whose named officer is the user
    assignee_id: int | None = None  # the user "me" stands for (0: nobody)

    @classmethod
    def from_args(cls, args, *, user_id: int | None = None) -> "ItemFilters":
        """From a query string (its first value of each name): schemas.ItemFilterQuery; ``user_id``:
        the user whose list it is (``assignee=me``)."""
        filters = cls(**ItemFilterQuery.parse(args.to_dict() if hasattr(args, "to_dict") else args).model_dump())
        if filters.assignee == "me":
            filters.assignee_id = user_id or 0
        return filters

    @property
    def counted(self) -> bool:
        """Whether ``item_counts`` can answer the counts (no filter on other columns)."""
        return not self.guarantee and not self.q and self.assignee_id is None


def per_page_from(args, default: int = 25) -> int:
    """The web list's rows per page: one of PER_PAGE_CHOICES, else ``default``."""
    return number if (number := paging.page_number(args.get("per_page"))) in PER_PAGE_CHOICES else default


class ListPage(Pagination):
    """A page of a list read by ``item_page``, for the templates' paginator."""

    def __init__(self, items: list, total: int, page: int, per_page: int):
        super().__init__(page=page, per_page=per_page, max_per_page=max(PER_PAGE_CHOICES), error_out=False,
                         found=(items, total))

    def _query_items(self) -> list:
        return self._query_args["found"][0]

    def _query_count(self) -> int:
        return self._query_args["found"][1]


def overdue_clause(today: date):
    return and_(ActionItem.due_date < today, ActionItem.state.not_in(CLOSED_STATES))


def _is_open():
    # NOT IN on purpose, for both halves: an IN list on ``state`` would tempt the planner to
    # the (country, state, due date) index and a sort; NOT IN keeps (country, due date) order.
    return ActionItem.state.not_in(CLOSED_STATES)


def _is_closed():
    return ActionItem.state.not_in(OPEN_STATES)


def _escape_like(text: str) -> str:
    """``text`` for a LIKE pattern with ESCAPE '\\': its %, _ and \\ match themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _conditions(country_code: str, filters: ItemFilters, today: date) -> list:
    conditions = [ActionItem.country_code == country_code]
    if filters.assignee_id is not None:
        conditions.append(ActionItem.assignee_id == filters.assignee_id)
    if filters.state:
        conditions.append(ActionItem.state == filters.state)
    if filters.ministry_id:
        conditions.append(ActionItem.ministry_id == filters.ministry_id)
    if filters.guarantee:
        conditions.append(ActionItem.guarantee == filters.guarantee)
    if filters.overdue:
        conditions.append(overdue_clause(today))
    if filters.q:  # % and _ are plain characters here, as everywhere people search
        like = f"%{_escape_like(filters.q.lower())}%"
        conditions.append(or_(func.lower(ActionItem.title).like(like, escape="\\"),
                              func.lower(ActionItem.description).like(like, escape="\\")))
    return conditions


def items_statement(actor, filters: ItemFilters, today: date):
    """Every item of the actor's country matching ``filters``, open and due first: for
    reading them all (an export). Pages use ``item_page``, which reads only the page."""
    open_first = ActionItem.state.in_(CLOSED_STATES)
    return (select(ActionItem).where(*_conditions(actor.country_code, filters, today))
            .options(selectinload(ActionItem.ministry))
            .order_by(open_first, ActionItem.due_date, ActionItem.id))


# -- counts ------------------------------------------------------------------------------------------

def _grouped_counts(session, country_code: str, filters: ItemFilters, today: date, key) -> Counter:
    """Matching items by ``key`` (a column), counted in SQL: for filters the counts cannot answer.
    One officer's items are counted per value (state, or holding ministry) in one statement, each
    count a range of the officer's index: no GROUP BY sort."""
    conditions = _conditions(country_code, filters, today)
    if filters.assignee_id is None:
        return Counter(dict(session.execute(select(key, func.count()).where(*conditions).group_by(key)).all()))
    if key is ActionItem.state:
        values = list(STATES)
    else:
        values = [*session.execute(select(Ministry.id).where(Ministry.country_code == country_code)
                                   .order_by(Ministry.id)).scalars(), None]
    numbers = session.execute(select(*[
        select(func.count()).select_from(ActionItem)
        .where(*conditions, key.is_(None) if value is None else key == value).scalar_subquery()
        for value in values])).one()
    return Counter(dict(zip(values, numbers, strict=True)))


# -- lists -------------------------------------------------------------------------------------------

@dataclass
class Segment:
    conditions: list
    count: int


def _priority_segments(session, country_code: str, filters: ItemFilters, today: date,
                       reach: int) -> tuple[list[Segment], int]:
    """The priority segments, counted only as far as the page reaches: ``item_counts`` keeps
    no priority, and a page needs a segment's exact count only when it ends past it. Each
    count stops at ``reach`` rows (the end of the page), read from the (country, priority)
    index; the total comes from the kept counts where they answer."""
    conditions = _conditions(country_code, filters, today)
    bounded = [select(func.count()).select_from(
        select(ActionItem.id).where(*conditions, ActionItem.priority == p).limit(reach).subquery()
    ).scalar_subquery() for p in PRIORITY_ORDER]
    if filters.counted:
        total = sum(counted(session, country_code, today, state=filters.state, ministry_id=filters.ministry_id,
                            overdue=filters.overdue).values())
        numbers = session.execute(select(*bounded)).one()
    else:
        everything = select(func.count()).select_from(ActionItem).where(*conditions).scalar_subquery()
        total, *numbers = session.execute(select(everything, *bounded)).one()
    return [Segment([ActionItem.priority == p], n) for p, n in zip(PRIORITY_ORDER, numbers, strict=True)], total


def _segments(session, country_code: str, filters: ItemFilters, today: date) -> tuple[list[Segment], bool]:
    """The list's segments in display order with their counts; and whether they are read
    newest-updated first (else by due date)."""
    if filters.counted:
        by_key = counted(session, country_code, today, state=filters.state, ministry_id=filters.ministry_id,
                         overdue=filters.overdue)
    elif filters.sort == "ministry":  # counted in SQL by the one column the segments need
        by_key = Counter({(None, m): n for m, n in _grouped_counts(
            session, country_code, filters, today, ActionItem.ministry_id).items()})
    else:
        by_key = Counter({(s, None): n for s, n in _grouped_counts(
            session, country_code, filters, today, ActionItem.state).items()})
    by_state, by_ministry = Counter(), Counter()
    for (state, ministry_id), number in by_key.items():
        by_state[state] += number
        by_ministry[ministry_id] += number
    if filters.sort == "updated":
        return [Segment([], sum(by_key.values()))], True
    if filters.sort == "state":
        return [Segment([ActionItem.state == s], by_state.get(s, 0)) for s in STATES], False
    if filters.sort == "ministry":
        ministries = session.execute(select(Ministry.id).where(Ministry.country_code == country_code)
                                     .order_by(Ministry.acronym, Ministry.id)).scalars().all()
        segments = [Segment([ActionItem.ministry_id == m], by_ministry.get(m, 0)) for m in ministries]
        return segments + [Segment([ActionItem.ministry_id.is_(None)], by_ministry.get(None, 0))], False
    open_count = sum(n for s, n in by_state.items() if s not in CLOSED_STATES)
    closed_count = sum(n for s, n in by_state.items() if s in CLOSED_STATES)
    return [Segment([_is_open()], open_count), Segment([_is_closed()], closed_count)], False


def _page_ids(session, base: list, segments: list[Segment], offset: int, limit: int, newest: bool) -> list[int]:
    """The ids of rows ``offset`` to ``offset + limit`` of the concatenated segments, in one
    statement: each overlapping segment read in index order with its own LIMIT and OFFSET."""
    parts, start = [], 0
    for number, segment in enumerate(segments):
        end = start + segment.count
        if segment.count and end > offset and start < offset + limit:
            skip = max(0, offset - start)
            take = min(limit - max(0, start - offset), segment.count - skip)
            order = ((ActionItem.updated_at.desc(), ActionItem.id.desc()) if newest
                     else (ActionItem.due_date, ActionItem.id))
            parts.append(select(ActionItem.id, ActionItem.due_date, literal(number).label("segment"))
                         .where(*base, *segment.conditions).order_by(*order).limit(take).offset(skip))
        start = end
    if not parts:
        return []
    if len(parts) == 1:
        return list(session.execute(parts[0]).scalars())
    subqueries = [part.subquery() for part in parts]
    rows = session.execute(union_all(*[select(s.c.id, s.c.due_date, s.c.segment) for s in subqueries])).all()
    rows.sort(key=lambda row: (row.segment, row.due_date, row.id))
    return [row.id for row in rows]


def load_items(session, ids: list[int], *options) -> list[ActionItem]:
    """The items of ``ids``, in that order, with ``options`` (loader options)."""
    found = {item.id: item for item in session.scalars(
        select(ActionItem).where(ActionItem.id.in_(ids)).options(selectinload(ActionItem.ministry), *options))}
    return [found[i] for i in ids if i in found]


def item_page(session, country_code: str, filters: ItemFilters, today: date, page: int, per_page: int,
              *options) -> tuple[list[ActionItem], int]:
    """(the items of page ``page``, the total matching) of the country's list."""
    if filters.sort == "priority":
        segments, total = _priority_segments(session, country_code, filters, today, page * per_page)
        newest = False
    else:
        segments, newest = _segments(session, country_code, filters, today)
        total = sum(segment.count for segment in segments)
    ids = _page_ids(session, _conditions(country_code, filters, today), segments, (page - 1) * per_page, per_page,
                    newest)
    return load_items(session, ids, *options), total


def _first_by_due(session, parts: list[list], limit: int) -> list[int]:
    """The first ``limit`` ids by (due date, id) of the union of ``parts`` (lists of
    conditions), each part read in index order up to ``limit``: one statement, no sort in SQL."""
    subqueries = [select(ActionItem.id, ActionItem.due_date).where(*conditions)
                  .order_by(ActionItem.due_date, ActionItem.id).limit(limit).subquery() for conditions in parts]
    rows = session.execute(union_all(*[select(s.c.id, s.c.due_date) for s in subqueries])).all()
    rows.sort(key=lambda row: (row.due_date, row.id))
    return [row.id for row in rows[:limit]]


# -- board, summary, inbox ------------------------------------------------------------------------------

def country_board(session, country: Country, now: datetime) -> dict:
    """Counts by state and by holding ministry, with overdue counts, and what needs the
    coordinator's eye first, from the counts and a few index reads."""
    today = clock.local(now, country.timezone).date()
    totals = counted(session, country.code, today)
    late = counted(session, country.code, today, overdue=True)
    by_state = {state: (sum(n for (s, _), n in totals.items() if s == state),
                        sum(n for (s, _), n in late.items() if s == state)) for state in STATES}
    open_by_ministry, late_by_ministry = Counter(), Counter()
    for (state, ministry_id), number in totals.items():
        if state not in CLOSED_STATES:
            open_by_ministry[ministry_id] += number
    for (_, ministry_id), number in late.items():
        late_by_ministry[ministry_id] += number
    ministries = session.scalars(select(Ministry).where(Ministry.country_code == country.code)).all()
    by_ministry = sorted(((m, open_by_ministry.get(m.id, 0), late_by_ministry.get(m.id, 0)) for m in ministries),
                         key=lambda row: (-row[2], -row[1], row[0].acronym))
    # What needs the coordinator's eye first: overdue items, then what waits on them.
    here = ActionItem.country_code == country.code
    parts = [[here, ActionItem.state == state, ActionItem.due_date < today] for state in OPEN_STATES]
    parts += [[here, ActionItem.state == state, ActionItem.due_date >= today] for state in WAITING_ON_COORDINATOR]
    attention = load_items(session, _first_by_due(session, parts, BOARD_LIST_LIMIT))
    return {
        "by_state": [(s, *by_state[s]) for s in STATES],
        "by_ministry": by_ministry,
        "overdue": sum(late.values()),
        "overdue_items": [i for i in attention if i.is_overdue(today)],
        "waiting_items": [i for i in attention if not i.is_overdue(today)],
        "today": today,
    }


def summary(session, actor, now: datetime) -> list[dict]:
    """Counts by country and state, with overdue counts: the secretariat's only view of items.
    National users get their own country's row. From the counts, plus this month's overdue
    items of each country (the items' index)."""
    countries = session.scalars(select(Country).order_by(Country.code)).all()
    if actor.country_code is not None:
        countries = [c for c in countries if c.code == actor.country_code]
    # Each country has its own "today".
    today_of = {c.code: clock.local(now, c.timezone).date() for c in countries}
    result = {c.code: {"country": c.code, "name": c.name, "by_state": dict.fromkeys(STATES, 0),
                       "total": 0, "overdue": 0} for c in countries}
    if not countries:
        return []
    rows = session.execute(
        select(ItemCount.country_code, ItemCount.state, ItemCount.due_month, func.sum(ItemCount.items))
        .where(ItemCount.country_code.in_(list(today_of)))
        .group_by(ItemCount.country_code, ItemCount.state, ItemCount.due_month))
    for code, state, month, number in rows:
        entry = result[code]
        entry["by_state"][state] += number or 0
        entry["total"] += number or 0
        if month != CLOSED_MONTH and month < month_start(today_of[code]):
            entry["overdue"] += number or 0
    this_month = [
        select(literal(code).label("country"), func.count().label("items")).select_from(ActionItem).where(
            ActionItem.country_code == code, ActionItem.due_date >= month_start(today),
            ActionItem.due_date < today, _is_open())
        for code, today in today_of.items()]
    for code, number in session.execute(union_all(*this_month)):
        result[code]["overdue"] += number or 0
    return list(result.values())


def inbox(session, actor, now: datetime) -> dict:
    """What the actor's ministry holds, in three sections (overdue; waiting for acceptance;
    in progress), each with its count and its first INBOX_LIMIT items by due date; and above
    them the open items the actor is the named officer of ("mine"), read the same way."""
    today = clock.local(now, actor.country.timezone).date()
    ministry = actor.ministry_id
    totals = counted(session, actor.country_code, today, ministry_id=ministry)
    late = counted(session, actor.country_code, today, ministry_id=ministry, overdue=True)
    states = {"overdue": HELD_BY_MINISTRY, "waiting": ("assigned",), "in_progress": ("in_progress", "blocked")}

    def number(key):
        if key == "overdue":
            return sum(late.get((s, ministry), 0) for s in HELD_BY_MINISTRY)
        return sum(totals.get((s, ministry), 0) - late.get((s, ministry), 0) for s in states[key])

    held = ActionItem.ministry_id == ministry
    # The actor's own: the open items they are the named officer of, and how many.
    mine = [ActionItem.assignee_id == actor.id, ActionItem.country_code == actor.country_code, _is_open()]
    parts = [select(ActionItem.id, ActionItem.due_date, literal("mine").label("section"))
             .where(*mine).order_by(ActionItem.due_date, ActionItem.id).limit(INBOX_LIMIT).subquery(),
             select(func.count().label("id"), literal(today).label("due_date"), literal("mine_count").label("section"))
             .select_from(ActionItem).where(*mine).subquery()]
    for key, section_states in states.items():
        due = ActionItem.due_date < today if key == "overdue" else ActionItem.due_date >= today
        for state in section_states:
            parts.append(select(ActionItem.id, ActionItem.due_date, literal(key).label("section"))
                         .where(held, ActionItem.state == state, due)
                         .order_by(ActionItem.due_date, ActionItem.id).limit(INBOX_LIMIT).subquery())
    rows = session.execute(union_all(*[select(s.c.id, s.c.due_date, s.c.section) for s in parts])).all()
    mine_count = next((row.id for row in rows if row.section == "mine_count"), 0)
    rows = sorted((row for row in rows if row.section != "mine_count"), key=lambda row: (row.due_date, row.id))
    chosen = {key: [row.id for row in rows if row.section == key][:INBOX_LIMIT] for key in ("mine", *states)}
    # All held by the actor's ministry: none loaded per item.
    items = {item.id: item for item in load_items(session, [i for ids in chosen.values() for i in ids])}
    result: dict = {"today": today, "limit": INBOX_LIMIT, "mine_count": mine_count}
    for key, ids in chosen.items():
        result[key] = [items[i] for i in ids if i in items]
        if key != "mine":
            result[f"{key}_count"] = number(key)
    return result


# -- finding an item to link ---------------------------------------------------------------------

FIND_LIMIT = 20  # items a search answers with
FIND_SCAN = 2000  # the most recently updated items of the country whose titles a search reads
_NUMBER = re.compile(r"#?(\d{1,18})")


def _like_words(column, words: list[str]) -> list:
    escaped = [_escape_like(w.lower()) for w in words]
    return [func.lower(column).like(f"%{w}%", escape="\\") for w in escaped]


def find_items(session, country_code: str, text: str, limit: int = FIND_LIMIT) -> list[ActionItem]:
    """Items of the country a user looks for to link: those whose number is in ``text``
    (``1204`` or ``#1204``), then those whose title holds all its other words, the most
    recently updated first. Both are index reads whose cost does not grow with the items
    held: numbers by the key; titles among the ``FIND_SCAN`` most recently updated items of
    the country, read backwards through ``(country, updated, id)`` until ``limit`` match. At
    most ``limit`` items."""
    words, numbers = [], []
    for word in (text or "").split():
        number = _NUMBER.fullmatch(word)
        if number and as_id(number.group(1)):
            numbers.append(int(number.group(1)))
        else:
            words.append(word)
    found: list[ActionItem] = []
    if numbers:
        by_id = {item.id: item for item in session.scalars(select(ActionItem).where(
            ActionItem.id.in_(numbers[:limit]), ActionItem.country_code == country_code)
            .options(selectinload(ActionItem.ministry)))}
        found = [by_id[n] for n in dict.fromkeys(numbers) if n in by_id]
    if words and len(found) < limit:
        recent = (select(ActionItem.id, ActionItem.title).where(ActionItem.country_code == country_code)
                  .order_by(ActionItem.updated_at.desc(), ActionItem.id.desc()).limit(FIND_SCAN).subquery("recent"))
        conditions = _like_words(recent.c.title, words)
        if found:
            conditions.append(recent.c.id.not_in([item.id for item in found]))
        # No ORDER BY outside: the scan stops at the last match needed, in the order of the
        # inner read (sorted again below, should a database not keep it).
        ids = session.scalars(select(recent.c.id).where(*conditions).limit(limit - len(found))).all()
        matches = load_items(session, ids)
        found += sorted(matches, key=lambda item: (item.updated_at, item.id), reverse=True)
    return found
