"""notifications people control

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-04 23:10:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


revision = '0033'
down_revision = '0032'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('what', sa.String(length=24), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('path', sa.String(length=200), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.Column('mail', sa.String(length=8), nullable=False),
    sa.Column('mailed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_notification_account_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification')),
    sa.UniqueConstraint('account_id', 'key', name=op.f('uq_notification_account_id_key'))
    )
    op.create_index('ix_notification_account_id_read_at', 'notification', ['account_id', 'read_at'], unique=False)
    op.create_index('ix_notification_mail_mailed_at', 'notification', ['mail', 'mailed_at'], unique=False)
    op.create_table('case_visit',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('case_work_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_case_visit_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['case_work_id'], ['case_work.id'], name=op.f('fk_case_visit_case_work_id_case_work'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', 'case_work_id', name=op.f('pk_case_visit'))
    )
    op.create_index('ix_section_revision_created_at', 'section_revision', ['created_at'], unique=False)
    # Plain ADD COLUMN: no table is rebuilt (the report triggers stay).
    op.add_column('account', sa.Column(
        'notices', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=True))
    op.add_column('account', sa.Column('digest_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_column('digest_on')
        batch_op.drop_column('notices')
    op.drop_index('ix_section_revision_created_at', table_name='section_revision')
    op.drop_table('case_visit')
    op.drop_index('ix_notification_mail_mailed_at', table_name='notification')
    op.drop_index('ix_notification_account_id_read_at', table_name='notification')
    op.drop_table('notification')
