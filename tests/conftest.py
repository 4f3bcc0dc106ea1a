"""Fixtures: every test that uses ``app`` runs on SQLite and on PostgreSQL.

PostgreSQL is used when ``TEST_DATABASE_URL`` names a database; without it those
runs are skipped, unless ``REQUIRE_POSTGRES=1`` (as in CI), which makes them fail.
"""
import os
import re

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from coordination import create_app
from coordination.database import statement_at_a_time
from coordination.demo import seed_demo
from coordination.extensions import db

TEST_SETTINGS = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "WTF_CSRF_ENABLED": False,
    # Cheap argon2 in tests; production keeps OWASP's parameters.
    "PASSWORD_HASH_TIME_COST": 1,
    "PASSWORD_HASH_MEMORY_COST": 1024,
}


def _flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in {"1", "true", "yes"}


def postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql+psycopg://", url)
    if _flag("REQUIRE_POSTGRES"):
        pytest.fail("REQUIRE_POSTGRES is set but TEST_DATABASE_URL is not: PostgreSQL tests cannot run")
    pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL tests skipped")


_pg_schema_ready = False


def _reset_postgres(app) -> None:
    """Create the schema once per session; empty every table before each test."""
    global _pg_schema_ready
    with app.app_context():
        if not _pg_schema_ready:
            db.drop_all()
            with db.engine.begin() as conn:
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
            db.create_all()
            _pg_schema_ready = True
        tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        with db.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


def mark_postgres_schema_dirty() -> None:
    """Call after a test rebuilt the PostgreSQL schema by other means."""
    global _pg_schema_ready
    _pg_schema_ready = False


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite'}"
    return postgres_url()


@pytest.fixture
def make_app(database_url):
    """A factory for apps on this test's database, with extra settings."""
    apps = []

    def factory(**settings):
        app = create_app({**TEST_SETTINGS, "SQLALCHEMY_DATABASE_URI": database_url, **settings})
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def empty_app(make_app, database_url):
    """An app whose database has the schema and no rows."""
    app = make_app()
    if database_url.startswith("sqlite"):
        with app.app_context():
            db.create_all()
    else:
        _reset_postgres(app)
    return app


@pytest.fixture
def app(empty_app):
    """An app with the demo data loaded."""
    with empty_app.app_context():
        seed_demo(db.session)
        db.session.commit()
    return empty_app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def session(app):
    """A database session of the test's own, beside the app's: the test client's requests
    use their own sessions, as in production. On SQLite it holds no lock between statements
    and each read sees what the requests committed (as on PostgreSQL)."""
    with app.app_context():
        engine = db.engine
    with statement_at_a_time(), Session(engine) as own:
        yield own
