"""The coordination-health page of a cycle: the table of member states and how each figure is
computed. Thin: the service checks visibility and computes; the view renders."""
from flask import Blueprint, render_template
from flask_login import current_user, login_required

from coordination import clock
from coordination.extensions import db
from coordination.health import service

bp = Blueprint("health", __name__)


@bp.get("/cycles/<int:cycle_id>/coordination")
@login_required
def cycle_coordination(cycle_id: int):
    result = service.cycle_health(db.session, current_user, cycle_id, clock.now())
    return render_template("health/cycle.html", result=result, cycle=result.cycle)
