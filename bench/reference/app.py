"""The reference app: one room's first 50 tasks through Flask-SQLAlchemy's ORM, and nothing else.

    REFERENCE_DATABASE_URL=... gunicorn 'bench.reference.app:create_app()'

Deliberately independent of TaskSync's code: its own model of the same table.
"""

from __future__ import annotations

import os

from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import select

PAGE = 50

db = SQLAlchemy()


class Task(db.Model):
    __tablename__ = "tasks"

    id = db.Column(db.Integer, primary_key=True)
    room_id = db.Column(db.Integer, nullable=False)
    user_id = db.Column(db.Integer, nullable=False)
    created_by = db.Column(db.Integer, nullable=False)
    title = db.Column(db.String(255), nullable=False)
    description = db.Column(db.Text)
    status = db.Column(db.String(16), nullable=False)
    version = db.Column(db.Integer, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False)
    updated_at = db.Column(db.DateTime, nullable=False)


def _timestamp(value) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _item(task: Task) -> dict:
    return {
        "id": task.id,
        "room_id": task.room_id,
        "user_id": task.user_id,
        "created_by": task.created_by,
        "title": task.title,
        "description": task.description,
        "status": task.status,
        "version": task.version,
        "created_at": _timestamp(task.created_at),
        "updated_at": _timestamp(task.updated_at),
    }


def create_app() -> Flask:
    """The app, on the database named by REFERENCE_DATABASE_URL."""
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["REFERENCE_DATABASE_URL"]
    app.json.sort_keys = False
    db.init_app(app)

    @app.get("/rooms/<int:room_id>/tasks")
    def list_tasks(room_id: int):
        """The room's first page, in creation order; one more row tells whether there is a next page."""
        statement = select(Task).where(Task.room_id == room_id).order_by(Task.id).limit(PAGE + 1)
        tasks = db.session.execute(statement).scalars().all()
        more = len(tasks) > PAGE
        return {"items": [_item(t) for t in tasks[:PAGE]], "next_cursor": str(tasks[PAGE - 1].id) if more else None}

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app
