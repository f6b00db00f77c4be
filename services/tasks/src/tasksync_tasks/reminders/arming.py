"""Arming and disarming: the one place that decides which reminders a task has, run inside the
transaction of the change that decides it (a task written, a member gone, settings changed).

A task that is not completed, has a due time and an assignee gets that person's reminders: one
``due_soon`` per offset whose time is still ahead when the due time is set, and ``overdue`` at
the due time when it is ahead and the person wants overdue notices. Any change of the due time,
the assignee or whether the task is completed disarms what was armed (deletes the armed rows) and
arms anew; fired rows stay, so a reminder already sent is never armed again for the same due time.
A deleted task (or room) takes its reminders with it, fired or not: the database's own rule (a
foreign key ON DELETE CASCADE), in the transaction of the delete.

Locks, as every write here takes them: the room's (the caller's), then the task's row, then the
reminder rows; the worker takes reminder rows, then people's notification locks, never a room's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import and_, bindparam, select
from sqlalchemy import delete as sql_delete
from sqlalchemy.dialects import postgresql, sqlite

from tasksync_common import after_commit

from ..extensions import db
from ..tasks.models import Task
from . import settings as reminder_settings
from .models import ARMED, Reminder

_REMINDERS = Reminder.__table__
_TASKS = Task.__table__
_UNIQUE = ["task_id", "user_id", "kind", "offset_minutes", "due_at"]
_DISARM_TASK = sql_delete(_REMINDERS).where(_REMINDERS.c.task_id == bindparam("task"), _REMINDERS.c.state == ARMED)
_DISARM_MEMBER = sql_delete(_REMINDERS).where(
    _REMINDERS.c.room_id == bindparam("room"), _REMINDERS.c.user_id == bindparam("user"), _REMINDERS.c.state == ARMED
)
# What decides a task's reminders: a change of any of these arms them anew.
DECIDING = ("due_at", "user_id", "status")


def minute() -> timedelta:
    """How long a reminder offset's minute lasts (TASKSYNC_REMINDER_MINUTE_SECONDS: 60 but in tests)."""
    return timedelta(seconds=current_app.config["SETTINGS"].reminder_minute_seconds)


def now() -> datetime:
    return datetime.now(UTC)


def task_changed(old: Any | None, new: Any | None) -> None:
    """``old`` (a task's row before the change; None: created) became ``new`` (None: deleted):
    disarm and arm as the change decides, in the caller's transaction."""
    if old is not None and new is not None and all(getattr(old, n) == getattr(new, n) for n in DECIDING):
        return  # a title, a place, a label: the reminders stay as they are
    if old is not None:
        db.session.execute(_DISARM_TASK, {"task": old.id})
    if new is not None:
        arm([new])


def member_gone(room_id: int, user_id: int) -> None:
    """``user_id`` left the room or was removed from it: their reminders there are disarmed."""
    db.session.execute(_DISARM_MEMBER, {"room": room_id, "user": user_id})


def settings_changed(user_id: int, room_ids: list[int]) -> None:
    """The person's settings changed: their open tasks with a future due time, in ``room_ids``
    (the rooms they are in), are armed anew. Each task's row is locked first (a write of the
    task, which holds it too, arms after this or before it, never with a stale due time)."""
    if not room_ids:
        return
    statement = (
        select(_TASKS.c.id, _TASKS.c.room_id, _TASKS.c.user_id, _TASKS.c.status, _TASKS.c.due_at)
        .where(
            _TASKS.c.user_id == user_id,
            _TASKS.c.room_id.in_(room_ids),
            _TASKS.c.status != "completed",
            _TASKS.c.due_at > now(),
        )
        .order_by(_TASKS.c.id)
        .with_for_update(of=_TASKS)
    )
    tasks = db.session.execute(statement).all()
    if tasks:
        db.session.execute(
            sql_delete(_REMINDERS).where(
                and_(
                    _REMINDERS.c.task_id.in_([task.id for task in tasks]),
                    _REMINDERS.c.user_id == user_id,
                    _REMINDERS.c.state == ARMED,
                )
            )
        )
        arm(tasks)


def wanted(task: Any, chosen: Mapping[str, Any], at: datetime) -> list[dict]:
    """The reminder rows ``task`` should have at ``at`` by its assignee's ``chosen`` settings."""
    if task.status == "completed" or task.due_at is None:
        return []
    base = {"task_id": task.id, "room_id": task.room_id, "user_id": task.user_id, "due_at": task.due_at}
    rows = [
        {**base, "kind": "due_soon", "offset_minutes": offset, "fire_at": task.due_at - offset * minute()}
        for offset in chosen["before_due"]
        if task.due_at - offset * minute() > at  # one whose time has passed is skipped
    ]
    if chosen["overdue"] and task.due_at > at:
        rows.append({**base, "kind": "overdue", "offset_minutes": 0, "fire_at": task.due_at})
    return [{**row, "state": ARMED} for row in rows]


def arm(tasks: Iterable[Any]) -> None:
    """Arm what ``tasks`` (rows with id, room_id, user_id, status, due_at) should have; a
    reminder armed or fired already for the same due time is left as it is."""
    tasks = list(tasks)
    chosen = reminder_settings.many({task.user_id for task in tasks})
    at = now()
    rows = [row for task in tasks for row in wanted(task, chosen[task.user_id], at)]
    if not rows:
        return
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    db.session.execute(dialect.insert(_REMINDERS).on_conflict_do_nothing(index_elements=_UNIQUE), rows)
    from . import worker  # the worker imports this module

    after_commit.defer(db.session, worker.wake)  # this process's worker sees a nearer time at once
