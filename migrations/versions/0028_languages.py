"""languages: a person's choice, a programme's default, a module version's, a job's file

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-04 13:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN on both databases: no table is rebuilt (the report triggers stay).
    op.add_column('account', sa.Column('language', sa.String(length=8), nullable=True))
    op.add_column('programme', sa.Column('language', sa.String(length=8), nullable=True))
    # The language a module version is written in (every version so far: English).
    for table in ('module_version', 'guide_version'):
        op.add_column(table, sa.Column('language', sa.String(length=8), nullable=False,
                                       server_default='en'))
    # A report is made in the language of whoever asked for it: one job per language too.
    with op.batch_alter_table('report_job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=False,
                                      server_default='en'))
        batch_op.drop_constraint('uq_report_job_kind_subject_id_data_version_k', type_='unique')
        batch_op.create_unique_constraint(
            batch_op.f('uq_report_job_kind_subject_id_data_version_k_language'),
            ['kind', 'subject_id', 'data_version', 'k', 'language'])


def downgrade():
    for table in ('guide_version', 'module_version'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('language')
    op.execute("DELETE FROM report_job WHERE language <> 'en'")
    with op.batch_alter_table('report_job', schema=None) as batch_op:
        batch_op.drop_constraint('uq_report_job_kind_subject_id_data_version_k_language',
                                 type_='unique')
        batch_op.create_unique_constraint('uq_report_job_kind_subject_id_data_version_k',
                                          ['kind', 'subject_id', 'data_version', 'k'])
        batch_op.drop_column('language')
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_column('language')
