"""One unit of work per request: what a view writes is committed when it answers below 400,
and rolled back when it answers an error or raises one, unless it asked to keep it."""
import pytest
from flask import jsonify
from sqlalchemy import func, select

from coordination import clock, unit_of_work
from coordination.audit import service as audit
from coordination.audit.models import AuditEvent
from coordination.errors import Forbidden
from coordination.extensions import db


@pytest.fixture
def uow_app(empty_app, make_app):
    """An app of this test's (empty) database with routes that write one audit event each."""
    app = make_app()

    def write():
        audit.record(db.session, "logout", clock.now(), email="probe@example.org")

    @app.post("/probe/ok")
    def ok():
        write()
        return jsonify({}), 201

    @app.post("/probe/refused")
    def refused():
        write()
        return jsonify({"error": "validation_error"}), 422

    @app.post("/probe/raises")
    def raises():
        write()
        raise Forbidden("no")

    @app.post("/probe/kept")
    def kept():
        write()
        unit_of_work.keep_changes()
        raise Forbidden("counted anyway")

    @app.post("/probe/redirect")
    def redirects():
        write()
        return "", 302, {"Location": "/"}

    @app.post("/probe/refused-redirect")
    def refused_with_a_redirect():
        write()
        unit_of_work.discard_changes()
        return "", 302, {"Location": "/"}

    @app.post("/probe/crash")
    def crash():
        write()
        raise RuntimeError("boom")

    @app.post("/probe/kept-crash")
    def kept_then_crash():
        write()
        unit_of_work.keep_changes()
        raise RuntimeError("boom")

    return app


def events(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEvent))


@pytest.mark.parametrize("path, status, kept", [
    ("/probe/ok", 201, True),
    ("/probe/redirect", 302, True),
    ("/probe/refused", 422, False),
    ("/probe/raises", 403, False),
    ("/probe/kept", 403, True),
    ("/probe/refused-redirect", 302, False),
    ("/probe/crash", 500, False),
    ("/probe/kept-crash", 500, False),
])
def test_a_request_commits_once_when_it_succeeds_and_rolls_back_otherwise(uow_app, path, status, kept):
    assert uow_app.test_client().post(path).status_code == status
    assert events(uow_app) == (1 if kept else 0)
