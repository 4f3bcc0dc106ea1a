"""action items

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 13:28:07.137349

"""
from alembic import op
import sqlalchemy as sa

import coordination.sqltypes
from coordination.appendonly import upgrade_ops as make_append_only


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('action_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('ministry_id', sa.Integer(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('priority', sa.String(length=10), nullable=False),
    sa.Column('guarantee', sa.String(length=20), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['country_code'], ['countries.code'], name=op.f('fk_action_items_country_code_countries')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_action_items_created_by_id_users')),
    sa.ForeignKeyConstraint(['ministry_id'], ['ministries.id'], name=op.f('fk_action_items_ministry_id_ministries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_items'))
    )
    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_items_country_code'), ['country_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_items_ministry_id'), ['ministry_id'], unique=False)
        batch_op.create_index('ix_action_items_state_due_date', ['state', 'due_date'], unique=False)

    op.create_table('item_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('trigger', sa.String(length=20), nullable=False),
    sa.Column('from_state', sa.String(length=20), nullable=True),
    sa.Column('to_state', sa.String(length=20), nullable=True),
    sa.Column('from_ministry_id', sa.Integer(), nullable=True),
    sa.Column('to_ministry_id', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_item_events_actor_id_users')),
    sa.ForeignKeyConstraint(['from_ministry_id'], ['ministries.id'], name=op.f('fk_item_events_from_ministry_id_ministries')),
    sa.ForeignKeyConstraint(['item_id'], ['action_items.id'], name=op.f('fk_item_events_item_id_action_items')),
    sa.ForeignKeyConstraint(['to_ministry_id'], ['ministries.id'], name=op.f('fk_item_events_to_ministry_id_ministries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item_events'))
    )
    with op.batch_alter_table('item_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_events_item_id'), ['item_id'], unique=False)

    op.create_table('item_supporters',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('ministry_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['action_items.id'], name=op.f('fk_item_supporters_item_id_action_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ministry_id'], ['ministries.id'], name=op.f('fk_item_supporters_ministry_id_ministries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'ministry_id', name=op.f('pk_item_supporters'))
    )
    make_append_only(op, 'item_events')


def downgrade():
    op.drop_table('item_supporters')
    with op.batch_alter_table('item_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_events_item_id'))

    op.drop_table('item_events')
    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.drop_index('ix_action_items_state_due_date')
        batch_op.drop_index(batch_op.f('ix_action_items_ministry_id'))
        batch_op.drop_index(batch_op.f('ix_action_items_country_code'))

    op.drop_table('action_items')
