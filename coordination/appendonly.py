"""History tables that the database itself keeps append-only: an UPDATE or DELETE of a row
is refused, whatever code (or person with a SQL prompt) tries it."""
from sqlalchemy import DDL, event


def statements(table: str) -> dict[str, list[str]]:
    """The SQL that makes ``table`` append-only, per dialect (used by models and migrations)."""
    message = f"{table} is append-only"
    return {
        "sqlite": [
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END",
        ],
        "postgresql": [
            "CREATE OR REPLACE FUNCTION refuse_history_change() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$ LANGUAGE plpgsql",
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION refuse_history_change()",
        ],
    }


def make_append_only(table) -> None:
    """Attach the triggers to ``table`` whenever metadata.create_all creates it."""
    for dialect, sqls in statements(table.name).items():
        for sql in sqls:
            # DDL() formats its text with %-placeholders of its own: keep a literal % literal.
            event.listen(table, "after_create", DDL(sql.replace("%", "%%")).execute_if(dialect=dialect))


def upgrade_ops(op, table: str) -> None:
    """In a migration: make ``table`` append-only on the database being migrated."""
    dialect = op.get_bind().dialect.name
    for sql in statements(table).get(dialect, []):
        op.execute(sql)
