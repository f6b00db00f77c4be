"""labels, checklists, and an index of tasks by assignee

Revision ID: 5b0c1d2e7f31
Revises: e1ea85ad07a7
Create Date: 2026-12-01 13:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b0c1d2e7f31'
down_revision = 'e1ea85ad07a7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index('ix_tasks_user_id_id', ['user_id', 'id'], unique=False)

    op.create_table('labels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('name_key', sa.String(length=160), nullable=False),
    sa.Column('color', sa.String(length=7), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('room_id', 'name_key', name='uq_labels_room_id_name_key'),
    sqlite_autoincrement=True
    )
    op.create_table('task_labels',
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('label_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['label_id'], ['labels.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('task_id', 'label_id')
    )
    with op.batch_alter_table('task_labels', schema=None) as batch_op:
        batch_op.create_index('ix_task_labels_label_id', ['label_id'], unique=False)

    op.create_table('checklist_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.create_index('ix_checklist_items_task_id_id', ['task_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.drop_index('ix_checklist_items_task_id_id')

    op.drop_table('checklist_items')
    with op.batch_alter_table('task_labels', schema=None) as batch_op:
        batch_op.drop_index('ix_task_labels_label_id')

    op.drop_table('task_labels')
    op.drop_table('labels')
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_tasks_user_id_id')
