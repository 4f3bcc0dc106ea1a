"""The blueprint of the reporting pages, and what its views share."""
from flask import Blueprint, url_for

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
