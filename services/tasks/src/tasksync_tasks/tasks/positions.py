"""Where a task stands in its status column: integer positions with gaps between them.

A new place is one row's write: the midpoint of its two neighbours, one gap before the first
task, or one gap after the last. Only when two neighbours are adjacent integers, or a position
would leave the range every JSON reader holds exactly, is the room's board renumbered first,
evenly and in one statement (no task's version changes: only the order means anything). Integers
never lose precision the way halved floats do, and a renumbering is rare: after GAP_BITS moves
into one gap, or 2**33 moves to one end.

A renumbering numbers the whole room in board order (position, then id, across the columns), not
the one column: so it keeps the order of the whole board as well as each column's, which a walk
through the pages of the board (walks.py) relies on. It keeps each task's position before it in
``renumbered_from`` and counts itself in the room's revision row.

Callers hold the room's lock (revisions.begin_change) from before they read neighbours until they
commit, so two writers never choose from the same neighbours: no ties, nothing lost or doubled.
"""

from __future__ import annotations

from sqlalchemy import Row, and_, bindparam, func, or_, select
from sqlalchemy import update as sql_update

from ..extensions import db
from . import revisions
from .models import Task

GAP_BITS = 20
GAP = 2**GAP_BITS  # the spacing of a renumbered column (and of the migration's first numbering)
LIMIT = 2**53 - 1  # |position| stays within what an IEEE double (a JavaScript number) holds exactly

_TASKS = Task.__table__
column = _TASKS.c
_IN_COLUMN = and_(column.room_id == bindparam("room"), column.status == bindparam("status"))
_LAST = select(column.position).where(_IN_COLUMN).order_by(column.position.desc(), column.id.desc()).limit(1)
_FIRST_OTHER = (
    select(column.id, column.position)
    .where(_IN_COLUMN, column.id != bindparam("task"))
    .order_by(column.position, column.id)
    .limit(1)
)
# The first task other than the moving one that comes after (position, id) = (after_position, after_id).
_NEXT_OTHER = (
    select(column.id, column.position)
    .where(
        _IN_COLUMN,
        column.id != bindparam("task"),
        or_(
            column.position > bindparam("after_position"),
            and_(column.position == bindparam("after_position"), column.id > bindparam("after_id")),
        ),
    )
    .order_by(column.position, column.id)
    .limit(1)
)
_POSITION_OF = select(column.position).where(column.id == bindparam("task"))


def _renumber(room_id: int) -> None:
    """Space the room's tasks GAP apart, in their current board order."""
    numbered = (
        select(column.id, func.row_number().over(order_by=(column.position, column.id)).label("n"))
        .where(column.room_id == room_id)
        .subquery()
    )
    db.session.execute(
        sql_update(_TASKS)
        .where(column.id == numbered.c.id)
        .values(position=numbered.c.n * GAP, renumbered_from=column.position)
    )
    revisions.renumbered(room_id)


def end_of_column(room_id: int, status: str) -> int:
    """A position after every task now in the column."""
    for _ in range(2):
        last = db.session.execute(_LAST, {"room": room_id, "status": status}).scalar()
        if last is None:
            return GAP
        if last + GAP <= LIMIT:
            return last + GAP
        _renumber(room_id)
    raise AssertionError("a renumbered column always has room at its end")


def _key(row: Row) -> tuple[int, int]:
    """Where a task stands: (position, id), the order of a column."""
    return (row.position, row.id)


def _next_other(room_id: int, status: str, task_id: int, after: tuple[int, int] | None) -> Row | None:
    """The task (other than ``task_id``) right after the place ``after``, or first when it is None."""
    values = {"room": room_id, "status": status, "task": task_id}
    if after is None:
        return db.session.execute(_FIRST_OTHER, values).one_or_none()
    values |= {"after_position": after[0], "after_id": after[1]}
    return db.session.execute(_NEXT_OTHER, values).one_or_none()


def _between(low: int | None, high: int | None) -> int | None:
    """A free integer strictly between two neighbours' positions (None: no neighbour on that
    side), within LIMIT; None when there is none."""
    if low is None and high is None:
        return GAP
    if low is None:
        assert high is not None
        return high - GAP if high - GAP >= -LIMIT else None
    if high is None:
        return low + GAP if low + GAP <= LIMIT else None
    return (low + high) // 2 if high - low >= 2 else None


def place_after(room_id: int, status: str, task: Row, after: Row | None) -> int | None:
    """The position that puts ``task`` into column ``status`` right after ``after`` (first when
    None), renumbering the column if it must; None when the task is already there."""
    place = _key(after) if after is not None else None
    following = _next_other(room_id, status, task.id, place)
    if (
        task.status == status
        and (place is None or place < _key(task))
        and (following is None or _key(task) < _key(following))
    ):
        return None
    for _ in range(2):
        position = _between(place[0] if place else None, following.position if following else None)
        if position is not None:
            return position
        _renumber(room_id)
        if place is not None:
            place = (db.session.execute(_POSITION_OF, {"task": place[1]}).scalar_one(), place[1])
        following = _next_other(room_id, status, task.id, place)
    raise AssertionError("a renumbered column always has room between two neighbours")
