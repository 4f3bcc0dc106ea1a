"""Counts of action items that the database keeps itself, per (country, holding ministry,
state, due month): triggers on ``action_items`` update them in the same transaction as every
new item, transition, transfer and change of due date, whatever code (or SQL prompt) makes it.

The board, the inbox, the summary and the item list's totals read these few rows instead of
counting every item. Overdue counts take whole months before the current one from here and
only the days of the current month from the items' own index (see ``queries``).

Closed items are never overdue, so their due month is not kept: they count under
``CLOSED_MONTH``. Items held by no ministry count under ministry ``NO_MINISTRY`` (0).
"""
from collections import Counter
from datetime import date

from sqlalchemy import DDL, Date, Integer, String, event, func, select, text
from sqlalchemy.orm import Mapped, mapped_column

from coordination.extensions import db
from coordination.items.models import ActionItem
from coordination.items.workflow import CLOSED_STATES

CLOSED_MONTH = date(1, 1, 1)
NO_MINISTRY = 0
_CLOSED = ", ".join(f"'{state}'" for state in CLOSED_STATES)


class ItemCount(db.Model):
    __tablename__ = "item_counts"

    country_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    ministry_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    state: Mapped[str] = mapped_column(String(20), primary_key=True)
    due_month: Mapped[date] = mapped_column(Date, primary_key=True)
    items: Mapped[int] = mapped_column(Integer, nullable=False)


def _month(dialect: str, row: str) -> str:
    """The counted due month of ``row`` (NEW, OLD or a table name) as SQL."""
    if dialect == "sqlite":  # dates are stored as 'YYYY-MM-DD'
        return (f"CASE WHEN {row}.state IN ({_CLOSED}) THEN '{CLOSED_MONTH.isoformat()}' "
                f"ELSE substr({row}.due_date, 1, 8) || '01' END")
    return (f"CASE WHEN {row}.state IN ({_CLOSED}) THEN DATE '{CLOSED_MONTH.isoformat()}' "
            f"ELSE CAST(date_trunc('month', {row}.due_date) AS DATE) END")


def _key(dialect: str, row: str) -> str:
    return f"{row}.country_code, coalesce({row}.ministry_id, {NO_MINISTRY}), {row}.state, {_month(dialect, row)}"


def _add(dialect: str, row: str) -> str:
    return (f"INSERT INTO item_counts (country_code, ministry_id, state, due_month, items) "  # noqa: S608  # nosec B608 - fixed table and column names, no input
            f"VALUES ({_key(dialect, row)}, 1) "
            f"ON CONFLICT (country_code, ministry_id, state, due_month) "
            f"DO UPDATE SET items = item_counts.items + 1")


def _remove(dialect: str, row: str) -> str:
    return (f"UPDATE item_counts SET items = items - 1 WHERE country_code = {row}.country_code "  # noqa: S608  # nosec B608 - fixed names, no input
            f"AND ministry_id = coalesce({row}.ministry_id, {NO_MINISTRY}) AND state = {row}.state "
            f"AND due_month = {_month(dialect, row)}")


def refill_statements(dialect: str) -> list[str]:
    """The counts made anew from the items (after a bulk load that bypassed the triggers, and
    in the migration that brings the table)."""
    return [
        "DELETE FROM item_counts",
        f"INSERT INTO item_counts (country_code, ministry_id, state, due_month, items) "  # noqa: S608  # nosec B608 - fixed table and column names, no input
        f"SELECT {_key(dialect, 'action_items')}, count(*) FROM action_items "
        f"GROUP BY {_key(dialect, 'action_items')}",
    ]


def trigger_statements(dialect: str) -> list[str]:
    """The SQL that makes the database keep ``item_counts`` (used here and by the migration)."""
    if dialect == "sqlite":
        moved = " OR ".join([
            "OLD.country_code IS NOT NEW.country_code", "OLD.ministry_id IS NOT NEW.ministry_id",
            "OLD.state IS NOT NEW.state", f"({_month(dialect, 'OLD')}) IS NOT ({_month(dialect, 'NEW')})"])
        return [
            f"CREATE TRIGGER action_items_count_insert AFTER INSERT ON action_items "
            f"BEGIN {_add(dialect, 'NEW')}; END",
            f"CREATE TRIGGER action_items_count_update AFTER UPDATE OF country_code, ministry_id, state, due_date "
            f"ON action_items WHEN {moved} "
            f"BEGIN {_remove(dialect, 'OLD')}; {_add(dialect, 'NEW')}; END",
            f"CREATE TRIGGER action_items_count_delete AFTER DELETE ON action_items "
            f"BEGIN {_remove(dialect, 'OLD')}; END",
        ]
    if dialect == "postgresql":
        # Two transitions moving items between the same two rows in opposite directions would
        # deadlock if each took its rows in its own order: take them in key order.
        return [
            "CREATE OR REPLACE FUNCTION count_action_items() RETURNS trigger AS $$ "
            "BEGIN "
            "IF TG_OP = 'INSERT' THEN " + _add(dialect, "NEW") + "; RETURN NULL; END IF; "
            "IF TG_OP = 'DELETE' THEN " + _remove(dialect, "OLD") + "; RETURN NULL; END IF; "
            f"IF ROW({_key(dialect, 'OLD')}) IS NOT DISTINCT FROM ROW({_key(dialect, 'NEW')}) "
            "THEN RETURN NULL; END IF; "
            f"IF ROW({_key(dialect, 'OLD')}) < ROW({_key(dialect, 'NEW')}) THEN "
            + _remove(dialect, "OLD") + "; " + _add(dialect, "NEW") + "; "
            "ELSE " + _add(dialect, "NEW") + "; " + _remove(dialect, "OLD") + "; END IF; "
            "RETURN NULL; "
            "END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER action_items_counts AFTER INSERT OR DELETE OR UPDATE OF country_code, ministry_id, "
            "state, due_date ON action_items FOR EACH ROW EXECUTE FUNCTION count_action_items()",
        ]
    return []


def drop_statements(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [f"DROP TRIGGER IF EXISTS action_items_count_{op}" for op in ("insert", "update", "delete")]
    if dialect == "postgresql":
        return ["DROP TRIGGER IF EXISTS action_items_counts ON action_items",
                "DROP FUNCTION IF EXISTS count_action_items()"]
    return []


def upgrade_ops(op) -> None:
    """In a migration: the triggers, and the counts of the items already there."""
    dialect = op.get_bind().dialect.name
    for sql in trigger_statements(dialect) + refill_statements(dialect):
        op.execute(text(sql))


def refill(session) -> None:
    for sql in refill_statements(session.get_bind().dialect.name):
        session.execute(text(sql))


# The table comes after the items (its triggers sit on them); when create_all makes it, the
# triggers and the counts of whatever items exist come with it.
ItemCount.__table__.add_is_dependent_on(ActionItem.__table__)
for _dialect in ("sqlite", "postgresql"):
    for _sql in trigger_statements(_dialect) + refill_statements(_dialect):
        # DDL() formats its text with %-placeholders of its own: keep a literal % literal.
        event.listen(ItemCount.__table__, "after_create", DDL(_sql.replace("%", "%%")).execute_if(dialect=_dialect))


# -- reading them ---------------------------------------------------------------------------------------

def month_start(today: date) -> date:
    return today.replace(day=1)


def counted(session, country_code: str, today: date, *, state=None, ministry_id=None,
            overdue=False) -> Counter:
    """Items of the country by (state, ministry id or None), from ``item_counts``; with
    ``overdue`` only the overdue ones: open, due in a month before this one (the counts) or
    earlier this month (the items' index, a month's worth of entries at most)."""
    statement = (select(ItemCount.state, ItemCount.ministry_id, func.sum(ItemCount.items))
                 .where(ItemCount.country_code == country_code)
                 .group_by(ItemCount.state, ItemCount.ministry_id))
    if state:
        statement = statement.where(ItemCount.state == state)
    if ministry_id:
        statement = statement.where(ItemCount.ministry_id == ministry_id)
    if overdue:
        statement = statement.where(ItemCount.due_month != CLOSED_MONTH,
                                    ItemCount.due_month < month_start(today))
    found = Counter()
    for row_state, row_ministry, number in session.execute(statement):
        found[row_state, row_ministry or None] += number or 0
    if overdue:
        found.update(_overdue_this_month(session, country_code, today, state=state, ministry_id=ministry_id))
    return found


def _overdue_this_month(session, country_code: str, today: date, *, state=None, ministry_id=None) -> Counter:
    conditions = [ActionItem.country_code == country_code, ActionItem.due_date >= month_start(today),
                  ActionItem.due_date < today, ActionItem.state.not_in(CLOSED_STATES)]
    if state:
        conditions.append(ActionItem.state == state)
    if ministry_id:
        conditions.append(ActionItem.ministry_id == ministry_id)
    return Counter({(row_state, row_ministry): number for row_state, row_ministry, number in session.execute(
        select(ActionItem.state, ActionItem.ministry_id, func.count()).where(*conditions)
        .group_by(ActionItem.state, ActionItem.ministry_id))})
