"""activity outbox: history entries of membership and room changes, until delivered

Revision ID: 4d2b8e6c1a90
Revises: 73a7ca87379f
Create Date: 2026-12-01 16:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4d2b8e6c1a90'
down_revision = '73a7ca87379f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('activity_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('actor_username', sa.String(length=80), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True
    )


def downgrade():
    op.drop_table('activity_outbox')
