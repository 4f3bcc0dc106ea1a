"""Benchmark: every page and list of the application at 10 000 and at a million action items.

    .venv/bin/python bench/scale.py [--items N] [--database-url URL] [--cache DIR] [--rebuild]
                                    [--repeat R] [--no-throughput] [--build-only]

Builds (once, then keeps) two databases spread like real use: 10 000 and N action items
(default 1 000 000), 5 history rows each, over the ten member states and their ministries,
60 % open, due dates over today ± 365 days, a notification for every tenth item, and a
reporting cycle open for reports. SQLite: files in the cache folder (default
~/.cache/spf-bench); PostgreSQL (``--database-url``): schemas ``scale_<N>`` in that database,
bulk-loaded with COPY. ``--rebuild`` builds them anew.

Then it serves the application with gunicorn (one sync worker, loopback) on each database and
prints, per page, the median time at 10 000 and at N items, their ratio, and the SQL
statements per request (the ``X-SQL-Statements`` header of bench/scale_app.py), with a
``PROBLEM:`` line for any page whose ratio exceeds 2 or whose statements grow. Last, the
requests per second of item JSON under gunicorn with 2 workers against a bare WSGI "hello"
under the same settings (wrk when installed, otherwise a bounded Python load loop).
"""
import argparse
import http.client
import json
import os
import random
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from common import BENCH_SETTINGS, normalise_url
from network import network_records
from sqlalchemy import create_engine, inspect, select, text

from coordination import clock, create_app
from coordination.auth.models import User
from coordination.demo import DEMO_PASSWORD, seed_demo, staff_email
from coordination.directory.models import Ministry
from coordination.extensions import db

HERE = Path(__file__).resolve().parent
SMALL = 10_000
DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "spf-bench"
EVENTS_PER_ITEM = 5
# 60 % open, 40 % closed.
STATE_WEIGHTS = {"draft": 4, "assigned": 14, "in_progress": 24, "blocked": 6, "submitted": 8, "declined": 4,
                 "completed": 34, "cancelled": 6}
PATHS = {  # the transitions that led to each state, after "create"
    "draft": [],
    "assigned": [("assign", "draft", "assigned")],
    "in_progress": [("assign", "draft", "assigned"), ("accept", "assigned", "in_progress")],
    "blocked": [("assign", "draft", "assigned"), ("accept", "assigned", "in_progress"),
                ("block", "in_progress", "blocked")],
    "submitted": [("assign", "draft", "assigned"), ("accept", "assigned", "in_progress"),
                  ("submit", "in_progress", "submitted")],
    "declined": [("assign", "draft", "assigned"), ("decline", "assigned", "declined")],
    "completed": [("assign", "draft", "assigned"), ("accept", "assigned", "in_progress"),
                  ("submit", "in_progress", "submitted"), ("approve", "submitted", "completed")],
    "cancelled": [("assign", "draft", "assigned"), ("cancel", "assigned", "cancelled")],
}
STAFF_TRIGGERS = {"accept", "decline", "block", "submit"}
VERBS = ("Extend", "Review", "Cost", "Pilot", "Digitise", "Evaluate", "Harmonise", "Map")
TOPICS = ("child grant", "social pension", "health insurance", "unemployment benefit", "maternity cover",
          "disability allowance", "targeting registry", "cash transfer", "school feeding", "public works",
          "grievance mechanism", "payment system")
GUARANTEES = ("health", "children", "working_age", "older_persons", "overall", "coordination", None)
PRIORITIES = ("low", "normal", "normal", "normal", "high")
SEARCH_WORD = "pension"
RARE_WORD, RARE_ITEMS = "kingfisher", 50  # a word the descriptions of the first 50 items hold, at every size
NO_MATCH = "nowhere"  # a word no title holds: a search that reads as far as it may
ITEM_COLUMNS = ("id", "country_code", "title", "description", "state", "version", "ministry_id", "due_date",
                "priority", "guarantee", "created_by_id", "created_at", "updated_at", "assignee_id")
# Every other item a ministry holds names its staff user as the officer ("Assigned to me").
OFFICER_STATES = ("assigned", "in_progress", "blocked")
OFFICERS_FILLED = "officers"  # the bench_meta key of a kept database whose officers are filled
EVENT_COLUMNS = ("id", "item_id", "at", "actor_id", "trigger", "from_state", "to_state", "from_ministry_id",
                 "to_ministry_id", "comment")
NOTIFICATION_COLUMNS = ("id", "user_id", "kind", "subject_type", "subject_id", "event", "title", "body", "url",
                        "occurred_at", "created_at", "read_at", "status", "attempts", "next_attempt_at", "sent_at",
                        "last_error")
COUNTRY, MINISTRY = "PH", "DSWD"  # the country and ministry whose users the pages are read as


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- where a database lives -----------------------------------------------------------------------

class Target:
    """One benchmark database of ``items`` items: a SQLite file in ``cache``, or the schema
    ``scale_<items>`` of a PostgreSQL database."""

    def __init__(self, items: int, database_url: str | None, cache: Path):
        self.items = items
        if database_url:
            self.url = normalise_url(database_url)
            if not self.url.startswith("postgresql"):
                raise SystemExit(f"--database-url must name a PostgreSQL database, not {database_url!r}")
            self.schema, self.path = f"scale_{items}", None
        else:
            cache.mkdir(parents=True, exist_ok=True)
            self.path = cache / f"scale-{items}.sqlite"
            self.url, self.schema = f"sqlite:///{self.path}", None

    @property
    def postgres(self) -> bool:
        return self.schema is not None

    def config(self) -> dict:
        config = {**BENCH_SETTINGS, "SQLALCHEMY_DATABASE_URI": self.url}
        if self.postgres:
            config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": f"-csearch_path={self.schema}"}}
        return config

    def env(self) -> dict:
        env = {"SCALE_DATABASE_URL": self.url}
        if self.postgres:
            env["SCALE_SCHEMA"] = self.schema
        return env

    def _engine(self):
        options = self.config().get("SQLALCHEMY_ENGINE_OPTIONS", {})
        return create_engine(self.url, **options)

    def meta(self) -> dict:
        """What the finished build recorded (empty while none is finished)."""
        if not self.postgres and not self.path.exists():
            return {}
        engine = self._engine()
        try:
            with engine.connect() as conn:
                if "bench_meta" not in inspect(conn).get_table_names():
                    return {}
                return dict(conn.execute(text("SELECT key, value FROM bench_meta")).all())
        finally:
            engine.dispose()

    def wipe(self) -> None:
        if self.postgres:
            engine = create_engine(self.url)
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'))
                conn.execute(text(f'CREATE SCHEMA "{self.schema}"'))
            engine.dispose()
        else:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def describe(self) -> str:
        return f"schema {self.schema}" if self.postgres else str(self.path)


# -- building ------------------------------------------------------------------------------------

def sqlite_text(value):
    """A value as SQLAlchemy stores it in SQLite (dates and naive UTC datetimes as text)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def generate(items: int, people: dict, now: datetime, seed: int = 20261201):
    """(item rows, event rows, notification rows) as iterators of tuples in column order."""
    rng = random.Random(seed)
    states = list(STATE_WEIGHTS)
    weights = list(STATE_WEIGHTS.values())
    countries = sorted(people)
    today = now.date()
    item_rows, event_rows, notification_rows = [], [], []
    event_id = notification_id = 0
    for number in range(1, items + 1):
        country = countries[number % len(countries)]
        coordinator, ministries = people[country]
        state = rng.choices(states, weights)[0]
        ministry_id, staff_id = rng.choice(ministries)
        if state == "draft" and rng.random() < 0.5:
            ministry_id, staff_id = None, None
        due = today + timedelta(days=rng.randint(-365, 365))
        created = min(now - timedelta(hours=1), datetime.combine(due, datetime.min.time(), UTC)
                      - timedelta(days=rng.randint(30, 400), minutes=rng.randint(0, 1440)))
        updated = min(now - timedelta(minutes=1), created + timedelta(days=rng.randint(0, 90), minutes=1))
        title = f"{rng.choice(VERBS)} the {rng.choice(TOPICS)} ({number})"
        officer = staff_id if state in OFFICER_STATES and number % 2 == 0 else None  # no draw: the same data
        description = "Built by bench/scale.py." + (f" A {RARE_WORD} review." if number <= RARE_ITEMS else "")
        item_rows.append((number, country, title, description, state, EVENTS_PER_ITEM, ministry_id,
                          due, rng.choice(PRIORITIES), rng.choice(GUARANTEES), coordinator, created, updated,
                          officer))
        steps = [("create", None, "draft")] + PATHS[state]
        steps += [("comment", state, state)] * (EVENTS_PER_ITEM - len(steps))  # comments since
        span = (updated - created) / EVENTS_PER_ITEM
        held = None
        for index, (trigger, from_state, to_state) in enumerate(steps):
            event_id += 1
            before = held
            if trigger == "create":
                held = ministry_id if state == "draft" else None
            elif trigger == "assign":
                held = ministry_id
            actor = staff_id if trigger in STAFF_TRIGGERS or (trigger == "comment" and index % 2) else coordinator
            event_rows.append((event_id, number, created + span * index, actor or coordinator, trigger, from_state,
                               to_state, before, held, "Progress noted." if trigger == "comment" else ""))
        if number % 10 == 0 and staff_id is not None:
            notification_id += 1
            read = None if rng.random() < 0.1 else updated + timedelta(hours=2)
            notification_rows.append((notification_id, staff_id, "notice", "item", number, "assigned",
                                      f"Assigned to your ministry: {title}", "", f"/items/{number}", updated,
                                      updated, read, "sent", 1, updated, updated, ""))
        if number % 100_000 == 0:
            log(f"  generated {number:,} items")
    return item_rows, event_rows, notification_rows


def people_of(session) -> dict:
    """Per country: the coordinator's id and [(ministry id, its staff user's id)]."""
    staff = dict(session.execute(select(User.ministry_id, User.id).where(User.role == "ministry_staff")).all())
    coordinators = dict(session.execute(select(User.country_code, User.id).where(User.role == "coordinator")).all())
    ministries: dict[str, list] = {}
    for code, ministry_id in session.execute(select(Ministry.country_code, Ministry.id).order_by(Ministry.id)):
        ministries.setdefault(code, []).append((ministry_id, staff.get(ministry_id)))
    return {code: (coordinators[code], ministries[code]) for code in sorted(coordinators)}


def build(target: Target) -> None:
    started = time.perf_counter()
    log(f"Building {target.items:,} items in {target.describe()} ...")
    target.wipe()
    app = create_app(target.config())
    now = clock.now()
    with app.app_context():
        db.create_all()
        seed_demo(db.session)
        db.session.commit()
        people = people_of(db.session)
        db.session.remove()
        db.engine.dispose()
    items, events, notifications = generate(target.items, people, now)
    log(f"  generated in {time.perf_counter() - started:.0f} s; loading")
    if target.postgres:
        _load_postgres(target, items, events, notifications)
        if "item_counts" in db.metadata.tables:  # the load bypassed the triggers that keep them
            with app.app_context():
                from coordination.items import counts
                counts.refill(db.session)
                db.session.commit()
    else:
        _load_sqlite(target, items, events, notifications)
    del items, events, notifications
    refill_search(app)
    log(f"  loaded in {time.perf_counter() - started:.0f} s; preparing the cycle, tokens and indexes")
    meta = _prepare(app, target, now)
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text("CREATE TABLE bench_meta (key VARCHAR(40) PRIMARY KEY, value TEXT)"))
            for key, value in meta.items():
                conn.execute(text("INSERT INTO bench_meta (key, value) VALUES (:k, :v)"), {"k": key, "v": str(value)})
        db.engine.dispose()
    log(f"  built in {time.perf_counter() - started:.0f} s")


def refill_search(app) -> None:
    """The search index made from the loaded rows (the bulk load bypassed the ORM that keeps it)."""
    from coordination.search import index

    started = time.perf_counter()
    with app.app_context():
        with db.engine.begin() as conn:
            index.refill(conn)
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE search_entries"))
        db.engine.dispose()
    log(f"  search index filled in {time.perf_counter() - started:.0f} s")


def _load_sqlite(target, items, events, notifications) -> None:
    connection = sqlite3.connect(target.path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=DELETE")
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute("PRAGMA cache_size=-400000")
        connection.execute("BEGIN")
        for table, columns, rows in (("action_items", ITEM_COLUMNS, items), ("item_events", EVENT_COLUMNS, events),
                                     ("notifications", NOTIFICATION_COLUMNS, notifications)):
            marks = ", ".join("?" * len(columns))
            connection.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
                                   ([sqlite_text(v) for v in row] for row in rows))
            log(f"  {table}: {len(rows):,} rows")
        connection.execute("COMMIT")
        connection.execute("PRAGMA journal_mode=WAL")
    finally:
        connection.close()


def _load_postgres(target, items, events, notifications) -> None:
    import psycopg

    url = re.sub(r"^postgresql\+psycopg://", "postgresql://", target.url)
    with psycopg.connect(url, options=f"-csearch_path={target.schema}", autocommit=False) as connection:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")  # no FK triggers during the load
            for table, columns, rows in (("action_items", ITEM_COLUMNS, items),
                                         ("item_events", EVENT_COLUMNS, events),
                                         ("notifications", NOTIFICATION_COLUMNS, notifications)):
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                sequence = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
                cursor.execute(sequence)
                log(f"  {table}: {len(rows):,} rows")
            cursor.execute("SET session_replication_role = DEFAULT")
        connection.commit()
        connection.autocommit = True
        connection.execute("VACUUM ANALYZE")


def _prepare(app, target, now) -> dict:
    """Through the API, as users would: a reporting cycle opened for reports, the Philippine
    report started; and calendar feed tokens. Returns what the pages need."""
    from coordination.reminders import calendar
    from coordination.reporting.models import CountryReport

    client = app.test_client()

    def token(email):
        response = client.post("/api/v1/tokens", json={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 201, response.get_data(as_text=True)
        return {"Authorization": f"Bearer {response.json['token']}"}

    secretariat = token("secretariat@example.org")
    template_id = client.get("/api/v1/templates", headers=secretariat).json[0]["id"]
    today = now.date()
    response = client.post("/api/v1/cycles", headers=secretariat, json={
        "name": "Scale benchmark cycle", "template_id": template_id, "period_start": f"{today.year - 1}-01-01",
        "period_end": f"{today.year - 1}-12-31", "deadline": (today + timedelta(days=60)).isoformat()})
    assert response.status_code == 201, response.get_data(as_text=True)
    cycle_id = response.json["id"]
    response = client.post(f"/api/v1/cycles/{cycle_id}/transitions", headers=secretariat, json={"trigger": "open"})
    assert response.status_code == 200, response.get_data(as_text=True)
    coordinator = token(f"coordinator.{COUNTRY.lower()}@example.org")
    with app.app_context():
        report_id = db.session.scalar(select(CountryReport.id).where(
            CountryReport.cycle_id == cycle_id, CountryReport.country_code == COUNTRY))
        feeds = {}
        for role, email in (("coordinator", f"coordinator.{COUNTRY.lower()}@example.org"),
                            ("staff", staff_email(COUNTRY, MINISTRY))):
            user = db.session.scalar(select(User).where(User.email == email))
            feeds[role] = calendar.reset_token(db.session, user, now)
        db.session.commit()
    response = client.post(f"/api/v1/reports/{report_id}/transitions", headers=coordinator,
                           json={"trigger": "start", "version": 1})
    if response.status_code != 200:
        log(f"  (the report could not be started: HTTP {response.status_code} {response.get_data(as_text=True)})")
    return {"items": target.items, "built_at": now.isoformat(), "cycle_id": cycle_id, "report_id": report_id,
            "feed_coordinator": feeds["coordinator"], "feed_staff": feeds["staff"], OFFICERS_FILLED: "1"}


def sync_schema(target: Target) -> None:
    """A kept database gets the tables and indexes the models have gained since it was built,
    and loses the ``ix_`` indexes they dropped (as a migration would). A new table's own DDL
    events fill it (the item counts: their triggers, and the counts of the items there)."""
    app = create_app(target.config())
    with app.app_context():
        db.create_all()
        with db.engine.begin() as conn:
            inspector = inspect(conn)
            for table in db.metadata.sorted_tables:
                wanted = {index.name for index in table.indexes}
                for found in inspector.get_indexes(table.name):
                    if found["name"].startswith("ix_") and found["name"] not in wanted:
                        log(f"  {target.describe()}: dropping index {found['name']}")
                        conn.execute(text(f"DROP INDEX {found['name']}"))
                columns = {found["name"] for found in inspector.get_columns(table.name)}
                for column in table.columns:
                    default = column.server_default.arg if column.server_default is not None else None
                    if column.name not in columns and (column.nullable or isinstance(default, str)):
                        # as a migration adds one: nullable, or NOT NULL with the default of the rows there
                        log(f"  {target.describe()}: adding column {table.name}.{column.name}")
                        kind = column.type.compile(dialect=conn.dialect)
                        filled = "" if column.nullable else f" NOT NULL DEFAULT '{default}'"
                        conn.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}{filled}"))
                have = {found["name"] for found in inspector.get_indexes(table.name)}
                for index in table.indexes:
                    if index.name not in have:
                        log(f"  {target.describe()}: creating index {index.name}")
                        index.create(conn)
        _fill_officers(target)
        db.session.remove()
        db.engine.dispose()


def _fill_officers(target: Target) -> None:
    """A database built before items had a named officer gets them as a new build would."""
    if target.meta().get(OFFICERS_FILLED):
        return
    log(f"  {target.describe()}: naming the officers of the items")
    states = ", ".join(f"'{state}'" for state in OFFICER_STATES)
    with db.engine.begin() as conn:
        conn.execute(text(
            "UPDATE action_items SET assignee_id = (SELECT min(users.id) FROM users WHERE users.ministry_id = "  # noqa: S608 - fixed SQL
            f"action_items.ministry_id AND users.role = 'ministry_staff') WHERE state IN ({states}) AND id % 2 = 0"))
        conn.execute(text("INSERT INTO bench_meta (key, value) VALUES (:k, '1')"), {"k": OFFICERS_FILLED})


def ensure(target: Target, rebuild: bool) -> dict:
    meta = {} if rebuild else target.meta()
    if meta.get("items") != str(target.items):
        build(target)
        meta = target.meta()
    sync_schema(target)
    app = create_app(target.config())
    with app.app_context():
        empty = db.session.scalar(text("SELECT count(*) FROM search_entries")) == 0
        db.session.remove()
        db.engine.dispose()
    if empty:  # a database built before the search: its index made once
        refill_search(app)
    return meta


# -- serving and requests -----------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(target: Target | None, *, workers: int = 1, threads: int = 1, app: str = "scale_app:app"):
    """gunicorn on loopback serving ``app`` on ``target``'s database; yields the port."""
    port = free_port()
    env = {**os.environ, **(target.env() if target else {})}
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", str(threads),
               "--bind", f"127.0.0.1:{port}", "--chdir", str(HERE), "--log-level", "warning",
               "--timeout", "300", "--backlog", "2048", app]
    process = subprocess.Popen(command, env=env)  # noqa: S603 - our own command line
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn did not start: {' '.join(command)}") from None
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Client:
    """A browser or API client of one user on loopback: cookies kept, one connection per
    request (gunicorn's sync workers close each)."""

    def __init__(self, port: int, headers: dict | None = None):
        self.port, self.headers, self.cookies = port, dict(headers or {}), SimpleCookie()

    def request(self, method: str, path: str, *, form=None, body=None, timeout: float = 300):
        headers = dict(self.headers)
        data = None
        if form is not None:
            data = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body)
            headers["Content-Type"] = "application/json"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            for value in response.headers.get_all("Set-Cookie") or []:
                self.cookies.load(value)
            return response.status, response.headers, payload
        finally:
            connection.close()

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)


def browser(port: int, email: str) -> Client:
    client = Client(port)
    status, _, _ = client.request("POST", "/login", form={"email": email, "password": DEMO_PASSWORD})
    if status != 302:
        raise SystemExit(f"sign-in of {email} failed: HTTP {status}")
    return client


def api_client(port: int, email: str) -> Client:
    status, _, payload = Client(port).request("POST", "/api/v1/tokens",
                                              body={"email": email, "password": DEMO_PASSWORD})
    if status != 201:
        raise SystemExit(f"token of {email} failed: HTTP {status} {payload[:200]!r}")
    return Client(port, {"Authorization": f"Bearer {json.loads(payload)['token']}"})


def pages(target: Target, meta: dict) -> list[tuple[str, str, str]]:
    """(name, who, path) of every page measured; ids looked up in this database."""
    from coordination.items.models import ActionItem, ItemEvent

    app = create_app(target.config())
    with app.app_context():
        ministry_id = db.session.scalar(select(Ministry.id).where(Ministry.country_code == COUNTRY,
                                                                  Ministry.acronym == MINISTRY))
        item_id = db.session.scalar(
            select(ActionItem.id).where(ActionItem.country_code == COUNTRY, ActionItem.ministry_id == ministry_id,
                                        ActionItem.state == "in_progress").order_by(ActionItem.id).limit(1))
        assert db.session.scalar(select(ItemEvent.id).where(ItemEvent.item_id == item_id).limit(1))
        historical = db.session.scalar(text("SELECT min(id) FROM reporting_cycles"))
        db.session.remove()
    network = network_records(app, COUNTRY, ministry_id)
    with app.app_context():
        db.engine.dispose()
    cycle, report = meta["cycle_id"], meta["report_id"]
    listed = [("", "open by due date"), ("state=in_progress", "state filter"),
              (f"ministry_id={ministry_id}", "ministry filter"), ("guarantee=health", "guarantee filter"),
              ("overdue=true", "overdue filter"), (f"q={SEARCH_WORD}", "search")]
    result = []
    for query, label in listed:
        separator = "&" if query else ""
        result.append((f"items JSON, {label}", "coordinator-api", f"/api/v1/items?per_page=50{separator}{query}"))
        result.append((f"items HTML, {label}", "coordinator", f"/items?per_page=50{separator}{query}"))
    for sort in ("state", "ministry", "priority", "updated"):
        result.append((f"items HTML, sort {sort}", "coordinator", f"/items?per_page=50&sort={sort}"))
    result += [
        ("items HTML, page 20", "coordinator", "/items?per_page=50&page=20"),
        ("item JSON with history", "coordinator-api", f"/api/v1/items/{item_id}"),
        ("item page", "coordinator", f"/items/{item_id}"),
        ("board / (coordinator)", "coordinator", "/"),
        ("inbox / (ministry staff)", "staff", "/"),
        ("items of the ministry (staff)", "staff", f"/items?ministry_id={ministry_id}"),
        ("items assigned to me (staff)", "staff", "/items?per_page=50&assignee=me"),
        ("items JSON, assigned to me (staff)", "staff-api", "/api/v1/items?per_page=50&assignee=me"),
        ("summary /items/summary", "secretariat", "/items/summary"),
        ("summary JSON", "secretariat-api", "/api/v1/items/summary"),
        ("regional overview / (secretariat)", "secretariat", "/"),
        ("notifications (staff)", "staff", "/notifications"),
        ("notifications JSON (staff)", "staff-api", "/api/v1/notifications"),
        ("compliance index", "secretariat", "/compliance"),
        ("compliance of the open cycle", "secretariat", f"/cycles/{cycle}/compliance"),
        ("compliance of the historical cycle", "secretariat", f"/cycles/{historical}/compliance"),
        ("compliance scorecard", "secretariat", "/compliance/scorecard"),
        ("country compliance (coordinator)", "coordinator", f"/countries/{COUNTRY}/compliance"),
        ("coordination health of the open cycle", "secretariat", f"/cycles/{cycle}/coordination"),
        ("coordination health CSV", "secretariat", f"/cycles/{cycle}/coordination.csv"),
        ("coordination health over cycles", "coordinator", f"/countries/{COUNTRY}/coordination"),
        ("recommendations", "secretariat", "/recommendations"),
        ("a recommendation", "secretariat", f"/recommendations/{network['recommendation']}"),
        ("recommendation progress JSON", "secretariat-api",
         f"/api/v1/recommendations/{network['recommendation']}/progress"),
        ("assessment form (coordinator)", "coordinator",
         f"/recommendations/{network['recommendation']}/assessments/{COUNTRY}/{cycle}"),
        ("a country's recommendations", "coordinator", f"/countries/{COUNTRY}/recommendations"),
        ("regional items", "secretariat", "/regional-items"),
        ("a regional item", "secretariat", f"/regional-items/{network['regional_item']}"),
        ("regional item JSON", "secretariat-api", f"/api/v1/regional-items/{network['regional_item']}"),
        ("item page of a regional part", "coordinator", f"/items/{network['part']}"),
        ("meetings of the country", "coordinator", f"/countries/{COUNTRY}/meetings"),
        ("a meeting with its decision", "coordinator", f"/meetings/{network['meeting']}"),
        ("good practices", "coordinator", "/practices"),
        (f"good practices, search {SEARCH_WORD}", "coordinator", f"/practices?q={SEARCH_WORD}"),
        ("a good practice", "coordinator", f"/practices/{network['practice']}"),
        ("report page (drafting)", "coordinator", f"/reports/{report}"),
        ("narrative: find items (match)", "coordinator", f"/reports/{report}/narratives/children/find?q={SEARCH_WORD}"),
        ("narrative: find items (no match)", "coordinator", f"/reports/{report}/narratives/children/find?q={NO_MATCH}"),
        ("cycle page", "secretariat", f"/cycles/{cycle}"),
        ("calendar feed (ministry staff)", "anonymous", f"/calendar/{meta['feed_staff']}.ics"),
        ("calendar feed (coordinator)", "anonymous", f"/calendar/{meta['feed_coordinator']}.ics"),
        (f"search, a word of {RARE_ITEMS} items", "coordinator", f"/search?q={RARE_WORD}"),
        (f"search JSON, a word of {RARE_ITEMS} items", "coordinator-api", f"/api/v1/search?q={RARE_WORD}"),
        ("search (secretariat), no match", "secretariat", f"/search?q={NO_MATCH}"),
        ("search, a word of many titles", "coordinator", f"/search?q={SEARCH_WORD}"),
    ]
    return result


def clients_for(port: int) -> dict:
    coordinator, staff = f"coordinator.{COUNTRY.lower()}@example.org", staff_email(COUNTRY, MINISTRY)
    return {
        "coordinator": browser(port, coordinator), "coordinator-api": api_client(port, coordinator),
        "staff": browser(port, staff), "staff-api": api_client(port, staff),
        "secretariat": browser(port, "secretariat@example.org"),
        "secretariat-api": api_client(port, "secretariat@example.org"),
        "anonymous": Client(port),
    }


def _get(client: Client, path: str) -> tuple[float, int, int]:
    start = time.perf_counter()
    status, headers, payload = client.get(path)
    seconds = time.perf_counter() - start
    if status != 200:
        raise SystemExit(f"GET {path}: HTTP {status}: {payload[:300]!r}")
    return seconds, int(headers.get("X-SQL-Statements", "-1")), len(payload)


def measure(sides: list[tuple[Client, str]], repeat: int, budget: float) -> list[dict]:
    """The same page on each database, requests alternated one by one (so that whatever else
    the machine does falls on both alike): 2 warm-up each, then up to ``repeat`` each, fewer
    (3 at least) past ``budget`` seconds."""
    for client, path in sides:
        for _ in range(2):
            _get(client, path)
    times = [[] for _ in sides]
    statements = [set() for _ in sides]
    sizes = [0 for _ in sides]
    spent = time.monotonic()
    while len(times[0]) < repeat and (len(times[0]) < 3 or time.monotonic() - spent < budget):
        for index, (client, path) in enumerate(sides):
            seconds, count, size = _get(client, path)
            times[index].append(seconds)
            statements[index].add(count)
            sizes[index] = size
    return [{"ms": statistics.median(t) * 1000, "statements": c, "kb": z / 1024, "n": len(t), "path": path}
            for t, c, z, (_, path) in zip(times, statements, sizes, sides, strict=True)]


def run_pages(targets: list[Target], metas: list[dict], repeat: int, budget: float, only: str = "") -> list[dict]:
    """Per database, {page name: figures}; both databases served at once."""
    results = [{} for _ in targets]
    with gunicorn(targets[0]) as small_port, gunicorn(targets[-1]) as large_port:
        ports = [small_port, large_port][:len(targets)] if len(targets) > 1 else [small_port]
        clients = [clients_for(port) for port in ports]
        listed = [pages(target, meta) for target, meta in zip(targets, metas, strict=True)]
        for entries in zip(*listed, strict=True):
            name, who, _ = entries[0]
            if only not in name:
                continue
            figures = measure([(clients[i][who], entries[i][2]) for i in range(len(targets))], repeat, budget)
            for index, found in enumerate(figures):
                results[index][name] = found
            log(f"  {name:<40} " + " ".join(f"{f['ms']:>9.1f} ms" for f in figures)
                + f" {'/'.join(str(max(f['statements'])) for f in figures)} statements")
    return results


# -- throughput ---------------------------------------------------------------------------------

def requests_per_second(port: int, path: str, headers: dict, seconds: int, connections: int) -> float:
    if shutil.which("wrk"):
        command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s"]
        for key, value in headers.items():
            command += ["-H", f"{key}: {value}"]
        output = subprocess.run(command + [f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True,  # noqa: S603
                                check=True, timeout=seconds + 60).stdout
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        if errors:
            raise SystemExit(f"wrk on {path}: {errors.group(1)} responses were not 2xx:\n{output}")
        return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    # A bounded Python load loop: ``connections`` threads for ``seconds``.
    done, stop = [0] * connections, time.monotonic() + seconds

    def loop(slot):
        client = Client(port, headers)
        while time.monotonic() < stop:
            if client.get(path)[0] == 200:
                done[slot] += 1

    threads = [threading.Thread(target=loop, args=(slot,)) for slot in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / seconds


def throughput(target: Target, meta: dict, seconds: int = 5, connections: int = 8, rounds: int = 3,
               workers: int = 2, threads: int = 1) -> tuple[float, float, str]:
    """Requests per second of item JSON and of the bare WSGI hello, both served at once (each
    by its own gunicorn, idle while the other is measured), measured in turns for ``rounds``
    rounds of ``seconds`` each, so that whatever else the machine does falls on both alike:
    the median of each."""
    item_path = next(path for name, _, path in pages(target, meta) if name == "item JSON with history")
    with gunicorn(target, workers=workers, threads=threads) as port, \
            gunicorn(None, workers=workers, threads=threads, app="scale_app:hello") as hello_port:
        headers = api_client(port, f"coordinator.{COUNTRY.lower()}@example.org").headers
        requests_per_second(port, item_path, headers, 2, connections)  # warm-up
        requests_per_second(hello_port, "/", {}, 2, connections)
        app_runs, hello_runs = [], []
        for _ in range(rounds):
            app_runs.append(requests_per_second(port, item_path, headers, seconds, connections))
            hello_runs.append(requests_per_second(hello_port, "/", {}, seconds, connections))
    tool = (f"wrk -t2 -c{connections} -d{seconds}s" if shutil.which("wrk")
            else f"a Python loop of {connections} threads for {seconds} s")
    return statistics.median(app_runs), statistics.median(hello_runs), f"{tool}, {rounds} rounds in turns"


# -- report ---------------------------------------------------------------------------------------

def shown(path: str) -> str:
    """A path fit to print: a calendar feed's secret left out."""
    return re.sub(r"^/calendar/[^/]+\.ics$", "/calendar/TOKEN.ics", path)


def backend(target: Target) -> str:
    engine = target._engine()
    try:
        with engine.connect() as conn:
            version = ".".join(map(str, conn.dialect.server_version_info or ()))
            return f"{engine.dialect.name} {version}"
    finally:
        engine.dispose()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=1_000_000, help="the large database's items (default 1 000 000)")
    parser.add_argument("--database-url", default=None,
                        help="a PostgreSQL database to build the schemas scale_<N> in (default: SQLite files)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE,
                        help=f"where the SQLite files are kept between runs (default {DEFAULT_CACHE})")
    parser.add_argument("--rebuild", action="store_true", help="build the databases anew")
    parser.add_argument("--repeat", type=int, default=15, help="requests per page (default 15; fewer past 6 s)")
    parser.add_argument("--no-throughput", action="store_true", help="skip the requests-per-second comparison")
    parser.add_argument("--build-only", action="store_true", help="build (or check) the databases and stop")
    parser.add_argument("--only", default="", help="measure only the pages whose name contains this text")
    args = parser.parse_args(argv)

    sizes = sorted({SMALL, args.items})
    targets = [Target(n, args.database_url, args.cache) for n in sizes]
    metas = [ensure(t, args.rebuild) for t in targets]
    if args.build_only:
        return 0
    results = run_pages(targets, metas, args.repeat, budget=8.0, only=args.only)
    small, large = results[0], results[-1]

    print(f"Pages on {backend(targets[-1])}, gunicorn 1 sync worker per database on loopback; median of up to "
          f"{args.repeat} requests after 2 warm-up, alternated between the databases; statements per request.")
    print(f"{'page':<40} {sizes[0]:>9,} ms {sizes[-1]:>9,} ms {'ratio':>6} {'statements':>11} {'KiB':>6}")
    problems = []
    for name, first in small.items():
        last = large[name]
        ratio = last["ms"] / first["ms"]
        counts = f"{max(first['statements'])}/{max(last['statements'])}"
        print(f"{name:<40} {first['ms']:>12.1f} {last['ms']:>12.1f} {ratio:>6.1f} {counts:>11} {last['kb']:>6.0f}")
        if ratio > 2:
            problems.append(f"{name} ({shown(last['path'])}): x{ratio:.1f} from {sizes[0]:,} to {sizes[-1]:,} items "
                            f"({first['ms']:.1f} -> {last['ms']:.1f} ms)")
        if max(last["statements"]) > max(first["statements"]):
            problems.append(f"{name}: statements grow with the items ({counts})")
    if not args.no_throughput:
        app_rps, hello_rps, tool = throughput(targets[-1], metas[-1])
        ratio = app_rps / hello_rps
        print(f"\nItem JSON at {sizes[-1]:,} items, gunicorn 2 sync workers, {tool}: {app_rps:,.0f} requests/s; "
              f"bare WSGI hello under the same settings: {hello_rps:,.0f} requests/s; ratio {ratio:.2f}")
        if ratio < 0.25:
            problems.append(f"item JSON throughput is {ratio:.2f} of a bare WSGI app's (goal 0.25)")
    for problem in problems:
        print(f"PROBLEM: {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
