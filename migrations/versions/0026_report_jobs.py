"""long work off the request: report jobs, and the job queue's tables on PostgreSQL

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-05 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None

#: The tables huey's PostgreSQL storage (huey 3.5) keeps its queue in, as it creates them.
#: Made here, once, so that web and job workers starting together never race to create
#: them. On SQLite the queue lives in its own file beside the database instead.
HUEY_DDL = [
    'create table if not exists huey_kv (queue text not null, key text not null, '
    'value bytea not null, primary key(queue, key))',
    'create table if not exists huey_schedule (id bigserial primary key, '
    'queue text not null, data bytea not null, timestamp double precision not null)',
    'create index if not exists huey_schedule_queue_timestamp '
    'on huey_schedule (queue, timestamp)',
    'create table if not exists huey_task (id bigserial primary key, queue text not null, '
    'data bytea not null, priority double precision not null default 0.0)',
    'create index if not exists huey_task_queue_priority_id '
    'on huey_task (queue, priority desc, id)',
    'create table if not exists huey_counter (queue text not null, key text not null, '
    'value bigint not null default 0, primary key(queue, key))',
]


def upgrade():
    op.create_table(
        'report_job',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=False),
        sa.Column('data_version', sa.String(length=64), nullable=False),
        sa.Column('k', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('parts_done', sa.Integer(), nullable=False),
        sa.Column('parts_total', sa.Integer(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('heartbeat_at', sa.DateTime(), nullable=True),
        sa.Column('error', sa.Text(), nullable=False),
        sa.Column('file_name', sa.String(length=200), nullable=False),
        sa.Column('file_size', sa.Integer(), nullable=False),
        sa.Column('file_data', sa.LargeBinary(), nullable=True),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('queued_at', sa.DateTime(), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['requested_by_id'], ['account.id'],
                                name=op.f('fk_report_job_requested_by_id_account'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_job')),
        sa.UniqueConstraint('kind', 'subject_id', 'data_version', 'k',
                            name=op.f('uq_report_job_kind_subject_id_data_version_k')),
    )
    with op.batch_alter_table('report_job', schema=None) as batch_op:
        batch_op.create_index('ix_report_job_state_heartbeat_at', ['state', 'heartbeat_at'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_report_job_subject_id'), ['subject_id'],
                              unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        for statement in HUEY_DDL:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for table in ('huey_counter', 'huey_task', 'huey_schedule', 'huey_kv'):
            op.execute(f'drop table if exists {table}')
    with op.batch_alter_table('report_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_job_subject_id'))
        batch_op.drop_index('ix_report_job_state_heartbeat_at')
    op.drop_table('report_job')
