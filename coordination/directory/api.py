"""The directory in the JSON API: readable by every signed-in user."""
from flask import g, jsonify, request
from flask_babel import gettext
from sqlalchemy import select

from coordination import clock, i18n, workdays
from coordination.api import api, token_required
from coordination.auth.policy import require
from coordination.directory import schemas, service
from coordination.directory.models import Country, Ministry
from coordination.endpoints import endpoint
from coordination.errors import ValidationError
from coordination.extensions import db


@api.get("/countries")
@endpoint("The member states", tag="directory", replies={200: list[schemas.Country]})
@token_required
def list_countries():
    require(g.api_user, "directory.read")
    countries = db.session.scalars(select(Country).order_by(Country.code))
    return jsonify([{"code": c.code, "name": c.name, "timezone": c.timezone} for c in countries])


@api.get("/countries/<code>/ministries")
@endpoint("A member state's ministries and agencies, by name", tag="directory",
          replies={200: list[schemas.Ministry]})
@token_required
def list_ministries(code: str):
    country = service.get_country(db.session, code)
    require(g.api_user, "directory.read", country)
    ministries = db.session.scalars(
        select(Ministry).where(Ministry.country_code == country.code).order_by(Ministry.name)
    )
    return jsonify([
        {"id": m.id, "name": m.name, "acronym": m.acronym, "sector": m.sector} for m in ministries
    ])


# The holidays package's name of each language of the app.
HOLIDAY_LANGUAGES = {"en": "en_US", "id": "id", "th": "th", "vi": "vi"}


@api.get("/countries/<code>/holidays")
@endpoint("A member state's public holidays of a year, in date order (every signed-in user)", tag="directory",
          query=schemas.HolidayQuery, replies={200: list[schemas.Holiday]}, errors=(422,),
          description="Names in the language of the request where the country's calendar has it, else in the "
                      "calendar's own. Weekends are not listed: Brunei rests on Friday and Sunday, the others "
                      "on Saturday and Sunday.")
@token_required
def list_holidays(code: str):
    country = service.get_country(db.session, code)
    require(g.api_user, "directory.read", country)
    try:
        year = schemas.HolidayQuery.parse(request.args).year
    except ValidationError:
        first, last = schemas.EARLIEST.year, schemas.LATEST.year
        raise ValidationError({"year": [gettext(schemas.YEAR, first=first, last=last)]}) from None
    if year is None:
        year = clock.local_today(country.timezone).year
    language = HOLIDAY_LANGUAGES.get(i18n.current_locale())
    if language not in workdays.supported_languages(country.code):
        language = None
    return jsonify([{"date": day.isoformat(), "name": name}
                    for day, name in workdays.holidays_of(country.code, year, language)])
