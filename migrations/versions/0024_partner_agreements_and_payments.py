"""agreements with patient partners, and payment records kept for bookkeeping

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-04 06:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'partner_agreement',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=True),
        sa.Column('tasks', sa.Text(), nullable=False),
        sa.Column('fee', sa.Text(), nullable=False),
        sa.Column('travel', sa.Text(), nullable=False),
        sa.Column('lost_income', sa.Text(), nullable=False),
        sa.Column('companion', sa.Text(), nullable=False),
        sa.Column('declines_payment', sa.Boolean(), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('offered_by_id', sa.Integer(), nullable=True),
        sa.Column('offered_at', sa.DateTime(), nullable=False),
        sa.Column('accepted_at', sa.DateTime(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['account.id'],
                                name=op.f('fk_partner_agreement_account_id_account'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'],
                                name=op.f('fk_partner_agreement_cohort_id_cohort'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['offered_by_id'], ['account.id'],
                                name=op.f('fk_partner_agreement_offered_by_id_account'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_agreement')),
        sa.UniqueConstraint('cohort_id', 'account_id',
                            name=op.f('uq_partner_agreement_cohort_id_account_id')),
    )
    with op.batch_alter_table('partner_agreement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_agreement_account_id'), ['account_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_partner_agreement_cohort_id'), ['cohort_id'],
                              unique=False)
    op.create_table(
        'payment_record',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.Column('agreement_id', sa.Integer(), nullable=True),
        sa.Column('account_id', sa.Integer(), nullable=True),
        sa.Column('contribution_id', sa.Integer(), nullable=True),
        sa.Column('activity', sa.String(length=20), nullable=False),
        sa.Column('on_date', sa.DateTime(), nullable=False),
        sa.Column('minutes', sa.Integer(), nullable=False),
        sa.Column('paid_at', sa.DateTime(), nullable=False),
        sa.Column('marked_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['account_id'], ['account.id'],
                                name=op.f('fk_payment_record_account_id_account'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['agreement_id'], ['partner_agreement.id'],
                                name=op.f('fk_payment_record_agreement_id_partner_agreement'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'],
                                name=op.f('fk_payment_record_cohort_id_cohort'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['contribution_id'], ['contribution.id'],
                                name=op.f('fk_payment_record_contribution_id_contribution'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['marked_by_id'], ['account.id'],
                                name=op.f('fk_payment_record_marked_by_id_account'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_record')),
        sa.UniqueConstraint('contribution_id', name=op.f('uq_payment_record_contribution_id')),
    )
    with op.batch_alter_table('payment_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_record_account_id'), ['account_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_payment_record_agreement_id'), ['agreement_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_payment_record_cohort_id'), ['cohort_id'],
                              unique=False)


def downgrade():
    op.drop_table('payment_record')
    op.drop_table('partner_agreement')
