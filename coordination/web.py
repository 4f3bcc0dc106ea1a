"""What every page shares: error pages, template helpers."""
from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from coordination import unit_of_work
from coordination.auth.models import ROLE_LABELS
from coordination.auth.policy import may
from coordination.errors import BadRequest, DomainError

ERROR_TITLES = {
    400: "The request could not be understood",
    401: "Please sign in",
    403: "You may not do this",
    404: "There is no such page",
    405: "This action is not available here",
    409: "Someone else changed this",
    413: "The request is too large",
    422: "Some fields are not valid",
    429: "Too many attempts",
    500: "Something went wrong on our side",
}


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
        raise BadRequest("The request contains a NUL character, which no field accepts.")


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
        return _page(error.code, error.description, headers)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        unit_of_work.abandon()
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        if _wants_json():
            return jsonify({"error": "server_error", "message": "Something went wrong."}), 500
        return _page(500, "The error was logged. Please try again in a moment.")


def _page(status: int, message: str, headers=None):
    title = ERROR_TITLES.get(status, "Error")
    return render_template("error.html", status=status, title=title, message=message), status, headers or {}


def register_template_helpers(app: Flask) -> None:
    @app.context_processor
    def helpers():
        return {"may": may, "role_labels": ROLE_LABELS}

    @app.template_filter("local")
    def local_time(instant, timezone: str, fmt: str = "%d %b %Y, %H:%M"):
        if instant is None:
            return ""
        return instant.astimezone(_zone(timezone)).strftime(fmt)


def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)
