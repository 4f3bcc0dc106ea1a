"""Two-step sign-in: TOTP codes (RFC 6238: SHA-1, 6 digits, 30 seconds, a base32 secret)
and one-time recovery codes. Services flush; the caller commits.

A TOTP code is good once: the time step it belongs to is kept in ``users.mfa_last_step``,
and only a later step is accepted afterwards (one step of clock drift either way is allowed).
Recovery codes are kept as SHA-256 digests; each works once.
"""
import hashlib
import hmac
import re
import secrets
from datetime import datetime

import pyotp
import segno
from flask_babel import gettext
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from coordination.audit import service as audit
from coordination.auth.models import RecoveryCode, User
from coordination.auth.policy import must_enrol_mfa
from coordination.auth.service import SignInLimits, check_rate, record_failure
from coordination.errors import Conflict, Forbidden, RateLimited, Unauthorized, ValidationError
from coordination.i18n import N_

ISSUER = "SPF Coordination"
STEP_SECONDS = 30
DIGITS = 6
# Codes of the step before and after the current one are accepted too (clocks drift).
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
# 16 characters of an alphabet without look-alikes (0/o, 1/l/i): 79 bits each.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 16
# How long the half-signed-in state (a correct password, no code yet) lasts on the web.
SECOND_STEP_MINUTES = 5

WRONG_CODE = N_("The code is not correct, or it was used already.")
TOTP_PATTERN = re.compile(rf"^\d{{{DIGITS}}}$")


class MfaRequired(Unauthorized):
    code = "mfa_required"


class MfaEnrolmentRequired(Forbidden):
    code = "mfa_enrolment_required"


# -- secrets, codes, pictures ---------------------------------------------------------------


def new_secret() -> str:
    return pyotp.random_base32()


def otpauth_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The ``otpauth://`` URI as an inline SVG QR code (no script, no external request)."""
    return segno.make(uri, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", title=gettext("QR code to scan with an authenticator app"))


def grouped(secret: str) -> str:
    """The secret in groups of four characters, easier to type by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def time_step(now: datetime) -> int:
    return int(now.timestamp()) // STEP_SECONDS


def code_at(secret: str, step: int) -> str:
    """The TOTP code of ``secret`` for the time step ``step`` (for tests and checks)."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).generate_otp(step)


def _clean(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def _digest(code: str) -> str:
    return hashlib.sha256(_clean(code).encode()).hexdigest()


def _matching_step(secret: str, code: str, now: datetime, after: int | None) -> int | None:
    """The time step near ``now`` whose code is ``code``, later than ``after``; else None."""
    step = time_step(now)
    for candidate in range(step - DRIFT_STEPS, step + DRIFT_STEPS + 1):
        if after is not None and candidate <= after:
            continue
        if hmac.compare_digest(code_at(secret, candidate), code):
            return candidate
    return None


def new_recovery_codes(session, user: User, now: datetime) -> list[str]:
    """Ten fresh recovery codes in place of the old ones; only their digests are stored."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        code = "-".join(raw[i:i + 4] for i in range(0, RECOVERY_LENGTH, 4))
        session.add(RecoveryCode(user_id=user.id, digest=_digest(code), created_at=now))
        codes.append(code)
    session.flush()
    return codes


def remaining_recovery_codes(session, user: User) -> int:
    return session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))


def verify(session, user: User, code: str, now: datetime) -> str | None:
    """``"totp"`` or ``"recovery_code"`` when ``code`` is a good one of the user's, which is
    then spent; None otherwise. Two requests with the same code: one wins (a conditional
    UPDATE), the other is refused."""
    if not user.mfa_enabled or not isinstance(code, str):
        return None
    cleaned = _clean(code)
    if TOTP_PATTERN.match(cleaned):
        step = _matching_step(user.mfa_secret, cleaned, now, user.mfa_last_step)
        if step is None:
            return None
        spent = session.execute(
            update(User).where(User.id == user.id,
                               or_(User.mfa_last_step.is_(None), User.mfa_last_step < step))
            .values(mfa_last_step=step).execution_options(synchronize_session=False))
        if spent.rowcount != 1:
            return None
        set_committed_value(user, "mfa_last_step", step)
        return "totp"
    if not cleaned or len(cleaned) > 64:
        return None
    row_id = session.scalar(select(RecoveryCode.id).where(
        RecoveryCode.user_id == user.id, RecoveryCode.digest == _digest(cleaned),
        RecoveryCode.used_at.is_(None)).limit(1))
    if row_id is None:
        return None
    spent = session.execute(
        update(RecoveryCode).where(RecoveryCode.id == row_id, RecoveryCode.used_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False))
    return "recovery_code" if spent.rowcount == 1 else None


def _record_recovery_use(session, user: User, now: datetime, address: str) -> None:
    audit.record(session, "mfa_recovery_code_used", now, actor=user, address=address,
                 detail={"remaining": remaining_recovery_codes(session, user)})


# -- sign-in ------------------------------------------------------------------------------


def second_step(session, user: User, code: str, address: str, now: datetime,
                limits: SignInLimits) -> str:
    """Check the code of a user whose password was right. The sign-in limits apply: a wrong
    code is a failed sign-in (``login_failed``, reason ``wrong_otp``) and counts toward them.
    Returns how the user got in (``totp`` or ``recovery_code``)."""
    try:
        check_rate(session, user.email, address, now, limits)
    except RateLimited:
        audit.record(session, "login_rate_limited", now, email=user.email, address=address)
        raise
    method = verify(session, user, code, now)
    if method is None:
        record_failure(session, user.email, address, now, "wrong_otp")
        raise Unauthorized(gettext(WRONG_CODE))
    if method == "recovery_code":
        _record_recovery_use(session, user, now, address)
    return method


def token_second_step(session, user: User, otp, address: str, now: datetime,
                      limits: SignInLimits, required_roles) -> None:
    """What ``POST /api/v1/tokens`` asks after a right password: the code when two-step
    sign-in is on (401 ``mfa_required`` without one), enrolment when the role needs it."""
    if user.mfa_enabled:
        if otp is None or otp == "":
            raise MfaRequired(gettext("Two-step sign-in is on for this account: send the code from the "
                                      "authenticator app, or a recovery code, as 'otp'."))
        if not isinstance(otp, str):
            raise ValidationError({"otp": [gettext("Send the code as a string.")]})
        second_step(session, user, otp, address, now, limits)
    elif must_enrol_mfa(user, required_roles):
        raise MfaEnrolmentRequired(gettext("Your role needs two-step sign-in: set it up on your account page "
                                           "(/account/two-step) first."))


# -- enrolment ----------------------------------------------------------------------------


def start(session, user: User, now: datetime) -> str:
    """A new secret, pending until a code of it is confirmed; a secret shown before is dropped."""
    if user.mfa_enabled:
        raise Conflict(gettext("Two-step sign-in is on already. Turn it off first to set up another device."))
    user.mfa_pending_secret = new_secret()
    session.flush()
    return user.mfa_pending_secret


def confirm(session, user: User, code, now: datetime, address: str = "") -> list[str]:
    """Turn two-step sign-in on with a code of the pending secret; answer the recovery codes
    (shown once: only their digests are kept)."""
    if user.mfa_enabled:
        raise Conflict(gettext("Two-step sign-in is on already."))
    if not user.mfa_pending_secret:
        raise Conflict(gettext("Set up two-step sign-in first: a new secret comes with POST /api/v1/me/mfa."))
    if code is None or code == "":
        raise ValidationError({"otp": [gettext("Enter the 6-digit code your authenticator app shows.")]})
    cleaned = _clean(code) if isinstance(code, str) else ""
    step = _matching_step(user.mfa_pending_secret, cleaned, now, None) if TOTP_PATTERN.match(cleaned) else None
    if step is None:
        raise ValidationError({"otp": [gettext("This code is not correct. Check the clock of your phone, "
                                               "and enter the code the app shows now.")]})
    user.mfa_secret = user.mfa_pending_secret
    user.mfa_pending_secret = None
    user.mfa_enabled_at = now
    user.mfa_last_step = step  # the code just used does not sign in as well
    codes = new_recovery_codes(session, user, now)
    audit.record(session, "mfa_enabled", now, actor=user, address=address)
    return codes


def disable(session, user: User, code, now: datetime, address: str = "") -> None:
    """Turn two-step sign-in off, with a current code or a recovery code."""
    if not user.mfa_enabled:
        raise Conflict(gettext("Two-step sign-in is not on."))
    if code is None or code == "":
        raise ValidationError({"otp": [gettext("Enter a current code from your authenticator app, or a "
                                               "recovery code.")]})
    method = verify(session, user, code, now) if isinstance(code, str) else None
    if method is None:
        raise ValidationError({"otp": [gettext(WRONG_CODE)]})
    if method == "recovery_code":
        _record_recovery_use(session, user, now, address)
    user.mfa_secret = None
    user.mfa_pending_secret = None
    user.mfa_enabled_at = None
    user.mfa_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    session.flush()
    audit.record(session, "mfa_disabled", now, actor=user, address=address, detail={"with": method})
