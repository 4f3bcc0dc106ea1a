"""Delivery: claim pending outbox rows, send them, mark them sent, retry failures.

A claim is committed before anything is sent, so two delivery processes never send the
same row: on PostgreSQL the claim reads with ``FOR UPDATE SKIP LOCKED``; on SQLite (one
writer at a time) a conditional ``UPDATE ... WHERE status = 'pending' AND not claimed``
decides it by its row count. Each row's outcome is committed on its own, right after the
send, so a crash loses at most the one row in flight: a message can then go out twice,
under the same Message-ID, and a claim left by a dead process expires after
``DELIVERY_CLAIM_TIMEOUT_SECONDS``. A failure keeps the row pending with
``next_attempt_at = now + 5 min * 2^(attempts - 1)``; after the last attempt it is failed.

Users who take a daily digest get no single messages: at the digest hour in their time
zone, their pending rows are folded into one digest row (unique per user and local date),
which is sent like any other.

Users who take no e-mail (``none``: in the application only) get none: before anything is
claimed, their pending reminders, notices and digests are marked ``in_app``, a final state
that delivery never claims nor retries; claiming skips them too, should a row be queued in
between. They read everything on the notifications page as before.

Security rows (a password-reset link) are sent one by one whatever the user's preference,
and never folded. Their link is a secret: it stays in the row only while the message may
still be sent. Marking such a row sent, or failed for good, clears its body and link in the
same UPDATE; a row whose link was used or expired before it could go out is not sent at
all, but failed for good (and cleared) with that reason.

The step functions flush and never commit; :func:`run` is the unit of work of the
``reminders deliver`` command and the scheduler's job, and commits after each step.
"""
import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import ngettext
from sqlalchemy import and_, case, or_, select, update
from sqlalchemy.orm import selectinload

from coordination import clock, i18n
from coordination.auth import reset
from coordination.auth.models import REGIONAL_TIMEZONE, User
from coordination.directory.models import Country
from coordination.reminders import mail, outbox
from coordination.reminders.models import (
    DAILY_DIGEST,
    DIGEST,
    FAILED,
    FOLDED,
    IN_APP,
    IN_APP_ONLY,
    NOTICE,
    PENDING,
    REMINDER,
    SECURITY,
    SENT,
    Notification,
    NotificationPreference,
)

logger = logging.getLogger("coordination.reminders")


@dataclass(frozen=True)
class DeliverySettings:
    max_attempts: int = 10
    retry_minutes: int = 5
    batch_size: int = 100
    claim_timeout_seconds: int = 600
    hour: int = 8  # the digest hour, local time: the reminders' hour

    @classmethod
    def from_config(cls, config) -> "DeliverySettings":
        return cls(max_attempts=config["DELIVERY_MAX_ATTEMPTS"], retry_minutes=config["DELIVERY_RETRY_MINUTES"],
                   batch_size=config["DELIVERY_BATCH_SIZE"],
                   claim_timeout_seconds=config["DELIVERY_CLAIM_TIMEOUT_SECONDS"], hour=config["REMINDER_HOUR"])


@dataclass
class Outcome:
    sent: int = 0
    failed: int = 0
    digests: int = 0
    in_app: int = 0  # rows of users who take no e-mail, marked never to be sent
    errors: list[str] = field(default_factory=list)


def retry_delay(attempts: int, settings: DeliverySettings) -> timedelta:
    """After the n-th failed attempt: 5 minutes, 10, 20, ... (5 min * 2^(n-1))."""
    return timedelta(minutes=settings.retry_minutes * 2 ** (max(attempts, 1) - 1))


def _unclaimed(now: datetime, settings: DeliverySettings):
    stale = now - timedelta(seconds=settings.claim_timeout_seconds)
    return or_(Notification.claimed_at.is_(None), Notification.claimed_at < stale)


# -- in the application only ----------------------------------------------------------------

def _in_app_only_users():
    return select(NotificationPreference.user_id).where(NotificationPreference.email_mode == IN_APP_ONLY)


def settle_in_app_only(session, now: datetime, settings: DeliverySettings) -> int:
    """Mark the pending rows of users who take no e-mail ``in_app``: never sent, never
    retried (security rows go whatever the preference). Returns how many."""
    marked = session.execute(
        update(Notification)
        .where(Notification.status == PENDING, Notification.kind.in_((REMINDER, NOTICE, DIGEST)),
               Notification.user_id.in_(_in_app_only_users()), _unclaimed(now, settings))
        .values(status=IN_APP, claimed_at=None, claim_token=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.flush()
    return marked


# -- digests -----------------------------------------------------------------------------

def fold_digests(session, now: datetime, settings: DeliverySettings) -> int:
    """For each user who takes a daily digest and whose local time has reached the digest
    hour: fold their pending reminders and notices into one digest row for the local date.
    A row queued after today's digest waits for tomorrow's. Returns the digests written."""
    pending = and_(Notification.user_id == User.id, Notification.status == PENDING,
                   Notification.kind.in_((REMINDER, NOTICE)), _unclaimed(now, settings))
    users = session.execute(
        select(User.id, Country.timezone, User.locale)
        .join(NotificationPreference, NotificationPreference.user_id == User.id)
        .outerjoin(Country, Country.code == User.country_code)
        .where(NotificationPreference.email_mode == DAILY_DIGEST, User.active.is_(True),
               select(Notification.id).where(pending).exists())
        .order_by(User.id)
    ).all()
    written = 0
    for user_id, timezone, locale in users:
        local = clock.local(now, timezone or REGIONAL_TIMEZONE)
        if local.hour < settings.hour:
            continue
        rows = session.execute(
            select(Notification.id, Notification.title).where(
                Notification.user_id == user_id, Notification.status == PENDING,
                Notification.kind.in_((REMINDER, NOTICE)), _unclaimed(now, settings))
            .order_by(Notification.occurred_at, Notification.id)
        ).all()
        if not rows:
            continue
        with i18n.in_language(locale):  # the row keeps its title: written in the recipient's language
            title = ngettext("Your daily summary: %(num)d reminder or notice",
                             "Your daily summary: %(num)d reminders and notices", len(rows))
        inserted = outbox.insert_new(session, [outbox.row(
            user_id=user_id, kind=DIGEST, due_date=local.date(), title=title, now=now, occurred_at=now,
            url="/notifications", body="\n".join(f"- {row.title}" for row in rows))])
        if not inserted:
            continue  # today's digest exists already (another process, or an earlier run)
        folded = session.execute(
            update(Notification)
            .where(Notification.id.in_([row.id for row in rows]), Notification.status == PENDING,
                   _unclaimed(now, settings))
            .values(status=FOLDED, digest_id=inserted[0])
            .execution_options(synchronize_session=False)
        ).rowcount
        if folded == 0:
            session.execute(Notification.__table__.delete().where(Notification.id == inserted[0]))
            continue
        written += 1
    session.flush()
    return written


# -- claiming ------------------------------------------------------------------------------

def _claimable(now: datetime, settings: DeliverySettings):
    """Pending rows due for an attempt, not claimed by a live process, of active users; a
    digest user's single rows wait for their digest, and the rows of a user who takes no
    e-mail are never sent (security rows never wait and always go)."""
    return (
        select(Notification.id)
        .join(User, User.id == Notification.user_id)
        .outerjoin(NotificationPreference, NotificationPreference.user_id == Notification.user_id)
        .where(Notification.status == PENDING, Notification.next_attempt_at <= now,
               _unclaimed(now, settings), User.active.is_(True),
               or_(Notification.kind == SECURITY, NotificationPreference.email_mode.is_(None),
                   and_(Notification.kind == DIGEST, NotificationPreference.email_mode != IN_APP_ONLY),
                   NotificationPreference.email_mode.not_in((DAILY_DIGEST, IN_APP_ONLY))))
        .order_by(Notification.next_attempt_at, Notification.id)
        .limit(settings.batch_size)
    )


def claim(session, now: datetime, settings: DeliverySettings, token: str) -> list[int]:
    """Claim up to a batch of rows for this process (``token``); the ids claimed. The
    caller commits before sending anything."""
    statement = _claimable(now, settings)
    if session.get_bind().dialect.name == "postgresql":
        ids = list(session.scalars(statement.with_for_update(skip_locked=True, of=Notification)))
        if ids:
            session.execute(update(Notification).where(Notification.id.in_(ids))
                            .values(claimed_at=now, claim_token=token)
                            .execution_options(synchronize_session=False))
        session.flush()
        return ids
    claimed = []
    for notification_id in session.scalars(statement).all():
        result = session.execute(
            update(Notification)
            .where(Notification.id == notification_id, Notification.status == PENDING,
                   _unclaimed(now, settings))
            .values(claimed_at=now, claim_token=token)
            .execution_options(synchronize_session=False))
        if result.rowcount == 1:
            claimed.append(notification_id)
    session.flush()
    return claimed


# -- outcomes ------------------------------------------------------------------------------

def _mine(notification_id: int, token: str):
    return and_(Notification.id == notification_id, Notification.claim_token == token)


def _cleared_if_secret() -> dict:
    """The values that empty a security row's body and link (it carries a password-reset
    link, which must not stay readable once it cannot or need not be sent any more); other
    rows keep theirs, for the notifications page."""
    return {"body": case((Notification.kind == SECURITY, ""), else_=Notification.body),
            "url": case((Notification.kind == SECURITY, ""), else_=Notification.url)}


def mark_sent(session, notification_id: int, token: str, now: datetime) -> None:
    session.execute(update(Notification).where(_mine(notification_id, token)).values(
        status=SENT, sent_at=now, attempts=Notification.attempts + 1, claimed_at=None, claim_token=None,
        last_error="", **_cleared_if_secret()).execution_options(synchronize_session=False))


def mark_failed(session, notification_id: int, attempts_before: int, token: str, now: datetime, error: str,
                settings: DeliverySettings, *, permanent: bool = False) -> str:
    """Record a failed attempt: pending again after the backoff, or failed for good after
    the last attempt (or at once when retrying cannot help). Returns the new status."""
    attempts = attempts_before + 1
    final = permanent or attempts >= settings.max_attempts
    status = FAILED if final else PENDING
    session.execute(update(Notification).where(_mine(notification_id, token)).values(
        status=status, attempts=attempts, next_attempt_at=now + retry_delay(attempts, settings),
        claimed_at=None, claim_token=None, last_error=error[:2000], **(_cleared_if_secret() if final else {}))
        .execution_options(synchronize_session=False))
    return status


# -- the unit of work ----------------------------------------------------------------------

@dataclass
class _Prepared:
    id: int
    attempts: int
    address: str
    message: object = None
    problem: str = ""  # why no message could be built (permanent)


def _prepare(session, ids: list[int], token: str, now: datetime, mail_settings) -> list[_Prepared]:
    """Load the claimed rows with their users (and a digest's folded rows) and build every
    message, so that nothing holds a database transaction while the mail server talks."""
    rows = session.scalars(
        select(Notification).where(Notification.id.in_(ids), Notification.claim_token == token)
        .options(selectinload(Notification.user).selectinload(User.country))
        .order_by(Notification.next_attempt_at, Notification.id)
    ).all()
    digests = [row.id for row in rows if row.kind == DIGEST]
    folded: dict[int, list[Notification]] = {}
    if digests:
        for item in session.scalars(select(Notification).where(Notification.digest_id.in_(digests))
                                    .order_by(Notification.occurred_at, Notification.id)):
            folded.setdefault(item.digest_id, []).append(item)
    # A password-reset message whose link was used or expired meanwhile is not sent at all.
    links = {row.id: row.subject_id for row in rows if row.kind == SECURITY and row.subject_type == reset.SUBJECT_TYPE}
    live = reset.live_tokens(session, list(links.values()), now)
    prepared = []
    for row in rows:
        entry = _Prepared(row.id, row.attempts, row.user.email)
        if row.id in links and (not row.url or links[row.id] not in live):
            entry.problem = "the password-reset link was used or expired before it could be sent"
            prepared.append(entry)
            continue
        try:
            entry.message = mail.build_message(row, row.user, mail_settings, now, folded=folded.get(row.id, []))
        except mail.InvalidRecipient as error:
            entry.problem = str(error)
        prepared.append(entry)
    return prepared


def run(session, now: datetime, settings: DeliverySettings, mail_settings: mail.MailSettings,
        mailer=None) -> Outcome:
    """Fold digests, then claim and send batches until nothing is due. Commits after the
    digests, after each claim and after each row's outcome; no transaction stays open
    while a message is being sent."""
    outcome = Outcome()
    outcome.in_app = settle_in_app_only(session, now, settings)
    outcome.digests = fold_digests(session, now, settings)
    session.commit()
    mailer = mailer or mail.mailer_for(mail_settings)
    try:
        while True:
            token = secrets.token_hex(16)
            ids = claim(session, now, settings, token)
            session.commit()
            if not ids:
                break
            prepared = _prepare(session, ids, token, now, mail_settings)
            session.commit()
            session.expunge_all()
            for entry in prepared:
                _deliver_one(session, entry, token, now, settings, mailer, outcome)
                session.commit()
    finally:
        mailer.close()
    return outcome


def _deliver_one(session, entry: _Prepared, token, now, settings, mailer, outcome) -> None:
    if entry.message is None:
        mark_failed(session, entry.id, entry.attempts, token, now, entry.problem, settings, permanent=True)
        outcome.failed += 1
        logger.warning("outbox row %s not sent: %s", entry.id, entry.problem)
        return
    try:
        mailer.send(entry.message, entry.address)
    except Exception as error:  # noqa: BLE001 - any failure of the mail server keeps the row for a retry
        text = f"{type(error).__name__}: {error}"
        status = mark_failed(session, entry.id, entry.attempts, token, now, text, settings)
        outcome.failed += 1
        outcome.errors.append(text)
        logger.warning("outbox row %s: attempt %s failed (%s); %s", entry.id, entry.attempts + 1, text, status)
        return
    mark_sent(session, entry.id, token, now)
    outcome.sent += 1
