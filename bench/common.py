"""What the benchmarks share: a throw-away database with the schema and the demo directory,
bulk action items, and a counter of the SQL statements an engine runs.

Run by hand, never by the test suite (pytest collects tests/ only).
"""
import gc
import os
import re
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import create_engine, event, insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout, whatever the cwd

from coordination import create_app  # noqa: E402
from coordination.auth.models import User  # noqa: E402
from coordination.demo import seed_demo  # noqa: E402
from coordination.directory.models import Ministry  # noqa: E402
from coordination.extensions import db  # noqa: E402
from coordination.items.models import ActionItem  # noqa: E402

# As tests/conftest.py's TEST_SETTINGS: cheap argon2, no CSRF token to scrape.
BENCH_SETTINGS = {
    "TESTING": True,
    "SECRET_KEY": "bench-secret",
    "WTF_CSRF_ENABLED": False,
    "PASSWORD_HASH_TIME_COST": 1,
    "PASSWORD_HASH_MEMORY_COST": 1024,
}
INSERT_CHUNK = 5000


def normalise_url(url: str) -> str:
    """As coordination/config.py does: postgres:// and postgresql:// mean psycopg 3."""
    return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url)


def database_url_argument(parser) -> None:
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL"),
        help="a PostgreSQL URL (default: $DATABASE_URL). The benchmark works in a schema of its own, "
             "dropped at the end; without it, a fresh SQLite file in a temporary folder.")


@contextmanager
def bench_app(database_url: str | None):
    """An app on a fresh database holding the schema and the demo directory (no action items),
    no application context pushed.

    SQLite: a new file in a temporary folder. PostgreSQL: a new schema ``bench_<random>`` in
    the given database (first on the search path), dropped with everything in it at the end,
    so that nothing of the database's own tables is touched."""
    if database_url:
        url = normalise_url(database_url)
        if not url.startswith("postgresql"):
            raise SystemExit(f"--database-url / DATABASE_URL must name a PostgreSQL database, not {database_url!r}; "
                             "leave it out for a fresh SQLite file")
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            app = create_app({**BENCH_SETTINGS, "SQLALCHEMY_DATABASE_URI": url,
                              "SQLALCHEMY_ENGINE_OPTIONS": {
                                  "connect_args": {"options": f"-csearch_path={schema}"}}})
            yield from _prepared(app)
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    else:
        with tempfile.TemporaryDirectory(prefix="spf-bench-") as folder:
            app = create_app({**BENCH_SETTINGS, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite"})
            yield from _prepared(app)


def _prepared(app):
    """Schema and demo directory, then the app with no context pushed: each test-client
    request must push its own application context (and so get its own session and ``g``),
    as in production; callers push one for their own work."""
    try:
        with app.app_context():
            db.create_all()
            seed_demo(db.session)  # without ``now``: the directory and users, no action items
            db.session.commit()
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def backend_name(app) -> str:
    with app.app_context():
        engine = db.engine
        return f"{engine.dialect.name} {'.'.join(map(str, engine.dialect.server_version_info or ()))}".strip()


def holders(session, country_codes=None) -> dict[str, tuple[int, list[int]]]:
    """Per country: its coordinator's id and its ministries' ids."""
    coordinators = dict(session.execute(
        select(User.country_code, User.id).where(User.role == "coordinator").order_by(User.id)).all())
    ministries: dict[str, list[int]] = {}
    for code, ministry_id in session.execute(select(Ministry.country_code, Ministry.id).order_by(Ministry.id)):
        ministries.setdefault(code, []).append(ministry_id)
    codes = sorted(coordinators) if country_codes is None else country_codes
    return {code: (coordinators[code], ministries[code]) for code in codes}


def item_row(number: int, country: str, coordinator_id: int, ministry_id: int | None, due: date,
             state: str = "assigned", created: datetime | None = None) -> dict:
    """Every column of one action item (a multi-row INSERT fills no Python defaults)."""
    created = created or datetime(2027, 1, 4, 2, 0, tzinfo=UTC)
    return {
        "country_code": country, "title": f"Bench action item {number}",
        "description": "Inserted by the benchmark.", "state": state, "version": 1,
        "ministry_id": ministry_id, "due_date": due, "priority": "normal", "guarantee": "coordination",
        "created_by_id": coordinator_id, "created_at": created, "updated_at": created,
    }


def insert_items(session, rows: list[dict]) -> None:
    """Core INSERT in chunks, then commit."""
    table = ActionItem.__table__
    for start in range(0, len(rows), INSERT_CHUNK):
        session.execute(insert(table), rows[start:start + INSERT_CHUNK])
    session.commit()


class StatementCounter:
    """Counts the statements the engine sends to the database while ``active``. Transaction
    control (SQLite's BEGIN, sent by coordination/database.py) is left out, so that SQLite
    and PostgreSQL counts compare."""

    def __init__(self, engine):
        self.engine = engine
        self.count = 0
        self.active = False
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, parameters, context, executemany):
        if self.active and not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            self.count += 1

    @contextmanager
    def counting(self):
        self.count, self.active = 0, True
        try:
            yield self
        finally:
            self.active = False

    def close(self):
        event.remove(self.engine, "before_cursor_execute", self._seen)


def timed(function):
    """(seconds, result) of one call, by the monotonic high-resolution clock, with the
    garbage collector paused as timeit does (its pauses land on whichever run they hit; it
    catches up after the call, outside the timing)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        result = function()
        return time.perf_counter() - start, result
    finally:
        if was_enabled:
            gc.enable()
