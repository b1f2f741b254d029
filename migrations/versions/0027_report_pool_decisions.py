"""reports keep pool decisions per data version; triggers raise the data version

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-04 08:30:00

"""
from alembic import op
import sqlalchemy as sa

from webapp.reports import versions


revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None

#: The tables whose triggers this revision installs (a later change installs its own).
TABLES = ('feedback_response', 'feedback_answer', 'feedback_comment',
          'knowledge_check_attempt', 'assignment', 'confidence_answer', 'submission', 'review',
          'membership', 'cohort')


def upgrade():
    # No counter rows yet: a module version without one reads as data version 0, and the
    # first change after this revision starts it at 1.
    op.create_table(
        'report_data_version',
        sa.Column('module_version_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('raised_by', sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint('module_version_id'),
    )
    op.create_table(
        'report_pool',
        sa.Column('programme_id', sa.Integer(), nullable=False),
        sa.Column('module_version_id', sa.Integer(), nullable=False),
        sa.Column('k', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('decisions', sa.Text(), nullable=False),
        sa.Column('made_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['module_version_id'], ['module_version.id'],
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('programme_id', 'module_version_id', 'k'),
    )
    versions.install(op.get_bind(), TABLES)


def downgrade():
    versions.uninstall(op.get_bind(), TABLES)
    op.drop_table('report_pool')
    op.drop_table('report_data_version')
