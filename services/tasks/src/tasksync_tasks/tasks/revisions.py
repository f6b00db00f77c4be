"""A counter per room that every task write bumps: the list's ETag, checked without a query."""

from __future__ import annotations

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from tasksync_common import after_commit, board_access
from tasksync_common.cache import cache

from .. import in_transaction
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
_LOCK_AND_READ = (
    select(_REVISIONS.c.revision, _REVISIONS.c.closed)
    .where(_REVISIONS.c.room_id == bindparam("room"))
    .with_for_update()
)
_CLOSE = update(_REVISIONS).where(_REVISIONS.c.room_id == bindparam("room")).values(closed=True)

_HELD = "revisions"  # this transaction's memo: room id -> the revision it holds the room at


def _increment(room_id: int) -> int | None:
    return db.session.execute(_INCREMENT, {"room": room_id}).scalar()


def begin_change(room_id: int) -> int:
    """Lock the room's revision row until the caller's transaction ends, and count that
    transaction's change: the room's new revision, published to every process once it commits
    (a transaction that rolls back counts nothing). Every write to a room's board takes it first,
    so writes in one room (the order of a column above all) follow one another, always in the
    same order of locks (room, then task), which no deadlock can come from. One statement: the
    UPDATE that counts is the one that locks. On SQLite every write transaction holds the whole
    database anyway (BEGIN IMMEDIATE)."""
    revision = _increment(room_id)
    if revision is None:
        try:
            with db.session.begin_nested():
                db.session.execute(insert(_REVISIONS).values(room_id=room_id, revision=1))
            revision = 1
        except IntegrityError:  # another writer created the row first
            revision = _increment(room_id)
            assert revision is not None  # the row is there now
    in_transaction.memo(_HELD)[room_id] = revision
    after_commit.defer(db.session, _publish, room_id, revision)
    return revision


def lock_unchanged(room_id: int) -> bool:
    """Take the room's lock as ``begin_change`` does, for a write that is no change to the board
    (a history entry of the rooms service's): the revision stays, as read under the lock
    (``held``). Whether the room is closed (deleted, see ``forget``)."""
    row = db.session.execute(_LOCK_AND_READ, {"room": room_id}).one_or_none()
    if row is None:  # no write in the room yet: its row, at revision 0 (as no row reads)
        try:
            with db.session.begin_nested():
                db.session.execute(insert(_REVISIONS).values(room_id=room_id, revision=0))
        except IntegrityError:  # another writer created the row first
            pass
        row = db.session.execute(_LOCK_AND_READ, {"room": room_id}).one()
    in_transaction.memo(_HELD)[room_id] = row.revision
    return bool(row.closed)


def held(room_id: int) -> int | None:
    """The room's revision as this transaction leaves it: what its ``begin_change`` made, or
    what ``lock_unchanged`` read under the lock (None when it has taken neither)."""
    return in_transaction.memo(_HELD).get(room_id)


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


def current_many(room_ids: list[int]) -> list[int]:
    """The revisions of ``room_ids``, in their order: from the cache in one round trip, the
    missing ones read (and cached) one by one."""
    cached = cache.get_many(*(board_access.revision_key(room_id) for room_id in room_ids)) if room_ids else []
    return [current(room_id) if value is None else value for room_id, value in zip(room_ids, cached, strict=True)]


def forget(room_id: int) -> int:
    """The room is gone: count that too, as its last change (never drop the counter: a
    revision, and so an ETag, must never be reused should the room id come back), and close it
    to history entries delivered late."""
    revision = begin_change(room_id)
    db.session.execute(_CLOSE, {"room": room_id})
    return revision
