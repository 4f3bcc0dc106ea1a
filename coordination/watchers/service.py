"""Watching an action item: start, stop, who watches, and the colleagues a comment may
mention. Services flush; the caller commits. Only who may read an item may watch it: for
anyone else the item is not there (NotFound)."""
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import delete, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload

from coordination.auth.models import User
from coordination.auth.policy import may, require
from coordination.errors import NotFound
from coordination.watchers.models import ItemWatcher

# How many people the comment box suggests at a time.
SUGGESTIONS = 10
QUERY_KEPT = 100  # characters of what was typed after the @ that the suggestions look at


def watch(session, item, user, now: datetime) -> bool:
    """``user`` watches ``item`` from now on (the item's creator, its named officer, someone
    mentioned, or who pressed Watch); True when they did not watch it already."""
    if not may(user, "item.watch", item):
        raise NotFound(gettext("There is no such action item."))
    dialect = session.get_bind().dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
    # Two requests at once (a double click) insert one row: the second does nothing.
    result = session.execute(insert(ItemWatcher.__table__).values(item_id=item.id, user_id=user.id, since=now)
                             .on_conflict_do_nothing())
    return bool(result.rowcount)


def stop_watching(session, item, user) -> bool:
    """``user`` no longer watches ``item``; True when they did."""
    if not may(user, "item.watch", item):
        raise NotFound(gettext("There is no such action item."))
    result = session.execute(delete(ItemWatcher).where(ItemWatcher.item_id == item.id,
                                                       ItemWatcher.user_id == user.id))
    return bool(result.rowcount)


def watchers_of(session, item_id: int) -> list[int]:
    """The ids of the users watching the item, in the order of their ids."""
    return list(session.scalars(select(ItemWatcher.user_id).where(ItemWatcher.item_id == item_id)
                                .order_by(ItemWatcher.user_id)))


def is_watching(session, item_id: int, user_id: int) -> bool:
    return session.scalar(select(ItemWatcher.user_id).where(
        ItemWatcher.item_id == item_id, ItemWatcher.user_id == user_id)) is not None


def watching_readers(session, item) -> list[User]:
    """The active watchers of ``item`` who may still read it (someone moved to another
    country or role since they began watching is told nothing)."""
    users = session.scalars(select(User).join(ItemWatcher, ItemWatcher.user_id == User.id)
                            .where(ItemWatcher.item_id == item.id, User.active.is_(True))
                            .order_by(ItemWatcher.user_id))
    return [user for user in users if may(user, "item.watch", item)]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def colleagues(session, actor, item, typed: str, page: int = 1) -> tuple[list[User], bool]:
    """The people who may read ``item`` whose e-mail address starts with, or whose name holds,
    ``typed`` (the actor aside), a page of SUGGESTIONS at a time by name; and whether more
    follow. For whoever may comment on the item (the comment box's suggestions)."""
    require(actor, "item.mention", item)
    typed = (typed or "").strip().lstrip("@").lower()[:QUERY_KEPT]
    statement = (select(User).where(User.country_code == item.country_code, User.active.is_(True),
                                    User.role.in_(("coordinator", "ministry_staff")), User.id != actor.id)
                 .order_by(User.name, User.id).options(selectinload(User.ministry)))
    if typed:
        escaped = _escape_like(typed)
        statement = statement.where(or_(func.lower(User.email).like(f"{escaped}%", escape="\\"),
                                        func.lower(User.name).like(f"%{escaped}%", escape="\\")))
    rows = session.scalars(statement.offset((page - 1) * SUGGESTIONS).limit(SUGGESTIONS + 1)).all()
    people = [user for user in rows[:SUGGESTIONS] if may(user, "item.watch", item)]
    return people, len(rows) > SUGGESTIONS
