"""The audit log's one table, kept append-only by the database itself."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from coordination import clock
from coordination.appendonly import make_append_only
from coordination.extensions import db
from coordination.sqltypes import UTCDateTime

EVENT_TYPES = (
    "login_succeeded", "login_failed", "login_rate_limited", "logout",
    "password_changed", "password_reset_requested", "password_reset",
    "mfa_enabled", "mfa_disabled", "mfa_recovery_code_used",
    "token_created", "token_revoked",
    "user_created", "user_updated",
    "export_downloaded",
)
# What the administrator's page calls each type (the API answers the type itself).
EVENT_LABELS = {
    "login_succeeded": _l("login succeeded"), "login_failed": _l("login failed"),
    "login_rate_limited": _l("login rate limited"), "logout": _l("logout"),
    "password_changed": _l("password changed"), "password_reset_requested": _l("password reset requested"),
    "password_reset": _l("password reset"), "mfa_enabled": _l("two-step sign-in turned on"),
    "mfa_disabled": _l("two-step sign-in turned off"), "mfa_recovery_code_used": _l("recovery code used"),
    "token_created": _l("API token created"), "token_revoked": _l("API token revoked"),
    "user_created": _l("user created"), "user_updated": _l("user updated"),
    "export_downloaded": _l("export downloaded"),
}


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (
        # The admin's list, newest first, whole or by type or by e-mail address.
        Index("ix_audit_events_type_at", "type", "at"),
        Index("ix_audit_events_email_at", "email", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    type: Mapped[str] = mapped_column(String(40))
    # Who did it, when signed in (an admin changing a user; a user signing out).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # The account concerned: the address typed at a failed sign-in, the user changed.
    email: Mapped[str] = mapped_column(String(254), default="")
    # The client address, as the sign-in limits see it (TRUSTED_PROXY_COUNT).
    address: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


make_append_only(AuditEvent.__table__)
