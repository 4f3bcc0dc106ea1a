"""value history, direction and checks

- value_changes: every saved change of an indicator value (value, flag, reason, note), who
  and when; append-only, enforced by the database as item_events is. Filled with one row per
  value already entered (its current state), so that every value has a history.
- indicators.better: ``higher`` (the default, every indicator already there) or ``lower``;
  the monitoring format's out-of-pocket health spending (SPF_HEALTH_OOP) becomes ``lower``.
  indicators.code gets an index: a floor and target find their indicator's direction by code.
- monitoring_templates.rules: the checks of a template's values, as data (JSON list); the
  monitoring format gets its two rules (a total within its parts by sex; a common registry
  in use while no coordination mechanism is established).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 06:00:00

"""
import json

from alembic import op
import sqlalchemy as sa

from coordination.appendonly import upgrade_ops as make_append_only
from coordination.sqltypes import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

FORMAT_NAME = 'ASEAN SPF self-assessment'
# The rules of coordination/data/monitoring_format.json as this revision wrote them.
FORMAT_RULES = [
    {"id": "sex_total_within_parts", "kind": "total_within_parts", "severity": "error",
     "about": "A coverage rate of both sexes lies between the rates of women and of men.",
     "indicators": ["SPF_COVERAGE_TOTAL", "SPF_CHILDREN", "SPF_DISABILITY", "SPF_UNEMPLOYED",
                    "SPF_EMPLOYMENT_INJURY", "SPF_OLDER_PERSONS"],
     "parts": ["female", "male"]},
    {"id": "registry_without_mechanism", "kind": "implies", "severity": "error",
     "if": {"indicator": "COORD_SOCIAL_REGISTRY", "equals": True},
     "then": {"indicator": "COORD_MECHANISM", "equals": True},
     "message": "A common registration system is reported as in use (yes), but the coordination mechanism "
                "as not established (no): check both answers."},
]


def upgrade():
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('better', sa.String(length=10), server_default='higher', nullable=False))
        batch_op.create_index(batch_op.f('ix_indicators_code'), ['code'], unique=False)
    with op.batch_alter_table('monitoring_templates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rules', sa.JSON(), nullable=True))

    op.create_table(
        'value_changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('value_id', sa.Integer(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('source', sa.String(length=40), nullable=False),
        sa.Column('availability', sa.String(length=20), nullable=True),
        sa.Column('number', sa.Float(), nullable=True),
        sa.Column('text', sa.Text(), nullable=True),
        sa.Column('flag', sa.Boolean(), nullable=True),
        sa.Column('breakdown', sa.JSON(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_value_changes_actor_id_users')),
        sa.ForeignKeyConstraint(['report_id'], ['country_reports.id'],
                                name=op.f('fk_value_changes_report_id_country_reports')),
        sa.ForeignKeyConstraint(['value_id'], ['indicator_values.id'],
                                name=op.f('fk_value_changes_value_id_indicator_values')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_value_changes')),
    )
    op.create_index('ix_value_changes_value_id_id', 'value_changes', ['value_id', 'id'], unique=False)
    op.create_index('ix_value_changes_report_id_value_id', 'value_changes', ['report_id', 'value_id'], unique=False)

    # One history row per value entered so far: its current state, by whoever entered it last.
    op.execute(
        "INSERT INTO value_changes (value_id, report_id, at, actor_id, source, availability, number, text, flag, "
        "breakdown, reason, note) "
        "SELECT id, report_id, updated_at, updated_by_id, 'migration', availability, number, text, flag, breakdown, "
        "COALESCE(reason, ''), COALESCE(note, '') FROM indicator_values "
        "WHERE availability IS NOT NULL AND updated_at IS NOT NULL ORDER BY id")
    make_append_only(op, 'value_changes')

    bind = op.get_bind()
    templates = sa.table('monitoring_templates', sa.column('id', sa.Integer), sa.column('name', sa.String),
                         sa.column('rules', sa.JSON))
    indicators = sa.table('indicators', sa.column('template_id', sa.Integer), sa.column('code', sa.String),
                          sa.column('better', sa.String))
    bind.execute(templates.update().values(rules=[]))
    format_id = bind.execute(sa.select(templates.c.id).where(templates.c.name == FORMAT_NAME)).scalar()
    if format_id is not None:
        bind.execute(templates.update().where(templates.c.id == format_id).values(
            rules=json.loads(json.dumps(FORMAT_RULES))))
        bind.execute(indicators.update().where(indicators.c.template_id == format_id,
                                               indicators.c.code == 'SPF_HEALTH_OOP').values(better='lower'))


def downgrade():
    op.drop_index('ix_value_changes_report_id_value_id', table_name='value_changes')
    op.drop_index('ix_value_changes_value_id_id', table_name='value_changes')
    op.drop_table('value_changes')
    op.drop_index('ix_indicators_code', table_name='indicators')
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later, PostgreSQL): a batch copy of these
    # tables would drop tables that filled ones refer to.
    op.drop_column('monitoring_templates', 'rules')
    op.drop_column('indicators', 'better')
