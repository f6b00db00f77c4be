"""What the rooms service tells the gateway's open event streams (tasksync_common.live), once the
change behind it has committed: who must check again whether their streams may go on, and which
room is gone.

Each is deferred after the publications of the same transaction (a role, a revoked token): the
gateway re-validates a stream by the same cache reads a request makes, so what it reads must
already be the new state when the notice arrives (effects run in the order deferred)."""

from __future__ import annotations

from collections.abc import Iterable

from tasksync_common import after_commit, live

from .extensions import db

RECHECK = {"recheck": True}


def recheck(user_ids: Iterable[int]) -> None:
    """Once this transaction commits, the open streams of ``user_ids`` check their token and
    membership again (a member left or was removed, a room deleted, a token revoked)."""
    for user_id in sorted(set(user_ids)):
        after_commit.defer(db.session, live.publish, live.user_topic(user_id), RECHECK)


def room_deleted(room_id: int, member_ids: Iterable[int]) -> None:
    """Once this transaction (the room's deletion) commits, the room's streams hear that it is
    gone, and its former members' streams check again."""
    after_commit.defer(
        db.session, live.publish, live.room_topic(room_id), {"event": "room.deleted", "data": {"room_id": room_id}}
    )
    recheck(member_ids)
