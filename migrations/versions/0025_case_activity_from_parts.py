"""a case's last activity is read from its parts' saves (the save writes one row less)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-04 08:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('case_work', schema=None) as batch_op:
        batch_op.drop_column('last_activity_at')


def downgrade():
    with op.batch_alter_table('case_work', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_activity_at', sa.DateTime(), nullable=True))
    op.execute("UPDATE case_work SET last_activity_at = COALESCE("
               "(SELECT MAX(updated_at) FROM section_draft "
               "WHERE section_draft.case_work_id = case_work.id), started_at)")
    with op.batch_alter_table('case_work', schema=None) as batch_op:
        batch_op.alter_column('last_activity_at', existing_type=sa.DateTime(), nullable=False)
