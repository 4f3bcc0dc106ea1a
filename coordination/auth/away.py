"""Away and deputies: a user away from one date to another (their local dates, both included)
names a deputy, who meanwhile receives a copy of the user's reminders and notices.

The deputy of a ministry's staff is a colleague of the same ministry; the deputy of a national
coordinator is another coordinator of the same country. Services flush; the caller commits."""
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import aliased

from coordination import clock
from coordination.auth.models import REGIONAL_TIMEZONE, User
from coordination.auth.policy import require
from coordination.auth.schemas import AwayChange
from coordination.directory.models import Country
from coordination.errors import ValidationError
from coordination.ids import as_id

LOOKUP_CHUNK = 500


def local_today(user, now: datetime) -> date:
    return clock.local(now, user.timezone).date()


def is_away(user, today: date) -> bool:
    """Away on ``today`` (the user's local date)."""
    return (user is not None and user.away_from is not None and user.away_until is not None
            and user.away_from <= today <= user.away_until)


def away_until(user, now: datetime) -> date | None:
    """The last day away when ``user`` is away now, else None: for "Away until ..." beside a name."""
    if user is None or user.away_until is None:
        return None
    return user.away_until if is_away(user, local_today(user, now)) else None


def may_deputise(user, deputy) -> bool:
    """Whether ``deputy`` may stand in for ``user``: an active colleague of the same ministry, or,
    for a coordinator, another active coordinator of the same country."""
    if deputy is None or not deputy.active or deputy.id == user.id or user.country_code is None:
        return False
    if user.role == "ministry_staff":
        return (deputy.role == "ministry_staff" and user.ministry_id is not None
                and deputy.ministry_id == user.ministry_id)
    return user.role == "coordinator" and deputy.role == "coordinator" and deputy.country_code == user.country_code


def deputy_choices(session, user) -> list:
    """The people ``user`` may name as deputy, by name."""
    if user.role == "ministry_staff" and user.ministry_id is not None:
        condition = [User.role == "ministry_staff", User.ministry_id == user.ministry_id]
    elif user.role == "coordinator" and user.country_code is not None:
        condition = [User.role == "coordinator", User.country_code == user.country_code]
    else:
        return []
    return session.scalars(select(User).where(User.active.is_(True), User.id != user.id, *condition)
                           .order_by(User.name, User.id)).all()


def set_away(session, actor, data, now: datetime) -> User:
    """Mark ``actor`` away as ``data`` says ({from, until, deputy_id}); ValidationError naming
    each field that is wrong, and nothing changes then."""
    require(actor, "account.away", actor)
    body = AwayChange.parse(data)
    errors: dict[str, list[str]] = {}
    if body.away_until < body.away_from:
        errors["until"] = [gettext("The last day away must be on or after the first day away.")]
    elif body.away_until < local_today(actor, now):
        errors["until"] = [gettext("The last day away is already past: enter today or a later date.")]
    deputy = None
    if body.deputy_id is not None:
        deputy = session.get(User, as_id(body.deputy_id)) if as_id(body.deputy_id) else None
        if not may_deputise(actor, deputy):
            errors["deputy_id"] = [gettext("Choose as deputy an active colleague of your ministry, or, for a "
                                           "coordinator, another coordinator of your member state.")]
    if errors:
        raise ValidationError(errors)
    actor.away_from, actor.away_until = body.away_from, body.away_until
    actor.away_deputy_id = deputy.id if deputy is not None else None
    session.flush()
    return actor


def end_away(session, actor, now: datetime) -> User:
    """``actor`` is back: no more away dates, no more copies to the deputy."""
    require(actor, "account.away", actor)
    actor.away_from = actor.away_until = actor.away_deputy_id = None
    session.flush()
    return actor


@dataclass(frozen=True)
class StandIn:
    """The deputy of a user away now: who receives the copies, in which language, for whom."""

    deputy_id: int
    deputy_locale: str | None
    name: str  # the name of the user away


def deputies(session, user_ids, now: datetime) -> dict[int, StandIn]:
    """For each of ``user_ids`` away now (their local date) with an active deputy: that
    deputy. Reads the users by their key, a chunk at a time."""
    deputy = aliased(User)
    found: dict[int, StandIn] = {}
    ids = sorted(set(user_ids))
    for start in range(0, len(ids), LOOKUP_CHUNK):
        rows = session.execute(
            select(User.id, User.name, User.away_from, User.away_until, Country.timezone,
                   deputy.id.label("deputy_id"), deputy.locale.label("deputy_locale"))
            .outerjoin(Country, Country.code == User.country_code)
            .join(deputy, deputy.id == User.away_deputy_id)
            .where(User.id.in_(ids[start:start + LOOKUP_CHUNK]), User.active.is_(True),
                   deputy.active.is_(True))).all()
        for row in rows:
            today = clock.local(now, row.timezone or REGIONAL_TIMEZONE).date()
            if row.away_from is not None and row.away_until is not None and row.away_from <= today <= row.away_until:
                found[row.id] = StandIn(row.deputy_id, row.deputy_locale, row.name)
    return found


def copy_line(names: list[str]) -> str:
    """The line a deputy's copy begins with, in the language in use."""
    return gettext("You receive this copy as the deputy of %(names)s, who is away.", names=", ".join(names))
