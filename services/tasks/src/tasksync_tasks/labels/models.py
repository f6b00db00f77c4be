"""Labels of a room, and the association of tasks with them."""

from tasksync_common.timestamps import utcnow

from ..extensions import db

MAX_PER_ROOM = 50
MAX_PER_TASK = 10


class Label(db.Model):
    __tablename__ = "labels"
    # Unique on the casefolded name: `Срочно` and `СРОЧНО` are one label, in every script
    # (a database's lower() folds ASCII only on some backends).
    __table_args__ = (
        db.UniqueConstraint("room_id", "name_key", name="uq_labels_room_id_name_key"),
        {"sqlite_autoincrement": True},  # an id is never given twice, as with tasks
    )

    id = db.Column(db.Integer, primary_key=True)
    room_id = db.Column(db.Integer, nullable=False)  # a room of the rooms service
    name = db.Column(db.String(40), nullable=False)
    name_key = db.Column(db.String(160), nullable=False)  # casefold() may lengthen a name (ß -> ss)
    color = db.Column(db.String(7), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class TaskLabel(db.Model):
    __tablename__ = "task_labels"
    __table_args__ = (db.Index("ix_task_labels_label_id", "label_id"),)

    task_id = db.Column(db.Integer, db.ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True)
    label_id = db.Column(db.Integer, db.ForeignKey("labels.id", ondelete="CASCADE"), primary_key=True)
