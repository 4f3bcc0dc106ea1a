"""The administrator's page of the audit log, /admin/audit."""
from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from coordination import paging
from coordination.audit import service
from coordination.audit.filters import AuditFilters
from coordination.audit.models import EVENT_LABELS, EVENT_TYPES
from coordination.auth.policy import require
from coordination.errors import ValidationError
from coordination.extensions import db

bp = Blueprint("audit", __name__)
PER_PAGE = 50


@bp.get("/admin/audit")
@login_required
def events():
    require(current_user, "audit.read")
    errors: dict[str, list[str]] = {}
    try:
        filters = AuditFilters.parse(request.args)
    except ValidationError as error:
        errors, filters = error.fields, AuditFilters()
    number = paging.requested_page(request.args)
    rows, total = service.page(db.session, filters, number, PER_PAGE)
    pages = max(1, -(-total // PER_PAGE))
    return render_template("audit/events.html", rows=rows, total=total, number=number, pages=pages,
                           filters=filters, errors=errors, types=EVENT_TYPES, event_labels=EVENT_LABELS,
                           args=request.args), (
        422 if errors else 200)
