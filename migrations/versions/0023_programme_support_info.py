"""where a programme's people get support (crisis and support numbers), shown with content notes

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-04 04:15:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.add_column(sa.Column('support_info', sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.drop_column('support_info')
