"""attachments: evidence documents of action items and country reports, their bytes in chunks

attachments holds one row per file (its safe name, size, type judged by content, sha256, who
uploaded and who removed it); attachment_chunks its bytes, 1 MiB a row (PostgreSQL bytea,
SQLite BLOB). item_events and report_events gain attachment_id: the file an event is about.
Those two tables are append-only (triggers): the column is added with ALTER TABLE ADD
COLUMN, never by recreating the table (which would drop the triggers on SQLite).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 06:00:00

"""
from alembic import op
import sqlalchemy as sa

import coordination.sqltypes
from coordination.appendonly import upgrade_ops as make_append_only


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

HISTORY_TABLES = ('item_events', 'report_events')


def upgrade():
    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('indicator_code', sa.String(length=50), nullable=True),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('removed_at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('removed_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(item_id IS NULL) <> (report_id IS NULL)', name=op.f('ck_attachments_one_parent')),
    sa.ForeignKeyConstraint(['country_code'], ['countries.code'], name=op.f('fk_attachments_country_code_countries')),
    sa.ForeignKeyConstraint(['item_id'], ['action_items.id'], name=op.f('fk_attachments_item_id_action_items')),
    sa.ForeignKeyConstraint(['removed_by_id'], ['users.id'], name=op.f('fk_attachments_removed_by_id_users')),
    sa.ForeignKeyConstraint(['report_id'], ['country_reports.id'], name=op.f('fk_attachments_report_id_country_reports')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_attachments_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    op.create_index('ix_attachments_item_id_id', 'attachments', ['item_id', 'id'], unique=False)
    op.create_index('ix_attachments_report_id_id', 'attachments', ['report_id', 'id'], unique=False)
    op.create_table('attachment_chunks',
    sa.Column('attachment_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachments.id'], name=op.f('fk_attachment_chunks_attachment_id_attachments')),
    sa.PrimaryKeyConstraint('attachment_id', 'number', name=op.f('pk_attachment_chunks'))
    )
    for table in HISTORY_TABLES:
        # Plain ALTER TABLE ADD COLUMN (no batch mode, which copies the table): the append-only
        # triggers stay. SQLite takes the foreign key only inline, in the column's definition.
        name = f'fk_{table}_attachment_id_attachments'
        if op.get_bind().dialect.name == 'sqlite':
            op.execute(f'ALTER TABLE {table} ADD COLUMN attachment_id INTEGER '
                       f'CONSTRAINT {name} REFERENCES attachments (id)')
        else:
            op.add_column(table, sa.Column('attachment_id', sa.Integer(), nullable=True))
            op.create_foreign_key(op.f(name), table, 'attachments', ['attachment_id'], ['id'])


def downgrade():
    for table in HISTORY_TABLES:
        if op.get_bind().dialect.name == 'sqlite':
            # SQLite drops no column of a foreign key in place: the table is copied without it,
            # which drops its triggers; they are made again.
            with op.batch_alter_table(table, schema=None) as batch_op:
                batch_op.drop_column('attachment_id')
            make_append_only(op, table)
        else:
            op.drop_constraint(op.f(f'fk_{table}_attachment_id_attachments'), table, type_='foreignkey')
            op.drop_column(table, 'attachment_id')
    op.drop_table('attachment_chunks')
    op.drop_index('ix_attachments_report_id_id', table_name='attachments')
    op.drop_index('ix_attachments_item_id_id', table_name='attachments')
    op.drop_table('attachments')
