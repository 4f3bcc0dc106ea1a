"""Tokens and the signed-in user, in the JSON API."""
from flask import current_app, g, jsonify, request

from coordination import clock
from coordination.api import api, json_body, require_fields, token_required
from coordination.auth import service
from coordination.errors import DomainError, Unauthorized
from coordination.extensions import db


def user_json(user) -> dict:
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "country": user.country_code,
        "ministry": (
            {"id": user.ministry.id, "acronym": user.ministry.acronym, "name": user.ministry.name}
            if user.ministry else None
        ),
    }


@api.post("/tokens")
def create_token():
    data = json_body()
    require_fields(data, "email", "password")
    if not isinstance(data["email"], str) or not isinstance(data["password"], str):
        raise Unauthorized(service.BAD_CREDENTIALS)
    now = clock.now()
    try:
        user = service.authenticate(
            db.session, data["email"], data["password"], request.remote_addr or "unknown", now,
            current_app.config["LOGIN_MAX_FAILURES"],
            current_app.config["LOGIN_FAILURE_WINDOW_MINUTES"],
        )
    except DomainError:
        db.session.commit()  # keep the recorded failure
        raise
    token = service.issue_token(db.session, user, now)
    db.session.commit()
    return jsonify({"token": token}), 201


@api.delete("/tokens/current")
@token_required
def revoke_current_token():
    service.revoke_token(db.session, g.api_token, clock.now())
    db.session.commit()
    return "", 204


@api.get("/me")
@token_required
def me():
    return jsonify(user_json(g.api_user))
