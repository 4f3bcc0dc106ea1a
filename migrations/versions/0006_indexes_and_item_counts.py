"""scale: the item lists' indexes, and the item counts the database keeps

Every list reads its rows in the order of an index: (country, due date) for open and closed
items, (country, state, due date), (ministry, due date), (country, priority, due date),
(country, updated), and (country, guarantee, state) for the guarantee filter's counts. They
replace the single-column indexes on country_code and ministry_id, which are their prefixes.

item_counts holds the number of items per (country, holding ministry, state, due month),
kept by triggers on action_items in the same transaction as each change; it is filled from
the items already there.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 00:30:00

"""
from alembic import op
import sqlalchemy as sa

from coordination.items import counts


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

INDEXES = [
    ('ix_action_items_country_due', ['country_code', 'due_date', 'id', 'state', 'ministry_id']),
    ('ix_action_items_country_state_due', ['country_code', 'state', 'due_date', 'id']),
    ('ix_action_items_ministry_due', ['ministry_id', 'due_date', 'id', 'state']),
    ('ix_action_items_country_priority_due', ['country_code', 'priority', 'due_date', 'id']),
    ('ix_action_items_country_updated', ['country_code', 'updated_at', 'id']),
    ('ix_action_items_country_guarantee_state', ['country_code', 'guarantee', 'state']),
]


def upgrade():
    for name, columns in INDEXES:
        op.create_index(name, 'action_items', columns, unique=False)
    op.drop_index('ix_action_items_country_code', table_name='action_items')
    op.drop_index('ix_action_items_ministry_id', table_name='action_items')
    op.create_table('item_counts',
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('ministry_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('due_month', sa.Date(), nullable=False),
    sa.Column('items', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('country_code', 'ministry_id', 'state', 'due_month', name=op.f('pk_item_counts'))
    )
    counts.upgrade_ops(op)
    if op.get_bind().dialect.name == 'sqlite':
        # Statistics for the new indexes, bounded in time whatever the table's size.
        op.execute('PRAGMA analysis_limit=1000')
        op.execute('ANALYZE action_items')


def downgrade():
    dialect = op.get_bind().dialect.name
    for sql in counts.drop_statements(dialect):
        op.execute(sql)
    op.drop_table('item_counts')
    op.create_index('ix_action_items_ministry_id', 'action_items', ['ministry_id'], unique=False)
    op.create_index('ix_action_items_country_code', 'action_items', ['country_code'], unique=False)
    for name, _ in reversed(INDEXES):
        op.drop_index(name, table_name='action_items')
