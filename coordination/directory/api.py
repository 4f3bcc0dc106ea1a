"""The directory in the JSON API: readable by every signed-in user."""
from flask import g, jsonify
from sqlalchemy import select

from coordination.api import api, token_required
from coordination.auth.policy import require
from coordination.directory import service
from coordination.directory.models import Country, Ministry
from coordination.extensions import db


@api.get("/countries")
@token_required
def list_countries():
    require(g.api_user, "directory.read")
    countries = db.session.scalars(select(Country).order_by(Country.code))
    return jsonify([{"code": c.code, "name": c.name, "timezone": c.timezone} for c in countries])


@api.get("/countries/<code>/ministries")
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
