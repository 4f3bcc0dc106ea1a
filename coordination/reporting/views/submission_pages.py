"""The page of one submission of a country report: its values as submitted."""
from flask import render_template
from flask_login import current_user, login_required

from coordination.extensions import db
from coordination.reporting import submissions
from coordination.reporting.views.blueprint import bp


@bp.get("/reports/<int:report_id>/submissions/<int:number>")
@login_required
def show_submission(report_id: int, number: int):
    """The values of the report as submitted the Nth time (who may read the report; observers
    once the cycle is published)."""
    report = submissions.readable_report(db.session, current_user, report_id)
    submission = submissions.get_submission(db.session, report, number)
    rows = submissions.submitted_values(db.session, submission)
    entries = [(indicator, rows.get(indicator.id)) for indicator in report.cycle.template.indicators]
    return render_template("reporting/submission.html", report=report, cycle=report.cycle, submission=submission,
                           entries=entries)
