"""National floors and targets: per member state and indicator code, a floor (the minimum
national standard) and a target with its year. Services flush; the caller commits."""
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import select

from coordination.auth.policy import require
from coordination.directory.service import get_country
from coordination.errors import ValidationError
from coordination.reporting import schemas
from coordination.reporting.models import Indicator, NationalTarget


def targets_by_country(session, codes) -> dict[tuple[str, str], NationalTarget]:
    """Floors and targets of several member states in one query, by (country, indicator code)."""
    if not codes:
        return {}
    return {(t.country_code, t.indicator_code): t for t in session.scalars(
        select(NationalTarget).where(NationalTarget.country_code.in_(list(codes))))}


def targets_for(session, country_code: str) -> dict[str, NationalTarget]:
    """One member state's floors and targets, by indicator code."""
    return {code: t for (_, code), t in targets_by_country(session, [country_code]).items()}


def direction_of(session, code: str) -> str:
    """Which way an indicator code's figures are better: as the newest template holding it says."""
    return session.scalar(select(Indicator.better).where(Indicator.code == code)
                          .order_by(Indicator.id.desc()).limit(1)) or "higher"


def set_target(session, actor, country_code: str, code: str, data: dict, now: datetime) -> NationalTarget:
    country = get_country(session, country_code)
    require(actor, "targets.edit", country)
    body = schemas.TargetInput.parse(data)
    if not isinstance(code, str) or not schemas.CODE_PATTERN.match(code):
        raise ValidationError({"indicator_code": [gettext("Name an indicator code.")]})
    if body.floor is not None and body.target is not None:
        if direction_of(session, code) == "lower":
            if body.target > body.floor:
                raise ValidationError({"target": [gettext("Lower is better for this indicator: the target lies at or "
                                                          "below the floor.")]})
        elif body.target < body.floor:
            raise ValidationError({"target": [gettext("The target lies at or above the floor.")]})
    target = session.scalar(select(NationalTarget).where(
        NationalTarget.country_code == country.code, NationalTarget.indicator_code == code))
    if target is None:
        target = NationalTarget(country_code=country.code, indicator_code=code)
        session.add(target)
    target.floor, target.target, target.target_year = body.floor, body.target, body.target_year
    target.updated_by_id, target.updated_at = actor.id, now
    session.flush()
    return target
