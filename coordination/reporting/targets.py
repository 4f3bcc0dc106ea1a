"""National floors and targets: per member state and indicator code, a floor (the minimum
national standard) and a target with its year. Services flush; the caller commits."""
import math
from datetime import datetime

from sqlalchemy import select

from coordination.auth.policy import require
from coordination.directory.service import get_country
from coordination.errors import ValidationError
from coordination.ids import is_number
from coordination.reporting.models import NationalTarget
from coordination.reporting.schemas import CODE_PATTERN


def targets_by_country(session, codes) -> dict[tuple[str, str], NationalTarget]:
    """Floors and targets of several member states in one query, by (country, indicator code)."""
    if not codes:
        return {}
    return {(t.country_code, t.indicator_code): t for t in session.scalars(
        select(NationalTarget).where(NationalTarget.country_code.in_(list(codes))))}


def targets_for(session, country_code: str) -> dict[str, NationalTarget]:
    """One member state's floors and targets, by indicator code."""
    return {code: t for (_, code), t in targets_by_country(session, [country_code]).items()}


def set_target(session, actor, country_code: str, code: str, data: dict, now: datetime) -> NationalTarget:
    country = get_country(session, country_code)
    require(actor, "targets.edit", country)
    errors: dict[str, list[str]] = {}
    if not isinstance(code, str) or not CODE_PATTERN.match(code):
        errors["indicator_code"] = ["Name an indicator code."]
    numbers = {}
    for field in ("floor", "target"):
        value = data.get(field)
        if isinstance(value, str):
            value = value.strip()
            try:
                value = float(value) if value else None
            except ValueError:
                errors[field] = ["Enter a number."]
                continue
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)
                                  or not math.isfinite(value) or value < 0):
            errors[field] = ["Enter a number that is not negative."]
        numbers[field] = value
    year = data.get("target_year")
    if isinstance(year, str):
        year = int(year) if is_number(year.strip()) else (None if not year.strip() else "bad")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100):
        errors["target_year"] = ["Enter a year between 2000 and 2100."]
    if not errors and numbers.get("floor") is not None and numbers.get("target") is not None \
            and numbers["target"] < numbers["floor"]:
        errors["target"] = ["The target lies at or above the floor."]
    if errors:
        raise ValidationError(errors)
    target = session.scalar(select(NationalTarget).where(
        NationalTarget.country_code == country.code, NationalTarget.indicator_code == code))
    if target is None:
        target = NationalTarget(country_code=country.code, indicator_code=code)
        session.add(target)
    target.floor, target.target, target.target_year = numbers.get("floor"), numbers.get("target"), year
    target.updated_by_id, target.updated_at = actor.id, now
    session.flush()
    return target
