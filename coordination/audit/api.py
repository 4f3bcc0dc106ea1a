"""The audit log in the JSON API (API.md, GET /api/v1/audit-events): the administrator's."""
from flask import g, jsonify, request

from coordination.api import api, query_number, query_page, token_required
from coordination.audit import schemas, service
from coordination.audit.filters import AuditFilters
from coordination.auth.policy import require
from coordination.endpoints import endpoint
from coordination.extensions import db


def event_json(event) -> dict:
    return {"id": event.id, "at": event.at.isoformat(), "type": event.type, "actor_id": event.actor_id,
            "email": event.email, "address": event.address, "detail": event.detail}


@api.get("/audit-events")
@endpoint("The audit log, newest first (admin only; others 403)", tag="audit", query=schemas.AuditQuery,
          replies={200: schemas.AuditEvents}, errors=(422,))
@token_required
def list_audit_events():
    require(g.api_user, "audit.read")
    filters = AuditFilters.parse(request.args)
    number, per_page = query_page(), query_number("per_page", 50, 200)
    events, total = service.page(db.session, filters, number, per_page)
    return jsonify({"events": [event_json(e) for e in events], "total": total, "page": number,
                    "per_page": per_page})
