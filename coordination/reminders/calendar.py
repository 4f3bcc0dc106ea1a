"""The personal iCalendar feed: the due dates that concern a user, as all-day events
(their text is ical.py's).

Reached at /calendar/<token>.ics without signing in, so the secret token is the key:
only its SHA-256 digest is stored, and a reset makes the old URL worthless.
"""
import hashlib
import hmac
import secrets
from datetime import datetime

from sqlalchemy import select

from coordination.auth.policy import may
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


def items_for(session, user) -> list[ActionItem]:
    """The due dates that concern ``user``: what their ministry holds, or for a coordinator
    the country's open items. Nothing for regional users (no item content)."""
    if user.country_code is None or not may(user, "item.read"):
        return []
    statement = select(ActionItem).where(ActionItem.country_code == user.country_code)
    if user.role == "coordinator":
        statement = statement.where(ActionItem.state.in_(OPEN_STATES))
    elif user.ministry_id is not None:
        statement = statement.where(ActionItem.ministry_id == user.ministry_id,
                                    ActionItem.state.in_(HELD_BY_MINISTRY))
    else:
        return []
    return list(session.scalars(statement.order_by(ActionItem.due_date, ActionItem.id)))


def item_events(items) -> list[Event]:
    events = []
    for item in items:
        holder = item.ministry.acronym if item.ministry is not None else "no ministry yet"
        events.append(Event(f"item-{item.id}", item.due_date, f"Due: {item.title}",
                            f"{STATE_LABELS.get(item.state, item.state)}; held by {holder}.",
                            f"/items/{item.id}", item.updated_at))
    return events


def events_for(session, user) -> list[Event]:
    """Every due date that concerns ``user``: their items and the report deadlines."""
    events = item_events(items_for(session, user)) + reports.calendar_events(session, user)
    return sorted(events, key=lambda e: (e.day, e.key))
