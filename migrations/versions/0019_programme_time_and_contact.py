"""each programme's time zone and named contact

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 18:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('contact_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('contact_details', sa.String(length=300), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_programme_contact_id_account'), 'account',
                                    ['contact_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_programme_contact_id_account'), type_='foreignkey')
        batch_op.drop_column('contact_details')
        batch_op.drop_column('contact_id')
        batch_op.drop_column('time_zone')
