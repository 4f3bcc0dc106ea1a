"""Keeping the search index current, in the transaction of the change it follows.

A flush that adds or changes an action item (title, description), adds an item's comment (or a
step taken with one), or changes a country report's narratives, its values' notes and reasons,
or its first submission (the secretariat reads it from then on), also writes the record's row of
``search_entries``, on the same connection before the commit: the full-text indexes over it are
the database's (search/models.py). We chose the ORM's flush over database triggers because a
report's text is gathered from several tables, which in triggers would be written twice (SQLite
and PL/pgSQL); every change of these records goes through the ORM. A bulk load that bypasses it
(bench/scale.py) calls ``refill``.

Good practices (a new one, or a change of its title, summary, text or state) write their entry
too: public once published, their country's while a draft.
"""
from collections import defaultdict

from sqlalchemy import event, inspect, select, text, update
from sqlalchemy.orm import Session

from coordination.directory.models import Country
from coordination.items.models import ActionItem, ItemEvent
from coordination.practices.models import Practice
from coordination.reporting.models import (
    NARRATIVE_SECTIONS,
    CountryReport,
    IndicatorValue,
    Narrative,
    ReportingCycle,
)
from coordination.search.models import FTS_TABLE, SearchEntry
from coordination.search.text import clean

entries = SearchEntry.__table__
# Steps whose comment the history writes itself ("Changed: title"): not the user's words.
SYSTEM_COMMENTS = ("edit",)
VALUE_TEXTS = ("note", "reason")
PRACTICE_TEXTS = ("title", "summary", "body", "state")


def _changed(obj, names) -> bool:
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in names)


def _user_comment(event_row: ItemEvent) -> bool:
    return bool(event_row.comment) and event_row.trigger not in SYSTEM_COMMENTS


@event.listens_for(Session, "after_flush")
def _follow(session, flush_context) -> None:
    new_items, edited_items, comments, reports = [], set(), defaultdict(list), set()
    practices = {obj.id: obj for obj in session.new if isinstance(obj, Practice)}
    practices |= {obj.id: obj for obj in session.dirty if isinstance(obj, Practice) and _changed(obj, PRACTICE_TEXTS)}
    for obj in session.new:
        if isinstance(obj, ActionItem):
            new_items.append(obj)
        elif isinstance(obj, ItemEvent) and _user_comment(obj):
            comments[obj.item_id].append(obj)
        elif isinstance(obj, CountryReport):
            reports.add(obj.id)
        elif isinstance(obj, Narrative | IndicatorValue):
            reports.add(obj.report_id)
    for obj in session.dirty:
        if isinstance(obj, ActionItem) and _changed(obj, ("title", "description")):
            edited_items.add(obj.id)
        elif isinstance(obj, CountryReport) and _changed(obj, ("first_submitted_at",)):
            reports.add(obj.id)
        elif isinstance(obj, Narrative) and _changed(obj, NARRATIVE_SECTIONS):
            reports.add(obj.report_id)
        elif isinstance(obj, IndicatorValue) and _changed(obj, VALUE_TEXTS):
            reports.add(obj.report_id)
    if not (new_items or edited_items or comments or reports or practices):
        return
    connection = session.connection()
    for practice in practices.values():
        _upsert(connection, **_practice_row(practice))
    for item in new_items:
        if item.id in edited_items:
            continue
        connection.execute(entries.insert().values(
            kind="item", ref_id=item.id, country_code=item.country_code, secretariat=False, public=False,
            title=clean(item.title), body=clean(item.description or "")))
    if edited_items:
        _write_items(connection, sorted(edited_items))
    for item_id, added in comments.items():
        if item_id in edited_items:
            continue  # written whole above, these comments included
        addition = "".join("\n" + clean(e.comment) for e in sorted(added, key=lambda e: e.id))
        connection.execute(update(entries).where(entries.c.kind == "item", entries.c.ref_id == item_id)
                           .values(body=entries.c.body + addition))
    if reports:
        _write_reports(connection, sorted(r for r in reports if r is not None))


def _item_texts(connection, ids) -> dict[int, dict]:
    found = {row.id: {"country_code": row.country_code, "title": clean(row.title),
                      "parts": [clean(row.description or "")]}
             for row in connection.execute(select(ActionItem.id, ActionItem.country_code, ActionItem.title,
                                                  ActionItem.description).where(ActionItem.id.in_(ids)))}
    for item_id, comment in connection.execute(
            select(ItemEvent.item_id, ItemEvent.comment)
            .where(ItemEvent.item_id.in_(ids), ItemEvent.comment != "", ItemEvent.trigger.not_in(SYSTEM_COMMENTS))
            .order_by(ItemEvent.id)):
        found[item_id]["parts"].append(clean(comment))
    return found


def _item_rows(connection, ids) -> list[dict]:
    return [{"kind": "item", "ref_id": item_id, "country_code": found["country_code"], "secretariat": False,
             "public": False, "title": found["title"], "body": "\n".join(found["parts"])}
            for item_id, found in _item_texts(connection, ids).items()]


def _write_items(connection, ids) -> None:
    for row in _item_rows(connection, ids):
        _upsert(connection, **row)


def _report_texts(connection, ids) -> dict[int, dict]:
    found = {}
    for row in connection.execute(
            select(CountryReport.id, CountryReport.country_code, CountryReport.first_submitted_at,
                   ReportingCycle.name.label("cycle"), Country.name.label("country"))
            .join(ReportingCycle, ReportingCycle.id == CountryReport.cycle_id)
            .join(Country, Country.code == CountryReport.country_code)
            .where(CountryReport.id.in_(ids))):
        found[row.id] = {"country_code": row.country_code, "secretariat": row.first_submitted_at is not None,
                         "title": clean(f"{row.cycle} · {row.country}")[:300], "parts": []}
    columns = [getattr(Narrative, name) for name in NARRATIVE_SECTIONS]
    for row in connection.execute(select(Narrative.report_id, *columns).where(Narrative.report_id.in_(ids))
                                  .order_by(Narrative.id)):
        found[row[0]]["parts"].extend(clean(part) for part in row[1:] if part)
    for row in connection.execute(select(IndicatorValue.report_id, IndicatorValue.note, IndicatorValue.reason)
                                  .where(IndicatorValue.report_id.in_(ids)).order_by(IndicatorValue.id)):
        found[row[0]]["parts"].extend(clean(part) for part in row[1:] if part)
    return found


def _report_rows(connection, ids) -> list[dict]:
    return [{"kind": "report", "ref_id": report_id, "country_code": found["country_code"],
             "secretariat": found["secretariat"], "public": False, "title": found["title"],
             "body": "\n".join(found["parts"])}
            for report_id, found in _report_texts(connection, ids).items()]


def _write_reports(connection, ids) -> None:
    for row in _report_rows(connection, ids):
        _upsert(connection, **row)


def _practice_row(practice) -> dict:
    """A practice's entry: a draft its country's (coordinators and ministry staff, as the policy
    says), a published one everybody's."""
    return {"kind": "practice", "ref_id": practice.id, "country_code": practice.country_code, "secretariat": False,
            "public": practice.state == "published", "title": clean(practice.title)[:300],
            "body": clean(practice.summary or "") + "\n" + clean(practice.body or "")}


def _practice_rows(connection, ids) -> list[dict]:
    return [_practice_row(row) for row in connection.execute(
        select(Practice.id, Practice.country_code, Practice.state, Practice.title, Practice.summary, Practice.body)
        .where(Practice.id.in_(ids)).order_by(Practice.id))]


def _upsert(connection, *, kind: str, ref_id: int, **values) -> None:
    done = connection.execute(update(entries).where(entries.c.kind == kind, entries.c.ref_id == ref_id)
                              .values(**values))
    if done.rowcount == 0:
        connection.execute(entries.insert().values(kind=kind, ref_id=ref_id, **values))


BATCH = 2000


def refill(connection) -> None:
    """The index made anew from the records (after a bulk load that bypassed the ORM)."""
    connection.execute(entries.delete())
    if connection.dialect.name == "sqlite":
        connection.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')"))  # noqa: S608  # nosec B608 - fixed name
    for table, rows in ((ActionItem.__table__, _item_rows), (CountryReport.__table__, _report_rows),
                        (Practice.__table__, _practice_rows)):
        last = 0
        while True:
            ids = connection.execute(select(table.c.id).where(table.c.id > last).order_by(table.c.id)
                                     .limit(BATCH)).scalars().all()
            if not ids:
                break
            connection.execute(entries.insert(), rows(connection, ids))
            last = ids[-1]


