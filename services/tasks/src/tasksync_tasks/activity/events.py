"""A room's history as live events: the notice each entry sends once its change has committed,
and the replay the gateway reads to pass on what a stream missed.

An entry's event is ``{"id", "event": kind, "data": {"room_id", "revision", "actor_id", "task_id",
"request_id"}}``; its notice adds ``prev``, the id of the room's entry before it, read under the
room's lock just before the entry is written: the notices of a room chain in commit order, so a
receiver knows at once when it missed one (see tasksync_common.live)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import g, has_request_context
from sqlalchemy import bindparam, func, select

from tasksync_common import after_commit, live
from tasksync_common.auth import Identity

from .. import in_transaction, membership, replay
from ..extensions import db
from ..tasks import revisions
from .models import Activity

_ACTIVITY = Activity.__table__
# The room's newest entry id: one step into the (room_id, id) index.
HEAD = select(func.max(_ACTIVITY.c.id)).where(_ACTIVITY.c.room_id == bindparam("room"))
_AFTER = (
    select(
        _ACTIVITY.c.id,
        _ACTIVITY.c.room_id,
        _ACTIVITY.c.kind,
        _ACTIVITY.c.actor_id,
        _ACTIVITY.c.task_id,
        _ACTIVITY.c.revision,
        _ACTIVITY.c.request_id,
    )
    .where(
        _ACTIVITY.c.room_id == bindparam("room"),
        _ACTIVITY.c.id > bindparam("after"),
        _ACTIVITY.c.id <= bindparam("head"),
    )
    .order_by(_ACTIVITY.c.id)
    .limit(bindparam("limit"))
)
_LAST = "activity"  # this transaction's memo: room id -> the id of the last entry it wrote there


def request_id() -> str | None:
    """The X-Request-ID of the request being served (the gateway's), which events carry."""
    return g.get("request_id") if has_request_context() else None


def previous(room_id: int) -> int:
    """The id of the room's entry before the one about to be written (0 for none yet). The
    caller holds the room's lock; a transaction's second entry follows its first."""
    last = in_transaction.memo(_LAST)
    if room_id not in last:
        last[room_id] = db.session.execute(HEAD, {"room": room_id}).scalar() or 0
    return last[room_id]


def event(entry: Mapping[Any, Any], revision: int | None) -> dict:
    """The event of an entry (its row, or what was written), at the room's ``revision``."""
    return {
        "id": entry["id"],
        "event": entry["kind"],
        "data": {
            "room_id": entry["room_id"],
            "revision": revision,
            "actor_id": entry["actor_id"],
            "task_id": entry["task_id"],
            "request_id": entry["request_id"],
        },
    }


def written(entry: Mapping[Any, Any], prev: int) -> dict:
    """Entry ``entry`` (with its id) was written after entry ``prev``: its notice, to announce."""
    in_transaction.memo(_LAST)[entry["room_id"]] = entry["id"]
    return {"id": entry["id"], "prev": prev, **event(entry, entry["revision"])}


def announce(room_id: int, notices: list[dict]) -> None:
    """Send the room's ``notices``, in order, once the transaction commits (after what it
    deferred before them: the revision, the head)."""
    topic = live.room_topic(room_id)
    for notice in notices:
        after_commit.defer(db.session, live.publish, topic, notice)


def replay_answer(*, room_id: int, caller: Identity, after: int | None) -> dict:
    """The room's events after ``after`` (see tasksync_tasks.replay), for a member only: two
    walks of the (room_id, id) index. An entry written before revisions were kept shows the
    room's current one."""
    membership.require_member(room_id, caller)
    head = db.session.execute(HEAD, {"room": room_id}).scalar() or 0

    def read(after: int, head: int, limit: int) -> list[dict]:
        rows = db.session.execute(_AFTER, {"room": room_id, "after": after, "head": head, "limit": limit}).all()
        current = revisions.current(room_id) if any(row.revision is None for row in rows) else None
        return [event(row._mapping, current if row.revision is None else row.revision) for row in rows]

    return replay.answer(head, after, read)
