"""The outbox: history entries of membership and room changes, written in the transaction of the
change and kept until the relay has delivered them to the tasks service (which keeps the history)."""

from tasksync_common.timestamps import utcnow

from ..extensions import db


class OutboxEntry(db.Model):
    __tablename__ = "activity_outbox"
    # Ids grow in each room's commit order (service.record locks the room first); never reused.
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012 (read once by SQLAlchemy)

    id = db.Column(db.Integer, primary_key=True)
    room_id = db.Column(db.Integer, nullable=False)  # no foreign key: a row may outlive its room
    kind = db.Column(db.String(32), nullable=False)
    actor_id = db.Column(db.Integer, nullable=False)
    actor_username = db.Column(db.String(80), nullable=False)
    data = db.Column(db.JSON, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # The X-Request-ID of the request that made the change (the tasks service's live event of the
    # entry carries it, so a client knows its own change); null in rows written before it was kept.
    request_id = db.Column(db.String(128), nullable=True)
