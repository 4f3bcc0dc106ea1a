"""report submissions: every submit of a country report keeps its values as submitted

- report_submissions: one row per submission of a report (number 1, 2, ... per report), when
  and by whom; append-only, enforced by the database.
- submitted_values: the values of a submission, one row per indicator value that had been
  entered (the tracked columns of the value history, the ministry holding it and its data
  request); append-only.
- Every report already submitted, accepted or returned gets ONE submission (number 1, at its
  last submission, by whoever fired that submit, else nobody) holding its values as they are
  now: earlier submissions were not kept, so the first one the application shows is its
  current state.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 14:40:00

"""
from alembic import op
import sqlalchemy as sa

from coordination.appendonly import upgrade_ops as make_append_only
from coordination.sqltypes import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'report_submissions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('submitted_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_report_submissions_actor_id_users')),
        sa.ForeignKeyConstraint(['report_id'], ['country_reports.id'],
                                name=op.f('fk_report_submissions_report_id_country_reports')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_submissions')),
        sa.UniqueConstraint('report_id', 'number', name=op.f('uq_report_submissions_report_id_number')),
    )
    op.create_table(
        'submitted_values',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
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
        sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'],
                                name=op.f('fk_submitted_values_indicator_id_indicators')),
        sa.ForeignKeyConstraint(['item_id'], ['action_items.id'], name=op.f('fk_submitted_values_item_id_action_items')),
        sa.ForeignKeyConstraint(['ministry_id'], ['ministries.id'],
                                name=op.f('fk_submitted_values_ministry_id_ministries')),
        sa.ForeignKeyConstraint(['submission_id'], ['report_submissions.id'],
                                name=op.f('fk_submitted_values_submission_id_report_submissions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_submitted_values')),
        sa.UniqueConstraint('submission_id', 'indicator_id', name=op.f('uq_submitted_values_submission_id_indicator_id')),
    )

    # One submission per report submitted so far: its values as they are now.
    op.execute(
        "INSERT INTO report_submissions (report_id, number, submitted_at, actor_id) "
        "SELECT r.id, 1, COALESCE(r.submitted_at, r.first_submitted_at, r.updated_at), "
        "(SELECT e.actor_id FROM report_events e WHERE e.report_id = r.id AND e.trigger = 'submit' "
        " ORDER BY e.id DESC LIMIT 1) "
        "FROM country_reports r WHERE r.state IN ('submitted', 'accepted', 'returned') ORDER BY r.id")
    op.execute(
        "INSERT INTO submitted_values (submission_id, indicator_id, ministry_id, item_id, availability, number, "
        "text, flag, breakdown, reason, note) "
        "SELECT s.id, v.indicator_id, COALESCE((SELECT a.ministry_id FROM action_items a WHERE a.id = v.item_id), "
        "v.ministry_id), v.item_id, v.availability, v.number, v.text, v.flag, v.breakdown, "
        "COALESCE(v.reason, ''), COALESCE(v.note, '') "
        "FROM report_submissions s JOIN indicator_values v ON v.report_id = s.report_id "
        "WHERE v.availability IS NOT NULL ORDER BY s.id, v.indicator_id")
    make_append_only(op, 'report_submissions')
    make_append_only(op, 'submitted_values')


def downgrade():
    op.drop_table('submitted_values')
    op.drop_table('report_submissions')
