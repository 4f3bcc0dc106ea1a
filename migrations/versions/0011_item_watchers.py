"""item watchers: who follows an action item

item_watchers holds one row per (item, user) watching it, with the instant they began. The
creator of a new item watches it from the start; items already there have no watchers until
someone presses Watch or is mentioned in a comment.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 06:00:00

"""
from alembic import op
import sqlalchemy as sa

import coordination.sqltypes


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('item_watchers',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('since', coordination.sqltypes.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['action_items.id'], name=op.f('fk_item_watchers_item_id_action_items'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_item_watchers_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'user_id', name=op.f('pk_item_watchers'))
    )
    op.create_index('ix_item_watchers_user_id', 'item_watchers', ['user_id'], unique=False)


def downgrade():
    op.drop_index('ix_item_watchers_user_id', table_name='item_watchers')
    op.drop_table('item_watchers')
