"""Directory pages: member states, their mechanisms and ministries."""
from flask import Blueprint, render_template, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from coordination.auth.models import User
from coordination.auth.policy import require
from coordination.directory import service
from coordination.directory.forms import CountryForm, MechanismForm, MinistryForm, sector_label
from coordination.directory.models import Country, Mechanism, Ministry
from coordination.extensions import db
from coordination.forms import done, errors_on, form_status

bp = Blueprint("directory", __name__)


@bp.app_template_filter("sector")
def _sector(value: str) -> str:
    return sector_label(value)


@bp.get("/countries")
@login_required
def countries():
    require(current_user, "directory.read")
    rows = db.session.execute(
        select(Country, func.count(Ministry.id))
        .outerjoin(Ministry, Ministry.country_code == Country.code)
        .group_by(Country.code)
        .order_by(Country.name)
    ).all()
    return render_template("directory/countries.html", rows=rows)


@bp.get("/countries/<code>")
@login_required
def country(code: str):
    country = service.get_country(db.session, code)
    require(current_user, "directory.read", country)
    mechanism = db.session.scalar(
        select(Mechanism)
        .where(Mechanism.country_code == country.code)
        .options(selectinload(Mechanism.members), selectinload(Mechanism.reporting_ministry))
    )
    member_ids = {m.id for m in mechanism.members} if mechanism else set()
    return render_template(
        "directory/country.html", country=country, mechanism=mechanism, member_ids=member_ids
    )


@bp.route("/countries/<code>/mechanism", methods=["GET", "POST"])
@login_required
def edit_mechanism(code: str):
    country = service.get_country(db.session, code)
    require(current_user, "mechanism.edit", country)
    mechanism = country.mechanism
    form = MechanismForm()
    form.members.choices = [(m.id, m.label) for m in country.ministries]
    form.reporting_ministry.choices = [("", gettext("— none —"))] + [
        (str(m.id), m.label) for m in country.ministries
    ]
    national_users = db.session.scalars(
        select(User).where(User.country_code == country.code, User.active.is_(True)).order_by(User.name)
    ).all()
    form.focal_point.choices = [("", gettext("— none —"))] + [
        (str(u.id), f"{u.name} ({u.email})") for u in national_users
    ]
    if not form.is_submitted() and mechanism is not None:
        form.name.data = mechanism.name
        form.members.data = [m.id for m in mechanism.members]
        form.reporting_ministry.data = str(mechanism.reporting_ministry_id or "")
        form.focal_point.data = str(mechanism.focal_point_id or "")
    if form.validate_on_submit():
        with errors_on(form):
            service.update_mechanism(
                db.session, current_user, country, name=form.name.data,
                member_ids=form.members.data or [],
                reporting_ministry_id=int(form.reporting_ministry.data) if form.reporting_ministry.data else None,
                focal_point_id=int(form.focal_point.data) if form.focal_point.data else None,
            )
            return done(gettext("The coordination mechanism is saved."),
                        url_for("directory.country", code=country.code))
    return render_template("directory/mechanism_form.html", form=form, country=country), form_status(form)


# -- administrator ---------------------------------------------------------------------


@bp.route("/admin/countries/new", methods=["GET", "POST"])
@login_required
def new_country():
    require(current_user, "directory.manage")
    form = CountryForm()
    return _save_country(form, None)


@bp.route("/admin/countries/<code>", methods=["GET", "POST"])
@login_required
def edit_country(code: str):
    country = service.get_country(db.session, code)
    require(current_user, "directory.manage", country)
    form = CountryForm(obj=country)
    form.code.render_kw = {"readonly": True}
    return _save_country(form, country)


def _save_country(form, country):
    if form.validate_on_submit():
        with errors_on(form):
            saved = service.save_country(
                db.session, current_user, code=country.code if country else form.code.data,
                name=form.name.data, timezone=form.timezone.data, country=country,
            )
            return done(gettext("%(name)s is saved.", name=saved.name), url_for("directory.country", code=saved.code))
    return render_template("directory/country_form.html", form=form, country=country), form_status(form)


@bp.route("/admin/countries/<code>/ministries/new", methods=["GET", "POST"])
@login_required
def new_ministry(code: str):
    country = service.get_country(db.session, code)
    require(current_user, "directory.manage", country)
    return _save_ministry(MinistryForm(), country, None)


@bp.route("/admin/ministries/<int:ministry_id>", methods=["GET", "POST"])
@login_required
def edit_ministry(ministry_id: int):
    ministry = service.get_ministry(db.session, ministry_id)
    require(current_user, "directory.manage", ministry)
    return _save_ministry(MinistryForm(obj=ministry), ministry.country, ministry)


def _save_ministry(form, country, ministry):
    if form.validate_on_submit():
        with errors_on(form):
            service.save_ministry(
                db.session, current_user, country, name=form.name.data,
                acronym=form.acronym.data, sector=form.sector.data, ministry=ministry,
            )
            return done(gettext("%(name)s is saved.", name=form.name.data),
                        url_for("directory.country", code=country.code))
    return render_template(
        "directory/ministry_form.html", form=form, country=country, ministry=ministry
    ), form_status(form)
