"""a named officer on action items, and users away with a deputy

action_items.assignee_id names the officer of the holding ministry who has the item (NULL:
the ministry as a whole), with the index of "Assigned to me" (officer, country, due date).
item_events.from_assignee_id / to_assignee_id record who held it before and after a change
of officer (plain user ids: the history keeps them whatever happens to the users).
users.away_from, away_until and away_deputy_id say when a user is away and who stands in.

Columns are added in place (ALTER TABLE ... ADD COLUMN), never by copying a table: the
triggers on action_items (the item counts) and on item_events (append-only) stay as they are.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 06:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

# (table, column, referenced table or None, constraint name)
REFERENCES = [
    ('action_items', 'assignee_id', 'users', 'fk_action_items_assignee_id_users'),
    ('users', 'away_deputy_id', 'users', 'fk_users_away_deputy_id_users'),
]
INDEX = ('ix_action_items_assignee_due', ['assignee_id', 'country_code', 'due_date', 'id', 'state'])


def _add_reference(table, column, referred, name):
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite adds a column with its REFERENCES clause in place (no ALTER ... ADD CONSTRAINT).
        op.execute(f'ALTER TABLE {table} ADD COLUMN {column} INTEGER '
                   f'CONSTRAINT {name} REFERENCES {referred} (id)')
    else:
        op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(name, table, referred, [column], ['id'])


def upgrade():
    for table, column, referred, name in REFERENCES:
        _add_reference(table, column, referred, name)
    op.create_index(INDEX[0], 'action_items', INDEX[1], unique=False)
    op.add_column('item_events', sa.Column('from_assignee_id', sa.Integer(), nullable=True))
    op.add_column('item_events', sa.Column('to_assignee_id', sa.Integer(), nullable=True))
    op.add_column('users', sa.Column('away_from', sa.Date(), nullable=True))
    op.add_column('users', sa.Column('away_until', sa.Date(), nullable=True))


def downgrade():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    op.drop_column('users', 'away_until')
    op.drop_column('users', 'away_from')
    op.drop_column('item_events', 'to_assignee_id')
    op.drop_column('item_events', 'from_assignee_id')
    op.drop_index(INDEX[0], table_name='action_items')
    for table, column, _, name in reversed(REFERENCES):
        if not sqlite:
            op.drop_constraint(name, table, type_='foreignkey')
        op.drop_column(table, column)
