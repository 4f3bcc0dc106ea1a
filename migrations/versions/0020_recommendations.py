"""recommendations: the regional network's recommendations and each country's progress on them

recommendations holds the network's recommendations and benchmarks; recommendation_countries
the member states each addresses; recommendation_assessments one row per recommendation,
addressed country and reporting cycle (the progress claimed, its evidence, the secretariat's
validated level); assessment_items the action items an assessment links; assessment_events
their append-only history. Nothing is there before.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 16:45:00

"""
from alembic import op
import sqlalchemy as sa

import coordination.sqltypes
from coordination.appendonly import upgrade_ops as make_append_only


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('recommendations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('guarantee', sa.String(length=20), nullable=True),
    sa.Column('all_countries', sa.Boolean(), nullable=False),
    sa.Column('adopted_on', sa.Date(), nullable=False),
    sa.Column('horizon_year', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_recommendations_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendations'))
    )
    op.create_index('ix_recommendations_guarantee_id', 'recommendations', ['guarantee', 'id'], unique=False)
    op.create_table('recommendation_countries',
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'],
                            name=op.f('fk_recommendation_countries_recommendation_id_recommendations'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['country_code'], ['countries.code'],
                            name=op.f('fk_recommendation_countries_country_code_countries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('recommendation_id', 'country_code', name=op.f('pk_recommendation_countries'))
    )
    op.create_index('ix_recommendation_countries_country_code', 'recommendation_countries',
                    ['country_code', 'recommendation_id'], unique=False)
    op.create_table('recommendation_assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('progress', sa.String(length=20), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('assessed_by_id', sa.Integer(), nullable=False),
    sa.Column('assessed_at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('validated_progress', sa.String(length=20), nullable=True),
    sa.Column('validation_comment', sa.Text(), nullable=False),
    sa.Column('validated_by_id', sa.Integer(), nullable=True),
    sa.Column('validated_at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'],
                            name=op.f('fk_recommendation_assessments_recommendation_id_recommendations')),
    sa.ForeignKeyConstraint(['country_code'], ['countries.code'],
                            name=op.f('fk_recommendation_assessments_country_code_countries')),
    sa.ForeignKeyConstraint(['cycle_id'], ['reporting_cycles.id'],
                            name=op.f('fk_recommendation_assessments_cycle_id_reporting_cycles')),
    sa.ForeignKeyConstraint(['assessed_by_id'], ['users.id'],
                            name=op.f('fk_recommendation_assessments_assessed_by_id_users')),
    sa.ForeignKeyConstraint(['validated_by_id'], ['users.id'],
                            name=op.f('fk_recommendation_assessments_validated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation_assessments')),
    sa.UniqueConstraint('recommendation_id', 'country_code', 'cycle_id',
                        name=op.f('uq_recommendation_assessments_slot')),
    )
    op.create_index('ix_recommendation_assessments_cycle_country', 'recommendation_assessments',
                    ['cycle_id', 'country_code'], unique=False)
    op.create_index('ix_recommendation_assessments_country', 'recommendation_assessments',
                    ['country_code', 'recommendation_id'], unique=False)
    op.create_table('assessment_items',
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['recommendation_assessments.id'],
                            name=op.f('fk_assessment_items_assessment_id_recommendation_assessments'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['action_items.id'], name=op.f('fk_assessment_items_item_id_action_items'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('assessment_id', 'item_id', name=op.f('pk_assessment_items'))
    )
    op.create_index('ix_assessment_items_item_id', 'assessment_items', ['item_id'], unique=False)
    op.create_table('assessment_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('progress', sa.String(length=20), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('item_ids', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['assessment_id'], ['recommendation_assessments.id'],
                            name=op.f('fk_assessment_events_assessment_id_recommendation_assessments')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_assessment_events_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_events'))
    )
    op.create_index(op.f('ix_assessment_events_assessment_id'), 'assessment_events', ['assessment_id'], unique=False)
    make_append_only(op, 'assessment_events')


def downgrade():
    op.drop_index(op.f('ix_assessment_events_assessment_id'), table_name='assessment_events')
    op.drop_table('assessment_events')
    op.drop_index('ix_assessment_items_item_id', table_name='assessment_items')
    op.drop_table('assessment_items')
    op.drop_index('ix_recommendation_assessments_country', table_name='recommendation_assessments')
    op.drop_index('ix_recommendation_assessments_cycle_country', table_name='recommendation_assessments')
    op.drop_table('recommendation_assessments')
    op.drop_index('ix_recommendation_countries_country_code', table_name='recommendation_countries')
    op.drop_table('recommendation_countries')
    op.drop_index('ix_recommendations_guarantee_id', table_name='recommendations')
    op.drop_table('recommendations')
