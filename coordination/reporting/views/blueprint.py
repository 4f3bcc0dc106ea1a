"""The blueprint of the reporting pages, and what its views share."""
from flask import Blueprint, current_app, url_for
from flask_babel import gettext

from coordination.i18n import N_
from coordination.items.models import GUARANTEE_LABELS
from coordination.reporting import workflow
from coordination.reporting.models import AVAILABILITY_LABELS, UNIT_LABELS, value_of
from coordination.reporting.values import LOWER_STATUS_LABELS, STATUS_LABELS, format_value

bp = Blueprint("reporting", __name__)
bp.add_app_template_filter(format_value, "indicator_value")

# The labels the pages show for the states, steps, units, flags and guarantees that the
# services name (their codes never change with the language): marked here, so that the
# catalogue holds them, and translated when a page is drawn.
SHOWN_LABELS = (
    N_("Planned"), N_("Open"), N_("Closed"), N_("Published"),
    N_("Not started"), N_("Drafting"), N_("Submitted"), N_("Accepted"), N_("Returned"),
    N_("Start the report"), N_("Submit to the secretariat"), N_("Accept"), N_("Send back"), N_("Revise"),
    N_("number"), N_("currency"), N_("yes/no"), N_("text"),
    N_("Reported"), N_("Estimate"), N_("Not available"), N_("Not applicable"),
    N_("Below floor"), N_("At or above floor"), N_("At or above target"),
    N_("Essential health care"), N_("Income security for children"), N_("Income security in active age"),
    N_("Income security for older persons"), N_("Overall"), N_("Coordination"),
)


def translated(value):
    """A label in the language of the page: a plain (English) string through the catalogue; a
    lazy string is translated already."""
    return gettext(value) if isinstance(value, str) else value


def labels(mapping: dict) -> dict:
    return {key: translated(value) for key, value in mapping.items()}


@bp.app_context_processor
def _labels():
    return {"cycle_state_labels": labels(workflow.CYCLE_STATE_LABELS),
            "report_state_labels": labels(workflow.REPORT_STATE_LABELS),
            "report_trigger_labels": labels(workflow.REPORT_TRIGGER_LABELS),
            "availability_labels": labels(AVAILABILITY_LABELS), "unit_labels": labels(UNIT_LABELS),
            "status_labels": labels(STATUS_LABELS), "lower_status_labels": labels(LOWER_STATUS_LABELS),
            "guarantee_names": labels(GUARANTEE_LABELS), "outlier_points": current_app.config["OUTLIER_POINTS"],
            "value_of": value_of}


def report_url(report_id: int, anchor: str = "") -> str:
    return url_for("reporting.show_report", report_id=report_id) + (f"#{anchor}" if anchor else "")
