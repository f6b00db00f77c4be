"""Activity entries: a room's append-only history, kept by the tasks service for every room."""

from tasksync_common.timestamps import utcnow

from ..extensions import db

TASK_KINDS = ("task.created", "task.updated", "task.moved", "task.deleted", "checklist.updated")
COMMENT_KINDS = ("comment.created", "comment.deleted")
LABEL_KINDS = ("label.created", "label.updated", "label.deleted")
# Written by the rooms service (its outbox, delivered by its relay), not by this one's routes.
ROOM_KINDS = ("member.joined", "member.left", "member.removed", "room.renamed")
KINDS = TASK_KINDS + COMMENT_KINDS + LABEL_KINDS + ROOM_KINDS


class Activity(db.Model):
    __tablename__ = "activity"
    __table_args__ = (
        # Newest first, a page at a time, however long the room's history (keyset on id).
        db.Index("ix_activity_room_id_id", "room_id", "id"),
        db.Index("ix_activity_task_id_id", "task_id", "id"),  # one task's history
        {"sqlite_autoincrement": True},  # an id is never given twice, even after a room's deletion
    )

    id = db.Column(db.Integer, primary_key=True)
    room_id = db.Column(db.Integer, nullable=False)  # a room of the rooms service
    # No foreign key: the entry outlives its task (its title is copied into ``data``).
    task_id = db.Column(db.Integer, nullable=True)
    actor_id = db.Column(db.Integer, nullable=False)
    actor_username = db.Column(db.String(80), nullable=False)
    kind = db.Column(db.String(32), nullable=False)
    data = db.Column(db.JSON, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # The rooms service's outbox id of an entry it sent (null for this service's own): unique,
    # so a delivery repeated after a lost answer, or by two relays at once, is written once.
    outbox_id = db.Column(db.BigInteger, nullable=True, unique=True)
    # What a live event of the entry carries: the room's revision once its change committed, and
    # the X-Request-ID of the request that made it (null in rows written before either was kept).
    revision = db.Column(db.Integer, nullable=True)
    request_id = db.Column(db.String(128), nullable=True)
