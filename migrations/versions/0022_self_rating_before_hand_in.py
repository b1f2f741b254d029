"""the group's self-rating lives with the case, so it can be made before hand-in

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04 03:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('case_work', schema=None) as batch_op:
        batch_op.add_column(sa.Column('self_rating', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('self_rating_rubric_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_case_work_self_rating_rubric_id_rubric_version'),
                                    'rubric_version', ['self_rating_rubric_id'], ['id'],
                                    ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('case_work', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_case_work_self_rating_rubric_id_rubric_version'),
                                 type_='foreignkey')
        batch_op.drop_column('self_rating_rubric_id')
        batch_op.drop_column('self_rating')
