"""The outbox-and-notifications table, and each user's notification preferences."""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination import clock
from coordination.extensions import db
from coordination.sqltypes import UTCDateTime

# What a row is. A ``security`` row (a password-reset link) is an e-mail only: it is never
# listed in the application nor folded into a digest, it goes out whatever the user's e-mail
# preference, and its body and link are cleared once it is sent or no longer useful.
REMINDER, NOTICE, DIGEST, SECURITY = "reminder", "notice", "digest", "security"
KINDS = (REMINDER, NOTICE, DIGEST, SECURITY)
# What the user reads in the application (the notifications page, the unread count, the API).
IN_APP_KINDS = (REMINDER, NOTICE)
# The e-mail delivery state of a row. ``folded``: its user takes a daily digest, and the row
# went out inside the digest row named by ``digest_id`` instead of as a message of its own.
# ``in_app``: its user reads reminders and notices in the application only; delivery never
# sends it nor tries it again (a security row is never marked so).
PENDING, SENT, FAILED, FOLDED, IN_APP = "pending", "sent", "failed", "folded", "in_app"
STATUSES = (PENDING, SENT, FAILED, FOLDED, IN_APP)
# A preference: one message per row as it comes, one digest a day, or no e-mail at all (the
# application only; security e-mail such as a password-reset link still goes).
EACH, DAILY_DIGEST, IN_APP_ONLY = "each", "digest", "none"
EMAIL_MODES = (EACH, DAILY_DIGEST, IN_APP_ONLY)
# The names API.md gives the preferences (``daily`` is the digest), and what each stands for;
# the stored ``digest`` is accepted as well.
API_EMAIL_MODES = {"each": EACH, "daily": DAILY_DIGEST, "none": IN_APP_ONLY}
EMAIL_MODE_ALIASES = {**API_EMAIL_MODES, DAILY_DIGEST: DAILY_DIGEST}


class Notification(db.Model):
    """One reminder, notice or digest for one recipient: the outbox row that delivery sends
    by e-mail, and the notification the user reads in the application."""

    __tablename__ = "notifications"
    __table_args__ = (
        # The outbox's unique key: a reminder rule is queued once per recipient, subject,
        # offset and due date, however many sweeps run at once; a new due date re-arms the
        # rules. Notices (offset NULL) and digests (no subject) never collide on it: NULLs
        # are distinct. Subject first, so that the sweep's look-up by subject uses it too.
        UniqueConstraint("subject_type", "subject_id", "offset_days", "due_date", "user_id",
                         name="uq_notifications_reminder_key"),
        # One digest per user and local date.
        Index("uq_notifications_digest_day", "user_id", "due_date", unique=True,
              sqlite_where=text("kind = 'digest'"), postgresql_where=text("kind = 'digest'")),
        # Delivery claims pending rows due for an attempt.
        Index("ix_notifications_status_next_attempt_at", "status", "next_attempt_at"),
        # A user's list, newest first, and the unread count in the header.
        Index("ix_notifications_user_id_created_at", "user_id", "created_at"),
        Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    subject_type: Mapped[str | None] = mapped_column(String(20))  # "item", "report"; None for a digest
    subject_id: Mapped[int | None] = mapped_column(Integer)
    # Days from the due date (reminders only); NULL for notices and digests.
    offset_days: Mapped[int | None] = mapped_column(Integer)
    # The subject's due date when the row was written; for a digest, its local date.
    due_date: Mapped[date | None] = mapped_column(Date)
    # For a notice, what happened (the trigger name: assign, hand_over, submit, ...).
    event: Mapped[str | None] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(300), default="")  # a path on this site
    # When the rule fell due or the event happened.
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # E-mail delivery.
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    digest_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL"), index=True)

    user = relationship("User")

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind} {self.subject_type}:{self.subject_id} {self.status}>"


class NotificationPreference(db.Model):
    """How a user takes e-mail, and the digest of their calendar feed's secret token.
    A user without a row takes each message as it comes and has no calendar feed."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    email_mode: Mapped[str] = mapped_column(String(10), default=EACH)
    # SHA-256 of the calendar token: the token itself is shown once, after a reset.
    calendar_token_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    user = relationship("User")
