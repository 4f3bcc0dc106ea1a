"""The personal iCalendar feed: the due dates that concern a user, as all-day events
(their text is ical.py's).

Reached at /calendar/<token>.ics without signing in, so the secret token is the key:
only its SHA-256 digest is stored, and a reset makes the old URL worthless.
"""
import hashlib
import hmac
import secrets
from datetime import date, datetime, timedelta

from flask_babel import gettext
from sqlalchemy import select

from coordination import i18n
from coordination.auth.policy import may
from coordination.directory.models import Ministry
from coordination.items.models import ActionItem
from coordination.items.workflow import HELD_BY_MINISTRY, OPEN_STATES, STATE_LABELS
from coordination.reminders import reports
from coordination.reminders.ical import Event
from coordination.reminders.models import EACH, NotificationPreference


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def preference(session, user, now: datetime, *, create: bool = False) -> NotificationPreference | None:
    found = session.get(NotificationPreference, user.id)
    if found is None and create:
        found = NotificationPreference(user_id=user.id, email_mode=EACH, updated_at=now)
        session.add(found)
    return found


def reset_token(session, user, now: datetime) -> str:
    """A new secret for the user's feed; the old URL stops working. Flushes; returns the
    token, which is shown once and never stored."""
    token = secrets.token_urlsafe(32)
    found = preference(session, user, now, create=True)
    found.calendar_token_digest = digest(token)
    found.updated_at = now
    session.flush()
    return token


def user_for_token(session, token: str):
    """The active user whose feed ``token`` opens, or None."""
    if not token or len(token) > 200:
        return None
    wanted = digest(token)
    found = session.scalar(select(NotificationPreference).where(NotificationPreference.calendar_token_digest == wanted))
    if found is None or not hmac.compare_digest(found.calendar_token_digest, wanted):
        return None
    user = found.user
    return user if user is not None and user.active else None


# The window of a feed: what a calendar shows around today, and at most this many item events
# (the overdue ones of the window, latest first, up to a quarter of them; the rest the next due).
PAST_DAYS = 90
FUTURE_DAYS = 400
MAX_ITEM_EVENTS = 2000
MAX_OVERDUE_EVENTS = MAX_ITEM_EVENTS // 4


def window_text() -> str:
    """What a feed holds, in words: for its description and the account page."""
    return gettext("the open action items that concern you, due from %(past)s days ago to %(future)s days ahead "
                   "(at most %(most)s: up to %(overdue)s of the overdue ones, the latest, and the next due), and "
                   "the report deadlines", past=PAST_DAYS, future=FUTURE_DAYS,
                   most=i18n.format_number(MAX_ITEM_EVENTS, 0), overdue=i18n.format_number(MAX_OVERDUE_EVENTS, 0))


def items_for(session, user, today: date) -> list:
    """The due dates that concern ``user`` around ``today`` (the window above): what their
    ministry holds, or for a coordinator the country's open items. Nothing for regional users
    (no item content). Rows of what an event shows (id, title, state, due date, updated,
    the holder's acronym), each half read in the order of an index on (country or ministry,
    due date, id) up to its limit."""
    if user.country_code is None or not may(user, "item.read"):
        return []
    items, ministries = ActionItem.__table__.c, Ministry.__table__.c
    statement = (select(items.id, items.title, items.state, items.due_date, items.updated_at,
                        ministries.acronym)
                 .select_from(ActionItem.__table__.outerjoin(Ministry.__table__, ministries.id == items.ministry_id))
                 .where(items.country_code == user.country_code))
    if user.role == "coordinator":
        statement = statement.where(items.state.in_(OPEN_STATES))
    elif user.ministry_id is not None:
        statement = statement.where(items.ministry_id == user.ministry_id, items.state.in_(HELD_BY_MINISTRY))
    else:
        return []
    start, end = today - timedelta(days=PAST_DAYS), today + timedelta(days=FUTURE_DAYS)
    overdue = session.execute(statement.where(items.due_date >= start, items.due_date < today)
                              .order_by(items.due_date.desc(), items.id.desc()).limit(MAX_OVERDUE_EVENTS)).all()
    coming = session.execute(statement.where(items.due_date >= today, items.due_date <= end)
                             .order_by(items.due_date, items.id).limit(MAX_ITEM_EVENTS - len(overdue))).all()
    return overdue[::-1] + coming


def item_events(rows) -> list[Event]:
    return [Event(f"item-{row.id}", row.due_date, gettext("Due: %(title)s", title=row.title),
                  gettext("%(state)s; held by %(holder)s.", state=STATE_LABELS.get(row.state, row.state),
                          holder=row.acronym or gettext("no ministry yet")),
                  f"/items/{row.id}", row.updated_at) for row in rows]


def events_for(session, user, today: date) -> list[Event]:
    """The due dates that concern ``user``: their items in the window around ``today`` (the
    user's country's date), and the report deadlines."""
    events = item_events(items_for(session, user, today)) + reports.calendar_events(session, user)
    return sorted(events, key=lambda e: (e.day, e.key))
