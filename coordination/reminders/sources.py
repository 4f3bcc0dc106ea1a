"""The kinds of subject a reminder can be about, each with its rules and recipients.

A source answers one question for the sweep: at instant t, which (recipient, subject,
offset, due date) are due? It reads only subjects that can have a rule due at t (an
indexed range on states and due dates, bounded by :func:`rules.horizon`), and a fixed
number of queries whatever the number of subjects.

``ItemSource`` covers action items; ``ReportSource`` (reminders/reports.py, which builds on
this module) covers country reports. The sweep asks both.
"""
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext
from sqlalchemy import select

from coordination import i18n
from coordination.auth.models import User
from coordination.directory.models import Country, Ministry
from coordination.items.models import ActionItem
from coordination.items.workflow import HELD_BY_MINISTRY, STATE_LABELS, WAITING_ON_COORDINATOR
from coordination.reminders import rules

# A reminder's (title, body), written in the language in use when it is called: the sweep calls
# it in each recipient's language (i18n.in_language), once per subject and language.
Texts = Callable[[], tuple[str, str]]


@dataclass(frozen=True)
class Due:
    """One reminder due for one recipient: a row the sweep queues unless it exists."""

    subject_type: str
    subject_id: int
    user_id: int
    offset: int
    due_date: date
    occurred_at: datetime  # when the rule fell due
    texts: Texts = field(compare=False)
    url: str

    @property
    def key(self) -> tuple:
        """The outbox's unique key (recipient, subject, offset, due date)."""
        return (self.subject_type, self.subject_id, self.offset, self.due_date, self.user_id)


@dataclass(frozen=True)
class Group:
    """Recipients of one subject who share an offset window: the due rule reaches them
    only while it lies within [first, last] (None: unbounded)."""

    user_ids: tuple[int, ...]
    first: int | None = None
    last: int | None = None

    def covers(self, offset: int) -> bool:
        return (self.first is None or offset >= self.first) and (self.last is None or offset <= self.last)


def timezones(session) -> dict[str, str]:
    return dict(session.execute(select(Country.code, Country.timezone)).all())


def active_users(session, *conditions) -> list:
    return session.execute(select(User.id, User.country_code, User.ministry_id)
                           .where(User.active.is_(True), *conditions).order_by(User.id)).all()


def coordinators_by_country(session, codes) -> dict[str, tuple[int, ...]]:
    found: dict[str, list[int]] = defaultdict(list)
    if codes:
        for user_id, country, _ in active_users(session, User.role == "coordinator",
                                                User.country_code.in_(sorted(codes))):
            found[country].append(user_id)
    return {code: tuple(ids) for code, ids in found.items()}


def staff_by_ministry(session, ministry_ids) -> dict[int, tuple[int, ...]]:
    found: dict[int, list[int]] = defaultdict(list)
    if ministry_ids:
        for user_id, _, ministry_id in active_users(session, User.ministry_id.in_(sorted(ministry_ids))):
            found[ministry_id].append(user_id)
    return {ministry_id: tuple(ids) for ministry_id, ids in found.items()}


def expand(subject_type, subject_id, due_date, timezone, offset, groups, settings, texts: Texts, url,
           country: str | None = None):
    occurred_at = rules.fell_due_at(due_date, offset, timezone, settings.hour, country)
    seen: set[int] = set()
    for group in groups:
        if not group.covers(offset):
            continue
        for user_id in group.user_ids:
            if user_id not in seen:
                seen.add(user_id)
                yield Due(subject_type, subject_id, user_id, offset, due_date, occurred_at, texts, url)


class ItemSource:
    """Action items (DESIGN.md): offsets -7, -1, 0, +1, then every 7 days while open.
    Held by a ministry: its active users, and from the escalation offset (+1) the
    country's coordinators too; with a named officer (an active user of that ministry), the
    officer, and the rest of the ministry's users only from the escalation offset.
    Waiting on the coordinator: the coordinators."""

    subject_type = "item"
    states = HELD_BY_MINISTRY + WAITING_ON_COORDINATOR

    def due(self, session, now: datetime, settings: rules.Settings) -> list[Due]:
        zones = timezones(session)
        last_day = rules.horizon(now, zones, settings.item_offsets, settings.hour)
        if last_day is None:
            return []
        candidates = session.execute(
            select(ActionItem.id, ActionItem.title, ActionItem.state, ActionItem.due_date,
                   ActionItem.ministry_id, ActionItem.country_code, ActionItem.assignee_id, Ministry.acronym)
            .outerjoin(Ministry, Ministry.id == ActionItem.ministry_id)
            .where(ActionItem.state.in_(self.states), ActionItem.due_date <= last_day)
            .order_by(ActionItem.id)
        ).all()
        due_now = rules.with_due_rule(candidates, lambda row: row.due_date, now, zones, settings.item_offsets,
                                      settings)
        if not due_now:
            return []
        coordinators = coordinators_by_country(session, {row.country_code for row, _ in due_now})
        staff = staff_by_ministry(session, {row.ministry_id for row, _ in due_now
                                            if row.state in HELD_BY_MINISTRY and row.ministry_id})
        result = []
        for row, offset in due_now:
            country_coordinators = coordinators.get(row.country_code, ())
            if row.state in HELD_BY_MINISTRY:
                groups = [*ministry_groups(staff.get(row.ministry_id, ()), row.assignee_id, settings.escalation),
                          Group(country_coordinators, first=settings.escalation)]
            else:
                groups = [Group(country_coordinators)]
            result.extend(expand(self.subject_type, row.id, row.due_date, zones[row.country_code], offset,
                                  groups, settings, item_texts(row, offset), f"/items/{row.id}", row.country_code))
        return result


def ministry_groups(staff: tuple[int, ...], officer_id: int | None, escalation: int) -> list[Group]:
    """The holding ministry's recipients: its staff; or, when the named officer is one of them,
    the officer, and the others from the escalation offset."""
    if officer_id is None or officer_id not in staff:
        return [Group(staff)]
    return [Group((officer_id,)), Group(tuple(u for u in staff if u != officer_id), first=escalation)]


def item_texts(row, offset: int) -> Texts:
    """The reminder of an action item (``row``: its title, state, due date and holder's acronym)."""

    def texts() -> tuple[str, str]:
        when = rules.describe(rules.days_from_due(row.due_date, offset, row.country_code))
        if row.state in HELD_BY_MINISTRY:
            holder = gettext("Held by %(ministry)s", ministry=row.acronym) if row.acronym else gettext(
                "Held by a ministry")
        else:
            holder = gettext("Waiting for the national coordinator")
        title = gettext("Action item %(when)s: %(title)s", when=when, title=row.title)
        body = gettext("The action item \u201c%(title)s\u201d is %(when)s (due date %(due)s). %(holder)s; state: "
                       "%(state)s.", title=row.title, when=when, due=i18n.format_day(row.due_date),
                       holder=holder, state=STATE_LABELS.get(row.state, row.state))
        return title, body

    return texts

