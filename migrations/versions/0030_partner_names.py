"""what a programme calls its patient partners

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-04 17:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN: no table is rebuilt (the report triggers stay).
    op.add_column('programme', sa.Column('partner_name', sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.drop_column('partner_name')
