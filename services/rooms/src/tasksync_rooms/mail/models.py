"""The mail outbox: one row per mail to send, kept after it is sent (or dropped) for a week."""

from tasksync_common.timestamps import utcnow

from ..extensions import db

PENDING, SENT, DROPPED, FAILED = "pending", "sent", "dropped", "failed"


class OutgoingMail(db.Model):
    __tablename__ = "mail_outbox"
    # The sender's claim: the pending rows whose time has come, oldest first.
    __table_args__ = (db.Index("ix_mail_outbox_due", "state", "next_attempt_at"),)

    id = db.Column(db.Integer, primary_key=True)
    # Stable per mail: the same reminder pulled twice is one row, a resend carries the same id.
    message_id = db.Column(db.String(255), nullable=False, unique=True)
    user_id = db.Column(db.Integer, nullable=False)  # no foreign key: a row may outlive its user
    kind = db.Column(db.String(32), nullable=False)
    params = db.Column(db.JSON, nullable=False)
    state = db.Column(db.String(16), nullable=False, default=PENDING)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    # When the sender may take it next: due, after a failure's backoff, or after a claim's lease.
    next_attempt_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    sent_at = db.Column(db.DateTime, nullable=True)
    last_error = db.Column(db.String(500), nullable=True)
