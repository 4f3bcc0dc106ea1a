"""The search index: one row per searchable record (an action item, a country report; a kind a
later feature adds), with who may read it and the text that is searched.

The rows are written in the transaction of the change they follow (``search/index.py``). The
full-text indexes over them are the databases' own:

- SQLite: ``search_fts``, an FTS5 table with external content (the rows of ``search_entries``)
  and the ``trigram`` tokenizer, so that a word of a language written without spaces (Thai) is
  found inside its sentence; triggers on ``search_entries`` keep it current.
- PostgreSQL: two GIN indexes on ``search_entries``: ``to_tsvector('simple', ...)`` for words
  (four languages: no stemming), and ``gin_trgm_ops`` (pg_trgm) for words of a script without
  spaces (Thai, Lao, Khmer, Myanmar), searched as substrings.
"""
from sqlalchemy import DDL, Boolean, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from coordination.extensions import db

FTS_TABLE = "search_fts"
# The text a PostgreSQL index covers; a query must repeat it exactly for the index to serve it.
SEARCHED_TEXT = "(title || ' ' || body)"
WORDS = f"to_tsvector('simple'::regconfig, {SEARCHED_TEXT})"


class SearchEntry(db.Model):
    __tablename__ = "search_entries"
    __table_args__ = (UniqueConstraint("kind", "ref_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # search/kinds.py: "item", "report", ...
    ref_id: Mapped[int] = mapped_column(Integer)
    # Who reads it (search/queries.py mirrors auth/policy.py): the staff of ``country_code``
    # (coordinators and ministry staff); the secretariat too when ``secretariat``; every signed-in
    # user when ``public`` (a published good practice).
    country_code: Mapped[str | None] = mapped_column(String(2))
    secretariat: Mapped[bool] = mapped_column(Boolean, default=False)
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    title: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")


FULL_TEXT_TABLES = (FTS_TABLE, *(f"{FTS_TABLE}_{shadow}" for shadow in ("data", "idx", "docsize", "config")))
FULL_TEXT_INDEXES = ("ix_search_entries_words", "ix_search_entries_trigrams")


def full_text_structure(name, type_, parent_names) -> bool:
    """Whether ``name`` is one of the structures of the full-text index (SQLite's FTS5 table and
    its shadow tables, PostgreSQL's expression indexes): they are made by the DDL below and the
    migration, not described as models, so that a comparison of the models with the database
    (alembic's ``include_name``) leaves them out."""
    return (type_ == "table" and name in FULL_TEXT_TABLES) or (type_ == "index" and name in FULL_TEXT_INDEXES)


def statements() -> dict[str, list[str]]:
    """The full-text index of ``search_entries``, per dialect (used by the models and the migration)."""
    return {
        "sqlite": [
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, body, content='search_entries', "
            "content_rowid='id', tokenize='trigram')",
            f"CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN "  # noqa: S608  # nosec B608 - fixed names
            f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (new.id, new.title, new.body); END",
            f"CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN "  # noqa: S608  # nosec B608
            f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body) "
            "VALUES ('delete', old.id, old.title, old.body); END",
            f"CREATE TRIGGER search_entries_au AFTER UPDATE OF title, body ON search_entries BEGIN "  # noqa: S608  # nosec B608
            f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); "
            f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (new.id, new.title, new.body); END",
        ],
        "postgresql": [
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            f"CREATE INDEX ix_search_entries_words ON search_entries USING gin ({WORDS})",
            f"CREATE INDEX ix_search_entries_trigrams ON search_entries USING gin ({SEARCHED_TEXT} gin_trgm_ops)",
        ],
    }


def drop_statements() -> dict[str, list[str]]:
    return {
        "sqlite": [f"DROP TABLE IF EXISTS {FTS_TABLE}"],  # its triggers go with search_entries
        "postgresql": [],  # the indexes go with the table; pg_trgm stays (others may use it)
    }


for _dialect, _sqls in statements().items():
    for _sql in _sqls:
        event.listen(SearchEntry.__table__, "after_create", DDL(_sql).execute_if(dialect=_dialect))
for _dialect, _sqls in drop_statements().items():
    for _sql in _sqls:
        event.listen(SearchEntry.__table__, "after_drop", DDL(_sql).execute_if(dialect=_dialect))
