"""the language a person chose, and a programme's default language

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-04 13:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN on both databases: no table is rebuilt (the report triggers stay).
    op.add_column('account', sa.Column('language', sa.String(length=8), nullable=True))
    op.add_column('programme', sa.Column('language', sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_column('language')
