"""Checklist items: each belongs to one task, and they read in the order they were added (by id)."""

from ..extensions import db

MAX_PER_TASK = 100


class ChecklistItem(db.Model):
    __tablename__ = "checklist_items"
    __table_args__ = (db.Index("ix_checklist_items_task_id_id", "task_id", "id"), {"sqlite_autoincrement": True})

    id = db.Column(db.Integer, primary_key=True)
    task_id = db.Column(db.Integer, db.ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False)
    text = db.Column(db.String(500), nullable=False)
    done = db.Column(db.Boolean, nullable=False, default=False)
