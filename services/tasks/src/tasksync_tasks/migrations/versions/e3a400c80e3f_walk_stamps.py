"""walk stamps: when each task's sort keys last changed, and how often each room was renumbered

Revision ID: e3a400c80e3f
Revises: b7d4e2a9c615
Create Date: 2026-12-01 19:40:00

What a walk through the pages of board order or due order needs (tasksync_tasks.tasks.walks):
tasks.moved_revision (0: not moved since this migration, as if never), tasks.due_changed_at
(null: not changed since), tasks.renumbered_from (null: not renumbered since), and
room_revisions.renumberings (0). No existing value changes, and every existing task reads as
unchanged: a walk begun before the upgrade goes on as one begun after it.

New columns only, each nullable or with a default: added in place (ALTER TABLE ADD COLUMN, on
SQLite too), never by rebuilding a table.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e3a400c80e3f'
down_revision = 'b7d4e2a9c615'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('tasks', sa.Column('moved_revision', sa.Integer(), server_default='0', nullable=False))
    op.add_column('tasks', sa.Column('due_changed_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('tasks', sa.Column('renumbered_from', sa.BigInteger(), nullable=True))
    op.add_column('room_revisions', sa.Column('renumberings', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    op.drop_column('room_revisions', 'renumberings')
    op.drop_column('tasks', 'renumbered_from')
    op.drop_column('tasks', 'due_changed_at')
    op.drop_column('tasks', 'moved_revision')
