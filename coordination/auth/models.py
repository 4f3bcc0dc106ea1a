"""Users, their API tokens, and sign-in attempts."""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination import clock
from coordination.extensions import db
from coordination.roles import ROLES  # noqa: F401 - the roles belong with the users
from coordination.sqltypes import UTCDateTime

ROLE_LABELS = {
    "coordinator": _l("National coordinator"),
    "ministry_staff": _l("Ministry staff"),
    "secretariat": _l("Regional secretariat"),
    "observer": _l("Observer"),
    "admin": _l("Administrator"),
}
# The ASEAN Secretariat sits in Jakarta: regional users see times there.
REGIONAL_TIMEZONE = "Asia/Jakarta"


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    country_code: Mapped[str | None] = mapped_column(ForeignKey("countries.code"), index=True)
    ministry_id: Mapped[int | None] = mapped_column(ForeignKey("ministries.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Raised at logout and password change: session cookies carry it, so older ones stop working.
    session_counter: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # Two-step sign-in (TOTP, RFC 6238). ``mfa_secret`` is set once enrolment is confirmed;
    # ``mfa_pending_secret`` holds a secret shown but not yet confirmed with a code.
    mfa_secret: Mapped[str | None] = mapped_column(String(64))
    mfa_pending_secret: Mapped[str | None] = mapped_column(String(64))
    mfa_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last TOTP time step accepted: a code is good once, even within its 30 seconds.
    mfa_last_step: Mapped[int | None] = mapped_column(Integer)
    # The language the user chose (a code of coordination/i18n.py: en, id, th, vi) for pages and
    # e-mail; None: pages as the browser says, e-mail in English.
    locale: Mapped[str | None] = mapped_column(String(10))
    # Away (auth/away.py): from and until (the user's local dates, both included), and the deputy
    # who receives a copy of the user's reminders and notices meanwhile.
    away_from: Mapped[date | None] = mapped_column(Date)
    away_until: Mapped[date | None] = mapped_column(Date)
    away_deputy_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    country = relationship("Country")
    ministry = relationship("Ministry")
    away_deputy = relationship("User", remote_side="User.id", foreign_keys=[away_deputy_id])

    # Flask-Login's interface.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_counter}"

    @property
    def mfa_enabled(self) -> bool:
        return self.mfa_secret is not None

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def timezone(self) -> str:
        return self.country.timezone if self.country is not None else REGIONAL_TIMEZONE

    @property
    def is_regional(self) -> bool:
        return self.country_code is None

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class ApiToken(db.Model):
    """A bearer token; only its SHA-256 digest is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class LoginFailure(db.Model):
    """One failed sign-in, kept for the rate limits: per (account, address) and per address."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_email_address_at", "email", "address", "at"),
        Index("ix_login_failures_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class RecoveryCode(db.Model):
    """A one-time code that stands in for the TOTP code; only its SHA-256 digest is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PasswordResetToken(db.Model):
    """A single-use link to set a new password; only its SHA-256 digest is kept."""

    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
