"""A task's checklist. Every change to it is a change to the task: the task's version goes up
(a compare-and-set, as for any task write; ``If-Match`` is honoured) and so does the room's
revision, and the room's history gains a ``checklist.updated`` entry saying what changed."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete as sql_delete
from sqlalchemy import func, insert, select
from sqlalchemy import update as sql_update

from tasksync_common.auth import Identity
from tasksync_common.errors import DomainError, Invalid, NotFound, Stale, Unavailable

from .. import membership
from ..activity import service as activity
from ..extensions import db
from ..tasks import revisions
from ..tasks import service as tasks
from ..tasks.details import with_details_one
from .models import MAX_PER_TASK, ChecklistItem

_ITEMS = ChecklistItem.__table__
NO_ITEM = "No such checklist item on this task."


def _edit(
    room_id: int, task_id: int, caller: Identity, if_match: frozenset[int] | None, change: Callable[[], dict | None]
) -> dict:
    """Apply ``change`` to the task's checklist (what it did, for the history; None when it
    changed nothing), and count it as a change of the task: the task as it is shown afterwards."""
    membership.require_member(room_id, caller)
    for _ in range(tasks.UPDATE_ATTEMPTS):
        revisions.begin_change(room_id)  # as every task write: the item count is read by one writer at a time
        task = tasks.find(room_id, task_id)
        if if_match is not None and task.version not in if_match:
            db.session.rollback()
            raise Stale(tasks.STALE)
        try:
            changed = change()
        except DomainError:
            db.session.rollback()
            raise
        if changed is None:
            db.session.rollback()
            return with_details_one(task)
        written = tasks.touch(room_id, task_id, task.version)
        if written is not None:
            data = {"title": task.title, **changed}
            activity.record(room_id=room_id, kind="checklist.updated", actor=caller, task_id=task_id, data=data)
            db.session.commit()
            return with_details_one(written)
        db.session.rollback()
        if if_match is not None:
            raise Stale(tasks.STALE)
    raise Unavailable("The task is changing too fast; try again.", retry_after=1)


def add(*, room_id: int, task_id: int, caller: Identity, text: str, if_match: frozenset[int] | None) -> dict:
    """Add an item at the end of the task's checklist (at most MAX_PER_TASK items)."""

    def change() -> dict:
        count = db.session.execute(select(func.count()).where(_ITEMS.c.task_id == task_id)).scalar_one()
        if count >= MAX_PER_TASK:
            raise Invalid("checklist", f"A task has at most {MAX_PER_TASK} checklist items.")
        item_id = db.session.execute(
            insert(_ITEMS).values(task_id=task_id, text=text, done=False).returning(_ITEMS.c.id)
        ).scalar_one()
        return {"action": "added", "item": {"id": item_id, "text": text}}

    return _edit(room_id, task_id, caller, if_match, change)


def update(
    *, room_id: int, task_id: int, item_id: int, caller: Identity, fields: dict, if_match: frozenset[int] | None
) -> dict:
    """Change an item's text or state; an item of another task is 404."""

    def change() -> dict | None:
        item = db.session.execute(
            select(_ITEMS.c.text, _ITEMS.c.done).where(_ITEMS.c.id == item_id, _ITEMS.c.task_id == task_id)
        ).one_or_none()
        if item is None:
            raise NotFound(NO_ITEM)
        if all(getattr(item, name) == value for name, value in fields.items()):
            return None
        db.session.execute(sql_update(_ITEMS).where(_ITEMS.c.id == item_id).values(**fields))
        text = fields.get("text", item.text)
        return {
            "action": "updated",
            "item": {"id": item_id, "text": text},
            "changes": activity.changes(item._mapping, fields),
        }

    return _edit(room_id, task_id, caller, if_match, change)


def delete(*, room_id: int, task_id: int, item_id: int, caller: Identity, if_match: frozenset[int] | None) -> dict:
    """Remove an item from the task's checklist; an item of another task is 404."""

    def change() -> dict:
        removed = db.session.execute(
            sql_delete(_ITEMS).where(_ITEMS.c.id == item_id, _ITEMS.c.task_id == task_id).returning(_ITEMS.c.text)
        ).first()
        if removed is None:
            raise NotFound(NO_ITEM)
        return {"action": "removed", "item": {"id": item_id, "text": removed.text}}

    return _edit(room_id, task_id, caller, if_match, change)
