"""The user's notifications and e-mail preference in the JSON API (API.md, GET /api/v1/notifications,
GET and PUT /api/v1/me/email-preference)."""
from flask import current_app, g, jsonify, request
from sqlalchemy import func, select

from coordination import clock, paging
from coordination.api import api, json_body, query_number, query_page, token_required
from coordination.endpoints import endpoint
from coordination.extensions import db
from coordination.reminders import schemas, service
from coordination.reminders.mail import MailSettings
from coordination.reminders.models import API_EMAIL_MODES


def iso(value):
    return value.isoformat() if value is not None else None


def notification_json(row, base_url: str) -> dict:
    return {
        "id": row.id,
        "kind": row.kind,
        "event": row.event,
        "subject_type": row.subject_type,
        "subject_id": row.subject_id,
        "offset": row.offset_days,
        "due_date": iso(row.due_date),
        "title": row.title,
        "body": row.body,
        "occurred_at": iso(row.occurred_at),
        "created_at": iso(row.created_at),
        "read_at": iso(row.read_at),
        "url": base_url + row.url if row.url else None,
    }


@api.get("/notifications")
@endpoint("The user's reminders and notices, newest first", tag="notifications", query=schemas.NotificationQuery,
          replies={200: schemas.Notifications}, errors=(422,))
@token_required
def list_notifications():
    actor = g.api_user
    page, per_page = query_page(), query_number("per_page", 50, 200)
    unread_only = request.args.get("unread", "").lower() in ("1", "true", "yes")
    statement = service.list_statement(actor, unread_only=unread_only)
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    rows = db.session.scalars(statement.limit(per_page).offset(paging.offset(page, per_page))).all()
    base_url = MailSettings.from_config(current_app.config).base_url
    return jsonify({
        "notifications": [notification_json(row, base_url) for row in rows],
        "total": total,
        "unread": service.unread_count(db.session, actor),
        "page": page,
        "per_page": per_page,
    })


# -- the e-mail preference -----------------------------------------------------------------------

def _preference_json(mode: str) -> dict:
    """The stored mode in API.md's names: each, daily or none."""
    return {"email_mode": next((name for name, stored in API_EMAIL_MODES.items() if stored == mode), "each")}


@api.get("/me/email-preference")
@endpoint("How the signed-in user takes reminders and notices by e-mail", tag="notifications",
          replies={200: schemas.EmailPreference},
          description="each (the default), daily (one summary a day) or none (in the application only; "
                      "e-mail about the account, such as a password-reset link, still goes).")
@token_required
def email_preference():
    return jsonify(_preference_json(service.email_mode(db.session, g.api_user)))


@api.put("/me/email-preference")
@endpoint("Choose how reminders and notices reach the signed-in user by e-mail", tag="notifications",
          body=schemas.EmailPreferenceInput, replies={200: schemas.EmailPreference},
          description="email_mode each, daily (or digest, the same) or none; another value answers 422.")
@token_required
def set_email_preference():
    body = schemas.EmailPreferenceInput.parse(json_body())
    return jsonify(_preference_json(service.set_email_mode(db.session, g.api_user, body.email_mode, clock.now())))
