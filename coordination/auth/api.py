"""Tokens and the signed-in user, in the JSON API."""
from flask import current_app, g, jsonify

from coordination import client, clock
from coordination.api import api, json_body, require_fields, token_required
from coordination.audit import service as audit
from coordination.auth import mfa, reset, service
from coordination.errors import DomainError, Unauthorized, ValidationError
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
        "mfa": user.mfa_enabled,
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
            db.session, data["email"], data["password"], client.address(), now,
            service.SignInLimits.from_config(current_app.config),
        )
        mfa.token_second_step(db.session, user, data.get("otp"), client.address(), now,
                              service.SignInLimits.from_config(current_app.config),
                              current_app.config["MFA_REQUIRED_ROLES"])
    except DomainError:
        db.session.commit()  # keep the recorded failure and its audit event
        raise
    token = service.issue_token(db.session, user, now)
    audit.record(db.session, "token_created", now, actor=user, address=client.address())
    db.session.commit()
    return jsonify({"token": token}), 201


@api.delete("/tokens/current")
@token_required
def revoke_current_token():
    now = clock.now()
    service.revoke_token(db.session, g.api_token, now)
    audit.record(db.session, "token_revoked", now, actor=g.api_user, address=client.address())
    db.session.commit()
    return "", 204


@api.get("/me")
@token_required
def me():
    return jsonify(user_json(g.api_user))


# -- password reset ------------------------------------------------------------------------


@api.post("/password-reset")
def request_password_reset():
    """202 ``{}`` whatever the address: the answer never tells whether an account has it."""
    data = json_body()
    require_fields(data, "email")
    email = data["email"]
    if not isinstance(email, str) or len(email) > 254 or not service.EMAIL_PATTERN.match(email.strip()):
        raise ValidationError({"email": ["Enter a valid e-mail address."]})
    reset.request_reset(db.session, email, client.address(), clock.now(),
                        reset.ResetSettings.from_config(current_app.config))
    db.session.commit()
    return jsonify({}), 202


@api.post("/password-reset/confirm")
def confirm_password_reset():
    data = json_body()
    require_fields(data, "token", "password")
    reset.reset_password(db.session, data["token"], data["password"], client.address(), clock.now())
    db.session.commit()
    return "", 204


@api.post("/users/<int:user_id>/password-reset")
@token_required
def send_password_reset(user_id: int):
    """The administrator mails a user a reset link; ``queued`` is false when the account was
    sent too many links in the last hour (nothing is sent then)."""
    outcome = reset.send_reset_link(db.session, g.api_user, user_id, client.address(), clock.now(),
                                    reset.ResetSettings.from_config(current_app.config))
    db.session.commit()
    return jsonify({"queued": outcome == reset.QUEUED}), 202


# -- two-step sign-in ------------------------------------------------------------------------


@api.post("/me/mfa")
@token_required
def start_mfa():
    user = g.api_user
    secret = mfa.start(db.session, user, clock.now())
    db.session.commit()
    return jsonify({"secret": secret, "otpauth_uri": mfa.otpauth_uri(secret, user.email)})


@api.post("/me/mfa/confirm")
@token_required
def confirm_mfa():
    data = json_body()
    codes = mfa.confirm(db.session, g.api_user, data.get("otp"), clock.now(), client.address())
    db.session.commit()
    return jsonify({"recovery_codes": codes})


@api.delete("/me/mfa")
@token_required
def disable_mfa():
    data = json_body()
    mfa.disable(db.session, g.api_user, data.get("otp"), clock.now(), client.address())
    db.session.commit()
    return "", 204
