"""value reference year: the year an indicator value describes

indicator_values.reference_year holds the year a figure is of, where it is known and may differ
from the end of the cycle's period (a baseline cycle over 2015-2023 holds one country's 2021
figure and another's 2023 figure). NULL, as for every value already there, means the year the
cycle's period ends. The SDMX-CSV export gives it as TIME_PERIOD.

Revision ID: 0015
Revises: 0007
Create Date: 2026-12-02 06:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('indicator_values', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reference_year', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('indicator_values', schema=None) as batch_op:
        batch_op.drop_column('reference_year')
