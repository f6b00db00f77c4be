"""Who is told of what: the notifications a write causes (inside its transaction), and each
person's own list of them.

Nobody is told of their own action. A notification about a room the person has left since is
not shown (nor counted as unread): the rooms are asked of the rooms service on every read."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Row, func, insert, select
from sqlalchemy import delete as sql_delete
from sqlalchemy import update as sql_update

from tasksync_common.auth import Identity
from tasksync_common.timestamps import utcnow

from .. import membership, paging, people
from ..extensions import db
from ..tasks import cursors
from . import events
from .models import Notification

EXCERPT_CHARS = 200
_NOTIFICATIONS = Notification.__table__
_COLUMNS = events.SHOWN
_INSERT = insert(_NOTIFICATIONS).returning(*_COLUMNS)  # one per notification: each is announced


def excerpt(body: str) -> str:
    """The start of a comment, as a notification quotes it."""
    return body if len(body) <= EXCERPT_CHARS else body[: EXCERPT_CHARS - 1].rstrip() + "\u2026"


def _rows(
    kind: str, recipients: Iterable[int], task: Row, actor_id: int, actor_username: str, **extra: object
) -> list[dict]:
    """The notifications of ``kind`` about ``task`` for ``recipients``, but the actor."""
    return [
        {
            "user_id": user_id,
            "kind": kind,
            "room_id": task.room_id,
            "task_id": task.id,
            "comment_id": extra.get("comment_id"),
            "actor_id": actor_id,
            "actor_username": actor_username,
            "data": {"title": task.title, **extra},
            "read": False,
            "created_at": utcnow(),
        }
        for user_id in recipients
        if user_id != actor_id  # never of one's own action
    ]


def _add(rows: list[dict]) -> None:
    """Write a transaction's notifications (all at once: their recipients' locks are taken in
    one ascending pass, after the room's), each announced once it commits."""
    if not rows:
        return
    events.lock(row["user_id"] for row in rows)
    for row in rows:
        prev = events.previous(row["user_id"])
        written = db.session.execute(_INSERT, row).one()
        events.announce(row["user_id"], written._mapping, prev)


def assigned(*, task: Row, caller: Identity, previous: int | None = None) -> None:
    """``task`` is (newly, when it was ``previous``'s) assigned to someone: they are told,
    unless they did it themselves."""
    if task.user_id not in (caller.user_id, previous):
        _add(_rows("assigned", [task.user_id], task, caller.user_id, people.username(caller)))


def comment_written(*, task: Row, comment: Row, mentioned: set[int], assignee: int | None) -> None:
    """A comment on ``task`` was written (``assignee``: the assignee to tell of it) or edited
    (``assignee`` None): each member it mentions is told once per comment, however often it is
    edited; the assignee is told it was commented on, unless they are mentioned in it."""
    if not mentioned and assignee is None:
        return  # an edit that mentions nobody
    told = db.session.execute(
        select(_NOTIFICATIONS.c.user_id).where(
            _NOTIFICATIONS.c.comment_id == comment.id, _NOTIFICATIONS.c.kind == "mentioned"
        )
    ).scalars()
    newly = sorted(mentioned - set(told))
    about = {"comment_id": comment.id, "excerpt": excerpt(comment.body)}
    rows = _rows("mentioned", newly, task, comment.author_id, comment.author_username, **about)
    if assignee is not None and assignee not in mentioned:
        rows += _rows("commented", [assignee], task, comment.author_id, comment.author_username, **about)
    _add(rows)


def get_page(*, caller: Identity, query: dict) -> dict:
    """A page of the caller's notifications about rooms they are in now, newest first, and how
    many of those are unread."""
    before = cursors.decode(query["cursor"], cursors.NOTIFICATION_PREFIX) if query.get("cursor") else None
    rooms = membership.current_rooms(caller)
    if not rooms:
        return {"items": [], "next_cursor": None, "unread_count": 0}
    visible = (_NOTIFICATIONS.c.user_id == caller.user_id, _NOTIFICATIONS.c.room_id.in_(rooms))
    unread = _NOTIFICATIONS.c.read.is_(False)
    statement = select(*_COLUMNS).where(*visible).order_by(_NOTIFICATIONS.c.id.desc())
    if query["unread"]:
        statement = statement.where(unread)
    if before is not None:
        statement = statement.where(_NOTIFICATIONS.c.id < before)
    rows = db.session.execute(statement.limit(query["limit"] + 1)).all()
    items, next_cursor = paging.split(
        rows, query["limit"], lambda last: cursors.encode(last.id, cursors.NOTIFICATION_PREFIX)
    )
    count = db.session.execute(select(func.count()).where(*visible, unread)).scalar_one()
    return {"items": items, "next_cursor": next_cursor, "unread_count": count}


def mark_read(*, caller: Identity, ids: list[int] | None) -> None:
    """Mark the caller's notifications ``ids`` read (others' ids are ignored), or all of them."""
    statement = sql_update(_NOTIFICATIONS).where(_NOTIFICATIONS.c.user_id == caller.user_id)
    if ids is not None:
        if not ids:
            return
        statement = statement.where(_NOTIFICATIONS.c.id.in_(ids))
    db.session.execute(statement.where(_NOTIFICATIONS.c.read.is_(False)).values(read=True))
    db.session.commit()


def delete_room(room_id: int) -> None:
    """The room is gone: so are its notifications (inside the caller's transaction)."""
    db.session.execute(sql_delete(_NOTIFICATIONS).where(_NOTIFICATIONS.c.room_id == room_id))
