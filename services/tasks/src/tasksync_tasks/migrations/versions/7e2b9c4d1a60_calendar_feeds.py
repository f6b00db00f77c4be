"""calendar feeds

Revision ID: 7e2b9c4d1a60
Revises: e3a400c80e3f
Create Date: 2026-12-01 20:15:00.000000

A new table of calendar feeds (one per person, the SHA-256 of its secret unique), and a partial
index over the rooms' membership entries, by which a feed read without a token tells whether
its owner is still in a room. No existing row changes.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7e2b9c4d1a60'
down_revision = 'e3a400c80e3f'
branch_labels = None
depends_on = None

MEMBERSHIP = sa.text("kind IN ('member.joined', 'member.left', 'member.removed')")


def upgrade():
    op.create_table('calendar_feeds',
    sa.Column('user_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('user_id'),
    sa.UniqueConstraint('secret_hash')
    )
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.create_index(
            'ix_activity_membership', ['room_id', 'id'], unique=False,
            postgresql_where=MEMBERSHIP, sqlite_where=MEMBERSHIP,
        )


def downgrade():
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_membership', postgresql_where=MEMBERSHIP, sqlite_where=MEMBERSHIP)

    op.drop_table('calendar_feeds')
