"""translations of rubrics and surveys; module editions in another language

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-04 16:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN on both databases: no table is rebuilt (the report triggers stay).
    for table in ('rubric_version', 'survey_version'):
        op.add_column(table, sa.Column('translated', sa.String(length=300), nullable=False,
                                       server_default=''))
    # The version an edition in another language belongs with (set by publishing).
    op.add_column('module_version', sa.Column('edition_of_id', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('module_version', schema=None) as batch_op:
        batch_op.drop_column('edition_of_id')
    for table in ('survey_version', 'rubric_version'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('translated')
