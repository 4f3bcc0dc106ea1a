"""The coordination-health pages: a cycle's table of member states (and its CSV and XLSX), and
one member state over cycles with a chart per figure. Thin: the service checks visibility and
computes; the view renders, or streams a file."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from coordination import clock, database
from coordination.audit import downloads
from coordination.extensions import db
from coordination.health import charts, exports, service

bp = Blueprint("health", __name__)


@bp.get("/cycles/<int:cycle_id>/coordination")
@login_required
@database.writes  # keeps the item figures of a finished period the first time (health_item_figures)
def cycle_coordination(cycle_id: int):
    result = service.cycle_health(db.session, current_user, cycle_id, clock.now())
    return render_template("health/cycle.html", result=result, cycle=result.cycle)


def _download(data: bytes, name: str, extension: str):
    return downloads.download(db.session, current_user._get_current_object(), clock.now(), data, "coordination",
                              name, extension)


@bp.get("/cycles/<int:cycle_id>/coordination.csv")
@login_required
@database.writes
def cycle_coordination_csv(cycle_id: int):
    result = service.cycle_health(db.session, current_user, cycle_id, clock.now())
    names = service.country_names(db.session)
    return _download(exports.health_csv(result.cycle.name, result.rows, names), result.cycle.name, "csv")


@bp.get("/cycles/<int:cycle_id>/coordination.xlsx")
@login_required
@database.writes
def cycle_coordination_xlsx(cycle_id: int):
    result = service.cycle_health(db.session, current_user, cycle_id, clock.now())
    names = service.country_names(db.session)
    return _download(exports.health_xlsx(result.cycle.name, result.rows, names), result.cycle.name, "xlsx")


@bp.get("/countries/<code>/coordination")
@login_required
@database.writes
def country_coordination(code: str):
    result = service.country_health(db.session, current_user, code, clock.now())
    return render_template("health/country.html", result=result, country=result.country,
                           figures=charts.FIGURES, charts=charts.figure_charts(result.rows, result.country.name))
