"""The audit log's filters, as the API's query string and the admin page's form give them."""
from dataclasses import dataclass
from datetime import datetime

from coordination.audit import schemas


@dataclass(frozen=True)
class AuditFilters:
    type: str = ""
    email: str = ""
    since: datetime | None = None

    @classmethod
    def parse(cls, args) -> "AuditFilters":
        """From a query string (its first value of each name); a bad value answers 422 naming
        the field."""
        query = schemas.AuditFilterQuery.parse(args.to_dict() if hasattr(args, "to_dict") else args)
        return cls(query.type, query.email, query.since)

    def as_args(self) -> dict:
        return {key: value for key, value in (
            ("type", self.type), ("email", self.email),
            ("since", self.since.date().isoformat() if self.since else "")) if value}
