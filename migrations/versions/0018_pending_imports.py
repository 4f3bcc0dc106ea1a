"""pending imports: a spreadsheet kept between the preview of an import and its apply

- pending_imports: an uploaded file (its bytes, name, SHA-256 and size), who uploaded it for
  which report, and when; removed when applied, when its uploader uploads another file for the
  same report, and a day after its upload.
- value_changes.import_name: the name of the file an imported change came from (empty for
  every other change, and for imports made before this revision).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 16:40:00

"""
from alembic import op
import sqlalchemy as sa

from coordination.sqltypes import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'pending_imports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_pending_imports_actor_id_users')),
        sa.ForeignKeyConstraint(['report_id'], ['country_reports.id'],
                                name=op.f('fk_pending_imports_report_id_country_reports')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_imports')),
    )
    op.create_index('ix_pending_imports_report_id_actor_id', 'pending_imports', ['report_id', 'actor_id'])
    op.create_index('ix_pending_imports_created_at', 'pending_imports', ['created_at'])
    # Not batch_alter_table: on SQLite that copies the table and drops its append-only triggers.
    op.add_column('value_changes', sa.Column('import_name', sa.String(length=255), nullable=True))


def downgrade():
    # SQLite 3.35+ drops a column in place (the triggers name no column), as PostgreSQL does:
    # not batch_alter_table, which would copy the table and drop its append-only triggers.
    op.drop_column('value_changes', 'import_name')
    op.drop_index('ix_pending_imports_created_at', table_name='pending_imports')
    op.drop_index('ix_pending_imports_report_id_actor_id', table_name='pending_imports')
    op.drop_table('pending_imports')
