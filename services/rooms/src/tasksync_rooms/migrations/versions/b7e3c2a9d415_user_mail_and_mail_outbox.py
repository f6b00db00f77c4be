"""users: language, e-mail address and its verification; the mail outbox

Revision ID: b7e3c2a9d415
Revises: c3f81a5d92e4
Create Date: 2026-12-01 19:55:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e3c2a9d415'
down_revision = 'c3f81a5d92e4'
branch_labels = None
depends_on = None


def upgrade():
    # Existing people get English mail and no address until they give one. Plain ALTER TABLE
    # (SQLite adds and drops columns in place): a batch copy of users would trip the foreign keys
    # of the tables that point at it.
    op.add_column('users', sa.Column('language', sa.String(length=8), nullable=False, server_default='en'))
    op.add_column('users', sa.Column('email', sa.String(length=320), nullable=True))
    op.add_column('users', sa.Column('email_verified', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('users', sa.Column('email_code_hash', sa.String(length=120), nullable=True))
    op.add_column('users', sa.Column('email_code_expires_at', sa.DateTime(), nullable=True))
    op.create_table('mail_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.String(length=255), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('message_id')
    )
    op.create_index('ix_mail_outbox_due', 'mail_outbox', ['state', 'next_attempt_at'], unique=False)


def downgrade():
    op.drop_index('ix_mail_outbox_due', table_name='mail_outbox')
    op.drop_table('mail_outbox')
    for column in ('email_code_expires_at', 'email_code_hash', 'email_verified', 'email', 'language'):
        op.drop_column('users', column)
