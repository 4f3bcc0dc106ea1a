"""meeting decisions: an action item may come from a decision of a meeting

- action_items.meeting_id: the meeting whose decision the item carries out (NULL for the
  others), indexed for a meeting's decisions.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 16:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

FK = 'fk_action_items_meeting_id_meetings'


def upgrade():
    # Plain ALTER TABLE ADD COLUMN (no batch mode, which would copy the whole table). SQLite
    # takes the foreign key only inline, in the column's definition.
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(f'ALTER TABLE action_items ADD COLUMN meeting_id INTEGER CONSTRAINT {FK} REFERENCES meetings (id)')
    else:
        op.add_column('action_items', sa.Column('meeting_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f(FK), 'action_items', 'meetings', ['meeting_id'], ['id'])
    op.create_index('ix_action_items_meeting_id', 'action_items', ['meeting_id', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_action_items_meeting_id', table_name='action_items')
    # In place on SQLite too (as 0010 does): batch mode would copy the table and turn its inline
    # foreign keys into table constraints, which the earlier revisions' downgrades cannot drop.
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint(op.f(FK), 'action_items', type_='foreignkey')
    op.drop_column('action_items', 'meeting_id')
