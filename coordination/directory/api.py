"""The directory in the JSON API: readable by every signed-in user."""
from flask import g, jsonify
from sqlalchemy import select

from coordination.api import api, token_required
from coordination.auth.policy import require
from coordination.directory import schemas, service
from coordination.directory.models import Country, Ministry
from coordination.endpoints import endpoint
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
