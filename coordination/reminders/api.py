"""The user's notifications in the JSON API (API.md, GET /api/v1/notifications)."""
from flask import current_app, g, jsonify, request
from sqlalchemy import func, select

from coordination import paging
from coordination.api import api, query_number, query_page, token_required
from coordination.endpoints import endpoint
from coordination.extensions import db
from coordination.reminders import schemas, service
from coordination.reminders.mail import MailSettings


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
