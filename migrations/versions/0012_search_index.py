"""search index: one row per action item and country report, with its readers and its text, and
the full-text indexes over it (SQLite FTS5 with the trigram tokenizer; PostgreSQL tsvector and
pg_trgm GIN indexes), filled from the rows already there

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-12 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

# As in coordination/search/models.py at the time of this revision.
SEARCHED_TEXT = "(title || ' ' || body)"
WORDS = f"to_tsvector('simple'::regconfig, {SEARCHED_TEXT})"
FULL_TEXT = {
    "sqlite": [
        "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_entries', "
        "content_rowid='id', tokenize='trigram')",
        "CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN "
        "INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
        "CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN "
        "INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END",
        "CREATE TRIGGER search_entries_au AFTER UPDATE OF title, body ON search_entries BEGIN "
        "INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); "
        "INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    ],
    "postgresql": [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        f"CREATE INDEX ix_search_entries_words ON search_entries USING gin ({WORDS})",
        f"CREATE INDEX ix_search_entries_trigrams ON search_entries USING gin ({SEARCHED_TEXT} gin_trgm_ops)",
    ],
}
MARKERS = ("\ue000", "\ue001")  # the snippets' markers: indexed text never holds them
NARRATIVE_SECTIONS = ("existing_schemes", "policy_gaps", "implementation_issues", "recommendations")


def _clean(value):
    value = value or ""
    for marker in MARKERS:
        value = value.replace(marker, "")
    return value


def _fill(bind):
    """The entries of the items and reports already there (as search/index.py writes them)."""
    entries = sa.table("search_entries", sa.column("kind"), sa.column("ref_id"), sa.column("country_code"),
                       sa.column("secretariat"), sa.column("public"), sa.column("title"), sa.column("body"))
    items = bind.execute(sa.text("SELECT id, country_code, title, description FROM action_items ORDER BY id")).all()
    comments = {}
    for item_id, comment in bind.execute(sa.text(
            "SELECT item_id, comment FROM item_events WHERE comment != '' AND trigger != 'edit' ORDER BY id")):
        comments.setdefault(item_id, []).append(_clean(comment))
    rows = [{"kind": "item", "ref_id": i.id, "country_code": i.country_code, "secretariat": False, "public": False,
             "title": _clean(i.title), "body": "\n".join([_clean(i.description), *comments.get(i.id, [])])}
            for i in items]
    parts = {}
    for row in bind.execute(sa.text(
            f"SELECT report_id, {', '.join(NARRATIVE_SECTIONS)} FROM narratives ORDER BY id")):  # noqa: S608
        parts.setdefault(row[0], []).extend(_clean(p) for p in row[1:] if p)
    for row in bind.execute(sa.text("SELECT report_id, note, reason FROM indicator_values ORDER BY id")):
        parts.setdefault(row[0], []).extend(_clean(p) for p in row[1:] if p)
    for report in bind.execute(sa.text(
            "SELECT r.id, r.country_code, r.first_submitted_at, c.name, k.name FROM country_reports r "
            "JOIN reporting_cycles c ON c.id = r.cycle_id JOIN countries k ON k.code = r.country_code ORDER BY r.id")):
        rows.append({"kind": "report", "ref_id": report[0], "country_code": report[1],
                     "secretariat": report[2] is not None, "public": False,
                     "title": _clean(f"{report[3]} · {report[4]}")[:300], "body": "\n".join(parts.get(report[0], []))})
    for start in range(0, len(rows), 1000):
        bind.execute(entries.insert(), rows[start:start + 1000])


def upgrade():
    op.create_table(
        'search_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('ref_id', sa.Integer(), nullable=False),
        sa.Column('country_code', sa.String(length=2), nullable=True),
        sa.Column('secretariat', sa.Boolean(), nullable=False),
        sa.Column('public', sa.Boolean(), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('kind', 'ref_id'),
    )
    bind = op.get_bind()
    for sql in FULL_TEXT.get(bind.dialect.name, []):
        op.execute(sql)
    _fill(bind)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_table('search_entries')
