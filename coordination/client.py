"""The address of the client of the current request.

``request.remote_addr`` is the peer of the connection; behind reverse proxies, werkzeug's
``ProxyFix`` (installed by create_app when ``TRUSTED_PROXY_COUNT`` is set) replaces it with
the address the last trusted proxy saw. Without that setting ``X-Forwarded-For`` is ignored,
since any client can write it.
"""
from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix


def trust_proxies(app: Flask) -> None:
    hops = app.config["TRUSTED_PROXY_COUNT"]
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)


def address() -> str:
    return (request.remote_addr or "unknown")[:64]
