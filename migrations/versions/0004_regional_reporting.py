"""regional reporting

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 13:39:49.276218

"""
from alembic import op
import sqlalchemy as sa

import coordination.sqltypes
from coordination.appendonly import upgrade_ops as make_append_only


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('monitoring_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('copied_from_id', sa.Integer(), nullable=True),
    sa.Column('created_at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['copied_from_id'], ['monitoring_templates.id'], name=op.f('fk_monitoring_templates_copied_from_id_monitoring_templates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_templates')),
    sa.UniqueConstraint('name', name=op.f('uq_monitoring_templates_name'))
    )
    op.create_table('indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('definition', sa.Text(), nullable=False),
    sa.Column('guarantee', sa.String(length=20), nullable=False),
    sa.Column('unit', sa.String(length=10), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('disaggregations', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['template_id'], ['monitoring_templates.id'], name=op.f('fk_indicators_template_id_monitoring_templates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicators')),
    sa.UniqueConstraint('template_id', 'code', name=op.f('uq_indicators_template_id_code'))
    )
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicators_template_id'), ['template_id'], unique=False)

    op.create_table('reporting_cycles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('created_at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['template_id'], ['monitoring_templates.id'], name=op.f('fk_reporting_cycles_template_id_monitoring_templates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reporting_cycles')),
    sa.UniqueConstraint('name', name=op.f('uq_reporting_cycles_name'))
    )
    with op.batch_alter_table('reporting_cycles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reporting_cycles_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_reporting_cycles_template_id'), ['template_id'], unique=False)

    op.create_table('country_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('first_submitted_at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('submitted_at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('accepted_at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['country_code'], ['countries.code'], name=op.f('fk_country_reports_country_code_countries')),
    sa.ForeignKeyConstraint(['cycle_id'], ['reporting_cycles.id'], name=op.f('fk_country_reports_cycle_id_reporting_cycles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_country_reports')),
    sa.UniqueConstraint('cycle_id', 'country_code', name=op.f('uq_country_reports_cycle_id_country_code'))
    )
    with op.batch_alter_table('country_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_country_reports_country_code'), ['country_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_country_reports_cycle_id'), ['cycle_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_country_reports_state'), ['state'], unique=False)

    op.create_table('cycle_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('trigger', sa.String(length=20), nullable=False),
    sa.Column('from_state', sa.String(length=20), nullable=True),
    sa.Column('to_state', sa.String(length=20), nullable=True),
    sa.Column('country_code', sa.String(length=2), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_cycle_events_actor_id_users')),
    sa.ForeignKeyConstraint(['country_code'], ['countries.code'], name=op.f('fk_cycle_events_country_code_countries')),
    sa.ForeignKeyConstraint(['cycle_id'], ['reporting_cycles.id'], name=op.f('fk_cycle_events_cycle_id_reporting_cycles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cycle_events'))
    )
    with op.batch_alter_table('cycle_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cycle_events_cycle_id'), ['cycle_id'], unique=False)

    op.create_table('extensions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=False),
    sa.Column('granted_at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['country_code'], ['countries.code'], name=op.f('fk_extensions_country_code_countries')),
    sa.ForeignKeyConstraint(['cycle_id'], ['reporting_cycles.id'], name=op.f('fk_extensions_cycle_id_reporting_cycles')),
    sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], name=op.f('fk_extensions_granted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_extensions'))
    )
    with op.batch_alter_table('extensions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_extensions_cycle_id'), ['cycle_id'], unique=False)

    op.create_table('narratives',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('guarantee', sa.String(length=20), nullable=False),
    sa.Column('existing_schemes', sa.Text(), nullable=False),
    sa.Column('policy_gaps', sa.Text(), nullable=False),
    sa.Column('implementation_issues', sa.Text(), nullable=False),
    sa.Column('recommendations', sa.Text(), nullable=False),
    sa.Column('self_rating', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['country_reports.id'], name=op.f('fk_narratives_report_id_country_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_narratives')),
    sa.UniqueConstraint('report_id', 'guarantee', name=op.f('uq_narratives_report_id_guarantee'))
    )
    with op.batch_alter_table('narratives', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_narratives_report_id'), ['report_id'], unique=False)

    op.create_table('national_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('indicator_code', sa.String(length=40), nullable=False),
    sa.Column('floor', sa.Float(), nullable=True),
    sa.Column('target', sa.Float(), nullable=True),
    sa.Column('target_year', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['country_code'], ['countries.code'], name=op.f('fk_national_targets_country_code_countries')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_national_targets_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_national_targets')),
    sa.UniqueConstraint('country_code', 'indicator_code', name=op.f('uq_national_targets_country_code_indicator_code'))
    )
    with op.batch_alter_table('national_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_national_targets_country_code'), ['country_code'], unique=False)

    op.create_table('report_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('trigger', sa.String(length=30), nullable=False),
    sa.Column('from_state', sa.String(length=20), nullable=True),
    sa.Column('to_state', sa.String(length=20), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_report_events_actor_id_users')),
    sa.ForeignKeyConstraint(['report_id'], ['country_reports.id'], name=op.f('fk_report_events_report_id_country_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_events'))
    )
    with op.batch_alter_table('report_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_events_report_id'), ['report_id'], unique=False)

    op.create_table('indicator_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('ministry_id', sa.Integer(), nullable=True),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('availability', sa.String(length=20), nullable=True),
    sa.Column('number', sa.Float(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('flag', sa.Boolean(), nullable=True),
    sa.Column('breakdown', sa.JSON(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_indicator_values_indicator_id_indicators')),
    sa.ForeignKeyConstraint(['item_id'], ['action_items.id'], name=op.f('fk_indicator_values_item_id_action_items')),
    sa.ForeignKeyConstraint(['ministry_id'], ['ministries.id'], name=op.f('fk_indicator_values_ministry_id_ministries')),
    sa.ForeignKeyConstraint(['report_id'], ['country_reports.id'], name=op.f('fk_indicator_values_report_id_country_reports')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_indicator_values_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_values')),
    sa.UniqueConstraint('item_id', name=op.f('uq_indicator_values_item_id')),
    sa.UniqueConstraint('report_id', 'indicator_id', name=op.f('uq_indicator_values_report_id_indicator_id'))
    )
    with op.batch_alter_table('indicator_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_values_ministry_id'), ['ministry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_values_report_id'), ['report_id'], unique=False)

    op.create_table('narrative_items',
    sa.Column('narrative_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['action_items.id'], name=op.f('fk_narrative_items_item_id_action_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['narrative_id'], ['narratives.id'], name=op.f('fk_narrative_items_narrative_id_narratives'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('narrative_id', 'item_id', name=op.f('pk_narrative_items'))
    )
    op.create_table('report_queries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('indicator_code', sa.String(length=40), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_at', coordination.sqltypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_report_queries_answered_by_id_users')),
    sa.ForeignKeyConstraint(['event_id'], ['report_events.id'], name=op.f('fk_report_queries_event_id_report_events')),
    sa.ForeignKeyConstraint(['report_id'], ['country_reports.id'], name=op.f('fk_report_queries_report_id_country_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_queries'))
    )
    with op.batch_alter_table('report_queries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_queries_report_id'), ['report_id'], unique=False)
    make_append_only(op, 'cycle_events')
    make_append_only(op, 'report_events')


def downgrade():
    with op.batch_alter_table('report_queries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_queries_report_id'))

    op.drop_table('report_queries')
    op.drop_table('narrative_items')
    with op.batch_alter_table('indicator_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_values_report_id'))
        batch_op.drop_index(batch_op.f('ix_indicator_values_ministry_id'))

    op.drop_table('indicator_values')
    with op.batch_alter_table('report_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_events_report_id'))

    op.drop_table('report_events')
    with op.batch_alter_table('national_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_national_targets_country_code'))

    op.drop_table('national_targets')
    with op.batch_alter_table('narratives', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_narratives_report_id'))

    op.drop_table('narratives')
    with op.batch_alter_table('extensions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_extensions_cycle_id'))

    op.drop_table('extensions')
    with op.batch_alter_table('cycle_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cycle_events_cycle_id'))

    op.drop_table('cycle_events')
    with op.batch_alter_table('country_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_country_reports_state'))
        batch_op.drop_index(batch_op.f('ix_country_reports_cycle_id'))
        batch_op.drop_index(batch_op.f('ix_country_reports_country_code'))

    op.drop_table('country_reports')
    with op.batch_alter_table('reporting_cycles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reporting_cycles_template_id'))
        batch_op.drop_index(batch_op.f('ix_reporting_cycles_state'))

    op.drop_table('reporting_cycles')
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicators_template_id'))

    op.drop_table('indicators')
    op.drop_table('monitoring_templates')
