"""Changes to the directory. Services flush; the caller commits."""
from zoneinfo import ZoneInfo, available_timezones

from flask_babel import gettext
from sqlalchemy import func, select

from coordination.auth.models import User
from coordination.auth.policy import require
from coordination.directory.models import SECTORS, Country, Mechanism, Ministry
from coordination.errors import NotFound, ValidationError
from coordination.ids import as_id


def get_country(session, code) -> Country:
    """The member state of an ISO 3166-1 alpha-2 code from outside (any case); 404 for anything else."""
    country = session.get(Country, code.upper()) if isinstance(code, str) and len(code) == 2 else None
    if country is None:
        raise NotFound(gettext("There is no member state with the code %(code)s.", code=repr(code)))
    return country


def get_ministry(session, ministry_id: int) -> Ministry:
    ministry = session.get(Ministry, as_id(ministry_id)) if as_id(ministry_id) else None
    if ministry is None:
        raise NotFound(gettext("There is no such ministry."))
    return ministry


def _check_timezone(name: str) -> bool:
    if name not in available_timezones():
        return False
    ZoneInfo(name)
    return True


def save_country(session, actor, *, code: str, name: str, timezone: str,
                 country: Country | None = None) -> Country:
    require(actor, "directory.manage", country)
    errors: dict[str, list[str]] = {}
    code = (code or "").strip().upper()
    name = (name or "").strip()
    if country is None:
        if len(code) != 2 or not code.isalpha():
            errors["code"] = [gettext("Use the two-letter ISO 3166-1 code, e.g. PH.")]
        elif session.get(Country, code) is not None:
            errors["code"] = [f"{code} exists already."]
    if not name:
        errors["name"] = [gettext("Enter the country's name.")]
    elif session.scalar(
        select(Country).where(Country.name == name, Country.code != (country.code if country else code))
    ):
        errors["name"] = [gettext("Another member state has this name.")]
    if not _check_timezone((timezone or "").strip()):
        errors["timezone"] = [gettext("Use an IANA time zone, e.g. Asia/Manila.")]
    if errors:
        raise ValidationError(errors)
    if country is None:
        country = Country(code=code)
        session.add(country)
    country.name = name
    country.timezone = timezone.strip()
    session.flush()
    return country


def save_ministry(session, actor, country: Country, *, name: str, acronym: str, sector: str,
                  ministry: Ministry | None = None) -> Ministry:
    require(actor, "directory.manage", country)
    errors: dict[str, list[str]] = {}
    name, acronym = (name or "").strip(), (acronym or "").strip()
    if not name:
        errors["name"] = [gettext("Enter the official English name.")]
    if not acronym:
        errors["acronym"] = [gettext("Enter the acronym.")]
    else:
        clash = session.scalar(
            select(Ministry).where(
                Ministry.country_code == country.code,
                func.lower(Ministry.acronym) == acronym.lower(),
            )
        )
        if clash is not None and clash is not ministry:
            errors["acronym"] = [f"{country.name} has a ministry with this acronym already."]
    if sector not in SECTORS:
        errors["sector"] = [gettext("Choose a sector from the list.")]
    if errors:
        raise ValidationError(errors)
    if ministry is None:
        ministry = Ministry(country_code=country.code)
        session.add(ministry)
    ministry.name, ministry.acronym, ministry.sector = name, acronym, sector
    session.flush()
    return ministry


def update_mechanism(session, actor, country: Country, *, name: str, member_ids: list[int],
                     reporting_ministry_id: int | None, focal_point_id: int | None) -> Mechanism:
    """The coordinator sets who sits on the mechanism and which ministry reports."""
    require(actor, "mechanism.edit", country)
    errors: dict[str, list[str]] = {}
    ministries = {m.id: m for m in country.ministries}
    unknown = [i for i in member_ids if i not in ministries]
    if unknown:
        errors["members"] = [gettext("Choose ministries of this member state only.")]
    if reporting_ministry_id is not None:
        if reporting_ministry_id not in ministries:
            errors["reporting_ministry"] = [gettext("Choose a ministry of this member state.")]
        elif reporting_ministry_id not in member_ids:
            errors["reporting_ministry"] = [gettext("The reporting ministry must be a member.")]
    focal_point = None
    if focal_point_id is not None:
        focal_point = session.get(User, focal_point_id)
        if focal_point is None or focal_point.country_code != country.code:
            errors["focal_point"] = [gettext("Choose a user of this member state.")]
    if not (name or "").strip():
        errors["name"] = [gettext("Enter the mechanism's name.")]
    if errors:
        raise ValidationError(errors)
    mechanism = country.mechanism
    if mechanism is None:
        mechanism = Mechanism(country_code=country.code)
        session.add(mechanism)
    mechanism.name = name.strip()
    mechanism.members = [ministries[i] for i in member_ids]
    mechanism.reporting_ministry_id = reporting_ministry_id
    mechanism.focal_point = focal_point
    session.flush()
    return mechanism
