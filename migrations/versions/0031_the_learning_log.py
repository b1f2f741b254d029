"""the learning log

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-04 19:44:45

"""
from alembic import op
import sqlalchemy as sa

from webapp.reports import versions

#: The tables whose report triggers this revision installs.
TABLES = ('log_entry', 'log_revisit')


# revision identifiers, used by Alembic.
revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('log_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=12), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('written_on', sa.Date(), nullable=False),
    sa.Column('module_version_id', sa.Integer(), nullable=True),
    sa.Column('place_id', sa.String(length=100), nullable=True),
    sa.Column('assignment_id', sa.Integer(), nullable=True),
    sa.Column('follows_id', sa.Integer(), nullable=True),
    sa.Column('come_back_on', sa.Date(), nullable=True),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('back_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('shared_with', sa.String(length=8), nullable=True),
    sa.Column('share_group_id', sa.Integer(), nullable=True),
    sa.Column('share_cohort_id', sa.Integer(), nullable=True),
    sa.Column('share_named', sa.Boolean(), nullable=False),
    sa.Column('shared_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_reason', sa.Text(), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.Column('pin_state', sa.String(length=10), nullable=True),
    sa.Column('pin_programme_id', sa.Integer(), nullable=True),
    sa.Column('pin_proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('pin_changed_at', sa.DateTime(), nullable=True),
    sa.Column('sent_back_case_id', sa.Integer(), nullable=True),
    sa.Column('sent_back_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("pin_state IS NULL OR pin_state IN ('proposed', 'pinned')", name=op.f('ck_log_entry_pin_state')),
    sa.CheckConstraint("place IN ('lesson', 'check', 'case', 'feedback', 'placement', 'own')", name=op.f('ck_log_entry_place')),
    sa.CheckConstraint("shared_with IS NULL OR shared_with IN ('group', 'cohort')", name=op.f('ck_log_entry_shared_with')),
    sa.CheckConstraint("stage IN ('what', 'so_what', 'now_what', 'what_happened')", name=op.f('ck_log_entry_stage')),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_log_entry_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_log_entry_assignment_id_assignment'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['follows_id'], ['log_entry.id'], name=op.f('fk_log_entry_follows_id_log_entry'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['account.id'], name=op.f('fk_log_entry_hidden_by_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['module_version_id'], ['module_version.id'], name=op.f('fk_log_entry_module_version_id_module_version'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pin_programme_id'], ['programme.id'], name=op.f('fk_log_entry_pin_programme_id_programme'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pin_proposed_by_id'], ['account.id'], name=op.f('fk_log_entry_pin_proposed_by_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['sent_back_case_id'], ['case_work.id'], name=op.f('fk_log_entry_sent_back_case_id_case_work'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['share_cohort_id'], ['cohort.id'], name=op.f('fk_log_entry_share_cohort_id_cohort'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['share_group_id'], ['study_group.id'], name=op.f('fk_log_entry_share_group_id_study_group'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_log_entry'))
    )
    with op.batch_alter_table('log_entry', schema=None) as batch_op:
        batch_op.create_index('ix_log_entry_author', ['account_id', 'written_on', 'id'], unique=False)
        batch_op.create_index('ix_log_entry_back', ['account_id', 'back_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_log_entry_follows_id'), ['follows_id'], unique=False)
        batch_op.create_index('ix_log_entry_pinned', ['pin_programme_id', 'pin_state'], unique=False)
        batch_op.create_index(batch_op.f('ix_log_entry_sent_back_case_id'), ['sent_back_case_id'], unique=False)
        batch_op.create_index('ix_log_entry_shared', ['share_cohort_id', 'shared_at'], unique=False)
        batch_op.create_index('ix_log_entry_group_shared', ['share_group_id', 'shared_at'], unique=False)

    op.create_table('log_revisit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('answer', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('on_day', sa.Date(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("answer IN ('still_true', 'changed_mind', 'did_it', 'not_today', 'stop')", name=op.f('ck_log_revisit_answer')),
    sa.ForeignKeyConstraint(['entry_id'], ['log_entry.id'], name=op.f('fk_log_revisit_entry_id_log_entry'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_log_revisit'))
    )
    with op.batch_alter_table('log_revisit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_log_revisit_entry_id'), ['entry_id'], unique=False)

    # Plain ADD COLUMN: the account and programme tables are not rebuilt.
    op.add_column('account', sa.Column('learning_log', sa.String(length=4), nullable=True))
    op.add_column('account', sa.Column('log_reminders', sa.Boolean(), nullable=True))

    op.add_column('programme', sa.Column('keep_log_days', sa.Integer(), nullable=True))
    versions.install(op.get_bind(), TABLES)
    # Kept report decisions have no learning log table yet: they are counted again.
    op.execute('DELETE FROM report_pool')



def downgrade():
    versions.uninstall(op.get_bind(), TABLES)
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.drop_column('keep_log_days')

    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_column('log_reminders')
        batch_op.drop_column('learning_log')

    with op.batch_alter_table('log_revisit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_log_revisit_entry_id'))

    op.drop_table('log_revisit')
    with op.batch_alter_table('log_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_log_entry_shared')
        batch_op.drop_index('ix_log_entry_group_shared')
        batch_op.drop_index(batch_op.f('ix_log_entry_sent_back_case_id'))
        batch_op.drop_index('ix_log_entry_pinned')
        batch_op.drop_index(batch_op.f('ix_log_entry_follows_id'))
        batch_op.drop_index('ix_log_entry_author')
        batch_op.drop_index('ix_log_entry_back')

    op.drop_table('log_entry')
