"""The blueprint of the reporting pages, and what its views share."""
from flask import Blueprint, flash, redirect, url_for

from coordination.errors import ValidationError
from coordination.forms import show_errors
from coordination.reporting import workflow
from coordination.reporting.models import AVAILABILITY_LABELS, UNIT_LABELS
from coordination.reporting.values import STATUS_LABELS, format_value

bp = Blueprint("reporting", __name__)
bp.add_app_template_filter(format_value, "indicator_value")


@bp.app_context_processor
def _labels():
    return {"cycle_state_labels": workflow.CYCLE_STATE_LABELS,
            "report_state_labels": workflow.REPORT_STATE_LABELS,
            "report_trigger_labels": workflow.REPORT_TRIGGER_LABELS,
            "availability_labels": AVAILABILITY_LABELS, "unit_labels": UNIT_LABELS,
            "status_labels": STATUS_LABELS}


def report_url(report_id: int, anchor: str = "") -> str:
    return url_for("reporting.show_report", report_id=report_id) + (f"#{anchor}" if anchor else "")


def back_to_report(report_id: int, anchor: str = ""):
    return redirect(report_url(report_id, anchor))


def refused(error, location: str, category: str = "danger"):
    """A Conflict or InvalidTransition: say why on the page the user came from. The refused
    change wrote nothing (services check before they write), so the redirect keeps nothing."""
    flash(error.message, category)
    return redirect(location)


def attempt(form, service, *args, show=show_errors, **kwargs):
    """``service(*args, **kwargs)`` with the input of ``form``: its result; or None when the
    service refused the input (ValidationError), whose messages ``show`` puts on the form.
    The view then shows the form again (422), and the request keeps nothing."""
    try:
        return service(*args, **kwargs)
    except ValidationError as error:
        show(form, error)
        return None
