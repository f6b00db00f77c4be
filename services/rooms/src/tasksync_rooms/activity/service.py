"""Entries of a room's history that the rooms service's changes make (members joining, leaving,
removed; the room renamed): each is an outbox row written in the transaction of its change, so it
exists if and only if the change committed; the relay (relay.py) delivers it afterwards."""

from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import bindparam, insert, select
from sqlalchemy import delete as sql_delete

from tasksync_common import after_commit
from tasksync_common.timestamps import utcnow

from ..extensions import db
from ..rooms.models import Room
from ..users.models import User
from . import relay
from .models import OutboxEntry

_OUTBOX = OutboxEntry.__table__
_INSERT = insert(_OUTBOX)
# FOR NO KEY UPDATE: one writer of a room's entries at a time (so their ids follow the room's
# commit order), without waiting on, or deadlocking with, the key-share locks that foreign keys
# to the room take. SQLite's write transactions hold the whole database anyway.
_LOCK_ROOM = select(Room.__table__.c.id).where(Room.__table__.c.id == bindparam("room")).with_for_update(key_share=True)


def usernames(user_ids: list[int]) -> dict[int, str]:
    """The usernames of ``user_ids`` (what an entry shows of the people it names)."""
    users = User.__table__
    return dict(db.session.execute(select(users.c.id, users.c.username).where(users.c.id.in_(user_ids))).all())


def record(*, room_id: int, kind: str, actor_id: int, actor_username: str, data: dict) -> None:
    """Add an entry to the room's history inside the caller's transaction: an outbox row, which
    the relay is woken to deliver as soon as that transaction commits."""
    db.session.execute(_LOCK_ROOM, {"room": room_id})
    values = {
        "room_id": room_id,
        "kind": kind,
        "actor_id": actor_id,
        "actor_username": actor_username,
        "data": data,
        "created_at": utcnow(),
        "request_id": g.get("request_id") if has_request_context() else None,
    }
    db.session.execute(_INSERT, values)
    after_commit.defer(db.session, relay.wake)


def forget_room(room_id: int) -> None:
    """The room is deleted: what it has not delivered yet goes with it (in the caller's transaction)."""
    db.session.execute(sql_delete(_OUTBOX).where(_OUTBOX.c.room_id == room_id))
