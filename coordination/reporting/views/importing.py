"""The import template of a report: its indicators (a ministry's: those assigned to it) with
their current values, as an XLSX workbook to fill in and upload (POST /api/v1/reports/ID/import)."""
from io import BytesIO

from flask import send_file
from flask_login import current_user, login_required

from coordination import spreadsheets
from coordination.extensions import db
from coordination.reporting import importing, reports
from coordination.reporting.views.blueprint import bp


@bp.get("/reports/<int:report_id>/import-template.xlsx")
@login_required
def import_template(report_id: int):
    actor = current_user._get_current_object()
    report = reports.get_report(db.session, actor, report_id)
    data = importing.template_bytes(actor, report)
    response = send_file(BytesIO(data), as_attachment=True, mimetype=spreadsheets.XLSX_TYPE,
                         download_name=spreadsheets.filename("import-template",
                                                             f"{report.country_code}-{report.id}", "xlsx"))
    response.headers["Cache-Control"] = "private, no-store"
    return response
