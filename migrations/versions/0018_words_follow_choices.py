"""words follow their author's choices: withdrawal recorded, fresh starts, removed texts

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 06:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consent_record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
    with op.batch_alter_table('section_revision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fresh_start', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column('text_removed', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('section_revision', schema=None) as batch_op:
        batch_op.drop_column('text_removed')
        batch_op.drop_column('fresh_start')
    with op.batch_alter_table('consent_record', schema=None) as batch_op:
        batch_op.drop_column('withdrawn')
