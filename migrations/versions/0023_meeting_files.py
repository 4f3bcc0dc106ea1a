"""meeting files: attachments of a national coordination mechanism's meeting

attachments gains meeting_id, and its CHECK one_parent counts it: a file belongs to exactly one
item, report, practice or meeting. As in 0022, on SQLite the column is added in place (ALTER
TABLE ADD COLUMN, its foreign key inline) and the CHECK's text is replaced in the schema as
SQLite documents for a constraint that no row breaks: copying the table would break the foreign
keys of the history tables that name it.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02 18:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

OLD_CHECK = ('(CASE WHEN item_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN report_id IS NULL THEN 0 ELSE 1 END)'
             ' + (CASE WHEN practice_id IS NULL THEN 0 ELSE 1 END) = 1')
NEW_CHECK = ('(CASE WHEN item_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN report_id IS NULL THEN 0 ELSE 1 END)'
             ' + (CASE WHEN practice_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN meeting_id IS NULL THEN 0 ELSE 1 END)'
             ' = 1')
CHECK_NAME = 'ck_attachments_one_parent'
MEETING_FK = 'fk_attachments_meeting_id_meetings'
INLINE_FK = f'CONSTRAINT {MEETING_FK} REFERENCES meetings (id)'


def _sqlite_schema(replace) -> None:
    """Rewrite the CREATE TABLE text of attachments (a constraint no row breaks: the data on disk
    stays as it is), and tell every connection the schema changed."""
    bind = op.get_bind()
    sql = bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'attachments'").scalar()
    changed = replace(sql)
    assert changed != sql, 'the attachments table is not as this revision expects'
    version = bind.exec_driver_sql('PRAGMA schema_version').scalar()
    bind.exec_driver_sql('PRAGMA writable_schema = ON')
    bind.exec_driver_sql("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'attachments'",
                         (changed,))
    bind.exec_driver_sql(f'PRAGMA schema_version = {int(version) + 1}')
    bind.exec_driver_sql('PRAGMA writable_schema = OFF')


def _check_clause(sql: str, old: str, new: str) -> str:
    for quoted in (f'CONSTRAINT {CHECK_NAME} CHECK ({old})', f'CONSTRAINT "{CHECK_NAME}" CHECK ({old})'):
        sql = sql.replace(quoted, f'CONSTRAINT {CHECK_NAME} CHECK ({new})')
    return sql


def upgrade():
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(f'ALTER TABLE attachments ADD COLUMN meeting_id INTEGER {INLINE_FK}')
        _sqlite_schema(lambda sql: _check_clause(sql, OLD_CHECK, NEW_CHECK))
    else:
        op.add_column('attachments', sa.Column('meeting_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f(MEETING_FK), 'attachments', 'meetings', ['meeting_id'], ['id'])
        op.drop_constraint(op.f(CHECK_NAME), 'attachments', type_='check')
        op.create_check_constraint(op.f(CHECK_NAME), 'attachments', NEW_CHECK)
    op.create_index('ix_attachments_meeting_id_id', 'attachments', ['meeting_id', 'id'], unique=False)


def downgrade():
    # The files of meetings go (their bytes first).
    op.execute('DELETE FROM attachment_chunks WHERE attachment_id IN '
               '(SELECT id FROM attachments WHERE meeting_id IS NOT NULL)')
    op.execute('DELETE FROM attachments WHERE meeting_id IS NOT NULL')
    op.drop_index('ix_attachments_meeting_id_id', table_name='attachments')
    if op.get_bind().dialect.name == 'sqlite':
        # The old CHECK back, and the column's inline foreign key taken off (removing a
        # constraint), so that SQLite drops the column in place.
        _sqlite_schema(lambda sql: _check_clause(sql, NEW_CHECK, OLD_CHECK).replace(f' {INLINE_FK}', ''))
        op.execute('ALTER TABLE attachments DROP COLUMN meeting_id')
    else:
        op.drop_constraint(op.f(CHECK_NAME), 'attachments', type_='check')
        op.create_check_constraint(op.f(CHECK_NAME), 'attachments', OLD_CHECK)
        op.drop_constraint(op.f(MEETING_FK), 'attachments', type_='foreignkey')
        op.drop_column('attachments', 'meeting_id')
