"""After a writing scenario: is every acknowledged write in the database?

Creates: per room, the tasks counted after the scenario minus before must be at least the creates
acknowledged (201) there. Moves: each moved task must hold at least the last acknowledged version,
with that status if it is exactly that version. A request cut off at the end may still have
written: that shows as "unacknowledged", which is allowed; "lost" is not.
"""

from __future__ import annotations

from sqlalchemy import func, select

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


def current_moves(engine, pool: list[tuple[int, int, int]]) -> list[MoveTask]:
    """The move pool with each task's version and status as the database holds them now."""
    tasks = _tasks()
    ids = [task_id for _room, task_id, _member in pool]
    with engine.connect() as connection:
        rows = {
            r.id: r
            for r in connection.execute(select(tasks.c.id, tasks.c.version, tasks.c.status).where(tasks.c.id.in_(ids)))
        }
    return [
        MoveTask(room, task_id, rows[task_id].version, rows[task_id].status, member)
        for room, task_id, member in pool
        if task_id in rows
    ]


def check(engine, before: dict[int, int], created: dict[int, int], moved: dict[int, tuple[int, str]]) -> dict:
    """Compare what was acknowledged with what the database holds now."""
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
    return {
        "creates_acknowledged": acknowledged,
        "creates_kept": acknowledged - lost_creates,
        "creates_unacknowledged_but_written": max(0, added - acknowledged),
        "moved_tasks_checked": len(moved),  # each at its last acknowledged version: the earlier ones came first
        "moved_tasks_kept": len(moved) - len(lost_moves),
        "lost": lost_creates + len(lost_moves),
        "lost_moves_sample": lost_moves[:10],
    }
