"""edit history with values: what an edit of an item changed, from what to what

item_events.changes holds, for an edit, the fields it changed with their old and new
values ([{field, old, new}], the item JSON's field names and forms); NULL for the other
steps and for the edits recorded before. item_events stays append-only: the column is
added in place (ALTER TABLE ... ADD COLUMN), never by recreating the table, so that its
triggers stay.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-20 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    # Not batch_alter_table: on SQLite that copies the table and drops its triggers.
    op.add_column('item_events', sa.Column('changes', sa.JSON(), nullable=True))


def downgrade():
    # SQLite 3.35+ drops a column in place (the triggers name no column), as PostgreSQL does.
    op.drop_column('item_events', 'changes')
