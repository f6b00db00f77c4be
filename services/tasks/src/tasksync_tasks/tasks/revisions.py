"""A counter per room that every task write bumps: the list's ETag, checked without a query."""

from __future__ import annotations

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from tasksync_common import after_commit, board_access

from ..extensions import db
from .models import RoomRevision

# Plain SQL on the table, built once: no ORM bookkeeping on the write path.
_REVISIONS = RoomRevision.__table__
_INCREMENT = (
    update(_REVISIONS)
    .where(_REVISIONS.c.room_id == bindparam("room"))
    .values(revision=_REVISIONS.c.revision + 1)
    .returning(_REVISIONS.c.revision)
)
_READ = select(_REVISIONS.c.revision).where(_REVISIONS.c.room_id == bindparam("room"))
_LOCK = _READ.with_for_update()
_CLOSED = select(_REVISIONS.c.closed).where(_REVISIONS.c.room_id == bindparam("room"))
_CLOSE = update(_REVISIONS).where(_REVISIONS.c.room_id == bindparam("room")).values(closed=True)


def _increment(room_id: int) -> int | None:
    return db.session.execute(_INCREMENT, {"room": room_id}).scalar()


def lock(room_id: int) -> None:
    """Hold the room's revision row until the caller's transaction ends: every task write takes
    it first, so writes in one room (the order of a column above all) follow one another, and
    always in the same order of locks (room, then task), which no deadlock can come from. On
    SQLite every write transaction holds the whole database anyway (BEGIN IMMEDIATE)."""
    if db.session.execute(_LOCK, {"room": room_id}).first() is not None:
        return
    try:
        with db.session.begin_nested():
            db.session.execute(insert(_REVISIONS).values(room_id=room_id, revision=0))
    except IntegrityError:  # another writer created the row first
        pass
    db.session.execute(_LOCK, {"room": room_id})


def bump(room_id: int) -> int:
    """Count one more change in the room, inside the caller's transaction; the new revision,
    published to every process once that transaction commits."""
    revision = _bump(room_id)
    after_commit.defer(db.session, _publish, room_id, revision)
    return revision


def _bump(room_id: int) -> int:
    revision = _increment(room_id)
    if revision is not None:
        return revision
    try:
        with db.session.begin_nested():
            db.session.execute(insert(_REVISIONS).values(room_id=room_id, revision=1))
        return 1
    except IntegrityError:  # another writer created the row first
        revision = _increment(room_id)
        assert revision is not None  # the row is there now
        return revision


def _load(room_id: int) -> int:
    revision = db.session.execute(_READ, {"room": room_id}).scalar()
    db.session.commit()  # end the read, so that the next one sees newer commits
    return revision or 0


def _publish(room_id: int, revision: int) -> None:
    """After the commit that made ``revision``: let every process see it (or a newer one)."""
    board_access.publish_revision(room_id, revision, lambda: _load(room_id))


def current(room_id: int) -> int:
    """The room's revision, from the cache when it is there."""
    return board_access.current_revision(room_id, lambda: _load(room_id))


def forget(room_id: int) -> int:
    """The room is gone: count that too (never drop the counter: a revision, and so an ETag,
    must never be reused should the room id come back), and close it to late history entries."""
    revision = bump(room_id)
    db.session.execute(_CLOSE, {"room": room_id})
    return revision


def closed(room_id: int) -> bool:
    """Whether the room was deleted (``forget``); the caller holds its lock."""
    return bool(db.session.execute(_CLOSED, {"room": room_id}).scalar())
