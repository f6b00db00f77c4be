"""Comments: each belongs to one task (and goes with it), and they read oldest first (by id)."""

from tasksync_common.timestamps import utcnow

from ..extensions import db

MAX_BODY = 5_000


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (db.Index("ix_comments_task_id_id", "task_id", "id"), {"sqlite_autoincrement": True})

    id = db.Column(db.Integer, primary_key=True)
    room_id = db.Column(db.Integer, nullable=False)  # the task's room (a room of the rooms service)
    task_id = db.Column(db.Integer, db.ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False)
    author_id = db.Column(db.Integer, nullable=False)
    # As it was when written: it reads the same after its author's account is gone.
    author_username = db.Column(db.String(80), nullable=False)
    original_author = db.Column(db.String(255), nullable=True)  # the name an import found
    body = db.Column(db.Text, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)
