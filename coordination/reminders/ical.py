"""iCalendar text (RFC 5545): all-day events, escaped and folded as the standard wants."""
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask_babel import gettext

LINE_LIMIT = 75  # octets per line, CRLF excluded
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f]")  # the control characters but the tab


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma, newline."""
    text = (text or "").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    # Other control characters are not allowed in TEXT at all.
    return _CONTROL.sub("", text)


def fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 sequence;
    continuation lines begin with one space."""
    if line.isascii():  # one octet a character
        if len(line) <= LINE_LIMIT:
            return line
        rest = LINE_LIMIT - 1
        return "\r\n ".join([line[:LINE_LIMIT]] + [line[i:i + rest] for i in range(LINE_LIMIT, len(line), rest)])
    if len(line.encode()) <= LINE_LIMIT:
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


def feed(user, events, base_url: str, domain: str, now: datetime, description: str = "") -> str:
    """The calendar of ``events``; ``description`` says what it holds (RFC 7986 DESCRIPTION,
    and X-WR-CALDESC for the calendar programs that read only that)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//SPF Coordination//Reminders//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + escape(gettext("SPF Coordination: %(name)s", name=user.name)),
    ]
    if description:
        lines += ["DESCRIPTION:" + escape(description), "X-WR-CALDESC:" + escape(description)]
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
