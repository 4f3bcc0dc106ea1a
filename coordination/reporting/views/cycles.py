"""The pages of reporting cycles: list, one cycle, new, and the cycle's transitions."""
from flask import render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from coordination import clock
from coordination.auth.policy import require
from coordination.errors import InvalidTransition, ValidationError
from coordination.extensions import db
from coordination.forms import done, errors_on, form_status, refused
from coordination.i18n import N_
from coordination.reporting import cycles
from coordination.reporting.models import MonitoringTemplate
from coordination.reporting.template_forms import CycleForm
from coordination.reporting.views import pages
from coordination.reporting.views.blueprint import bp

DONE = {"open": N_("The cycle is open: every member state has a report to fill in."),
        "close": N_("The cycle is closed: no more submissions."),
        "publish": N_("The comparison is published to every member state and observer.")}


@bp.get("/cycles")
@login_required
def list_cycles():
    require(current_user, "cycles.read")
    return pages.cycle_list(db.session, current_user).render()


@bp.route("/cycles/new", methods=["GET", "POST"])
@login_required
def new_cycle():
    require(current_user, "cycles.manage")
    form = CycleForm()
    form.set_templates(db.session.scalars(select(MonitoringTemplate).order_by(MonitoringTemplate.name)))
    if form.validate_on_submit():
        with errors_on(form):
            cycle = cycles.create_cycle(db.session, current_user, form.service_data(), clock.now())
            return done(gettext("The cycle “%(name)s” is planned. Open it when member states should start "
                                "reporting.", name=cycle.name),
                        url_for("reporting.show_cycle", cycle_id=cycle.id))
    return render_template("reporting/cycle_form.html", form=form), form_status(form)


@bp.get("/cycles/<int:cycle_id>")
@login_required
def show_cycle(cycle_id: int):
    require(current_user, "cycles.read")
    return pages.cycle_page(db.session, current_user, cycles.get_cycle(db.session, cycle_id)).render()


@bp.post("/cycles/<int:cycle_id>/transitions")
@login_required
def fire_cycle(cycle_id: int):
    trigger = request.form.get("trigger", "")
    here = url_for("reporting.show_cycle", cycle_id=cycle_id)
    try:
        cycles.fire_cycle(db.session, current_user, cycle_id, trigger, clock.now())
    except InvalidTransition as error:
        return refused(error.message, here, "danger")
    except ValidationError as error:  # an unknown trigger: not one of our buttons
        return refused(" ".join(m for ms in error.fields.values() for m in ms), here, "danger")
    return done(gettext(DONE[trigger]), here)


@bp.get("/cycles/<int:cycle_id>/close")
@login_required
def confirm_close(cycle_id: int):
    """Are you sure? What closing a cycle means, and the button that does it (the cycle page's
    "Close the cycle…" leads here)."""
    cycle = cycles.get_cycle(db.session, cycle_id)
    require(current_user, "cycles.manage", cycle)
    here = url_for("reporting.show_cycle", cycle_id=cycle_id)
    if cycle.state != "open":
        return refused(gettext("Only an open cycle can be closed."), here)
    return pages.close_page(db.session, cycle).render()
