"""The personal iCalendar feed (RFC 5545): due dates as all-day events.

Reached at /calendar/<token>.ics without signing in, so the secret token is the key:
only its SHA-256 digest is stored, and a reset makes the old URL worthless.
"""
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from coordination.auth.policy import may
from coordination.items.models import ActionItem
from coordination.items.workflow import CLOSED_STATES, HELD_BY_MINISTRY, OPEN_STATES, STATE_LABELS
from coordination.reminders import reports
from coordination.reminders.models import EACH, NotificationPreference
from coordination.reporting.models import CountryReport, IndicatorValue, ReportingCycle
from coordination.reporting.rules import effective_deadline

LINE_LIMIT = 75  # octets per line, CRLF excluded


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


# -- RFC 5545 text ---------------------------------------------------------------------------

def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma, newline."""
    text = (text or "").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    # Other control characters are not allowed in TEXT at all.
    return "".join(c for c in text if c >= " " or c == "\t")


def fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 sequence;
    continuation lines begin with one space."""
    encoded = line.encode()
    if len(encoded) <= LINE_LIMIT:
        return line
    parts, current, size, limit = [], [], 0, LINE_LIMIT
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, LINE_LIMIT - 1  # the leading space takes one octet
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _stamp(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True)
class Event:
    """One all-day VEVENT: ``key`` makes its UID, stable across feeds and resets."""

    key: str
    day: date
    summary: str
    description: str
    path: str
    stamp: datetime | None = None


def item_events(items) -> list[Event]:
    events = []
    for item in items:
        holder = item.ministry.acronym if item.ministry is not None else "no ministry yet"
        events.append(Event(f"item-{item.id}", item.due_date, f"Due: {item.title}",
                            f"{STATE_LABELS.get(item.state, item.state)}; held by {holder}.",
                            f"/items/{item.id}", item.updated_at))
    return events


def report_events(session, user) -> list[Event]:
    """The report deadlines (the extended ones where granted) that concern ``user``: for a
    coordinator, the country's reports still to submit; for ministry staff, those with an
    open data request of their ministry; for the secretariat, every open cycle."""
    if user.role == "secretariat":
        cycles = session.scalars(select(ReportingCycle).where(ReportingCycle.state == "open")
                                 .order_by(ReportingCycle.deadline, ReportingCycle.id))
        return [Event(f"cycle-{c.id}", c.deadline, f"Reporting deadline: {c.name}",
                      "Country reports are due (extensions may apply).", f"/cycles/{c.id}", c.created_at)
                for c in cycles]
    if user.country_code is None or user.role not in ("coordinator", "ministry_staff"):
        return []
    statement = (select(CountryReport).join(ReportingCycle, ReportingCycle.id == CountryReport.cycle_id)
                 .where(CountryReport.country_code == user.country_code, ReportingCycle.state == "open",
                        CountryReport.state.in_(reports.OPEN_REPORT_STATES)))
    if user.role == "ministry_staff":
        if user.ministry_id is None:
            return []
        statement = statement.where(CountryReport.id.in_(
            select(IndicatorValue.report_id).join(ActionItem, ActionItem.id == IndicatorValue.item_id)
            .where(ActionItem.ministry_id == user.ministry_id, ActionItem.state.not_in(CLOSED_STATES))))
    events = []
    for report in session.scalars(statement.order_by(CountryReport.id)):
        deadline, granted = effective_deadline(report.cycle, report.country_code)
        events.append(Event(f"report-{report.id}", deadline,
                            f"Report deadline: {report.cycle.name}" + (" (extended)" if granted else ""),
                            f"The {report.country_code} report; state: {report.state.replace('_', ' ')}.",
                            reports.report_url(report.id), report.updated_at))
    return events


def events_for(session, user) -> list[Event]:
    """Every due date that concerns ``user``: their items and the report deadlines."""
    events = item_events(items_for(session, user)) + report_events(session, user)
    return sorted(events, key=lambda e: (e.day, e.key))


def feed(user, events, base_url: str, domain: str, now: datetime) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//SPF Coordination//Reminders//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + escape(f"SPF Coordination: {user.name}"),
    ]
    for event in events:
        url = base_url + event.path
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.key}@{domain}",
            f"DTSTAMP:{_stamp(event.stamp or now)}",
            f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{event.day + timedelta(days=1):%Y%m%d}",
            "SUMMARY:" + escape(event.summary),
            "DESCRIPTION:" + escape(f"{event.description}\n{url}"),
            f"URL:{url}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
