"""Import of a report's values from a spreadsheet: the template (XLSX, the indicators a user may
enter with their current values), the upload page, the preview of every row, and the apply
(all or nothing) with its confirmation on the report page. The uploaded file is kept on the
server between preview and apply (reporting/uploads.py says why)."""
from io import BytesIO

from flask import current_app, redirect, render_template, send_file, url_for
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SubmitField

from coordination import clock, spreadsheets
from coordination.attachments.responses import FORM_ALLOWANCE
from coordination.auth.policy import require
from coordination.errors import Conflict, ValidationError
from coordination.extensions import db
from coordination.forms import done, errors_on, form_status, refused
from coordination.limits import body_limit
from coordination.reporting import importing, reports, uploads
from coordination.reporting.views.blueprint import bp, report_url

STATUS_LABELS = {"ok": _l("A change"), "unchanged": _l("Unchanged"), "error": _l("Error")}


class ImportForm(FlaskForm):
    file = FileField(_l("The filled-in spreadsheet"),
                     description=_l("XLSX or CSV, one row per indicator, at most %(rows)s rows."))
    submit = SubmitField(_l("Upload and preview"))


class ApplyForm(FlaskForm):
    shown = HiddenField()  # the digest of the rows the preview showed (uploads.digest)
    submit = SubmitField(_l("Apply the changes"))


def _max_rows() -> int:
    return current_app.config["IMPORT_MAX_ROWS"]


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


@bp.route("/reports/<int:report_id>/import", methods=["GET", "POST"])
@body_limit("MAX_ATTACHMENT_BYTES", FORM_ALLOWANCE)
@login_required
def import_upload(report_id: int):
    report = reports.get_report(db.session, current_user, report_id)
    require(current_user, "report.import", report)
    try:
        reports.require_editable(report)
    except Conflict as error:
        return refused(error.message, report_url(report.id), "danger")
    form = ImportForm()
    form.file.description = form.file.description % {"rows": _max_rows()}
    if form.validate_on_submit():
        part = form.file.data
        if part is None or not part.filename:
            form.file.errors = [gettext("Choose the spreadsheet to upload.")]
        else:
            with errors_on(form):
                pending = uploads.store(db.session, current_user, report.id, part.filename, part.stream.read(),
                                        clock.now(), _max_rows())
                return redirect(url_for("reporting.import_preview", report_id=report.id, upload_id=pending.id))
    return render_template("reporting/import_upload.html", form=form, report=report, cycle=report.cycle,
                           columns=importing.COLUMNS, max_rows=_max_rows()), form_status(form)


def _summary(counts: dict[str, int]) -> str:
    return gettext("%(changes)s, %(unchanged)s, %(errors)s",
                   changes=ngettext("%(num)s change", "%(num)s changes", counts["ok"]),
                   unchanged=ngettext("%(num)s unchanged", "%(num)s unchanged", counts["unchanged"]),
                   errors=ngettext("%(num)s error", "%(num)s errors", counts["error"]))


@bp.get("/reports/<int:report_id>/import/<int:upload_id>")
@login_required
def import_preview(report_id: int, upload_id: int):
    try:
        report, pending, rows = uploads.preview(db.session, current_user, report_id, upload_id, clock.now(),
                                                _max_rows())
    except Conflict as error:
        return refused(error.message, report_url(report_id), "danger")
    except ValidationError as error:
        return refused(" ".join(m for ms in error.fields.values() for m in ms),
                       url_for("reporting.import_upload", report_id=report_id), "danger")
    counts = {status: sum(1 for r in rows if r.status == status) for status in STATUS_LABELS}
    form = ApplyForm(shown=uploads.digest(rows))
    form.submit.label.text = ngettext("Apply %(num)s change", "Apply %(num)s changes", counts["ok"])
    problems = [(gettext("Row %(row)s (%(code)s): %(message)s", row=r.row, code=r.indicator_code or "—",
                         message=r.message), f"#import-row-{r.row}") for r in rows if r.status == "error"]
    return render_template("reporting/import_preview.html", report=report, cycle=report.cycle, pending=pending,
                           rows=rows, counts=counts, summary=_summary(counts), form=form, problems=problems,
                           indicators={i.code: i for i in report.cycle.template.indicators},
                           values=reports.values_by_code(report), import_status_labels=STATUS_LABELS)


@bp.post("/reports/<int:report_id>/import/<int:upload_id>")
@login_required
def import_apply(report_id: int, upload_id: int):
    here = url_for("reporting.import_preview", report_id=report_id, upload_id=upload_id)
    form = ApplyForm()
    if not form.validate_on_submit():
        return refused(gettext("The form has expired: check the preview and apply again."), here)
    try:
        name, applied = uploads.apply(db.session, current_user, report_id, upload_id, form.shown.data or "",
                                      clock.now(), _max_rows())
    except uploads.PreviewChanged as error:
        return refused(error.message, here)
    except Conflict as error:
        return refused(error.message, report_url(report_id), "danger")
    except ValidationError as error:
        return refused(" ".join(m for ms in error.fields.values() for m in ms), here, "danger")
    return done(ngettext("%(num)s value was changed by the import of “%(name)s”.",
                         "%(num)s values were changed by the import of “%(name)s”.", applied, name=name),
                report_url(report_id))

