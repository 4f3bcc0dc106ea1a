"""The audit log's filters, as the API's query string and the admin page's form give them."""
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask_babel import gettext

from coordination.audit.models import EVENT_TYPES
from coordination.errors import ValidationError


@dataclass(frozen=True)
class AuditFilters:
    type: str = ""
    email: str = ""
    since: datetime | None = None

    @classmethod
    def parse(cls, args) -> "AuditFilters":
        """From a query string; a bad value answers 422 naming the field."""
        errors: dict[str, list[str]] = {}
        type_ = (args.get("type") or "").strip()
        if type_ and type_ not in EVENT_TYPES:
            errors["type"] = [gettext("Choose one of: %(types)s.", types=", ".join(EVENT_TYPES))]
        email = (args.get("email") or "").strip().lower()[:254]
        since = None
        raw = (args.get("since") or "").strip()
        if raw:
            since = _instant(raw)
            if since is None:
                errors["since"] = [gettext("Send a date (2027-03-31) or an instant with its offset "
                                           "(2027-03-31T08:00:00+07:00).")]
        if errors:
            raise ValidationError(errors)
        return cls(type_, email, since)

    def as_args(self) -> dict:
        return {key: value for key, value in (
            ("type", self.type), ("email", self.email),
            ("since", self.since.date().isoformat() if self.since else "")) if value}


def _instant(raw: str) -> datetime | None:
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            instant = datetime(day.year, day.month, day.day, tzinfo=UTC)
        else:
            instant = datetime.fromisoformat(raw)
    except ValueError:
        return None
    if instant.tzinfo is None or not 1900 <= instant.year <= 2199:
        return None
    return instant
