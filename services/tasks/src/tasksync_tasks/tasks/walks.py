"""Walks through the task lists whose sort keys change while a client pages: board order
(``position``, then id: a move changes a task's position, and a renumbering every position of the
room) and due order (``due_at``, no due time last, then id: a due change changes it).

The rule (docs/api.md, Paging): following ``next_cursor`` never gives a task twice, and gives
exactly once every task whose place in the order did not change during the walk. How:

- A walk's first page fixes its snapshot, which every cursor of the walk carries on: in board
  order the room's revision, in due order the database's clock (the walk spans rooms).
- Each task records when its key last changed by a real change: ``moved_revision``, the room
  revision of the write that last moved it (the move route, or a new status), and
  ``due_changed_at``, the database's clock when its due time last changed. Creation sets
  neither: a task that is new since the snapshot cannot have been given yet, so it is given once
  where it stands.
- Later pages leave out the tasks whose key changed after the snapshot: they may have been given
  at their old place already. Losing such a task is allowed; giving it twice is not.
- A renumbering (positions.py) spaces out the room's positions in the same order: the order
  stands, but a position a cursor carries no longer names the same place. So a board cursor
  names its last task, and the next page goes on after where that task stands now, while it
  stands where the walk saw it (not moved since the snapshot, not deleted). Else it goes on after
  the position the cursor carries, which still names the same place unless the room was
  renumbered since that page: once, and the positions the tasks had just before it
  (``renumbered_from``) are compared instead; twice or more, and the walk ends there, as nothing
  then tells which of the tasks left were given.

Both pages and writes need the same view of the room: a page holds its rooms (revisions.hold)
while it reads, and a write stamps its tasks while it holds its room (revisions.begin_change).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Select, and_, false, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from .. import paging
from ..extensions import db
from . import cursors, revisions
from .cursors import BoardPlace, DuePlace
from .models import Task


def now() -> datetime:
    """The database's clock, which stamps due changes and snapshots due-order walks: PostgreSQL's,
    which every process of every service host shares (``clock_timestamp``: the moment of asking,
    not the transaction's start); on SQLite, which is embedded on one machine, the machine's.
    A wall clock: should it be set back during a walk, a due change made after the walk's
    snapshot could carry an earlier time and be given a second time."""
    if db.session.get_bind().dialect.name == "postgresql":
        return db.session.execute(select(func.clock_timestamp())).scalar_one()
    return datetime.now(UTC)


def _beyond(column: ColumnElement, position: int, last_id: int) -> ColumnElement[bool]:
    """Tasks after (``position``, ``last_id``) when ordered by (``column``, id)."""
    return or_(column > position, and_(column == position, Task.id > last_id))


def _after(room_id: int, place: BoardPlace, renumberings: int) -> ColumnElement[bool]:
    """The tasks after ``place`` in the room's board order as it is now (the room held)."""
    anchor = db.session.execute(
        select(Task.position).where(
            Task.id == place.last_id, Task.room_id == room_id, Task.moved_revision <= place.snapshot
        )
    ).scalar()
    if anchor is not None:  # the last task given still stands where the walk saw it
        return _beyond(Task.position, anchor, place.last_id)
    if renumberings == place.renumberings:
        return _beyond(Task.position, place.position, place.last_id)
    if renumberings == place.renumberings + 1:
        return _beyond(Task.renumbered_from, place.position, place.last_id)
    return false()


def board_page(statement: Select, room_id: int, cursor: str | None, limit: int) -> tuple[list, str | None]:
    """A page of ``statement`` (tasks of room ``room_id``, filtered) in board order, and the
    cursor to the next."""
    place = cursors.decode_board(cursor) if cursor else None  # a bad cursor is 422 before any lock
    revision, renumberings = revisions.hold([room_id]).get(room_id, (0, 0))
    snapshot = revision if place is None else place.snapshot
    if place is not None:
        statement = statement.where(Task.moved_revision <= snapshot, _after(room_id, place, renumberings))
    rows = db.session.execute(statement.order_by(Task.position, Task.id).limit(limit + 1)).all()
    return paging.split(
        rows, limit, lambda last: cursors.encode_board(BoardPlace(snapshot, renumberings, last.position, last.id))
    )


def due_page(statement: Select, room_ids: list[int], cursor: str | None, limit: int) -> tuple[list, str | None]:
    """A page of ``statement`` (tasks of ``room_ids``, filtered) in due order, and the cursor to
    the next."""
    if cursor:
        place = cursors.decode_due(cursor)
        snapshot = place.snapshot
        unchanged = or_(Task.due_changed_at.is_(None), Task.due_changed_at < snapshot)
        if place.due_at is None:
            statement = statement.where(unchanged, Task.due_at.is_(None), Task.id > place.last_id)
        else:
            later = or_(Task.due_at > place.due_at, and_(Task.due_at == place.due_at, Task.id > place.last_id))
            statement = statement.where(unchanged, or_(later, Task.due_at.is_(None)))
    else:
        # Every due change stamped before the snapshot is one this page sees: a write in progress
        # in these rooms is waited for, and one that starts later stamps a later time.
        revisions.hold(room_ids)
        snapshot = now()
    rows = db.session.execute(statement.order_by(Task.due_at.is_(None), Task.due_at, Task.id).limit(limit + 1)).all()
    return paging.split(rows, limit, lambda last: cursors.encode_due(DuePlace(snapshot, last.due_at, last.id)))
