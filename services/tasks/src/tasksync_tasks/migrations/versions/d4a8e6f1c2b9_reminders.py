"""reminders: each person's reminder settings, the reminders armed for tasks, the mails they ask for

Revision ID: d4a8e6f1c2b9
Revises: 7e2b9c4d1a60
Create Date: 2026-12-01 19:45:00.000000

Three new tables; no existing row changes. Tasks that already have a due time get no reminders
(none was asked for when their due time was set): the next change of one arms it.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4a8e6f1c2b9'
down_revision = '7e2b9c4d1a60'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'reminder_settings',
        sa.Column('user_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('before_due', sa.JSON(), nullable=False),
        sa.Column('overdue', sa.Boolean(), nullable=False),
        sa.Column('email', sa.Boolean(), nullable=False),
        sa.Column('unsubscribe_secret', sa.String(length=64), nullable=True),
        sa.Column('unsubscribe_hash', sa.String(length=64), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('user_id'),
        sa.UniqueConstraint('unsubscribe_hash'),
    )
    op.create_table(
        'reminders',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=False),
        sa.Column('room_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('offset_minutes', sa.Integer(), nullable=False),
        sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('fire_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('state', sa.String(length=8), nullable=False),
        sa.Column('fired_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint(
            'task_id', 'user_id', 'kind', 'offset_minutes', 'due_at', name='uq_reminders_task_user_kind_offset_due'
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(
        'ix_reminders_armed_fire_at',
        'reminders',
        ['fire_at'],
        unique=False,
        postgresql_where=sa.text("state = 'armed'"),
        sqlite_where=sa.text("state = 'armed'"),
    )
    op.create_index('ix_reminders_user_id_room_id', 'reminders', ['user_id', 'room_id'], unique=False)
    op.create_table(
        'reminder_mails',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.String(length=128), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('message_id'),
        sqlite_autoincrement=True,
    )


def downgrade():
    op.drop_table('reminder_mails')
    op.drop_index('ix_reminders_user_id_room_id', table_name='reminders')
    op.drop_index('ix_reminders_armed_fire_at', table_name='reminders')
    op.drop_table('reminders')
    op.drop_table('reminder_settings')
