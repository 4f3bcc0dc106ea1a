"""Attachments in the JSON API (API.md, "Second round: case work")."""
from flask import current_app, g, jsonify, request

from coordination import clock
from coordination.api import api, token_required
from coordination.attachments import schemas, service
from coordination.attachments.models import Attachment
from coordination.attachments.responses import FORM_ALLOWANCE, download
from coordination.endpoints import FILE, endpoint
from coordination.extensions import db
from coordination.limits import body_limit
from coordination.meetings import service as meetings
from coordination.practices import service as practices
from coordination.reporting import reports

UPLOAD_ERRORS = (409, 413, 415)


def attachment_json(attachment: Attachment, *, report_view: dict | None = None) -> dict:
    body = {
        "id": attachment.id,
        "filename": attachment.filename,
        "size": attachment.size,
        "content_type": attachment.content_type,
        "sha256": attachment.sha256,
        "description": attachment.description,
        "uploaded_by": attachment.uploaded_by_id,
        "uploaded_at": attachment.uploaded_at.isoformat(),
    }
    if report_view is not None:
        body["indicator_code"] = report_view.get(attachment.id)
        body["item_id"] = attachment.item_id
    return body


def uploaded() -> service.Upload:
    """The ``file`` part of the multipart body (none: the service answers 422)."""
    part = request.files.get("file")
    return service.Upload(part.filename, part.stream) if part is not None else service.Upload(None, None)


def form_fields(*names) -> dict:
    return {name: request.form[name] for name in names if name in request.form}


@api.post("/items/<int:item_id>/attachments")
@endpoint("Attach a file to an action item (whoever may comment on it)", tag="attachments",
          body=schemas.ItemUpload, multipart=True, replies={201: schemas.Attachment}, errors=UPLOAD_ERRORS,
          description="Over MAX_ATTACHMENT_BYTES (20 MiB) answers 413; a type other than PDF, Office Open XML, "
                      "OpenDocument, CSV, plain text, PNG or JPEG, judged by the content, 415; an empty file 422.")
@body_limit("MAX_ATTACHMENT_BYTES", FORM_ALLOWANCE)
@token_required
def upload_to_item(item_id: int):
    attachment = service.attach_to_item(db.session, g.api_user, item_id, uploaded(), form_fields("description"),
                                        clock.now(), current_app.config["MAX_ATTACHMENT_BYTES"])
    return jsonify(attachment_json(attachment)), 201


@api.get("/items/<int:item_id>/attachments")
@endpoint("The files of an action item", tag="attachments", replies={200: schemas.AttachmentList})
@token_required
def item_attachments(item_id: int):
    found = service.of_item(db.session, g.api_user, item_id)
    return jsonify({"attachments": [attachment_json(a) for a in found]})


@api.post("/reports/<int:report_id>/attachments")
@endpoint("Attach a file to a country report, optionally to one indicator (whoever may edit it)",
          tag="attachments", body=schemas.ReportUpload, multipart=True, replies={201: schemas.ReportAttachment},
          errors=UPLOAD_ERRORS,
          description="As for items; a report that takes no changes now (submitted, cycle not open) answers 409.")
@body_limit("MAX_ATTACHMENT_BYTES", FORM_ALLOWANCE)
@token_required
def upload_to_report(report_id: int):
    attachment = service.attach_to_report(db.session, g.api_user, report_id, uploaded(),
                                          form_fields("description", "indicator_code"), clock.now(),
                                          current_app.config["MAX_ATTACHMENT_BYTES"])
    return jsonify(attachment_json(attachment, report_view={attachment.id: attachment.indicator_code})), 201


@api.get("/reports/<int:report_id>/attachments")
@endpoint("The files of a country report, with those of its data requests", tag="attachments",
          replies={200: schemas.ReportAttachmentList})
@token_required
def report_attachments(report_id: int):
    report = reports.get_report(db.session, g.api_user, report_id)
    found = service.of_report(db.session, g.api_user, report)
    codes = service.indicator_codes(db.session, report, found)
    return jsonify({"attachments": [attachment_json(a, report_view=codes) for a in found]})


@api.post("/practices/<int:practice_id>/attachments")
@endpoint("Attach a file to a good practice (its country's coordinator)", tag="attachments",
          body=schemas.ItemUpload, multipart=True, replies={201: schemas.Attachment}, errors=UPLOAD_ERRORS,
          description="As for items: whoever may read the practice reads its files.")
@body_limit("MAX_ATTACHMENT_BYTES", FORM_ALLOWANCE)
@token_required
def upload_to_practice(practice_id: int):
    attachment = service.attach_to_practice(db.session, g.api_user, practice_id, uploaded(),
                                            form_fields("description"), clock.now(),
                                            current_app.config["MAX_ATTACHMENT_BYTES"])
    return jsonify(attachment_json(attachment)), 201


@api.get("/practices/<int:practice_id>/attachments")
@endpoint("The files of a good practice", tag="attachments", replies={200: schemas.AttachmentList})
@token_required
def practice_attachments(practice_id: int):
    practice = practices.get_practice(db.session, g.api_user, practice_id)
    return jsonify({"attachments": [attachment_json(a) for a in service.of_practice(db.session, practice)]})


@api.post("/meetings/<int:meeting_id>/attachments")
@endpoint("Attach a file to a national meeting (the coordinator who may edit it)", tag="attachments",
          body=schemas.ItemUpload, multipart=True, replies={201: schemas.Attachment}, errors=UPLOAD_ERRORS,
          description="Only a national meeting takes files (a regional one answers 422); whoever may read "
                      "the meeting reads its files.")
@body_limit("MAX_ATTACHMENT_BYTES", FORM_ALLOWANCE)
@token_required
def upload_to_meeting(meeting_id: int):
    meeting = meetings.get_meeting(db.session, g.api_user, meeting_id)
    attachment = service.attach_to_meeting(db.session, g.api_user, meeting, uploaded(),
                                           form_fields("description"), clock.now(),
                                           current_app.config["MAX_ATTACHMENT_BYTES"])
    return jsonify(attachment_json(attachment)), 201


@api.get("/meetings/<int:meeting_id>/attachments")
@endpoint("The files of a meeting (a regional meeting has none)", tag="attachments",
          replies={200: schemas.AttachmentList})
@token_required
def meeting_attachments(meeting_id: int):
    meeting = meetings.get_meeting(db.session, g.api_user, meeting_id)
    return jsonify({"attachments": [attachment_json(a) for a in service.of_meeting(db.session, meeting)]})


@api.get("/attachments/<int:attachment_id>")
@endpoint("A file's bytes (Content-Disposition: attachment, its stored type, nosniff)", tag="attachments",
          replies={200: FILE})
@token_required
def get_attachment(attachment_id: int):
    return download(service.get_attachment(db.session, g.api_user, attachment_id))


@api.delete("/attachments/<int:attachment_id>")
@endpoint("Remove a file (its uploader or the coordinator): hidden, its bytes kept, the history says who",
          tag="attachments", replies={204: None})
@token_required
def remove_attachment(attachment_id: int):
    service.remove_attachment(db.session, g.api_user, attachment_id, clock.now())
    return "", 204
