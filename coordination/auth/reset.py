"""Password reset by a single-use link sent by e-mail. Services flush; the caller commits.

- A request (by anyone, for an e-mail address; or by the administrator, for a user) writes a
  ``password_reset_tokens`` row holding only the SHA-256 digest of a fresh token, and an
  outbox row of kind ``security`` carrying the link ``/reset-password/TOKEN``; delivery sends
  it after the commit, with retries, whatever the user's e-mail preference, and never lists
  it among the user's notifications.
- The link works once, for ``PASSWORD_RESET_MINUTES``. A new request leaves earlier links
  working (mail can arrive late or out of order, and the user should not have to guess which
  message is the good one); at most ``PASSWORD_RESET_MAX_PER_HOUR`` links go to one account
  per hour, and further requests send nothing. Setting the password spends every link of the
  account, ends every session and revokes every API token.
- Where the link lives: in the outbox row only while its message may still go out. Delivery
  clears the row's body and link when it is sent or fails for good, and refuses to send one
  whose link was used or expired meanwhile; setting the password clears the rows of every
  link of the account at once.
- The public request never tells whether the account exists: the answer is the same, the
  mail leaves later from the outbox, and every path does the same work as far as it can
  (one user look-up, one argon2 verification, one count of recent links, one audit event).
"""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext, ngettext
from sqlalchemy import func, select, update

from coordination import clock, i18n
from coordination.audit import service as audit
from coordination.auth import passwords
from coordination.auth.models import PasswordResetToken, User
from coordination.auth.policy import require
from coordination.auth.service import end_sessions_and_tokens, find_user_by_email, normalise_email
from coordination.errors import BadRequest, Conflict, NotFound, ValidationError
from coordination.i18n import N_
from coordination.ids import as_id
from coordination.reminders import outbox
from coordination.reminders.models import SECURITY, Notification

# The outbox row's subject: the token row whose link it carries.
SUBJECT_TYPE = "password_reset"
TITLE = N_("Set a new password for SPF Coordination")

# Outcomes of a request: for the audit log and the administrator, never for the public answer.
QUEUED, NO_ACCOUNT, DISABLED, RATE_LIMITED = "queued", "no_account", "disabled", "rate_limited"
# What a link is worth.
VALID, UNKNOWN, USED, EXPIRED = "valid", "unknown", "used", "expired"
PROBLEMS = {  # in English; gettext(PROBLEMS[state]) in the language of the request
    UNKNOWN: N_("This password-reset link is not valid. Check that you opened the whole link from the e-mail, "
                "or ask for a new one."),
    USED: N_("This password-reset link was used already. Each link works once, and setting a new password "
             "ends every other link sent to you. Ask for a new one if you still need it."),
    EXPIRED: N_("This password-reset link has expired. Ask for a new one."),
}


@dataclass(frozen=True)
class ResetSettings:
    """``PASSWORD_RESET_MINUTES`` a link works, ``PASSWORD_RESET_MAX_PER_HOUR`` links per account."""

    minutes: int = 60
    max_per_hour: int = 3

    @classmethod
    def from_config(cls, config) -> "ResetSettings":
        return cls(config["PASSWORD_RESET_MINUTES"], config["PASSWORD_RESET_MAX_PER_HOUR"])


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# -- asking for a link ----------------------------------------------------------------------------


def request_reset(session, email: str, address: str, now: datetime, settings: ResetSettings) -> str:
    """Someone asks for a link for ``email``. Queues it when the account exists, is active and
    was not sent too many links this hour; returns the outcome, which the caller must not
    show (the answer is the same whatever happened)."""
    email = normalise_email(email)
    user = find_user_by_email(session, email)
    return _request(session, user, email, address, now, settings, actor=None)


def send_reset_link(session, actor, user_id, address: str, now: datetime, settings: ResetSettings) -> str:
    """The administrator sends ``user_id`` a link: QUEUED, or RATE_LIMITED (nothing sent).
    A disabled account gets none (Conflict): enabling it comes first."""
    require(actor, "users.manage")
    user = session.get(User, as_id(user_id)) if as_id(user_id) else None
    if user is None:
        raise NotFound(gettext("There is no such user."))
    if not user.active:
        raise Conflict(gettext("%(email)s is disabled: enable the account before sending a password-reset link.",
                               email=user.email))
    return _request(session, user, user.email, address, now, settings, actor=actor)


def _request(session, user: User | None, email: str, address: str, now: datetime, settings: ResetSettings,
             *, actor) -> str:
    token = secrets.token_urlsafe(32)
    token_digest = digest(token)
    # One argon2 verification on every path, against verify_password's dummy hash: the
    # expensive step costs the same whether or not the account exists, so the time of the
    # answer does not tell (and neither do the queries below, which every path runs).
    passwords.verify_password(None, token)
    recent = session.scalar(
        select(func.count(PasswordResetToken.id))
        .where(PasswordResetToken.user_id == (user.id if user is not None else 0),
               PasswordResetToken.created_at > now - timedelta(hours=1)))
    if user is None:
        outcome = NO_ACCOUNT
    elif not user.active:
        outcome = DISABLED
    elif recent >= settings.max_per_hour:
        outcome = RATE_LIMITED
    else:
        link = PasswordResetToken(user_id=user.id, digest=token_digest, created_at=now,
                                  expires_at=now + timedelta(minutes=settings.minutes))
        session.add(link)
        session.flush()
        with i18n.in_language(user.locale):  # the message is written in its recipient's language
            title, body = gettext(TITLE), _message(user, actor, link.expires_at, settings.minutes)
        outbox.insert_new(session, [outbox.row(
            user_id=user.id, kind=SECURITY, subject_type=SUBJECT_TYPE, subject_id=link.id, event="password_reset",
            title=title, body=body, url=f"/reset-password/{token}", now=now, occurred_at=now)])
        outcome = QUEUED
    audit.record(session, "password_reset_requested", now, actor=actor,
                 email=user.email if user is not None else email, address=address,
                 detail={"by_admin": actor is not None, "outcome": outcome})
    return outcome


def _message(user: User, actor, expires_at: datetime, minutes: int) -> str:
    """The e-mail's text. Its first paragraph goes before the link, the others after it
    (templates/reminders/email/security.*)."""
    if actor is not None:
        intro = gettext("An administrator of SPF Coordination (%(admin)s) sent you this link to set a new "
                        "password for your account %(email)s:", admin=actor.name, email=user.email)
        unexpected = gettext("If you did not expect this message, do not use the link: ask your administrator. "
                             "Your password stays as it is until a new one is set.")
    else:
        intro = gettext("Someone asked to reset the password of your SPF Coordination account %(email)s. If it "
                        "was you, choose a new password with this link:", email=user.email)
        unexpected = gettext("If you did not ask for this, ignore this message: your password stays as it is, "
                             "and the link is of no use to anyone who cannot read this e-mail. If such messages "
                             "keep coming, tell your administrator.")
    until = gettext("%(time)s on %(day)s", time=i18n.format_time(expires_at, user.timezone),
                    day=i18n.format_day(clock.local(expires_at, user.timezone).date(), "full"))
    works = ngettext(
        "The link works once, for %(num)d minute: until %(until)s (%(zone)s time). Setting a new password "
        "signs you out on every device and ends the API tokens issued to you.",
        "The link works once, for %(num)d minutes: until %(until)s (%(zone)s time). Setting a new password "
        "signs you out on every device and ends the API tokens issued to you.",
        minutes, until=until, zone=user.timezone)
    return "\n\n".join([intro, works, unexpected])


# -- using a link ---------------------------------------------------------------------------------


def check_link(session, token, now: datetime) -> tuple[str, PasswordResetToken | None, User | None]:
    """(VALID, row, user), or (UNKNOWN / USED / EXPIRED, ...) saying what is wrong with it.
    A link of a disabled account is unknown."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return UNKNOWN, None, None
    row = session.scalar(select(PasswordResetToken).where(PasswordResetToken.digest == digest(token)))
    user = session.get(User, row.user_id) if row is not None else None
    if row is None or user is None or not user.active:
        return UNKNOWN, None, None
    if row.used_at is not None:
        return USED, row, user
    if row.expires_at <= now:
        return EXPIRED, row, user
    return VALID, row, user


def reset_password(session, token, password, address: str, now: datetime) -> User:
    """Set the password of the link's account (BadRequest with ``reason`` when the link is not
    valid, ValidationError when the password is not good enough; the link stays unused then).
    Spends every link of the account, ends every session, revokes every API token."""
    state, row, user = check_link(session, token, now)
    if state != VALID:
        raise BadRequest(gettext(PROBLEMS[state]), reason=state)
    problems = passwords.password_problems(password if isinstance(password, str) else "")
    if problems:
        raise ValidationError({"password": problems})
    # Spend it with a conditional UPDATE: of two requests racing with the same link, one wins.
    spent = session.execute(
        update(PasswordResetToken).where(PasswordResetToken.id == row.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False)).rowcount
    if spent != 1:
        raise BadRequest(gettext(PROBLEMS[USED]), reason=USED)
    # Every link of the account is spent now: no outbox row needs to keep one. A row still
    # pending is refused by delivery (its link is used) and marked failed there.
    session.execute(
        update(Notification).where(Notification.user_id == user.id, Notification.kind == SECURITY,
                                   Notification.subject_type == SUBJECT_TYPE, Notification.url != "")
        .values(body="", url="").execution_options(synchronize_session=False))
    user.password_hash = passwords.hash_password(password)
    end_sessions_and_tokens(session, user, now)  # the account's other links are spent here too
    audit.record(session, "password_reset", now, actor=user, address=address)
    session.flush()
    return user


def live_tokens(session, token_ids: list[int], now: datetime) -> set[int]:
    """The ids among ``token_ids`` whose links still work (for delivery: a message whose link
    was used or expired before it could go out is not sent)."""
    if not token_ids:
        return set()
    return set(session.scalars(
        select(PasswordResetToken.id).join(User, User.id == PasswordResetToken.user_id)
        .where(PasswordResetToken.id.in_(token_ids), PasswordResetToken.used_at.is_(None),
               PasswordResetToken.expires_at > now, User.active.is_(True))))
