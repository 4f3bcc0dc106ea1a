"""meetings: the meetings of the national coordination mechanisms and the regional network

meetings holds one row per meeting (country_code NULL: the regional network), with its title,
date and minutes; meeting_ministries the ministries attending a national meeting,
meeting_countries the member states attending a regional one. Nothing is there before.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 13:10:00

"""
from alembic import op
import sqlalchemy as sa

import coordination.sqltypes


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('minutes', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['country_code'], ['countries.code'], name=op.f('fk_meetings_country_code_countries')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_meetings_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings'))
    )
    op.create_index('ix_meetings_country_held_on', 'meetings', ['country_code', 'held_on', 'id'], unique=False)
    op.create_table('meeting_ministries',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('ministry_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_ministries_meeting_id_meetings'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ministry_id'], ['ministries.id'],
                            name=op.f('fk_meeting_ministries_ministry_id_ministries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'ministry_id', name=op.f('pk_meeting_ministries'))
    )
    op.create_index('ix_meeting_ministries_ministry_id', 'meeting_ministries', ['ministry_id'], unique=False)
    op.create_table('meeting_countries',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_countries_meeting_id_meetings'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['country_code'], ['countries.code'],
                            name=op.f('fk_meeting_countries_country_code_countries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'country_code', name=op.f('pk_meeting_countries'))
    )
    op.create_index('ix_meeting_countries_country_code', 'meeting_countries', ['country_code'], unique=False)


def downgrade():
    op.drop_index('ix_meeting_countries_country_code', table_name='meeting_countries')
    op.drop_table('meeting_countries')
    op.drop_index('ix_meeting_ministries_ministry_id', table_name='meeting_ministries')
    op.drop_table('meeting_ministries')
    op.drop_index('ix_meetings_country_held_on', table_name='meetings')
    op.drop_table('meetings')
