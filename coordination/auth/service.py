"""Accounts, sign-in, and API tokens. Services flush; the caller commits."""
import hashlib
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update

from coordination.auth import passwords
from coordination.auth.models import ROLES, ApiToken, LoginFailure, User
from coordination.directory.models import Country, Ministry
from coordination.errors import RateLimited, Unauthorized, ValidationError

BAD_CREDENTIALS = "The e-mail address or the password is not correct."
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def _check_rate(session, email: str, address: str, now: datetime, limit: int, window: int):
    since = now - timedelta(minutes=window)
    by_account, by_address = session.execute(
        select(
            func.count().filter(LoginFailure.email == email),
            func.count().filter(LoginFailure.address == address),
        ).where(
            LoginFailure.at >= since,
            or_(LoginFailure.email == email, LoginFailure.address == address),
        )
    ).one()
    if by_account >= limit or by_address >= limit:
        raise RateLimited(
            f"Too many failed sign-ins. Wait {window} minutes, then try again."
        )


def authenticate(
    session, email: str, password: str, address: str, now: datetime,
    max_failures: int = 10, window_minutes: int = 15,
) -> User:
    """The active user with these credentials. A failure is recorded (the caller
    commits it) and answers the same message whatever was wrong."""
    email = normalise_email(email)
    _check_rate(session, email, address, now, max_failures, window_minutes)
    user = find_user_by_email(session, email)
    ok = passwords.verify_password(user.password_hash if user else None, password or "")
    if not ok or user is None or not user.active:
        session.add(LoginFailure(email=email[:254], address=address[:64], at=now))
        session.flush()
        raise Unauthorized(BAD_CREDENTIALS)
    return user


def end_sessions(session, user: User) -> None:
    """Make every session cookie issued so far useless."""
    user.session_counter = (user.session_counter or 0) + 1
    session.flush()


def change_password(session, user: User, current: str, new: str, confirm: str, now: datetime) -> None:
    """A new password ends every session and revokes every API token issued with the old one."""
    problems: dict[str, list[str]] = {}
    if not passwords.verify_password(user.password_hash, current or ""):
        problems["current_password"] = ["This is not your current password."]
    new_problems = passwords.password_problems(new or "")
    if new_problems:
        problems["new_password"] = new_problems
    elif new != confirm:
        problems["confirm_password"] = ["The two new passwords differ."]
    if problems:
        raise ValidationError(problems)
    user.password_hash = passwords.hash_password(new)
    end_sessions(session, user)
    session.execute(update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                    .values(revoked_at=now))


def validate_scope(session, role: str, country_code: str | None, ministry_acronym: str | None):
    """The (country, ministry) a user of ``role`` is scoped to, or a ValidationError."""
    errors: dict[str, list[str]] = {}
    country = ministry = None
    if role not in ROLES:
        errors["role"] = [f"Choose one of: {', '.join(ROLES)}."]
    if country_code:
        country = session.get(Country, country_code.upper())
        if country is None:
            errors["country"] = [f"There is no member state with the code {country_code!r}."]
    if role in ("coordinator", "ministry_staff") and country is None and "country" not in errors:
        errors["country"] = ["A national user needs a member state."]
    if role in ("secretariat", "observer", "admin") and country_code:
        errors["country"] = ["A regional user belongs to no member state."]
    if role == "ministry_staff":
        if not ministry_acronym:
            errors["ministry"] = ["Ministry staff need a ministry."]
        elif country is not None:
            ministry = session.scalar(
                select(Ministry).where(
                    Ministry.country_code == country.code,
                    func.lower(Ministry.acronym) == ministry_acronym.lower(),
                )
            )
            if ministry is None:
                errors["ministry"] = [
                    f"{country.name} has no ministry with the acronym {ministry_acronym!r}."
                ]
    elif ministry_acronym:
        errors["ministry"] = ["Only ministry staff belong to a ministry."]
    if errors:
        raise ValidationError(errors)
    return country, ministry


def create_user(
    session, *, email: str, name: str, role: str, password: str,
    country_code: str | None = None, ministry_acronym: str | None = None,
    password_hash: str | None = None,
) -> User:
    errors: dict[str, list[str]] = {}
    email = normalise_email(email)
    if not EMAIL_PATTERN.match(email) or len(email) > 254:
        errors["email"] = ["Enter a valid e-mail address."]
    elif find_user_by_email(session, email) is not None:
        errors["email"] = ["A user with this e-mail address exists already."]
    if not (name or "").strip():
        errors["name"] = ["Enter a name."]
    if password_hash is None and passwords.password_problems(password or ""):
        errors["password"] = passwords.password_problems(password or "")
    try:
        country, ministry = validate_scope(session, role, country_code, ministry_acronym)
    except ValidationError as exc:
        errors.update(exc.fields)
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
    return user


# -- API tokens ------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session, user: User, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, digest=_digest(token), created_at=now))
    session.flush()
    return token


def user_for_token(session, token: str) -> tuple[User, ApiToken]:
    row = session.scalar(select(ApiToken).where(ApiToken.digest == _digest(token or "")))
    if row is None or row.revoked_at is not None or not row.user.active:
        raise Unauthorized("The token is missing, revoked or not valid.")
    return row.user, row


def revoke_token(session, token_row: ApiToken, now: datetime) -> None:
    token_row.revoked_at = now
    session.flush()
