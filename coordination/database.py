"""Engine settings per database."""
import sqlite3
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, request
from sqlalchemy import event

from coordination.extensions import db

# On SQLite a transaction that will write must start with BEGIN IMMEDIATE, or a read that
# later upgrades to a write fails with "database is locked". Reads (GET pages) begin
# DEFERRED instead, so that under WAL they never wait for a writer nor block one.
IMMEDIATE, DEFERRED, AUTOCOMMIT = "BEGIN IMMEDIATE", "BEGIN", None
_begin: ContextVar[str | None] = ContextVar("sqlite_begin", default=IMMEDIATE)
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@contextmanager
def statement_at_a_time():
    """Inside this block SQLite runs each statement as its own transaction, so every read
    sees what others committed, as PostgreSQL's READ COMMITTED does. For test code that
    watches the application from outside; never for the application's own writes."""
    token = _begin.set(AUTOCOMMIT)
    try:
        yield
    finally:
        _begin.reset(token)


@contextmanager
def transactions():
    """The opposite of statement_at_a_time(): inside this block SQLite begins write
    transactions again (BEGIN IMMEDIATE), for test code that needs to roll one back."""
    token = _begin.set(IMMEDIATE)
    try:
        yield
    finally:
        _begin.reset(token)


def writes(view):
    """Marks a GET view that writes (an export that leaves an audit event): on SQLite its
    transaction begins IMMEDIATE, so that it waits for other writers instead of failing to
    upgrade its read snapshot."""
    view.writes_on_read = True
    return view


def configure_engine(app: Flask) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            _configure_sqlite(db.engine)

        @app.before_request
        def _declare_intent():
            view = app.view_functions.get(request.endpoint)
            reads_only = request.method in READ_ONLY_METHODS and not getattr(view, "writes_on_read", False)
            request.environ["coordination.begin"] = _begin.set(DEFERRED if reads_only else IMMEDIATE)

        @app.teardown_request
        def _forget_intent(exc):
            token = request.environ.pop("coordination.begin", None)
            if token is not None:
                _begin.reset(token)


def _configure_sqlite(engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, record):
        dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event below issues BEGIN
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Planner statistics as SQLite recommends: bounded ANALYZE runs (analysis_limit), at
        # start-up of what needs it (optimize=0x10002, SQLite 3.46 and later; a no-op before),
        # and before each connection closes (below).
        cursor.execute("PRAGMA analysis_limit=1000")
        cursor.execute("PRAGMA optimize=0x10002")
        cursor.close()

    @event.listens_for(engine, "close")
    def on_close(dbapi_connection, record):
        try:
            dbapi_connection.execute("PRAGMA optimize")
        except sqlite3.Error:  # a connection closed because it broke: nothing to keep
            pass

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        begin = _begin.get()
        if begin is not None:
            # On the driver's connection itself: the statement has no result to wrap, and
            # SQLAlchemy's execution path would cost more than the BEGIN (once per request).
            connection.connection.driver_connection.execute(begin)
