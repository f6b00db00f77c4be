"""After a writing scenario: is every acknowledged write in the database?

Creates: per room, the tasks counted after the scenario minus before must be at least the creates
acknowledged (201) there. Moves: each moved task must hold at least the last acknowledged version,
with that status if it is exactly that version. Moves within a column: besides, each column
must still hold every one of its tasks, in one order with no two at the same position. A request
cut off at the end may still have written: that shows as "unacknowledged", which is allowed;
"lost" is not (a task gone from its column, or a tie, counts as lost too).
"""

from __future__ import annotations

import time

from sqlalchemy import func, select, text

from .load import MoveTask
from .seed import tasks_tables


def _tasks():
    return tasks_tables().tables["tasks"]


def room_counts(engine, room_ids) -> dict[int, int]:
    """Tasks per room, straight from the tasks database."""
    tasks = _tasks()
    query = select(tasks.c.room_id, func.count()).where(tasks.c.room_id.in_(list(room_ids))).group_by(tasks.c.room_id)
    with engine.connect() as connection:
        return dict(connection.execute(query).all())


def current_moves(engine, pool: list[tuple[int, int, int, int, int]]) -> list[MoveTask]:
    """The move pool with each task's version and status as the database holds them now."""
    tasks = _tasks()
    ids = [task_id for _room, task_id, *_rest in pool]
    with engine.connect() as connection:
        rows = {
            r.id: r
            for r in connection.execute(select(tasks.c.id, tasks.c.version, tasks.c.status).where(tasks.c.id.in_(ids)))
        }
    return [
        MoveTask(room, task_id, rows[task_id].version, rows[task_id].status, member, first, last)
        for room, task_id, member, first, last in pool
        if task_id in rows
    ]


def wait_settled(engine, pool: list[tuple[int, int, int, int, int]], interval: float, at_most: float) -> None:
    """Return once the pool's versions stay the same for ``interval`` seconds (or after
    ``at_most``): on a busy machine, requests a load run cut off are written well after it ends."""
    deadline = time.monotonic() + at_most
    versions = current_moves(engine, pool)
    while time.monotonic() < deadline:
        time.sleep(interval)
        latest = current_moves(engine, pool)
        if latest == versions:
            return
        versions = latest


def anchors(engine, columns: dict[int, tuple[int, int]]) -> dict[int, str] | None:
    """The row version (PostgreSQL's xmin) of each column's first task, which the moves never
    move: it changes only when the column is renumbered (one UPDATE of all its rows). None on
    SQLite, which has no such thing."""
    if engine.dialect.name != "postgresql" or not columns:
        return None
    tasks = _tasks()
    firsts = [first for first, _last in columns.values()]
    statement = select(tasks.c.room_id, text("xmin::text")).where(tasks.c.id.in_(firsts))
    with engine.connect() as connection:
        return dict(connection.execute(statement).all())


def column_order(engine, columns: dict[int, tuple[int, int]], anchors_before: dict[int, str] | None = None) -> dict:
    """Per column room (room: (first, last) task id), are all its tasks still in it, each at a
    position of its own? And how many were renumbered since ``anchors_before`` was read."""
    tasks = _tasks()
    missing = ties = 0
    with engine.connect() as connection:
        for room, (first, last) in columns.items():
            in_column = (
                tasks.c.room_id == room,
                tasks.c.status == "pending",
                tasks.c.id.between(first, last),
            )
            count, positions = connection.execute(
                select(func.count(), func.count(tasks.c.position.distinct())).where(*in_column)
            ).one()
            missing += last - first + 1 - count
            ties += count - positions
    after = anchors(engine, columns) if anchors_before is not None else None
    renumbered = None if after is None else sum(after[room] != anchors_before[room] for room in columns)
    return {
        "columns_checked": len(columns),
        "column_tasks_missing": missing,
        "column_ties": ties,
        "columns_renumbered": renumbered,
    }


def check(
    engine,
    before: dict[int, int],
    created: dict[int, int],
    moved: dict[int, tuple[int, str]],
    columns: dict[int, tuple[int, int]] | None = None,
    anchors_before: dict[int, str] | None = None,
) -> dict:
    """Compare what was acknowledged with what the database holds now; ``columns``: the column
    rooms moved in (room: (first, last) task id), ``anchors_before`` what ``anchors`` read of them
    before the moves."""
    after = room_counts(engine, before)
    lost_creates = sum(max(0, n - (after.get(r, 0) - before.get(r, 0))) for r, n in created.items())
    added = sum(after.get(r, 0) - before[r] for r in before)
    tasks = _tasks()
    with engine.connect() as connection:
        held = (
            {
                r.id: r
                for r in connection.execute(
                    select(tasks.c.id, tasks.c.version, tasks.c.status).where(tasks.c.id.in_(list(moved)))
                )
            }
            if moved
            else {}
        )
    lost_moves = [
        task_id
        for task_id, (version, status) in moved.items()
        if task_id not in held
        or held[task_id].version < version
        or (held[task_id].version == version and held[task_id].status != status)
    ]
    acknowledged = sum(created.values())
    order = column_order(engine, columns, anchors_before) if columns else {}
    return {
        "creates_acknowledged": acknowledged,
        "creates_kept": acknowledged - lost_creates,
        "creates_unacknowledged_but_written": max(0, added - acknowledged),
        "moved_tasks_checked": len(moved),  # each at its last acknowledged version: the earlier ones came first
        "moved_tasks_kept": len(moved) - len(lost_moves),
        "lost": lost_creates + len(lost_moves) + order.get("column_tasks_missing", 0) + order.get("column_ties", 0),
        "lost_moves_sample": lost_moves[:10],
        **order,
    }
