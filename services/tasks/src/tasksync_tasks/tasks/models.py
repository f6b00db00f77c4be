"""Tasks, and a per-room revision that changes with every write (for cheap change checks)."""

from datetime import UTC, datetime

from sqlalchemy.engine import Dialect
from sqlalchemy.types import DateTime, TypeDecorator

from tasksync_common.timestamps import utcnow

from ..extensions import db

STATUSES = ("pending", "in progress", "completed")
PRIORITIES = ("none", "low", "medium", "high", "urgent")


class UTCDateTime(TypeDecorator[datetime]):
    """An instant, given and read as an aware UTC datetime whatever the database does with time
    zones (PostgreSQL answers in the session's zone, SQLite keeps none): equal instants compare equal."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Task(db.Model):
    __tablename__ = "tasks"
    __table_args__ = (
        db.Index("ix_tasks_room_id_id", "room_id", "id"),
        db.Index("ix_tasks_user_id_id", "user_id", "id"),  # a person's tasks across rooms
        # A column in board order (moves, the end of a column), and the whole board by position.
        db.Index("ix_tasks_room_status_position", "room_id", "status", "position", "id"),
        db.Index("ix_tasks_room_position", "room_id", "position", "id"),
        db.CheckConstraint(f"priority IN {PRIORITIES}", name="ck_tasks_priority"),
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
    due_at = db.Column(UTCDateTime, nullable=True)
    priority = db.Column(db.String(10), nullable=False, default="none", server_default="none")
    # Order within the task's status column (see positions.py): integers with gaps.
    position = db.Column(db.BigInteger, nullable=False)
    # When the task's sort keys last changed, for walks through pages (walks.py): the room
    # revision of its last move (0: never moved), the database's clock at its last due change
    # (null: never), and its position before the room's latest renumbering (null: none since it
    # was created).
    moved_revision = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    due_changed_at = db.Column(UTCDateTime, nullable=True)
    renumbered_from = db.Column(db.BigInteger, nullable=True)
    # Casefolded title and description: `q` matches in any letter case, in every script.
    search_text = db.Column(db.Text, nullable=False, default="")
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class RoomRevision(db.Model):
    __tablename__ = "room_revisions"

    room_id = db.Column(db.Integer, primary_key=True, autoincrement=False)
    revision = db.Column(db.Integer, nullable=False, default=0)
    # How many times the room's board was renumbered (positions.py): what a board cursor's
    # position means (walks.py).
    renumberings = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    # Set when the room is deleted: its history is gone, and an entry delivered late is dropped.
    closed = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())
