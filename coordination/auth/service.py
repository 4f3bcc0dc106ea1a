"""Accounts, sign-in, and API tokens. Services flush; the caller commits."""
import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from flask_babel import gettext, ngettext
from sqlalchemy import bindparam, func, select, update

from coordination.audit import service as audit
from coordination.auth import passwords
from coordination.auth.models import ROLES, ApiToken, LoginFailure, PasswordResetToken, User
from coordination.auth.schemas import EMAIL_PATTERN, choose_locale
from coordination.directory.models import Country, Ministry
from coordination.errors import RateLimited, Unauthorized, ValidationError
from coordination.i18n import N_, known

BAD_CREDENTIALS = N_("The e-mail address or the password is not correct.")
NAME_MAX = 120  # users.name


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


@dataclass(frozen=True)
class SignInLimits:
    """``LOGIN_MAX_FAILURES`` per (account, address) and ``LOGIN_MAX_FAILURES_PER_ADDRESS``
    per address, within ``LOGIN_FAILURE_WINDOW_MINUTES``."""

    per_account: int = 10
    per_address: int = 100
    window_minutes: int = 15

    @classmethod
    def from_config(cls, config) -> "SignInLimits":
        return cls(config["LOGIN_MAX_FAILURES"], config["LOGIN_MAX_FAILURES_PER_ADDRESS"],
                   config["LOGIN_FAILURE_WINDOW_MINUTES"])


def _retry_after(session, condition, count: int, limit: int, since: datetime, window: timedelta,
                 now: datetime) -> int:
    """Seconds until enough of the counted failures leave the window for one more attempt."""
    oldest_that_must_expire = session.scalar(
        select(LoginFailure.at).where(condition, LoginFailure.at >= since)
        .order_by(LoginFailure.at).offset(count - limit).limit(1))
    if oldest_that_must_expire is None:
        return 1
    return max(1, math.ceil((oldest_that_must_expire + window - now).total_seconds()))


def check_rate(session, email: str, address: str, now: datetime, limits: SignInLimits) -> None:
    """RateLimited (with ``retry_after``) when this account from this address, or this address
    over all accounts, failed too often in the window. Failures from elsewhere never count."""
    window = timedelta(minutes=limits.window_minutes)
    since = now - window
    by_pair, by_address = session.execute(
        select(
            func.count().filter(LoginFailure.email == email),
            func.count(),
        ).where(LoginFailure.address == address, LoginFailure.at >= since)
    ).one()
    for count, limit, condition in (
        (by_pair, limits.per_account, (LoginFailure.address == address) & (LoginFailure.email == email)),
        (by_address, limits.per_address, LoginFailure.address == address),
    ):
        if count >= limit:
            seconds = _retry_after(session, condition, count, limit, since, window, now)
            minutes = math.ceil(seconds / 60)
            raise RateLimited(
                ngettext("Too many failed sign-ins. Wait %(num)d minute, then try again.",
                         "Too many failed sign-ins. Wait %(num)d minutes, then try again.", minutes),
                retry_after=seconds,
            )


def record_failure(session, email: str, address: str, now: datetime, reason: str) -> None:
    session.add(LoginFailure(email=email[:254], address=address[:64], at=now))
    audit.record(session, "login_failed", now, email=email, address=address, detail={"reason": reason})


def authenticate(session, email: str, password: str, address: str, now: datetime,
                 limits: SignInLimits = SignInLimits()) -> User:
    """The active user with these credentials. A failure is recorded, with its audit event
    (the caller commits both), and answers the same message whatever was wrong."""
    email = normalise_email(email)
    try:
        check_rate(session, email, address, now, limits)
    except RateLimited:
        audit.record(session, "login_rate_limited", now, email=email, address=address)
        raise
    user = find_user_by_email(session, email)
    ok = passwords.verify_password(user.password_hash if user else None, password or "")
    if not ok or user is None or not user.active:
        reason = "unknown_account" if user is None else ("wrong_password" if not ok else "disabled")
        record_failure(session, email, address, now, reason)
        raise Unauthorized(gettext(BAD_CREDENTIALS))
    return user


def end_sessions(session, user: User) -> None:
    """Make every session cookie issued so far useless."""
    user.session_counter = (user.session_counter or 0) + 1
    session.flush()


def change_password(session, user: User, current: str, new: str, confirm: str, now: datetime) -> None:
    """A new password ends every session and revokes every API token issued with the old one."""
    problems: dict[str, list[str]] = {}
    if not passwords.verify_password(user.password_hash, current or ""):
        problems["current_password"] = [gettext("This is not your current password.")]
    new_problems = passwords.password_problems(new or "")
    if new_problems:
        problems["new_password"] = new_problems
    elif new != confirm:
        problems["confirm_password"] = [gettext("The two new passwords differ.")]
    if problems:
        raise ValidationError(problems)
    user.password_hash = passwords.hash_password(new)
    end_sessions_and_tokens(session, user, now)


def set_locale(session, user: User, locale: str | None) -> None:
    """The user's language for pages and e-mail (a code of i18n.LANGUAGES), or None: pages as
    the browser says, e-mail in English."""
    if locale is not None and known(locale) is None:
        raise ValidationError({"locale": [choose_locale()]})
    user.locale = locale
    session.flush()


def locales_of(session, user_ids) -> dict[int, str | None]:
    """The chosen language of each of ``user_ids`` (None where the user chose none)."""
    found: dict[int, str | None] = {}
    ids = sorted(set(user_ids))
    for start in range(0, len(ids), 500):
        found.update(session.execute(select(User.id, User.locale).where(User.id.in_(ids[start:start + 500]))).all())
    return found


def validate_scope(session, role: str, country_code: str | None, ministry_acronym: str | None):
    """The (country, ministry) a user of ``role`` is scoped to, or a ValidationError."""
    errors: dict[str, list[str]] = {}
    country = ministry = None
    if role not in ROLES:
        errors["role"] = [gettext("Choose one of: %(roles)s.", roles=", ".join(ROLES))]
    if country_code:
        country = session.get(Country, country_code.upper())
        if country is None:
            errors["country"] = [gettext("There is no member state with the code %(code)s.", code=repr(country_code))]
    if role in ("coordinator", "ministry_staff") and country is None and "country" not in errors:
        errors["country"] = [gettext("A national user needs a member state.")]
    if role in ("secretariat", "observer", "admin") and country_code:
        errors["country"] = [gettext("A regional user belongs to no member state.")]
    if role == "ministry_staff":
        if not ministry_acronym:
            errors["ministry"] = [gettext("Ministry staff need a ministry.")]
        elif country is not None:
            ministry = session.scalar(
                select(Ministry).where(
                    Ministry.country_code == country.code,
                    func.lower(Ministry.acronym) == ministry_acronym.lower(),
                )
            )
            if ministry is None:
                errors["ministry"] = [gettext("%(country)s has no ministry with the acronym %(acronym)s.",
                                              country=country.name, acronym=repr(ministry_acronym))]
    elif ministry_acronym:
        errors["ministry"] = [gettext("Only ministry staff belong to a ministry.")]
    if errors:
        raise ValidationError(errors)
    return country, ministry


def _name_and_scope(session, errors: dict, name, role: str, country_code, ministry_acronym):
    """A user's name (given, at most NAME_MAX characters, as its column) and the (country,
    ministry) of its role; what is wrong with either joins ``errors``."""
    if not isinstance(name, str) or not name.strip():
        errors["name"] = [gettext("Enter a name.")]
    elif len(name.strip()) > NAME_MAX:
        errors["name"] = [gettext("Use at most %(max)d characters.", max=NAME_MAX)]
    try:
        return validate_scope(session, role, country_code, ministry_acronym)
    except ValidationError as exc:
        errors.update(exc.fields)
        return None, None


def create_user(
    session, *, email: str, name: str, role: str, password: str,
    country_code: str | None = None, ministry_acronym: str | None = None,
    password_hash: str | None = None, actor: User | None = None, now: datetime | None = None,
    address: str = "",
) -> User:
    """A new active user. With ``now`` the creation is written to the audit log (by ``actor``,
    or by the command line when None); the demo data passes no ``now``."""
    errors: dict[str, list[str]] = {}
    email = normalise_email(email)
    if not EMAIL_PATTERN.match(email) or len(email) > 254:
        errors["email"] = [gettext("Enter a valid e-mail address.")]
    elif find_user_by_email(session, email) is not None:
        errors["email"] = [gettext("A user with this e-mail address exists already.")]
    if password_hash is None and passwords.password_problems(password or ""):
        errors["password"] = passwords.password_problems(password or "")
    country, ministry = _name_and_scope(session, errors, name, role, country_code, ministry_acronym)
    if errors:
        raise ValidationError(errors)
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        country_code=country.code if country else None,
        ministry_id=ministry.id if ministry else None,
        password_hash=password_hash or passwords.hash_password(password),
        active=True,
        session_counter=0,
    )
    session.add(user)
    session.flush()
    if now is not None:
        audit.record(session, "user_created", now, actor=actor, email=user.email, address=address,
                     detail={**scope_of(user), "by": "admin" if actor is not None else "command line"})
    return user


def scope_of(user: User) -> dict:
    """What the audit log records of a user's standing."""
    return {"role": user.role, "country": user.country_code,
            "ministry": user.ministry.acronym if user.ministry is not None else None, "active": user.active}


def end_sessions_and_tokens(session, user: User, now: datetime) -> None:
    """Every session cookie, API token and password-reset link of ``user`` stops working, for
    good: none comes back should the account be enabled again."""
    end_sessions(session, user)
    session.execute(update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                    .values(revoked_at=now).execution_options(synchronize_session=False))
    session.execute(
        update(PasswordResetToken).where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False))


def update_user(session, actor: User, user: User, *, name: str, role: str, country_code: str | None,
                ministry_acronym: str | None, active: bool, now: datetime, address: str = "") -> bool:
    """The administrator changes a user's name, role, scope or status; True if anything changed.
    Disabling ends every session and token of the user at once."""
    errors: dict[str, list[str]] = {}
    if user.id == actor.id:
        if not active:
            errors["active"] = [gettext("You cannot disable your own account.")]
        if role != user.role:
            errors["role"] = [gettext("You cannot change your own role.")]
    country, ministry = _name_and_scope(session, errors, name, role, country_code, ministry_acronym)
    if errors:
        raise ValidationError(errors)
    before = {"name": user.name, **scope_of(user)}
    user.name = name.strip()
    user.role = role
    user.country_code = country.code if country else None
    user.ministry_id = ministry.id if ministry else None
    user.ministry = ministry
    user.active = active
    after = {"name": user.name, **scope_of(user)}
    if before == after:
        return False
    if before["active"] and not active:
        end_sessions_and_tokens(session, user, now)
    changed = sorted(key for key in after if before[key] != after[key])
    audit.record(session, "user_updated", now, actor=actor, email=user.email, address=address,
                 detail={"changed": changed, "old": before, "new": after})
    session.flush()
    return True


# -- API tokens ------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session, user: User, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, digest=_digest(token), created_at=now))
    session.flush()
    return token


@cache
def _token_and_user():
    """The token of a digest with its user: one statement, built once."""
    return (select(ApiToken, User).join(User, User.id == ApiToken.user_id)
            .where(ApiToken.digest == bindparam("digest")))


def user_for_token(session, token: str) -> tuple[User, ApiToken]:
    row = session.execute(_token_and_user(), {"digest": _digest(token or "")}).first()
    if row is None or row.ApiToken.revoked_at is not None or not row.User.active:
        raise Unauthorized(gettext("The token is missing, revoked or not valid."))
    return row.User, row.ApiToken


def revoke_token(session, token_row: ApiToken, now: datetime) -> None:
    token_row.revoked_at = now
    session.flush()
