"""task planning fields: due_at, priority, position (with positions for existing tasks)

Revision ID: e1ea85ad07a7
Revises: 81128cb80918
Create Date: 2026-12-01 12:50:00

Existing tasks get positions in their creation order within each (room, status) column, spaced
as tasksync_tasks.tasks.positions spaces them (the value is written here, not imported: a
migration must keep meaning what it meant when it ran).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e1ea85ad07a7'
down_revision = '81128cb80918'
branch_labels = None
depends_on = None

GAP = 2**20
PRIORITIES = ("none", "low", "medium", "high", "urgent")
# SQLite rebuilds the table for the constraint and NOT NULL: it must stay AUTOINCREMENT.
TABLE_OPTIONS = {"sqlite_autoincrement": True}


def _sqlite_sequence():
    """The highest task id SQLite has handed out (None on other databases): a rebuilt table
    would start again from the highest id still present, and reuse the ids of deleted tasks."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return None
    return bind.execute(sa.text("SELECT seq FROM sqlite_sequence WHERE name = 'tasks'")).scalar()


def _restore_sqlite_sequence(seq):
    if seq is None:
        return
    bind = op.get_bind()
    bind.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = 'tasks'"))
    bind.execute(
        sa.text(
            "INSERT INTO sqlite_sequence (name, seq) "
            "SELECT 'tasks', max(:seq, coalesce((SELECT max(id) FROM tasks), 0))"
        ),
        {"seq": seq},
    )


def upgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('priority', sa.String(length=10), server_default='none', nullable=False))
        batch_op.add_column(sa.Column('position', sa.BigInteger(), nullable=True))

    op.execute(
        sa.text(
            "UPDATE tasks SET position = numbered.n * :gap FROM ("
            " SELECT id, row_number() OVER (PARTITION BY room_id, status ORDER BY id) AS n FROM tasks"
            ") AS numbered WHERE tasks.id = numbered.id"
        ).bindparams(gap=GAP)
    )

    seq = _sqlite_sequence()
    with op.batch_alter_table('tasks', schema=None, table_kwargs=TABLE_OPTIONS) as batch_op:
        batch_op.alter_column('position', existing_type=sa.BigInteger(), nullable=False)
        batch_op.create_check_constraint('ck_tasks_priority', f"priority IN {PRIORITIES}")
        batch_op.create_index('ix_tasks_room_status_position', ['room_id', 'status', 'position', 'id'], unique=False)
        batch_op.create_index('ix_tasks_room_position', ['room_id', 'position', 'id'], unique=False)
    _restore_sqlite_sequence(seq)


def downgrade():
    seq = _sqlite_sequence()
    with op.batch_alter_table('tasks', schema=None, table_kwargs=TABLE_OPTIONS) as batch_op:
        batch_op.drop_index('ix_tasks_room_position')
        batch_op.drop_index('ix_tasks_room_status_position')
        batch_op.drop_constraint('ck_tasks_priority', type_='check')
        batch_op.drop_column('position')
        batch_op.drop_column('priority')
        batch_op.drop_column('due_at')
    _restore_sqlite_sequence(seq)
