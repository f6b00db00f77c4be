"""A counter per room that every task write bumps: the list's ETag, checked without a query."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from tasksync_common import cache

from ..extensions import db
from .models import RoomRevision


def _key(room_id: int) -> str:
    return f"room-revision:{room_id}"


def _increment(room_id: int) -> int:
    return db.session.execute(
        update(RoomRevision).where(RoomRevision.room_id == room_id).values(revision=RoomRevision.revision + 1)
    ).rowcount


def bump(room_id: int) -> None:
    """Count one more change in the room, inside the caller's transaction."""
    if _increment(room_id):
        return
    try:
        with db.session.begin_nested():
            db.session.add(RoomRevision(room_id=room_id, revision=1))
    except IntegrityError:  # another writer created the row first
        _increment(room_id)


def _load(room_id: int) -> int:
    revision = db.session.execute(select(RoomRevision.revision).where(RoomRevision.room_id == room_id)).scalar()
    db.session.rollback()  # end the read so the next one sees newer commits
    return revision or 0


def publish(room_id: int) -> None:
    """After commit: let every process see the room's new revision."""
    cache.publish(_key(room_id), lambda: _load(room_id))


def current(room_id: int) -> int:
    """The room's revision, from the cache when it is there."""
    return cache.read_through(_key(room_id), lambda: _load(room_id))


def forget(room_id: int) -> None:
    """The room is gone: drop its counter (inside the caller's transaction)."""
    db.session.query(RoomRevision).filter_by(room_id=room_id).delete()
