"""The JSON API's blueprint, its bearer-token authentication, and its error format.

Each feature's ``api`` module adds its routes to ``api``; the application factory imports
them (this module imports none of them: they build on it)."""
from functools import wraps

from flask import Blueprint, current_app, g, request
from flask_babel import gettext

from coordination import paging
from coordination.auth import policy
from coordination.auth import service as auth_service
from coordination.auth.mfa import MfaEnrolmentRequired
from coordination.errors import BadRequest, Unauthorized, ValidationError
from coordination.extensions import db

api = Blueprint("api", __name__, url_prefix="/api/v1")


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def token_required(view):
    """Authenticate with the bearer token; the user is ``g.api_user``."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        token = bearer_token()
        if token is None:
            raise Unauthorized(gettext("Send 'Authorization: Bearer TOKEN'. POST /api/v1/tokens gives one."))
        g.api_user, g.api_token = auth_service.user_for_token(db.session, token)
        refuse_until_enrolled(g.api_user)
        return view(*args, **kwargs)

    return wrapper


# What a user who must set up two-step sign-in (MFA_REQUIRED_ROLES) may still call.
MFA_ENROLMENT_ENDPOINTS = frozenset({"api.me", "api.start_mfa", "api.confirm_mfa", "api.revoke_current_token"})


def refuse_until_enrolled(user) -> None:
    """A token issued before the user's role needed two-step sign-in reaches only enrolment."""
    if (policy.must_enrol_mfa(user, current_app.config["MFA_REQUIRED_ROLES"])
            and request.endpoint not in MFA_ENROLMENT_ENDPOINTS):
        raise MfaEnrolmentRequired(gettext(
            "Your role needs two-step sign-in: set it up first (POST /api/v1/me/mfa)."))


def json_body() -> dict:
    """The request body as a JSON object, or 400 bad_request."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadRequest(gettext("The body must be a JSON object."))
    return data


def query_number(name: str, default: int, maximum: int) -> int:
    """A whole number from the query string (per_page), at most ``maximum``; 422 if bad."""
    raw = request.args.get(name, "")
    if raw == "":
        return default
    number = paging.page_number(raw)
    if number is None:
        raise ValidationError({name: [gettext("Send a whole number of at least 1.")]})
    return min(number, maximum)


def query_page(name: str = "page") -> int:
    """The page number of a list: beyond the last page the list is empty (paging.py); 422
    when it is not a whole number of at least 1."""
    return query_number(name, 1, paging.MAX_PAGE)

