"""activity outbox: the request id of the change, which the entry's live event carries

Revision ID: c3f81a5d92e4
Revises: 4d2b8e6c1a90
Create Date: 2026-12-01 19:30:00.000000

One nullable column: rows written before (not delivered yet) are sent without one.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3f81a5d92e4'
down_revision = '4d2b8e6c1a90'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('activity_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_id', sa.String(length=128), nullable=True))


def downgrade():
    with op.batch_alter_table('activity_outbox', schema=None) as batch_op:
        batch_op.drop_column('request_id')
