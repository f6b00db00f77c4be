"""Notifications: one row per person told of something, written in the transaction of its cause."""

from tasksync_common.timestamps import utcnow

from ..extensions import db

# What a notification is about. Kinds are plain strings (no database enum): the reminders and
# webhooks to come add theirs without a migration.
KINDS = ("mentioned", "assigned", "commented", "due_soon", "overdue", "webhook_disabled")


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        db.Index("ix_notifications_user_id_id", "user_id", "id"),  # a person's, newest first
        db.Index("ix_notifications_room_id", "room_id"),  # a deleted room's go with it
        # One of each kind per comment and person (a comment's edit mentions nobody twice); its
        # leading column also finds a comment's notifications.
        db.UniqueConstraint("comment_id", "user_id", "kind", name="uq_notifications_comment_id_user_id_kind"),
        {"sqlite_autoincrement": True},
    )

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, nullable=False)  # who is told
    kind = db.Column(db.String(32), nullable=False)
    room_id = db.Column(db.Integer, nullable=False)
    task_id = db.Column(db.Integer, nullable=True)  # no foreign key: it outlives its task, by its data
    # The comment that caused it: deleting the comment (or its task) withdraws it.
    comment_id = db.Column(db.Integer, db.ForeignKey("comments.id", ondelete="CASCADE"), nullable=True)
    actor_id = db.Column(db.Integer, nullable=True)  # null for what nobody did (a reminder)
    actor_username = db.Column(db.String(80), nullable=True)
    data = db.Column(db.JSON, nullable=False)
    read = db.Column(db.Boolean, nullable=False, default=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
