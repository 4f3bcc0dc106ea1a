"""What the browser tests and tools/screenshots.py share: a live demo server, Chromium, signing in.

Kept free of pytest so that a script can use it too.
"""
import os
import threading
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import WSGIRequestHandler, make_server

from coordination import clock, create_app
from coordination.demo import DEMO_PASSWORD, seed_demo
from coordination.extensions import db

# As tests/conftest.py TEST_SETTINGS, but with CSRF protection on: the browser posts real forms.
LIVE_SETTINGS = {
    "TESTING": True,
    "SECRET_KEY": "browser-test-secret",
    "WTF_CSRF_ENABLED": True,
    "PASSWORD_HASH_TIME_COST": 1,
    "PASSWORD_HASH_MEMORY_COST": 1024,
}

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}


def chromium_path() -> str:
    return os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"


def build_demo_app(database_file: Path, *, activity: bool = False):
    """An app on a fresh SQLite file holding the schema and the demo data (with ``activity``,
    also the demo action items that `flask seed-demo` adds)."""
    app = create_app({**LIVE_SETTINGS, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database_file}"})
    with app.app_context():
        db.create_all()
        seed_demo(db.session, clock.now() if activity else None)
        db.session.commit()
    return app


class _QuietHandler(WSGIRequestHandler):
    """No access log line per request; errors are still logged."""

    def log_request(self, code="-", size="-"):
        pass


@contextmanager
def live_server(database_file: Path, *, activity: bool = False):
    """Serve the demo app on 127.0.0.1, on a free port, in a daemon thread; yield the base URL."""
    app = build_demo_app(database_file, activity=activity)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def launch_chromium(playwright):
    """Headless Debian Chromium (never a downloaded one: there is no network)."""
    return playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)


def sign_in(page, base_url: str, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the login form, as a person would."""
    page.goto(f"{base_url}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


@contextmanager
def live_server_with_app(database_file: Path):
    """As :func:`live_server`, but yields ``(base_url, app)``, so that a test can arrange data
    directly in the served database (inside ``app.app_context()``, committing as it goes)."""
    app = build_demo_app(database_file)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
