"""activity: the room's revision after each entry's change, and the request that caused it

Revision ID: b7d4e2a9c615
Revises: 1c559c51b988
Create Date: 2026-12-01 19:20:00.000000

Two nullable columns, which live events carry: rows written before have neither (a replay gives
such a row the room's current revision).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d4e2a9c615'
down_revision = '1c559c51b988'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('request_id', sa.String(length=128), nullable=True))


def downgrade():
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_column('request_id')
        batch_op.drop_column('revision')
