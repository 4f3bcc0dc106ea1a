"""regional items: cross-border action items of the secretariat and their national parts

regional_items holds one row per cross-border item (title, description, due date, its state
kept from its parts', when it was completed). action_items.regional_item_id names the regional
item an action item is a country's part of (NULL for every item before), indexed for the parts
of one regional item and, partially, for one country's parts.

The column is added in place (ALTER TABLE ... ADD COLUMN), never by copying the table: the
triggers on action_items (the item counts) stay as they are.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 16:45:00

"""
from alembic import op
import sqlalchemy as sa

import coordination.sqltypes


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

FOREIGN_KEY = 'fk_action_items_regional_item_id_regional_items'
PARTIAL = sa.text('regional_item_id IS NOT NULL')


def upgrade():
    op.create_table('regional_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('completed_at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_regional_items_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_regional_items'))
    )
    op.create_index('ix_regional_items_state_due', 'regional_items', ['state', 'due_date', 'id'], unique=False)
    op.create_index('ix_regional_items_due', 'regional_items', ['due_date', 'id'], unique=False)
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite adds a column with its REFERENCES clause in place (no ALTER ... ADD CONSTRAINT).
        op.execute('ALTER TABLE action_items ADD COLUMN regional_item_id INTEGER '
                   f'CONSTRAINT {FOREIGN_KEY} REFERENCES regional_items (id)')
    else:
        op.add_column('action_items', sa.Column('regional_item_id', sa.Integer(), nullable=True))
        op.create_foreign_key(FOREIGN_KEY, 'action_items', 'regional_items', ['regional_item_id'], ['id'])
    op.create_index('ix_action_items_regional_item_id', 'action_items', ['regional_item_id'], unique=False)
    op.create_index('ix_action_items_country_regional', 'action_items', ['country_code', 'regional_item_id'],
                    unique=False, sqlite_where=PARTIAL, postgresql_where=PARTIAL)


def downgrade():
    op.drop_index('ix_action_items_country_regional', table_name='action_items')
    op.drop_index('ix_action_items_regional_item_id', table_name='action_items')
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint(FOREIGN_KEY, 'action_items', type_='foreignkey')
    op.drop_column('action_items', 'regional_item_id')
    op.drop_index('ix_regional_items_due', table_name='regional_items')
    op.drop_index('ix_regional_items_state_due', table_name='regional_items')
    op.drop_table('regional_items')
