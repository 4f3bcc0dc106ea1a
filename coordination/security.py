"""Security headers on every response: pages, the API, error answers and static files.

The content security policy allows scripts from the application only (no inline script, no
``eval``), so that injected markup cannot run; pages keep their scripts in static files
(Bootstrap's, served locally). Styles may be inline: templates use ``style`` attributes and
the workflow diagram carries a ``<style>`` element. No page may be framed (clickjacking).
Responses to a signed-in request are not stored by the browser or a proxy (a shared
computer's back button, or a cache, would otherwise show them to the next person); static
files keep their caching. In production the browser is told to use HTTPS only.
"""
from flask import Flask, current_app, g, request, session

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",  # Bootstrap draws its icons (menu, select arrows) as data: SVGs
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}

STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


def is_static() -> bool:
    """The request is for a static file (the app's, or Bootstrap's)."""
    endpoint = request.endpoint or ""
    return endpoint == "static" or endpoint.endswith(".static")


def is_signed_in() -> bool:
    """The request carries a session of a signed-in user, a remember-me cookie or a bearer
    token. Read from the request itself (no database query), so that it holds for error
    answers too, whatever failed."""
    if request.headers.get("Authorization") or g.get("api_user") is not None:
        return True
    if "_user_id" in session:
        return True
    return current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies


_HEADERS = [(name.lower(), name, value) for name, value in HEADERS.items()]


def add_headers(response):
    """The headers above, where the response has none of that name; no-store for a signed-in
    request. (Once per response: the names present are read once, not per header.)"""
    headers = response.headers
    present = {name.lower() for name, _ in headers.items()}
    for lower, name, value in _HEADERS:
        if lower not in present:
            headers.add(name, value)
    if current_app.config["APP_ENV"] == "production" and "strict-transport-security" not in present:
        headers.add("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    if not is_static() and is_signed_in() and ("cache-control" not in present or not response.cache_control.no_store):
        headers["Cache-Control"] = "no-store"  # replaces any caching a view allowed
        if "expires" in present:
            headers.pop("Expires", None)
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_headers)
