"""Fixtures: every test that uses ``app`` runs on SQLite and on PostgreSQL.

PostgreSQL is used when ``TEST_DATABASE_URL`` names a database; without it those
runs are skipped, unless ``REQUIRE_POSTGRES=1`` (as in CI), which makes them fail.
"""
import functools
import os
import re
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from helpers import api_token
from sqlalchemy import create_engine, make_url, select, text
from sqlalchemy.orm import Session

from coordination import create_app
from coordination.database import statement_at_a_time
from coordination.demo import seed_demo
from coordination.extensions import db
from coordination.reporting.models import MonitoringTemplate

TEST_SETTINGS = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "WTF_CSRF_ENABLED": False,
    # Cheap argon2 in tests; production keeps OWASP's parameters.
    "PASSWORD_HASH_TIME_COST": 1,
    "PASSWORD_HASH_MEMORY_COST": 1024,
}


def pytest_configure(config):
    """The compiled catalogues up to date with their .po files, also for a run of pytest without
    `make` (which compiles them: `make translations`)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    from coordination.i18n import TRANSLATIONS

    for source in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        compiled = source.with_suffix(".mo")
        if compiled.exists() and compiled.stat().st_mtime >= source.stat().st_mtime:
            continue
        with source.open("rb") as file:
            catalog = read_po(file, locale=source.parent.parent.name)
        partial = compiled.with_name(f"messages.mo.{os.getpid()}")  # parallel workers: each its own, then
        with partial.open("wb") as file:                           # one atomic rename
            write_mo(file, catalog)
        os.replace(partial, compiled)


def _flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in {"1", "true", "yes"}


def postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        url = re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql+psycopg://", url)
        return worker_database(url)
    if _flag("REQUIRE_POSTGRES"):
        pytest.fail("REQUIRE_POSTGRES is set but TEST_DATABASE_URL is not: PostgreSQL tests cannot run")
    pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL tests skipped")


@functools.cache
def worker_database(url: str) -> str:
    """Under pytest-xdist every worker gets a database of its own (``spf_test_gw0``, ...),
    created on first use, so that parallel workers never reset each other's tables."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    parsed = make_url(url)
    name = f"{parsed.database}_{worker}"
    engine = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}) is None:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


class Backend:
    """One database of the session, shared by its tests: built and seeded once, then put back
    to that state before every test (a file copy on SQLite, a table copy on PostgreSQL), so
    that a test costs its own work and not the demo data's."""

    def __init__(self, url: str, folder):
        self.url, self.folder = url, folder
        self.app = None
        self.ready = False

    def shared_app(self):
        if self.app is None:
            self.app = create_app({**TEST_SETTINGS, "SQLALCHEMY_DATABASE_URI": self.url})
            self.pristine_config = dict(self.app.config)
        return self.app

    def reset(self, *, seeded: bool):
        app = self.shared_app()
        app.config.clear()
        app.config.update(self.pristine_config)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
            if not self.ready:
                self._build()
                self.ready = True
            self._restore(seeded)

    def _seed(self):
        seed_demo(db.session)
        db.session.commit()
        db.session.remove()


class SqliteBackend(Backend):
    def __init__(self, folder):
        self.path = folder / "test.sqlite"
        super().__init__(f"sqlite:///{self.path}", folder)

    def _remove(self):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def _snapshot(self, name: str):
        db.engine.dispose()
        target = self.folder / name
        target.unlink(missing_ok=True)
        with closing(sqlite3.connect(self.path, isolation_level=None)) as raw:
            raw.execute("VACUUM INTO ?", (str(target),))  # one self-contained file, WAL folded in

    def _build(self):
        self._remove()
        db.create_all()
        self._snapshot("empty.sqlite")
        self._seed()
        self._snapshot("seeded.sqlite")

    def _restore(self, seeded: bool):
        self._remove()
        shutil.copyfile(self.folder / ("seeded.sqlite" if seeded else "empty.sqlite"), self.path)


class PostgresBackend(Backend):
    def _build(self):
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS baseline CASCADE"))
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.drop_all()
        db.create_all()
        self._seed()
        with db.engine.begin() as conn:
            conn.execute(text("CREATE SCHEMA baseline"))
            for table in db.metadata.sorted_tables:
                conn.execute(text(f'CREATE TABLE baseline."{table.name}" AS SELECT * FROM public."{table.name}"'))

    def _restore(self, seeded: bool):
        tables = db.metadata.sorted_tables
        with db.engine.begin() as conn:
            conn.execute(text("TRUNCATE " + ", ".join(f'public."{t.name}"' for t in tables)
                              + " RESTART IDENTITY CASCADE"))
            if not seeded:
                return
            for table in tables:
                conn.execute(text(f'INSERT INTO public."{table.name}" SELECT * FROM baseline."{table.name}"'))
                if "id" in table.c and table.c.id.autoincrement in (True, "auto") and table.c.id.primary_key:
                    conn.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('public.\"{table.name}\"', 'id'), "
                        f'COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM public."{table.name}"'))


_backends: dict[str, Backend] = {}


def mark_postgres_schema_dirty() -> None:
    """Call after a test rebuilt the PostgreSQL schema by other means."""
    if "postgresql" in _backends:
        _backends["postgresql"].ready = False


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, tmp_path_factory) -> Backend:
    if request.param not in _backends:
        if request.param == "sqlite":
            _backends["sqlite"] = SqliteBackend(tmp_path_factory.mktemp("sqlite"))
        else:
            _backends["postgresql"] = PostgresBackend(postgres_url(), None)
    elif request.param == "postgresql":
        postgres_url()  # skips, or fails under REQUIRE_POSTGRES, as on the first use
    return _backends[request.param]


@pytest.fixture
def database_url(backend) -> str:
    return backend.url


@pytest.fixture
def make_app(database_url):
    """A factory for apps of their own on this test's database, with extra settings."""
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
def empty_app(backend):
    """The app of this database, with the schema and no rows."""
    backend.reset(seeded=False)
    return backend.shared_app()


@pytest.fixture
def app(backend):
    """The app of this database, with the demo data loaded."""
    backend.reset(seeded=True)
    return backend.shared_app()


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


@pytest.fixture
def make_cycle(client, session):
    """``make_cycle(state, name)``: a cycle of the self-assessment template over the first half
    of 2030, created by the secretariat and moved through the API to ``state``; its id."""
    secretariat = api_token(client, "secretariat@example.org")
    template_id = session.scalar(select(MonitoringTemplate.id)
                                 .where(MonitoringTemplate.name == "ASEAN SPF self-assessment"))

    def make(state="open", name="2030 half-year review"):
        created = client.post("/api/v1/cycles", headers=secretariat, json={
            "name": name, "template_id": template_id, "period_start": "2030-01-01",
            "period_end": "2030-06-30", "deadline": "2030-08-31"})
        assert created.status_code == 201, created.get_json()
        cycle_id = created.get_json()["id"]
        for trigger in {"planned": [], "open": ["open"], "closed": ["open", "close"],
                        "published": ["open", "close", "publish"]}[state]:
            moved = client.post(f"/api/v1/cycles/{cycle_id}/transitions", json={"trigger": trigger},
                                headers=secretariat)
            assert moved.status_code == 200, moved.get_json()
        return cycle_id
    return make
