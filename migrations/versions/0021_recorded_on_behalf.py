"""what a named contact recorded for a person: case parts, consent choices, hours

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04 03:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

TABLES = ('section_revision', 'consent_record', 'contribution')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('recorded_by_id', sa.Integer(), nullable=True))
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_recorded_by_id_account'),
                                        'account', ['recorded_by_id'], ['id'],
                                        ondelete='SET NULL')


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_recorded_by_id_account'),
                                     type_='foreignkey')
            batch_op.drop_column('recorded_by_id')
