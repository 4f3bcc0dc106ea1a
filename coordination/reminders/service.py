"""A user's notifications and preferences. Services flush; the caller commits."""
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import func, select, update

from coordination.auth.policy import require
from coordination.errors import NotFound, ValidationError
from coordination.ids import as_id
from coordination.reminders.calendar import preference
from coordination.reminders.models import EMAIL_MODE_ALIASES, EMAIL_MODES, FAILED, IN_APP_KINDS, PENDING, Notification


def _own(actor):
    """What a user reads in the application: their reminders and notices (not the digest
    e-mails, which only repeat them, nor security e-mails such as password-reset links)."""
    return (Notification.user_id == actor.id, Notification.kind.in_(IN_APP_KINDS))


def list_statement(actor, *, unread_only: bool = False):
    require(actor, "notifications.read")
    statement = select(Notification).where(*_own(actor))
    if unread_only:
        statement = statement.where(Notification.read_at.is_(None))
    return statement.order_by(Notification.created_at.desc(), Notification.id.desc())


def unread_count(session, actor) -> int:
    return session.scalar(select(func.count(Notification.id))
                          .where(*_own(actor), Notification.read_at.is_(None))) or 0


def get_notification(session, actor, notification_id) -> Notification:
    found = session.get(Notification, as_id(notification_id)) if as_id(notification_id) else None
    if found is None or found.kind not in IN_APP_KINDS:
        raise NotFound(gettext("There is no such notification."))
    require(actor, "notifications.read", found)
    return found


def mark_read(session, actor, notification_id, now: datetime) -> Notification:
    found = get_notification(session, actor, notification_id)
    if found.read_at is None:
        found.read_at = now
        session.flush()
    return found


def mark_all_read(session, actor, now: datetime) -> int:
    require(actor, "notifications.read")
    result = session.execute(update(Notification).where(*_own(actor), Notification.read_at.is_(None))
                             .values(read_at=now).execution_options(synchronize_session=False))
    session.flush()
    return result.rowcount


def email_mode(session, user) -> str:
    found = preference(session, user, None)
    return found.email_mode if found is not None else EMAIL_MODES[0]


def set_email_mode(session, actor, mode: str, now: datetime) -> str:
    """Set the user's e-mail preference: ``each``, ``daily`` (or ``digest``, as it is stored) or
    ``none`` (in the application only). Returns the mode stored."""
    require(actor, "account.edit", actor)
    mode = EMAIL_MODE_ALIASES.get(mode) if isinstance(mode, str) else None
    if mode not in EMAIL_MODES:
        raise ValidationError({"email_mode": [gettext("Choose one of: %(choices)s.", choices="each, daily, none")]})
    found = preference(session, actor, now, create=True)
    found.email_mode = mode
    found.updated_at = now
    session.flush()
    return mode


# -- the administrator's view of the outbox ---------------------------------------------------

def failed_statement(actor):
    require(actor, "outbox.manage")
    return select(Notification).where(Notification.status == FAILED).order_by(Notification.id.desc())


def status_counts(session, actor) -> dict[str, int]:
    require(actor, "outbox.manage")
    return dict(session.execute(select(Notification.status, func.count()).group_by(Notification.status)).all())


def retry(session, actor, notification_id, now: datetime) -> Notification:
    """Give a failed row a fresh series of attempts (after the mail server is fixed)."""
    require(actor, "outbox.manage")
    found = session.get(Notification, as_id(notification_id)) if as_id(notification_id) else None
    if found is None or found.status != FAILED:
        raise NotFound(gettext("There is no such failed message."))
    found.status, found.attempts, found.next_attempt_at = PENDING, 0, now
    found.claimed_at = found.claim_token = None
    session.flush()
    return found
