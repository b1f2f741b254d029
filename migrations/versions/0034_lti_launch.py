"""lti launch

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-04 22:40:24.853289

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0034'
down_revision = '0033'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lti_platform',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('issuer', sa.String(length=255), nullable=False),
    sa.Column('client_id', sa.String(length=255), nullable=False),
    sa.Column('auth_url', sa.String(length=500), nullable=False),
    sa.Column('keyset_url', sa.String(length=500), nullable=False),
    sa.Column('token_url', sa.String(length=500), nullable=False),
    sa.Column('keys', sa.JSON(), nullable=True),
    sa.Column('keys_fetched_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_platform')),
    sa.UniqueConstraint('issuer', 'client_id', name=op.f('uq_lti_platform_issuer_client_id'))
    )
    op.create_table('lti_tool_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kid', sa.String(length=64), nullable=False),
    sa.Column('private_pem', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_tool_key')),
    sa.UniqueConstraint('kid', name=op.f('uq_lti_tool_key_kid'))
    )
    op.create_table('lti_deployment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('deployment_id', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['lti_platform.id'], name=op.f('fk_lti_deployment_platform_id_lti_platform'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_deployment')),
    sa.UniqueConstraint('platform_id', 'deployment_id', name=op.f('uq_lti_deployment_platform_id_deployment_id'))
    )
    op.create_table('lti_identity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('sub', sa.String(length=255), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_lti_identity_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['platform_id'], ['lti_platform.id'], name=op.f('fk_lti_identity_platform_id_lti_platform'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_identity')),
    sa.UniqueConstraint('platform_id', 'sub', name=op.f('uq_lti_identity_platform_id_sub'))
    )
    with op.batch_alter_table('lti_identity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_identity_account_id'), ['account_id'], unique=False)

    op.create_table('lti_launch_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=64), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['platform_id'], ['lti_platform.id'], name=op.f('fk_lti_launch_state_platform_id_lti_platform'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_launch_state')),
    sa.UniqueConstraint('nonce', name=op.f('uq_lti_launch_state_nonce')),
    sa.UniqueConstraint('state', name=op.f('uq_lti_launch_state_state'))
    )
    with op.batch_alter_table('lti_launch_state', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_launch_state_created_at'), ['created_at'], unique=False)

    op.create_table('lti_pending_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('sub', sa.String(length=255), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('launch', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_lti_pending_link_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['platform_id'], ['lti_platform.id'], name=op.f('fk_lti_pending_link_platform_id_lti_platform'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_pending_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_lti_pending_link_token_hash'))
    )
    op.create_table('lti_context',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('context_id', sa.String(length=255), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=True),
    sa.Column('linked_by_id', sa.Integer(), nullable=True),
    sa.Column('linked_at', sa.DateTime(), nullable=True),
    sa.Column('memberships_url', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_lti_context_cohort_id_cohort'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['linked_by_id'], ['account.id'], name=op.f('fk_lti_context_linked_by_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['platform_id'], ['lti_platform.id'], name=op.f('fk_lti_context_platform_id_lti_platform'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_context')),
    sa.UniqueConstraint('platform_id', 'context_id', name=op.f('uq_lti_context_platform_id_context_id'))
    )
    with op.batch_alter_table('lti_context', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_context_cohort_id'), ['cohort_id'], unique=False)
    op.create_table('lti_deep_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=True),
    sa.Column('deployment_id', sa.String(length=255), nullable=False),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_lti_deep_link_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['course_id'], ['lti_context.id'], name=op.f('fk_lti_deep_link_course_id_lti_context'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['platform_id'], ['lti_platform.id'], name=op.f('fk_lti_deep_link_platform_id_lti_platform'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_deep_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_lti_deep_link_token_hash'))
    )


def downgrade():
    op.drop_table('lti_deep_link')
    with op.batch_alter_table('lti_context', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lti_context_cohort_id'))

    op.drop_table('lti_context')
    op.drop_table('lti_pending_link')
    with op.batch_alter_table('lti_launch_state', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lti_launch_state_created_at'))

    op.drop_table('lti_launch_state')
    with op.batch_alter_table('lti_identity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lti_identity_account_id'))

    op.drop_table('lti_identity')
    op.drop_table('lti_deployment')
    op.drop_table('lti_tool_key')
    op.drop_table('lti_platform')
