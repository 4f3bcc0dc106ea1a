"""Tokens and the signed-in user, in the JSON API."""
from flask import current_app, g, jsonify

from coordination import client, clock, unit_of_work
from coordination.api import api, json_body, token_required
from coordination.audit import service as audit
from coordination.auth import away, mfa, reset, service
from coordination.auth import schemas as s
from coordination.endpoints import endpoint
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
        "mfa": user.mfa_enabled,
        "locale": user.locale,
        "away_from": user.away_from.isoformat() if user.away_from else None,
        "away_until": user.away_until.isoformat() if user.away_until else None,
        "away_deputy_id": user.away_deputy_id,
        "away": away.is_away(user, away.local_today(user, clock.now())),
    }


@api.post("/tokens")
@endpoint("Sign in: a bearer token for the other endpoints", tag="auth", public=True, body=s.TokenRequest,
          replies={201: s.Token}, errors=(401, 403, 429),
          description="401 unauthorized for a wrong e-mail address, password or code; 401 mfa_required when "
                      "two-step sign-in is on and no otp is sent; 403 mfa_enrolment_required when the role "
                      "must set it up first (MFA_REQUIRED_ROLES); 429 after too many failures.")
def create_token():
    body = s.TokenRequest.parse(json_body())
    if not isinstance(body.email, str) or not isinstance(body.password, str):
        raise Unauthorized(service.BAD_CREDENTIALS)
    now = clock.now()
    limits = service.SignInLimits.from_config(current_app.config)
    try:
        user = service.authenticate(db.session, body.email, body.password, client.address(), now, limits)
        mfa.token_second_step(db.session, user, body.otp, client.address(), now, limits,
                              current_app.config["MFA_REQUIRED_ROLES"])
    except DomainError:
        unit_of_work.keep_changes()  # the recorded failure and its audit event
        raise
    token = service.issue_token(db.session, user, now)
    audit.record(db.session, "token_created", now, actor=user, address=client.address())
    return jsonify({"token": token}), 201


@api.delete("/tokens/current")
@endpoint("Revoke the token of this request", tag="auth", replies={204: None})
@token_required
def revoke_current_token():
    now = clock.now()
    service.revoke_token(db.session, g.api_token, now)
    audit.record(db.session, "token_revoked", now, actor=g.api_user, address=client.address())
    return "", 204


@api.get("/me")
@endpoint("The signed-in user", tag="auth", replies={200: s.Me})
@token_required
def me():
    return jsonify(user_json(g.api_user))


@api.patch("/me")
@endpoint("Change the signed-in user's settings: the language of pages, API messages and e-mail", tag="auth",
          body=s.MeUpdate, replies={200: s.Me},
          description="locale: en, id, th or vi; null clears the choice (pages then follow the browser's "
                      "Accept-Language, e-mail is in English). A field left out stays as it is. Field names, "
                      "codes and error codes never change with the language; message texts may.")
@token_required
def update_me():
    body = s.MeUpdate.parse(json_body())
    if "locale" in body.given():
        service.set_locale(db.session, g.api_user, body.locale)
    return jsonify(user_json(g.api_user))


@api.put("/me/away")
@endpoint("Be away from one date to another, with a deputy", tag="auth", body=s.AwayChange, replies={200: s.Me},
          description="National users. from and until are the user's local dates, both included; until is not in "
                      "the past. The deputy (a user of the same ministry, or another coordinator of the same "
                      "country; null for nobody) meanwhile receives a copy of the user's reminders and notices. "
                      "Anyone else as deputy answers 422; a regional user 403.")
@token_required
def set_away():
    user = away.set_away(db.session, g.api_user, json_body(), clock.now())
    return jsonify(user_json(user))


@api.delete("/me/away")
@endpoint("Back: no longer away", tag="auth", replies={204: None})
@token_required
def end_away():
    away.end_away(db.session, g.api_user, clock.now())
    return "", 204


# -- password reset ------------------------------------------------------------------------


@api.post("/password-reset")
@endpoint("Ask for a password-reset link", tag="auth", public=True, body=s.PasswordResetRequest,
          replies={202: s.Nothing},
          description="Mailed to the account of this address if it exists and is active (at most "
                      "PASSWORD_RESET_MAX_PER_HOUR links an hour); the answer is the same either way.")
def request_password_reset():
    """202 ``{}`` whatever the address: the answer never tells whether an account has it."""
    body = s.PasswordResetRequest.parse(json_body())
    reset.request_reset(db.session, body.email, client.address(), clock.now(),
                        reset.ResetSettings.from_config(current_app.config))
    return jsonify({}), 202


@api.post("/password-reset/confirm")
@endpoint("Set a new password with the token of a reset link", tag="auth", public=True,
          body=s.PasswordResetConfirm, replies={204: None},
          description="Ends every session and API token of the account. A used, expired or unknown "
                      "token answers 400 bad_request with reason unknown, used or expired.")
def confirm_password_reset():
    body = s.PasswordResetConfirm.parse(json_body())
    reset.reset_password(db.session, body.token, body.password, client.address(), clock.now())
    return "", 204


@api.post("/users/<int:user_id>/password-reset")
@endpoint("Mail a user a password-reset link (admin)", tag="auth", replies={202: s.ResetQueued}, errors=(409,),
          description="queued is false when the account was sent too many links in the last hour; "
                      "409 when the account is disabled.")
@token_required
def send_password_reset(user_id: int):
    """The administrator mails a user a reset link; ``queued`` is false when the account was
    sent too many links in the last hour (nothing is sent then)."""
    outcome = reset.send_reset_link(db.session, g.api_user, user_id, client.address(), clock.now(),
                                    reset.ResetSettings.from_config(current_app.config))
    return jsonify({"queued": outcome == reset.QUEUED}), 202


# -- two-step sign-in ------------------------------------------------------------------------


@api.post("/me/mfa")
@endpoint("Start setting up two-step sign-in: a new secret, pending until confirmed", tag="auth",
          replies={200: s.MfaSecret}, errors=(409,))
@token_required
def start_mfa():
    user = g.api_user
    secret = mfa.start(db.session, user, clock.now())
    return jsonify({"secret": secret, "otpauth_uri": mfa.otpauth_uri(secret, user.email)})


@api.post("/me/mfa/confirm")
@endpoint("Turn two-step sign-in on with a code of the pending secret: the recovery codes, shown once",
          tag="auth", body=s.MfaCode, replies={200: s.RecoveryCodes}, errors=(409,))
@token_required
def confirm_mfa():
    body = s.MfaCode.parse(json_body())
    codes = mfa.confirm(db.session, g.api_user, body.otp, clock.now(), client.address())
    return jsonify({"recovery_codes": codes})


@api.delete("/me/mfa")
@endpoint("Turn two-step sign-in off, with a current code or a recovery code", tag="auth", body=s.MfaCode,
          replies={204: None}, errors=(409,))
@token_required
def disable_mfa():
    body = s.MfaCode.parse(json_body())
    mfa.disable(db.session, g.api_user, body.otp, clock.now(), client.address())
    return "", 204
