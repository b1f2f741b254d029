"""a reviewer chooses how many cases they take, within the educator's limit

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04 03:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reviewer_capacity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chosen', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('reviewer_capacity', schema=None) as batch_op:
        batch_op.drop_column('chosen')
