"""Attachment pages: the upload form of an item or a report (shown again with its message when a
file is refused), the download, and the removal with its confirmation page."""
from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user, login_required

from coordination import clock
from coordination.attachments import service
from coordination.attachments.forms import ReportUploadForm, UploadForm
from coordination.attachments.responses import FORM_ALLOWANCE, download
from coordination.auth.policy import require
from coordination.errors import ValidationError
from coordination.extensions import db
from coordination.forms import done, form_status, show_errors
from coordination.i18n import format_number
from coordination.items import service as items
from coordination.limits import body_limit
from coordination.reporting import reports

bp = Blueprint("attachments", __name__)


@bp.app_template_filter("filesize")
def filesize(size: int) -> str:
    """A file's size for people: bytes, kB or MB, with the language's separators."""
    if size < 1024:
        return ngettext("%(size)s byte", "%(size)s bytes", size, size=format_number(size, 0))
    if size < 1024 * 1024:
        return gettext("%(size)s kB", size=format_number(size / 1024, 0))
    return gettext("%(size)s MB", size=format_number(size / (1024 * 1024), 1))


def _max_bytes() -> int:
    return current_app.config["MAX_ATTACHMENT_BYTES"]


def _upload(form, attach, target: str, page: dict):
    """Validate the form, store the file with ``attach(upload, data)``; or the form again with
    the message of its refusal (413 too large, 415 a type not taken, 422 empty or missing)."""
    status = 200
    if form.validate_on_submit():
        part = form.file.data
        upload = service.Upload(part.filename, part.stream) if part is not None else service.Upload(None, None)
        try:
            attachment = attach(upload, form.service_data())
            return done(gettext("The file “%(name)s” is attached.", name=attachment.filename), target)
        except (service.TooLarge, service.UnsupportedType) as error:
            form.file.errors = [error.message]
            status = error.status
        except ValidationError as error:
            show_errors(form, error)
    if status == 200:
        status = form_status(form)
    return render_template("attachments/upload.html", form=form, **page), status


@bp.route("/items/<int:item_id>/attachments", methods=["GET", "POST"])
@body_limit("MAX_ATTACHMENT_BYTES", FORM_ALLOWANCE)
@login_required
def upload_to_item(item_id: int):
    item = items.get_item(db.session, current_user, item_id)
    require(current_user, "item.attach", item)
    form = UploadForm().with_limit(_max_bytes())
    target = url_for("items.show_item", item_id=item.id) + "#attachments"
    return _upload(form, lambda upload, data: service.attach_to_item(
        db.session, current_user, item.id, upload, data, clock.now(), _max_bytes()), target,
        {"item": item, "report": None, "back": target,
         "action": url_for("attachments.upload_to_item", item_id=item.id)})


@bp.route("/reports/<int:report_id>/attachments", methods=["GET", "POST"])
@body_limit("MAX_ATTACHMENT_BYTES", FORM_ALLOWANCE)
@login_required
def upload_to_report(report_id: int):
    report = reports.get_report(db.session, current_user, report_id)
    require(current_user, "report.attach", report)
    form = ReportUploadForm().with_limit(_max_bytes()).set_indicators(report.cycle.template.indicators)
    target = url_for("reporting.show_report", report_id=report.id) + "#attachments"
    return _upload(form, lambda upload, data: service.attach_to_report(
        db.session, current_user, report.id, upload, data, clock.now(), _max_bytes()), target,
        {"item": None, "report": report, "back": target,
         "action": url_for("attachments.upload_to_report", report_id=report.id)})


@bp.get("/attachments/<int:attachment_id>")
@login_required
def download_attachment(attachment_id: int):
    return download(service.get_attachment(db.session, current_user, attachment_id))


def _parent_url(attachment) -> str:
    if attachment.item_id is not None:
        return url_for("items.show_item", item_id=attachment.item_id) + "#attachments"
    if attachment.practice_id is not None:
        return url_for("practices.show_practice", practice_id=attachment.practice_id) + "#attachments"
    if attachment.meeting_id is not None:
        return url_for("meetings.show_meeting", meeting_id=attachment.meeting_id) + "#attachments"
    return url_for("reporting.show_report", report_id=attachment.report_id) + "#attachments"


@bp.route("/attachments/<int:attachment_id>/remove", methods=["GET", "POST"])
@login_required
def remove_attachment(attachment_id: int):
    """Removing asks first, on a page of its own; then hides the file (its bytes are kept)."""
    attachment = service.get_attachment(db.session, current_user, attachment_id)
    require(current_user, "attachment.remove", attachment)
    if request.method == "POST":
        service.remove_attachment(db.session, current_user, attachment.id, clock.now())
        return done(gettext("The file “%(name)s” is removed. Its history keeps who removed it.",
                            name=attachment.filename), _parent_url(attachment))
    return render_template("attachments/remove.html", attachment=attachment, back=_parent_url(attachment))
