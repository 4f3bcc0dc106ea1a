"""The WSGI apps that bench/scale.py and bench/load.py serve with gunicorn (``--chdir bench``).

    app    the application on the database named by $SCALE_DATABASE_URL (and, on PostgreSQL,
           the schema $SCALE_SCHEMA, first on the search path), with the benchmark settings of
           common.py. Each response carries ``X-SQL-Statements``: the statements the request
           sent (transaction control left out).
    hello  a bare WSGI "hello", the yardstick for requests per second under the same settings.
"""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH_SETTINGS  # noqa: E402
from sqlalchemy import event  # noqa: E402

from coordination import create_app  # noqa: E402
from coordination.extensions import db  # noqa: E402


def hello(environ, start_response):
    body = b"hello\n"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


def make_app():
    url = os.environ["SCALE_DATABASE_URL"]
    config = {**BENCH_SETTINGS, "SQLALCHEMY_DATABASE_URI": url}
    schema = os.environ.get("SCALE_SCHEMA")
    if schema:
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": f"-csearch_path={schema}"}}
    application = create_app(config)
    seen = {"count": 0}  # a sync worker serves one request at a time

    with application.app_context():
        @event.listens_for(db.engine, "before_cursor_execute")
        def _count(conn, cursor, statement, parameters, context, executemany):
            if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
                seen["count"] += 1

    @application.before_request
    def _reset():
        seen["count"] = 0

    @application.after_request
    def _report(response):
        response.headers["X-SQL-Statements"] = str(seen["count"])
        return response

    return application


app = make_app() if "SCALE_DATABASE_URL" in os.environ else None
