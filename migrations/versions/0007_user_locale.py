"""user locale: the language each user chose for pages and e-mail

users.locale holds a language code of coordination/i18n.py (en, id, th, vi); NULL, as for
every user already there, means "as the browser says" (and English for e-mail).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-10 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=10), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('locale')
