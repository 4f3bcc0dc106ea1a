"""The one source of the current time outside services.

Services take a ``now`` argument; views and commands ask this module, so that
tests can move time by replacing :func:`now`.
"""
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo


def now() -> datetime:
    """The current instant, timezone-aware, in UTC."""
    return datetime.now(UTC)


def local(instant: datetime, timezone: str | tzinfo) -> datetime:
    """``instant`` as seen on the wall clock of ``timezone``."""
    zone = ZoneInfo(timezone) if isinstance(timezone, str) else timezone
    return instant.astimezone(zone)


def local_today(timezone: str, at: datetime | None = None):
    """The calendar date in ``timezone`` at ``at`` (default: now)."""
    return local(at or now(), timezone).date()
