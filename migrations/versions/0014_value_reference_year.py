"""value reference year: the year an indicator value describes

indicator_values.reference_year holds the year a figure is of, where it is known and may differ
from the end of the cycle's period (a baseline cycle over 2015-2023 holds one country's 2021
figure and another's 2023 figure). NULL, as for every value already there, means the year the
cycle's period ends. The SDMX-CSV export gives it as TIME_PERIOD.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 06:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch: SQLite would copy indicator_values into a new table, which the
# value history's foreign key to it forbids.
def upgrade():
    op.add_column('indicator_values', sa.Column('reference_year', sa.Integer(), nullable=True))


def downgrade():
    op.drop_column('indicator_values', 'reference_year')
