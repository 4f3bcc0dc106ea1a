"""Regional-item pages: the list, one regional item with its parts, the form that raises one,
and the panels other pages include (a part's item page, a country's page). Thin: the service
checks who may read what."""
from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from coordination import clock, paging
from coordination.auth.policy import may, require
from coordination.directory.models import Country
from coordination.extensions import db
from coordination.forms import done, errors_on, form_status
from coordination.items.queries import ListPage
from coordination.regional_items import service
from coordination.regional_items.forms import RegionalItemForm
from coordination.regional_items.models import STATE_LABELS, STATES, RegionalItem

bp = Blueprint("regional_items", __name__)
PER_PAGE = 25


@bp.app_context_processor
def _labels():
    return {"regional_state_labels": STATE_LABELS}


@bp.app_template_global()
def regional_part(item):
    """For an action item's page: the regional item it is a part of, with the parts as the user
    reads them; None when it is no part (or the user may not read it)."""
    if getattr(item, "regional_item_id", None) is None:
        return None
    regional = db.session.get(RegionalItem, item.regional_item_id)
    if regional is None or not may(current_user, "regional.read", regional):
        return None
    return {"regional": regional,
            "others": [p for p in service.parts_of(db.session, current_user, regional, clock.now(), history=False)
                       if p.country.code != item.country_code]}


@bp.app_template_global()
def regional_country_panel(country):
    """For a member state's page: its open parts of regional items (its users, the secretariat)."""
    return service.country_panel(db.session, current_user, country.code, clock.now())


@bp.get("/regional-items")
@login_required
def list_regional_items():
    require(current_user, "regional.read")
    state = request.args.get("state")
    state = state if state in STATES else None
    number = paging.requested_page(request.args)
    rows, total = service.page(db.session, current_user, state, number, PER_PAGE)
    return render_template("regional_items/list.html", page=ListPage(rows, total, number, PER_PAGE), state=state,
                           states=STATES, now=clock.now(), today_of=service.local_today)


@bp.route("/regional-items/new", methods=["GET", "POST"])
@login_required
def new_regional_item():
    require(current_user, "regional.create")
    form = RegionalItemForm()
    form.set_countries(db.session.scalars(select(Country).order_by(Country.name)))
    if form.validate_on_submit():
        with errors_on(form):
            regional = service.create(db.session, current_user, form.service_data(), clock.now())
            return done(gettext("The regional item is raised: each member state's coordinator has a draft to "
                                "assign."), url_for("regional_items.show_regional_item", regional_item_id=regional.id))
    return render_template("regional_items/form.html", form=form), form_status(form)


@bp.get("/regional-items/<int:regional_item_id>")
@login_required
def show_regional_item(regional_item_id: int):
    regional = service.get(db.session, current_user, regional_item_id)
    return render_template("regional_items/detail.html", regional=regional,
                           parts=service.parts_of(db.session, current_user, regional, clock.now()))
