"""coordination health: an index of each country's action items by creation time

- ix_action_items_country_created (country_code, created_at, id): the coordination-health
  figures read a country's items created in a cycle's period from it, instead of every item
  of the country.

Revision ID: 0021
Revises: 0016
Create Date: 2026-12-02 16:50:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_action_items_country_created", "action_items", ["country_code", "created_at", "id"])


def downgrade():
    op.drop_index("ix_action_items_country_created", table_name="action_items")
