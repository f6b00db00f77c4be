"""Tasks, and a per-room revision that changes with every write (for cheap change checks)."""

from tasksync_common.timestamps import utcnow

from ..extensions import db

STATUSES = ("pending", "in progress", "completed")


class Task(db.Model):
    __tablename__ = "tasks"
    __table_args__ = (
        db.Index("ix_tasks_room_id_id", "room_id", "id"),
        db.Index("ix_tasks_user_id_id", "user_id", "id"),  # a person's tasks across rooms
        {"sqlite_autoincrement": True},
    )

    id = db.Column(db.Integer, primary_key=True)
    # room_id and user_id name rows of the rooms service's database: this service enforces them.
    room_id = db.Column(db.Integer, nullable=False)
    user_id = db.Column(db.Integer, nullable=False)
    created_by = db.Column(db.Integer, nullable=False)
    title = db.Column(db.String(255), nullable=False)
    description = db.Column(db.Text, nullable=True)
    status = db.Column(db.Enum(*STATUSES, name="task_status"), nullable=False, default="pending")
    version = db.Column(db.Integer, nullable=False, default=1)
    # Casefolded title and description: `q` matches in any letter case, in every script.
    search_text = db.Column(db.Text, nullable=False, default="")
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class RoomRevision(db.Model):
    __tablename__ = "room_revisions"

    room_id = db.Column(db.Integer, primary_key=True, autoincrement=False)
    revision = db.Column(db.Integer, nullable=False, default=0)
