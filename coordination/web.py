"""What every page shares: error pages, template helpers."""
from flask import Flask, jsonify, render_template, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from coordination import clock, unit_of_work
from coordination.auth import away
from coordination.auth.models import ROLE_LABELS
from coordination.auth.policy import may
from coordination.errors import BadRequest, DomainError

ERROR_TITLES = {
    400: _l("The request could not be understood"),
    401: _l("Please sign in"),
    403: _l("You may not do this"),
    404: _l("There is no such page"),
    405: _l("This action is not available here"),
    409: _l("Someone else changed this"),
    413: _l("The request is too large"),
    422: _l("Some fields are not valid"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong on our side"),
}
# What an error page says where the error carries only the HTTP library's own English text.
ERROR_MESSAGES = {
    400: _l("The browser sent something this page cannot take. Go back and try again."),
    401: _l("Sign in to see this page."),
    403: _l("Your role may not see this page or do this."),
    404: _l("Check the address, or start again from the home page."),
    405: _l("This address cannot be used this way. Go back to the page you came from."),
    413: _l("What was sent is larger than this site accepts."),
    429: _l("Wait a moment, then try again."),
}
CSRF_MESSAGE = _l("The form was open too long, or came from another site. Reload the page and try again.")


HTTP_ERROR_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                    405: "method_not_allowed", 413: "payload_too_large"}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _holds_nul(value) -> bool:
    """True when a string anywhere in ``value`` (nested dicts and lists) holds a NUL. A loop
    with a stack of its own, not recursion: however deep the input, no RecursionError."""
    pending = [value]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            if "\x00" in value:
                return True
        elif isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return False


def refuse_nul_characters() -> None:
    """No real input holds a NUL character, and PostgreSQL refuses every statement that
    carries one with a driver error: refuse the request up front, as a bad request,
    instead of answering 500 from whichever query meets it first."""
    environ = request.environ
    sources = []
    # The path and the query string are looked at as they came (a NUL arrives in the query
    # string as %00) before they are parsed: most requests carry none.
    if "\x00" in environ.get("PATH_INFO", ""):
        sources.append(request.view_args or {})
    query = environ.get("QUERY_STRING", "")
    if "%00" in query or "\x00" in query:
        sources.append(request.args.to_dict(flat=False))
    if environ.get("CONTENT_LENGTH") or "HTTP_TRANSFER_ENCODING" in environ:  # a body (limits.bound_body)
        sources.append(request.form.to_dict(flat=False))
        if request.is_json:
            sources.append(request.get_json(silent=True))
    if any(_holds_nul(source) for source in sources):
        raise BadRequest(gettext("The request contains a NUL character, which no field accepts."))


def register_error_pages(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        unit_of_work.conclude(False)
        if _wants_json():
            return jsonify(error.payload()), error.status, error.headers
        return _page(error.status, error.message, error.headers)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        unit_of_work.conclude(False)
        # The exception's own headers stay (Allow of a 405, Retry-After, WWW-Authenticate);
        # the body, and so its Content-Type, is ours.
        headers = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
        if _wants_json():
            code = HTTP_ERROR_CODES.get(error.code, "error")
            return jsonify({"error": code, "message": error.description}), error.code, headers
        return _page(error.code, _page_message(error), headers)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        unit_of_work.abandon()
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        if _wants_json():
            return jsonify({"error": "server_error", "message": gettext("Something went wrong.")}), 500
        return _page(500, gettext("The error was logged. Please try again in a moment."))


def _page_message(error: HTTPException) -> str:
    """The error's own description, or (where it has only the HTTP library's English) ours."""
    if isinstance(error, CSRFError):
        return str(CSRF_MESSAGE)
    if error.description == type(error).description and error.code in ERROR_MESSAGES:
        return str(ERROR_MESSAGES[error.code])
    return error.description


def _page(status: int, message: str, headers=None):
    title = ERROR_TITLES.get(status, _l("Error"))
    return render_template("error.html", status=status, title=title, message=message), status, headers or {}


def register_template_helpers(app: Flask) -> None:
    @app.context_processor
    def helpers():
        return {"may": may, "role_labels": ROLE_LABELS,
                # The last day away of a user away now (None otherwise): "Away until ..." beside a name.
                "away_until": lambda user: away.away_until(user, clock.now())}
