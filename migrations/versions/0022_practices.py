"""practices: the good-practice library of the network, its questions, and files on a practice

practices holds one row per good practice of a member state (draft or published), with its
contact; practice_questions the questions asked below a published one and their answers.
attachments gains practice_id, and its CHECK one_parent counts it: a file belongs to exactly
one item, report or practice. On SQLite the column is added in place (ALTER TABLE ADD COLUMN,
its foreign key inline) and the CHECK's text is replaced in the schema as SQLite documents for a
constraint that no row breaks: copying the table would break the foreign keys of the history
tables that name it.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 16:40:00

"""
from alembic import op
import sqlalchemy as sa

import coordination.sqltypes


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

OLD_CHECK = '(item_id IS NULL) <> (report_id IS NULL)'
NEW_CHECK = ('(CASE WHEN item_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN report_id IS NULL THEN 0 ELSE 1 END)'
             ' + (CASE WHEN practice_id IS NULL THEN 0 ELSE 1 END) = 1')
CHECK_NAME = 'ck_attachments_one_parent'
PRACTICE_FK = 'fk_attachments_practice_id_practices'
INLINE_FK = f'CONSTRAINT {PRACTICE_FK} REFERENCES practices (id)'


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
    op.create_table('practices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('guarantee', sa.String(length=20), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('contact_user_id', sa.Integer(), nullable=True),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['country_code'], ['countries.code'], name=op.f('fk_practices_country_code_countries')),
    sa.ForeignKeyConstraint(['contact_user_id'], ['users.id'], name=op.f('fk_practices_contact_user_id_users')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_practices_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practices'))
    )
    op.create_index('ix_practices_state_id', 'practices', ['state', 'id'], unique=False)
    op.create_index('ix_practices_guarantee_state_id', 'practices', ['guarantee', 'state', 'id'], unique=False)
    op.create_index('ix_practices_country_state_id', 'practices', ['country_code', 'state', 'id'], unique=False)
    op.create_table('practice_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('asked_at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_questions_practice_id_practices')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_practice_questions_author_id_users')),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_practice_questions_answered_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_questions'))
    )
    op.create_index('ix_practice_questions_practice_id_id', 'practice_questions', ['practice_id', 'id'], unique=False)
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(f'ALTER TABLE attachments ADD COLUMN practice_id INTEGER {INLINE_FK}')
        _sqlite_schema(lambda sql: _check_clause(sql, OLD_CHECK, NEW_CHECK))
    else:
        op.add_column('attachments', sa.Column('practice_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f(PRACTICE_FK), 'attachments', 'practices', ['practice_id'], ['id'])
        op.drop_constraint(op.f(CHECK_NAME), 'attachments', type_='check')
        op.create_check_constraint(op.f(CHECK_NAME), 'attachments', NEW_CHECK)
    op.create_index('ix_attachments_practice_id_id', 'attachments', ['practice_id', 'id'], unique=False)


def downgrade():
    # The files of practices go with them (their bytes first).
    op.execute('DELETE FROM attachment_chunks WHERE attachment_id IN '
               '(SELECT id FROM attachments WHERE practice_id IS NOT NULL)')
    op.execute('DELETE FROM attachments WHERE practice_id IS NOT NULL')
    op.drop_index('ix_attachments_practice_id_id', table_name='attachments')
    if op.get_bind().dialect.name == 'sqlite':
        # The old CHECK back, and the column's inline foreign key taken off (removing a
        # constraint), so that SQLite drops the column in place.
        _sqlite_schema(lambda sql: _check_clause(sql, NEW_CHECK, OLD_CHECK).replace(f' {INLINE_FK}', ''))
        op.execute('ALTER TABLE attachments DROP COLUMN practice_id')
    else:
        op.drop_constraint(op.f(CHECK_NAME), 'attachments', type_='check')
        op.create_check_constraint(op.f(CHECK_NAME), 'attachments', OLD_CHECK)
        op.drop_constraint(op.f(PRACTICE_FK), 'attachments', type_='foreignkey')
        op.drop_column('attachments', 'practice_id')
    op.drop_index('ix_practice_questions_practice_id_id', table_name='practice_questions')
    op.drop_table('practice_questions')
    op.drop_index('ix_practices_country_state_id', table_name='practices')
    op.drop_index('ix_practices_guarantee_state_id', table_name='practices')
    op.drop_index('ix_practices_state_id', table_name='practices')
    op.drop_table('practices')
