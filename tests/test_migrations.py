"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""
import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from helpers import root_conftest
from sqlalchemy import MetaData, inspect, text

from coordination import ROOT
from coordination.demo import seed_demo
from coordination.extensions import db
from coordination.search.models import FTS_TABLE, FULL_TEXT_INDEXES, full_text_structure


def drop_everything() -> None:
    """An empty database: the models' tables, Alembic's bookkeeping, and whatever else an
    earlier run left (tables of a model since renamed) gone, in an order their foreign keys allow."""
    # What the database holds, not what the models know: db.drop_all() and DROP TABLE
    # alembic_version would trip over such leftovers' foreign keys on PostgreSQL.
    existing = MetaData()
    existing.reflect(bind=db.engine)
    existing.drop_all(bind=db.engine)
    assert inspect(db.engine).get_table_names() == []


MIGRATIONS = str(ROOT / "migrations")


def demo_at_head() -> None:
    """An empty database upgraded to head and given the demo data."""
    drop_everything()
    flask_migrate.upgrade(directory=MIGRATIONS)
    seed_demo(db.session)
    db.session.commit()


def down_and_up(revision: str) -> None:
    """Down to ``revision`` and up to head again, so that the data migrations after it run on
    the data there is."""
    db.session.remove()
    flask_migrate.downgrade(directory=MIGRATIONS, revision=revision)
    flask_migrate.upgrade(directory=MIGRATIONS)
    db.session.remove()


def head_revision() -> str:
    """The newest revision of migrations/, as `flask db upgrade` reaches it."""
    return ScriptDirectory(MIGRATIONS).get_current_head()


def differences() -> list:
    """What the database and the models disagree on. The full-text index of the search is made
    by DDL of its own (no model describes an FTS5 table or an expression index): it is left out
    here and checked by ``full_text_index_present``."""
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "compare_type": True,
            "include_name": lambda name, type_, parents: not full_text_structure(name, type_, parents)})
        return compare_metadata(context, db.metadata)


def full_text_index_present() -> bool:
    found = inspect(db.engine)
    if db.engine.dialect.name == "sqlite":
        return FTS_TABLE in found.get_table_names()
    return set(FULL_TEXT_INDEXES) <= {index["name"] for index in found.get_indexes("search_entries")}


def test_upgrading_an_empty_database_to_head_matches_the_models(make_app, database_url, pytestconfig):
    app = make_app()
    try:
        with app.app_context():
            drop_everything()

            flask_migrate.upgrade(directory=MIGRATIONS)

            assert set(db.metadata.tables) <= set(inspect(db.engine).get_table_names())
            assert differences() == []
            assert full_text_index_present()
    finally:
        # The PostgreSQL schema is now Alembic's, with an alembic_version table: let the
        # next test build its own.
        root_conftest(pytestconfig).mark_postgres_schema_dirty()


def test_the_schema_check_notices_a_missing_column(make_app, database_url, pytestconfig):
    """The comparison above is no rubber stamp: a column the migrations lack shows up."""
    app = make_app()
    try:
        with app.app_context():
            drop_everything()
            flask_migrate.upgrade(directory=MIGRATIONS)
            with db.engine.begin() as conn:
                conn.execute(text("ALTER TABLE countries DROP COLUMN timezone"))
            found = differences()
            assert any(d[0] == "add_column" and d[2] == "countries" and d[3].name == "timezone" for d in found
                       if isinstance(d, tuple)), found
    finally:
        root_conftest(pytestconfig).mark_postgres_schema_dirty()


def test_every_revision_since_the_first_round_downgrades_and_upgrades_again(make_app, database_url, pytestconfig):
    """``flask db downgrade`` of each new revision works, and upgrading again gives the models."""
    app = make_app()
    try:
        with app.app_context():
            drop_everything()
            directory = MIGRATIONS
            flask_migrate.upgrade(directory=directory)
            flask_migrate.downgrade(directory=directory, revision="0004")
            assert "audit_events" not in inspect(db.engine).get_table_names()
            flask_migrate.upgrade(directory=directory)
            assert differences() == []
            assert full_text_index_present()
    finally:
        root_conftest(pytestconfig).mark_postgres_schema_dirty()


def test_the_user_locale_revision_downgrades_to_the_one_before(make_app, database_url, pytestconfig):
    """0007 adds users.locale, and ``flask db downgrade`` to 0006 takes it away, keeping the users."""
    app = make_app()
    try:
        with app.app_context():
            drop_everything()
            directory = MIGRATIONS
            flask_migrate.upgrade(directory=directory)
            assert "locale" in {c["name"] for c in inspect(db.engine).get_columns("users")}
            flask_migrate.downgrade(directory=directory, revision="0006")
            assert "locale" not in {c["name"] for c in inspect(db.engine).get_columns("users")}
            flask_migrate.upgrade(directory=directory)
            assert differences() == []
    finally:
        root_conftest(pytestconfig).mark_postgres_schema_dirty()



def _triggers_still_work() -> None:
    """An item and its first event written by hand: the item counts follow the item, and the
    history refuses UPDATE and DELETE."""
    stamp = "'2027-01-01 00:00:00'"
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO countries (code, name, timezone) VALUES ('ZZ', 'Z', 'UTC')"))
        conn.execute(text("INSERT INTO users (email, name, role, password_hash, active, session_counter, created_at) "
                          f"VALUES ('z@example.org', 'Z', 'coordinator', 'x', true, 0, {stamp})"))
        user = conn.execute(text("SELECT id FROM users WHERE email = 'z@example.org'")).scalar()
        conn.execute(text("INSERT INTO action_items (country_code, title, description, state, version, due_date, "
                          f"priority, created_by_id, created_at, updated_at) VALUES ('ZZ', 't', '', 'draft', 1, "
                          f"'2027-03-31', 'normal', :u, {stamp}, {stamp})"), {"u": user})
        item = conn.execute(text("SELECT id FROM action_items WHERE country_code = 'ZZ'")).scalar()
        conn.execute(text("INSERT INTO item_events (item_id, at, actor_id, trigger, comment) "
                          f"VALUES (:i, {stamp}, :u, 'create', '')"), {"i": item, "u": user})
        assert conn.execute(text("SELECT sum(items) FROM item_counts WHERE country_code = 'ZZ'")).scalar() == 1
    for statement in ("UPDATE item_events SET comment = 'changed'", "DELETE FROM item_events"):
        try:
            with db.engine.begin() as conn:
                conn.execute(text(statement))
        except Exception as error:  # noqa: BLE001 - the database's refusal, whatever its class
            assert "append-only" in str(error)
        else:
            raise AssertionError(f"{statement} was not refused")


def test_the_officer_revision_keeps_the_triggers_of_items_and_their_history(make_app, database_url, pytestconfig):
    """0010 adds its columns in place: after upgrading to it, and after downgrading from it, the
    history stays append-only and the item counts follow action_items."""
    app = make_app()
    try:
        with app.app_context():
            directory = MIGRATIONS
            drop_everything()
            flask_migrate.upgrade(directory=directory)
            assert "assignee_id" in {c["name"] for c in inspect(db.engine).get_columns("action_items")}
            assert {"away_from", "away_until", "away_deputy_id"} <= {
                c["name"] for c in inspect(db.engine).get_columns("users")}
            _triggers_still_work()
            drop_everything()
            flask_migrate.upgrade(directory=directory)
            flask_migrate.downgrade(directory=directory, revision="0007")
            assert "assignee_id" not in {c["name"] for c in inspect(db.engine).get_columns("action_items")}
            assert "to_assignee_id" not in {c["name"] for c in inspect(db.engine).get_columns("item_events")}
            _triggers_still_work()
    finally:
        root_conftest(pytestconfig).mark_postgres_schema_dirty()


def test_the_regional_items_revision_adds_its_column_in_place(make_app, database_url, pytestconfig):
    """0019 adds regional_items and action_items.regional_item_id in place: the item counts and the
    append-only history keep their triggers, up and down again to 0018."""
    app = make_app()
    try:
        with app.app_context():
            directory = MIGRATIONS
            drop_everything()
            flask_migrate.upgrade(directory=directory)
            assert "regional_item_id" in {c["name"] for c in inspect(db.engine).get_columns("action_items")}
            _triggers_still_work()
            drop_everything()
            flask_migrate.upgrade(directory=directory)
            flask_migrate.downgrade(directory=directory, revision="0018")
            assert "regional_items" not in inspect(db.engine).get_table_names()
            assert "regional_item_id" not in {c["name"] for c in inspect(db.engine).get_columns("action_items")}
            _triggers_still_work()
            flask_migrate.upgrade(directory=directory)
            assert differences() == []
    finally:
        root_conftest(pytestconfig).mark_postgres_schema_dirty()


def _practice_file(conn, *, item: bool = False) -> None:
    """A practice of ZZ and a file on it (with ``item``, also on an item: two parents)."""
    stamp = "'2027-01-01 00:00:00'"
    user = conn.execute(text("SELECT id FROM users WHERE email = 'z@example.org'")).scalar()
    conn.execute(text("INSERT INTO practices (country_code, title, summary, body, state, contact_name, contact_email, "
                      f"version, created_by_id, created_at, updated_at) VALUES ('ZZ', 'p', 's', '', 'draft', '', '', "
                      f"1, :u, {stamp}, {stamp})"), {"u": user})
    practice = conn.execute(text("SELECT max(id) FROM practices")).scalar()
    item_id = conn.execute(text("SELECT id FROM action_items WHERE country_code = 'ZZ'")).scalar() if item else None
    conn.execute(text("INSERT INTO attachments (country_code, practice_id, item_id, filename, content_type, size, "
                      "sha256, description, uploaded_by_id, uploaded_at) VALUES ('ZZ', :p, :i, 'f.pdf', "
                      f"'application/pdf', 1, 'x', '', :u, {stamp})"), {"p": practice, "i": item_id, "u": user})


def test_the_practices_revision_counts_a_practice_as_the_one_parent_of_a_file(make_app, database_url, pytestconfig):
    """0022: a file may belong to a practice alone, never to a practice and an item; the history
    tables keep their triggers; downgrading to 0021 takes practices away and the old CHECK back."""
    app = make_app()
    try:
        with app.app_context():
            directory = MIGRATIONS
            drop_everything()
            flask_migrate.upgrade(directory=directory)
            _triggers_still_work()
            with db.engine.begin() as conn:
                _practice_file(conn)
            try:
                with db.engine.begin() as conn:
                    _practice_file(conn, item=True)
            except Exception as error:  # noqa: BLE001 - the database's refusal, whatever its class
                assert "one_parent" in str(error)
            else:
                raise AssertionError("a file of two parents was taken")
            flask_migrate.downgrade(directory=directory, revision="0021")
            assert "practices" not in inspect(db.engine).get_table_names()
            assert "practice_id" not in {c["name"] for c in inspect(db.engine).get_columns("attachments")}
            with db.engine.begin() as conn:
                count = conn.execute(text("SELECT count(*) FROM attachments")).scalar()
            assert count == 0  # the practice's file went with it
            flask_migrate.upgrade(directory=directory)
            assert differences() == []
            assert full_text_index_present()
    finally:
        root_conftest(pytestconfig).mark_postgres_schema_dirty()


def _meeting_file(conn, *, item: bool = False) -> None:
    """A national meeting of ZZ and a file on it (with ``item``, also on an item: two parents)."""
    stamp = "'2027-01-01 00:00:00'"
    user = conn.execute(text("SELECT id FROM users WHERE email = 'z@example.org'")).scalar()
    conn.execute(text("INSERT INTO meetings (country_code, title, held_on, minutes, version, created_by_id, "
                      f"created_at, updated_at) VALUES ('ZZ', 'm', '2027-01-01', '', 1, :u, {stamp}, {stamp})"),
                 {"u": user})
    meeting = conn.execute(text("SELECT max(id) FROM meetings")).scalar()
    item_id = conn.execute(text("SELECT id FROM action_items WHERE country_code = 'ZZ'")).scalar() if item else None
    conn.execute(text("INSERT INTO attachments (country_code, meeting_id, item_id, filename, content_type, size, "
                      "sha256, description, uploaded_by_id, uploaded_at) VALUES ('ZZ', :m, :i, 'f.pdf', "
                      f"'application/pdf', 1, 'x', '', :u, {stamp})"), {"m": meeting, "i": item_id, "u": user})


def test_the_meeting_files_revision_counts_a_meeting_as_the_one_parent_of_a_file(make_app, database_url,
                                                                                 pytestconfig):
    """0023: a file may belong to a meeting alone, never to a meeting and an item; the history
    tables keep their triggers; downgrading to 0022 takes the meetings' files and the column away."""
    app = make_app()
    try:
        with app.app_context():
            directory = MIGRATIONS
            drop_everything()
            flask_migrate.upgrade(directory=directory)
            _triggers_still_work()
            with db.engine.begin() as conn:
                _meeting_file(conn)
                _practice_file(conn)
            try:
                with db.engine.begin() as conn:
                    _meeting_file(conn, item=True)
            except Exception as error:  # noqa: BLE001 - the database's refusal, whatever its class
                assert "one_parent" in str(error)
            else:
                raise AssertionError("a file of two parents was taken")
            flask_migrate.downgrade(directory=directory, revision="0022")
            assert "meeting_id" not in {c["name"] for c in inspect(db.engine).get_columns("attachments")}
            with db.engine.begin() as conn:
                count = conn.execute(text("SELECT count(*) FROM attachments")).scalar()
            assert count == 1  # the meeting's file went with the column, the practice's stays
            flask_migrate.upgrade(directory=directory)
            assert differences() == []
            assert full_text_index_present()
    finally:
        root_conftest(pytestconfig).mark_postgres_schema_dirty()
