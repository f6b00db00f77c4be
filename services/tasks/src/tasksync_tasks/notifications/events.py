"""A person's notifications as live events: the notice each sends once its write has committed,
and the replay the gateway reads to pass on what a stream missed.

A person's notification ids must grow in commit order, as a room's entries do, for their notices
to chain (``prev``: the person's notification before, see tasksync_common.live). Two writes in
two rooms hold two room locks, so each write takes its recipients' own locks too, for the rest of
its transaction: always after the room's, and several in ascending user id order, so no two
writes ever wait on each other in a cycle. On PostgreSQL that is an advisory transaction lock
per person; SQLite serializes every write transaction anyway."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import bindparam, func, select

from tasksync_common import after_commit, live
from tasksync_common.auth import Identity
from tasksync_common.cache import publish_counter

from .. import in_transaction, membership, replay
from ..extensions import db
from .models import Notification
from .schemas import NotificationOut

# The first key of PostgreSQL's two-key advisory locks that stands for "a person's notifications"
# (the second is the person's id): no other lock of this database uses it.
LOCK_SPACE = 0x4E6F7469  # "Noti"
_NOTIFICATIONS = Notification.__table__
# What a notification shows (the list, an event): not whose it is, nor the comment behind it.
SHOWN = [column for column in _NOTIFICATIONS.c if column.key not in ("user_id", "comment_id")]
_LOCK = select(func.pg_advisory_xact_lock(LOCK_SPACE, bindparam("user")))
# The person's newest notification id: one step into the (user_id, id) index.
HEAD = select(func.max(_NOTIFICATIONS.c.id)).where(_NOTIFICATIONS.c.user_id == bindparam("user"))
_AFTER = (
    select(*SHOWN)
    .where(
        _NOTIFICATIONS.c.user_id == bindparam("user"),
        _NOTIFICATIONS.c.id > bindparam("after"),
        _NOTIFICATIONS.c.id <= bindparam("head"),
        _NOTIFICATIONS.c.room_id.in_(bindparam("rooms", expanding=True)),
    )
    .order_by(_NOTIFICATIONS.c.id)
    .limit(bindparam("limit"))
)
_LAST = "notifications"  # this transaction's memo: user id -> the last notification id it gave them
_SHAPE = NotificationOut()


def lock(user_ids: Iterable[int]) -> None:
    """Take the locks of ``user_ids``' notifications until the transaction ends (the room's lock
    is held already), ascending, each once."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    last = in_transaction.memo(_LAST)
    for user_id in sorted(set(user_ids)):
        if user_id not in last:
            db.session.execute(_LOCK, {"user": user_id})
            last[user_id] = _newest_id(user_id)


def previous(user_id: int) -> int:
    """The id of the person's notification before the one about to be written (0 for none);
    the caller holds their lock (``lock``)."""
    last = in_transaction.memo(_LAST)
    if user_id not in last:
        last[user_id] = _newest_id(user_id)
    return last[user_id]


def _newest_id(user_id: int) -> int:
    return db.session.execute(HEAD, {"user": user_id}).scalar() or 0


def event(notification: Mapping[Any, Any]) -> dict:
    """The event of a notification (its row as the notifications list shows it)."""
    return {"id": notification["id"], "event": "notification", "data": _SHAPE.dump(notification)}


def announce(user_id: int, notification: Mapping[Any, Any], prev: int) -> None:
    """The person's ``notification`` was written after ``prev``: once the transaction commits,
    their newest id is published, then the notice."""
    in_transaction.memo(_LAST)[user_id] = notification["id"]
    notice = {"id": notification["id"], "prev": prev, **event(notification)}
    after_commit.defer(db.session, _publish_head, user_id, notification["id"])
    after_commit.defer(db.session, live.publish, live.user_topic(user_id), notice)


def _load_head(user_id: int) -> int:
    head = _newest_id(user_id)
    db.session.commit()  # end the read, so that the next one sees newer commits
    return head


def _publish_head(user_id: int, head: int) -> None:
    """After the commit that added notification ``head``: every process sees it, or a newer one."""
    publish_counter(live.head_key(live.user_topic(user_id)), head, functools.partial(_load_head, user_id))


def replay_answer(*, caller: Identity, after: int | None) -> dict:
    """The caller's notifications after ``after`` about the rooms they are in now, as the list
    shows them (see tasksync_tasks.replay): two walks of the (user_id, id) index."""
    user_id = caller.user_id
    head = _newest_id(user_id)

    def read(after: int, head: int, limit: int) -> list[dict]:
        rooms = membership.current_rooms(caller)
        if not rooms:
            return []
        parameters = {"user": user_id, "after": after, "head": head, "rooms": rooms, "limit": limit}
        return [event(row._mapping) for row in db.session.execute(_AFTER, parameters)]

    return replay.answer(head, after, read)
