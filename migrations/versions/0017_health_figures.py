"""coordination health: an index of each country's action items by creation time, and the
item figures of finished cycle periods

- ix_action_items_country_created (country_code, created_at, id): the coordination-health
  figures read a country's items created in a cycle's period from it, instead of every item
  of the country.
- health_item_figures: per cycle, member state and period, the item figures (items created,
  handed over, overdue at the cut-off, median days to accept) once the period is over, when
  they can no longer change; written the first time they are read.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 16:50:00

"""
from alembic import op
import sqlalchemy as sa

from coordination.sqltypes import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_action_items_country_created", "action_items", ["country_code", "created_at", "id"])
    op.create_table(
        "health_item_figures",
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("items_created", sa.Integer(), nullable=False),
        sa.Column("handed_over", sa.Integer(), nullable=False),
        sa.Column("overdue", sa.Integer(), nullable=False),
        sa.Column("median_days_to_accept", sa.Float(), nullable=True),
        sa.Column("computed_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["cycle_id"], ["reporting_cycles.id"], ondelete="CASCADE",
                                name=op.f("fk_health_item_figures_cycle_id_reporting_cycles")),
        sa.ForeignKeyConstraint(["country_code"], ["countries.code"],
                                name=op.f("fk_health_item_figures_country_code_countries")),
        sa.PrimaryKeyConstraint("cycle_id", "country_code", "period_start", "period_end",
                                name=op.f("pk_health_item_figures")),
    )


def downgrade():
    op.drop_table("health_item_figures")
    op.drop_index("ix_action_items_country_created", table_name="action_items")
