"""activity: each room's history, and rooms closed to it once deleted

Revision ID: 9c3e5a1f2b47
Revises: 5b0c1d2e7f31
Create Date: 2026-12-01 16:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9c3e5a1f2b47'
down_revision = '5b0c1d2e7f31'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('actor_username', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('outbox_id', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('outbox_id'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.create_index('ix_activity_room_id_id', ['room_id', 'id'], unique=False)
        batch_op.create_index('ix_activity_task_id_id', ['task_id', 'id'], unique=False)

    with op.batch_alter_table('room_revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('room_revisions', schema=None) as batch_op:
        batch_op.drop_column('closed')

    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_task_id_id')
        batch_op.drop_index('ix_activity_room_id_id')

    op.drop_table('activity')
