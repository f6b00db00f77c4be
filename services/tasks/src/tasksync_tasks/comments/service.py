"""Comments on a room's tasks: every rule about them.

A comment is not part of its task: writing one changes neither the task's ``version`` nor its
``updated_at`` (an edit of the task under way is not made stale by a comment), but it is a change
in the room, so the room's revision goes up. Every write begins with the room's change
(``revisions.begin_change``: its lock, and the count), as task writes do (room, then the rest: no
deadlock), so the notifications it causes are decided by one writer at a time; a write that
changes nothing rolls back, and counts nothing."""

from __future__ import annotations

from sqlalchemy import Row, bindparam, insert, select
from sqlalchemy import delete as sql_delete
from sqlalchemy import update as sql_update

from tasksync_common.auth import Identity
from tasksync_common.errors import Forbidden, NotFound
from tasksync_common.timestamps import utcnow

from .. import membership, paging, people
from ..activity import service as activity
from ..extensions import db
from ..notifications import service as notifications
from ..tasks import cursors, revisions
from ..tasks import service as tasks
from . import mentions
from .models import Comment

NOT_YOURS = "Only its author may edit a comment."
NOT_YOURS_TO_DELETE = "Only its author, or the room's owner, may delete a comment."
_COMMENTS = Comment.__table__
_COLUMNS = [column for column in _COMMENTS.c if column.key != "room_id"]
_FIND = select(*_COLUMNS).where(_COMMENTS.c.id == bindparam("comment"), _COMMENTS.c.task_id == bindparam("task"))


def _find(task_id: int, comment_id: int) -> Row:
    comment = db.session.execute(_FIND, {"comment": comment_id, "task": task_id}).one_or_none()
    if comment is None:
        db.session.rollback()  # end the transaction, and with it the room's lock
        raise NotFound("No such comment on this task.")
    return comment


def _members(room_id: int, caller: Identity, body: str) -> dict[int, str] | None:
    """The room's members, when ``body`` could mention one (asked before the room's lock)."""
    return people.members(room_id, caller) if "@" in body else None


def _assignee(task: Row, caller: Identity, members: dict[int, str] | None) -> int | None:
    """The task's assignee, when that is someone else who is still a member of the room."""
    if task.user_id == caller.user_id:
        return None
    if members is not None:
        return task.user_id if task.user_id in members else None
    return task.user_id if membership.role(task.room_id, task.user_id, caller) is not None else None


def get_page(*, room_id: int, task_id: int, caller: Identity, query: dict) -> dict:
    """A page of the task's comments, oldest first; follow ``next_cursor`` for the next."""
    membership.require_member(room_id, caller)  # first: a room the caller is not in is 404, whatever the cursor
    after = cursors.decode(query["cursor"], cursors.COMMENT_PREFIX) if query.get("cursor") else 0
    tasks.find(room_id, task_id)
    statement = select(*_COLUMNS).where(_COMMENTS.c.task_id == task_id, _COMMENTS.c.id > after)
    rows = db.session.execute(statement.order_by(_COMMENTS.c.id).limit(query["limit"] + 1)).all()
    items, next_cursor = paging.split(
        rows, query["limit"], lambda last: cursors.encode(last.id, cursors.COMMENT_PREFIX)
    )
    return {"items": items, "next_cursor": next_cursor}


def create(*, room_id: int, task_id: int, caller: Identity, body: str) -> Row:
    """Add a comment to a task; the members it mentions and the task's assignee hear of it."""
    membership.require_member(room_id, caller)
    author = people.username(caller)
    members = _members(room_id, caller, body)
    revisions.begin_change(room_id)
    task = tasks.find(room_id, task_id)
    now = utcnow()
    values = {"room_id": room_id, "task_id": task_id, "author_id": caller.user_id, "author_username": author}
    comment = db.session.execute(
        insert(_COMMENTS).returning(*_COLUMNS), {**values, "body": body, "created_at": now, "updated_at": now}
    ).one()
    notifications.comment_written(
        task=task,
        comment=comment,
        mentioned=mentions.mentioned(body, members or {}),
        assignee=_assignee(task, caller, members),
    )
    activity.record(room_id=room_id, kind="comment.created", actor=caller, task_id=task_id, data=_entry(task, comment))
    db.session.commit()
    return comment


def update(*, room_id: int, task_id: int, comment_id: int, caller: Identity, body: str) -> Row:
    """Change a comment's text (its author only); members it newly mentions hear of it."""
    membership.require_member(room_id, caller)
    members = _members(room_id, caller, body)
    revisions.begin_change(room_id)
    task = tasks.find(room_id, task_id)
    comment = _find(task_id, comment_id)
    if comment.author_id != caller.user_id:
        db.session.rollback()
        raise Forbidden(NOT_YOURS)
    if comment.body == body:
        db.session.rollback()  # nothing to change
        return comment
    written = db.session.execute(
        sql_update(_COMMENTS)
        .where(_COMMENTS.c.id == comment_id)
        .values(body=body, updated_at=utcnow())
        .returning(*_COLUMNS)
    ).one()
    notifications.comment_written(
        task=task, comment=written, mentioned=mentions.mentioned(body, members or {}), assignee=None
    )
    db.session.commit()
    return written


def delete(*, room_id: int, task_id: int, comment_id: int, caller: Identity) -> None:
    """Delete a comment (its author, or the room's owner), and the notifications it caused."""
    role = membership.require_member(room_id, caller)
    revisions.begin_change(room_id)
    task = tasks.find(room_id, task_id)
    comment = _find(task_id, comment_id)
    if comment.author_id != caller.user_id and role != "owner":
        db.session.rollback()
        raise Forbidden(NOT_YOURS_TO_DELETE)
    db.session.execute(sql_delete(_COMMENTS).where(_COMMENTS.c.id == comment_id))  # its notifications cascade
    activity.record(room_id=room_id, kind="comment.deleted", actor=caller, task_id=task_id, data=_entry(task, comment))
    db.session.commit()


def _entry(task: Row, comment: Row) -> dict:
    """What the history says of a comment: on which task, which one, whose, and how it began."""
    return {
        "title": task.title,
        "comment_id": comment.id,
        "author_username": comment.author_username,
        "excerpt": notifications.excerpt(comment.body),
    }
