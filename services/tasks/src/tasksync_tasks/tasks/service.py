"""Tasks inside rooms: every rule about reading and changing them lives here."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import Integer, Row, Select, bindparam, func, select
from sqlalchemy import delete as sql_delete
from sqlalchemy import insert as sql_insert
from sqlalchemy import update as sql_update

from tasksync_common import board_access
from tasksync_common.auth import Identity
from tasksync_common.errors import Invalid, NotFound, Stale, Unavailable
from tasksync_common.timestamps import utcnow

from .. import membership, paging
from ..activity import service as activity
from ..extensions import db
from ..labels import service as labels
from ..labels.models import TaskLabel
from ..notifications import service as notifications
from ..reminders import arming as reminders
from . import cursors, positions, revisions, walks
from .details import as_created, with_details, with_details_one
from .models import STATUSES, Task, UTCDateTime
from .schemas import TaskPage

UPDATE_ATTEMPTS = 20
STALE = "The task was changed by someone else; reload it and try again."
EDITABLE = ("title", "description", "status", "user_id", "due_at", "priority")

# The hot statements are built once and run with parameters, as plain SQL on the table: no ORM
# objects, and SQLAlchemy's statement cache finds them without rebuilding a cache key each time.
_TASKS = Task.__table__
# What a task shows; the rest is for matching `q` and for walks through pages (walks.py).
_UNSHOWN = ("search_text", "moved_revision", "due_changed_at", "renumbered_from")
_COLUMNS = [column for column in _TASKS.c if column.key not in _UNSHOWN]
_FIND = select(*_COLUMNS).where(_TASKS.c.id == bindparam("task"), _TASKS.c.room_id == bindparam("room"))
_INSERT = sql_insert(_TASKS).returning(*_COLUMNS)


def _compare_and_set(**values):
    """An UPDATE of one task of a room, only while it is still at ``read_version``: the version
    goes up by one, and the row comes back as written (none when someone else wrote first)."""
    return (
        sql_update(_TASKS)
        .where(
            _TASKS.c.id == bindparam("task"),
            _TASKS.c.room_id == bindparam("room"),
            _TASKS.c.version == bindparam("read_version"),
        )
        .values(**values, version=_TASKS.c.version + 1, updated_at=bindparam("now"))
        .returning(*_COLUMNS)
    )


# Every editable field is written (unchanged ones as they were read, which the version check
# guarantees are still current); a new status or due time is stamped for walks (walks.py), and
# a null stamp keeps the one the task has.
_WRITE = _compare_and_set(
    **{name: bindparam(f"new_{name}") for name in EDITABLE},
    search_text=bindparam("new_search_text"),
    position=bindparam("new_position"),
    moved_revision=func.coalesce(bindparam("moved_revision", type_=Integer), _TASKS.c.moved_revision),
    due_changed_at=func.coalesce(bindparam("due_changed_at", type_=UTCDateTime), _TASKS.c.due_changed_at),
)
# A move: the task's column and place, stamped with the move's revision.
_MOVE = _compare_and_set(
    status=bindparam("new_status"), position=bindparam("new_position"), moved_revision=bindparam("moved_revision")
)
# A change kept outside the task's row (its checklist): the version still goes up.
_TOUCH = _compare_and_set()


def search_text(title: str, description: str | None) -> str:
    """What `q` is matched against: casefolded, so letter case never matters."""
    return f"{title}\n{description or ''}".casefold()


def _like_pattern(q: str) -> str:
    escaped = q.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _check_assignee(room_id: int, user_id: int, caller: Identity) -> None:
    if user_id != caller.user_id and membership.role(room_id, user_id, caller) is None:
        raise Invalid("user_id", "Must be a member of the room.")


def find(room_id: int, task_id: int) -> Row:
    """The task's row (no labels, no checklist), or 404."""
    task = db.session.execute(_FIND, {"task": task_id, "room": room_id}).one_or_none()
    if task is None:
        db.session.rollback()  # end the transaction, and with it the room's lock
        raise NotFound("No such task in this room.")
    return task


def touch(room_id: int, task_id: int, read_version: int) -> Row | None:
    """Count a change made outside the task's row, if the task is still at ``read_version``:
    the row as written, or None when someone else wrote first."""
    return db.session.execute(
        _TOUCH, {"task": task_id, "room": room_id, "read_version": read_version, "now": utcnow()}
    ).one_or_none()


def create(*, room_id: int, caller: Identity, fields: dict) -> dict:
    """Add a task to a room, assigned to ``fields['user_id']`` or the creator; the task as written."""
    membership.require_member(room_id, caller)
    assignee = fields.get("user_id", caller.user_id)
    _check_assignee(room_id, assignee, caller)
    status = fields.get("status", "pending")
    revisions.begin_change(room_id)  # before the end of the column is read
    now = utcnow()
    values = {
        "room_id": room_id,
        "user_id": assignee,
        "created_by": caller.user_id,
        "title": fields["title"],
        "description": fields.get("description"),
        "status": status,
        "due_at": fields.get("due_at"),
        "priority": fields.get("priority", "none"),
        "position": positions.end_of_column(room_id, status),
        "version": 1,
        "search_text": search_text(fields["title"], fields.get("description")),
        "created_at": now,
        "updated_at": now,
    }
    label_ids = fields.get("label_ids", [])
    labels.check_ids(room_id, label_ids)
    task = db.session.execute(_INSERT, values).one()
    if label_ids:
        labels.replace(task.id, label_ids)
    activity.record(room_id=room_id, kind="task.created", actor=caller, task_id=task.id, data={"title": task.title})
    reminders.task_changed(None, task)
    notifications.assigned(task=task, caller=caller)
    db.session.commit()
    return as_created(task, label_ids)


def get(*, room_id: int, task_id: int, caller: Identity) -> dict:
    """One task of a room the caller belongs to."""
    membership.require_member(room_id, caller)
    return with_details_one(find(room_id, task_id))


def list_etag(*, room_id: int, caller: Identity, query_string: bytes) -> str:
    """The validator of the list the caller asks for (404 unless they belong to the room)."""
    membership.require_member(room_id, caller)
    return board_access.list_etag(revisions.current(room_id), query_string)


def page_json(*, room_id: int, query: dict, etag: str) -> str:
    """The page ``etag`` names, as JSON: built once, then served from the shared cache.
    Only for a caller that ``list_etag`` has let in."""
    # Read after the revision: a page is never older than the tag it is stored under.
    return board_access.page(
        room_id, etag, lambda: current_app.json.dumps(TaskPage().dump(_page(room_id, query)), separators=(",", ":"))
    )


def _page(room_id: int, query: dict) -> dict:
    """A page of the room's tasks in creation or board order, filtered as asked."""
    statement = select(*_COLUMNS).where(Task.room_id == room_id)
    for name in ("status", "user_id", "priority"):
        if name in query:
            statement = statement.where(getattr(Task, name) == query[name])
    if query.get("q"):
        statement = statement.where(Task.search_text.like(_like_pattern(query["q"]), escape="\\"))
    if "label_id" in query:
        carries = select(TaskLabel.task_id).where(TaskLabel.task_id == Task.id, TaskLabel.label_id == query["label_id"])
        statement = statement.where(carries.exists())
    if "due_after" in query:  # a task with no due time matches neither bound
        statement = statement.where(Task.due_at >= query["due_after"])
    if "due_before" in query:
        statement = statement.where(Task.due_at < query["due_before"])
    limit = query["limit"]
    if query["sort"] == "position":
        rows, cursor = walks.board_page(statement, room_id, query.get("cursor"), limit)
    else:
        rows, cursor = _in_creation_order(statement, query.get("cursor"), limit)
    return {"items": with_details(rows), "next_cursor": cursor}


def _in_creation_order(statement: Select, cursor: str | None, limit: int) -> tuple[list[Row], str | None]:
    """A page of ``statement``'s tasks in creation order (by id, which never changes), and the
    cursor to the next."""
    if cursor:
        statement = statement.where(Task.id > cursors.decode(cursor))
    rows = db.session.execute(statement.order_by(Task.id).limit(limit + 1)).all()
    return paging.split(rows, limit, lambda last: cursors.encode(last.id))


def summary(*, room_id: int, caller: Identity) -> dict:
    """How many of the room's tasks are in each status."""
    membership.require_member(room_id, caller)
    counts: dict[str, int] = dict(
        db.session.execute(select(Task.status, func.count()).where(Task.room_id == room_id).group_by(Task.status)).all()
    )
    result = {status.replace(" ", "_"): counts.get(status, 0) for status in STATUSES}
    return {"total": sum(result.values()), **result}


def update(*, room_id: int, task_id: int, caller: Identity, fields: dict, if_match: frozenset[int] | None) -> dict:
    """Change a task. Every write is a compare-and-set on its version: with ``if_match`` (the
    versions the caller accepts) any other version is refused (412); without it, a concurrent
    change is re-read and the write retried."""
    membership.require_member(room_id, caller)
    if "user_id" in fields:
        _check_assignee(room_id, fields["user_id"], caller)
    label_ids: list[int] | None = fields.get("label_ids")
    columns = {name: value for name, value in fields.items() if name != "label_ids"}
    for _ in range(UPDATE_ATTEMPTS):
        revision = revisions.begin_change(room_id)
        task = find(room_id, task_id)
        if if_match is not None and task.version not in if_match:
            db.session.rollback()
            raise Stale(STALE)
        # the new set of labels, when it is not the one the task carries
        carried = labels.carried(task_id) if label_ids is not None else None
        relabel = None if label_ids is None or sorted(label_ids) == carried else label_ids
        if relabel is None and all(getattr(task, name) == value for name, value in columns.items()):
            db.session.rollback()  # nothing to change: the version stays
            return with_details_one(task)
        if relabel is not None:
            labels.check_ids(room_id, relabel)
        new = {name: columns.get(name, getattr(task, name)) for name in EDITABLE}
        # A task that changes status goes to the end of its new column.
        moved = new["status"] != task.status
        new_position = positions.end_of_column(room_id, new["status"]) if moved else task.position
        due_changed = new["due_at"] != task.due_at
        written = db.session.execute(
            _WRITE,
            {
                "task": task_id,
                "room": room_id,
                "read_version": task.version,
                **{f"new_{name}": value for name, value in new.items()},
                "new_search_text": search_text(new["title"], new["description"]),
                "new_position": new_position,
                "moved_revision": revision if moved else None,
                "due_changed_at": walks.now() if due_changed else None,  # taken while the room is held
                "now": utcnow(),
            },
        ).one_or_none()
        if written is not None:
            changed = activity.changes(task._mapping, new)
            if relabel is not None:
                labels.replace(task_id, relabel)
                changed["label_ids"] = [carried, sorted(relabel)]
            data = {"title": written.title, "changes": changed}
            activity.record(room_id=room_id, kind="task.updated", actor=caller, task_id=task_id, data=data)
            reminders.task_changed(task, written)
            notifications.assigned(task=written, caller=caller, previous=task.user_id)
            db.session.commit()
            return with_details_one(written)
        db.session.rollback()  # someone else wrote in between
        if if_match is not None:
            raise Stale(STALE)
    raise Unavailable("The task is changing too fast; try again.", retry_after=1)


def delete(*, room_id: int, task_id: int, caller: Identity, if_match: frozenset[int] | None) -> None:
    """Delete a task; with ``if_match``, only if it is still at one of those versions."""
    membership.require_member(room_id, caller)
    revisions.begin_change(room_id)
    statement = sql_delete(Task).where(Task.id == task_id, Task.room_id == room_id)
    if if_match is not None:
        statement = statement.where(Task.version.in_(sorted(if_match)))
    deleted = db.session.execute(statement.returning(Task.title)).one_or_none()
    if deleted is None:
        db.session.rollback()
        find(room_id, task_id)  # 404 if it is not there at all
        raise Stale(STALE)
    activity.record(room_id=room_id, kind="task.deleted", actor=caller, task_id=task_id, data={"title": deleted.title})
    db.session.commit()


def delete_room(*, room_id: int) -> None:
    """Remove every task of a deleted room (called by the rooms service)."""
    revisions.forget(room_id)
    db.session.execute(sql_delete(Task).where(Task.room_id == room_id))
    labels.delete_room(room_id)
    activity.delete_room(room_id)
    notifications.delete_room(room_id)  # its comments went with its tasks
    db.session.commit()


def move(*, room_id: int, task_id: int, caller: Identity, fields: dict, if_match: frozenset[int] | None) -> dict:
    """Put a task into column ``fields['status']`` (its own by default) right after task
    ``fields['after_id']``, or first when that is None; a move to where it is changes nothing."""
    membership.require_member(room_id, caller)
    revision = revisions.begin_change(room_id)  # the column's order is read and written by one writer at a time
    task = find(room_id, task_id)
    if if_match is not None and task.version not in if_match:
        db.session.rollback()
        raise Stale(STALE)
    status = fields.get("status", task.status)
    after = _task_to_follow(room_id, task_id, status, fields["after_id"])
    position = positions.place_after(room_id, status, task, after)
    if position is None:
        db.session.rollback()  # already there: the version stays
        return with_details_one(task)
    values = {"task": task_id, "room": room_id, "read_version": task.version, "now": utcnow()}
    moved = db.session.execute(
        _MOVE, {**values, "new_status": status, "new_position": position, "moved_revision": revision}
    ).one()
    changed = activity.changes(task._mapping, {"status": status, "position": position})
    data = {"title": task.title, "changes": changed, "after_id": fields["after_id"]}
    activity.record(room_id=room_id, kind="task.moved", actor=caller, task_id=task_id, data=data)
    reminders.task_changed(task, moved)
    db.session.commit()
    return with_details_one(moved)


def _task_to_follow(room_id: int, task_id: int, status: str, after_id: int | None) -> Row | None:
    """The task a move puts ``task_id`` after: another task of the room, in column ``status``."""
    if after_id is None:
        return None
    after = (
        None if after_id == task_id else db.session.execute(_FIND, {"task": after_id, "room": room_id}).one_or_none()
    )
    if after is None or after.status != status:
        db.session.rollback()
        raise Invalid("after_id", "Must be another task of this room, in the column the task moves to.")
    return after


def assigned_page(*, user_id: int, room_ids: list[int], query: dict) -> dict:
    """A page of the tasks assigned to ``user_id`` in ``room_ids``: by due time (none last), then
    id; or in creation order."""
    statement = select(*_COLUMNS).where(Task.user_id == user_id, Task.room_id.in_(room_ids))
    if "status" in query:
        statement = statement.where(Task.status == query["status"])
    if "due_after" in query:  # a task with no due time matches neither bound
        statement = statement.where(Task.due_at >= query["due_after"])
    if "due_before" in query:
        statement = statement.where(Task.due_at < query["due_before"])
    limit = query["limit"]
    if query["sort"] == "due":
        rows, cursor = walks.due_page(statement, room_ids, query.get("cursor"), limit)
    else:
        rows, cursor = _in_creation_order(statement, query.get("cursor"), limit)
    return {"items": with_details(rows), "next_cursor": cursor}
