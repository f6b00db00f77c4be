"""The `reminders_due` scenario: the reminder worker's claim of due reminders (the due-reminder
query) timed with few and with many armed reminders, and its plan.

It arms reminders in the tasks database inside one transaction that is rolled back at the end
(the data set keeps none of them, and no worker of the stack ever sees them): first the small
count, then up to the large one, with the same number due at each size (two batches' worth) and
the rest ahead. At each size the worker's own statement (tasksync_tasks.reminders.worker, with
FOR UPDATE SKIP LOCKED on PostgreSQL) runs ``repeats`` times; the figure is the ratio of the mean
times, which is near 1 when the query's cost does not grow with the number of reminders (an index
scan of the partial index of armed rows that stops after one batch)."""

from __future__ import annotations

import json
import statistics
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select, text

FULL_SIZES = (1_000, 100_000)
SMOKE_SIZES = (300, 3_000)  # more than the due rows (two batches) at both sizes
CHUNK = 10_000


def _rows(task_id: int, start: int, stop: int, now: datetime, due: int) -> list[dict]:
    """Armed reminders ``start`` to ``stop``: the first ``due`` are due (in the past), the rest ahead."""
    rows = []
    for number in range(start, stop):
        fire_at = now - timedelta(seconds=number + 1) if number < due else now + timedelta(seconds=number)
        rows.append(
            {
                "task_id": task_id,
                "room_id": 0,
                "user_id": number % 1000 + 1,
                "kind": "due_soon",
                "offset_minutes": 60,
                "due_at": fire_at + timedelta(hours=1),
                "fire_at": fire_at,
                "state": "armed",
            }
        )
    return rows


def _plan(connection, statement, parameters: dict) -> dict:
    """The database's plan of ``statement``: PostgreSQL's top node (JSON), or SQLite's steps."""
    compiled = statement.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    values = compiled.construct_params(parameters)
    postgres = connection.dialect.name == "postgresql"
    arguments = tuple(values[name] for name in compiled.positiontup) if compiled.positional else values
    if postgres:
        answer = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}", arguments).scalar_one()
        top = (json.loads(answer) if isinstance(answer, str) else answer)[0]["Plan"]
        return {"total_cost": top["Total Cost"], "nodes": list(_nodes(top))}
    steps = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", arguments).all()
    return {"steps": [row[-1] for row in steps]}


def _nodes(node: dict):
    yield " ".join(filter(None, (node["Node Type"], node.get("Index Name"))))
    for child in node.get("Plans", []):
        yield from _nodes(child)


def run(engine, smoke: bool) -> dict:
    """Arm, time and explain; the figures (rolled back: nothing stays armed)."""
    from tasksync_tasks.reminders import worker
    from tasksync_tasks.reminders.models import Reminder
    from tasksync_tasks.tasks.models import Task

    sizes, repeats = (SMOKE_SIZES, 20) if smoke else (FULL_SIZES, 200)
    due = 2 * worker.BATCH
    now = datetime.now(UTC)
    parameters = {"now": now, "limit": worker.BATCH}
    figures: dict = {"sizes": list(sizes), "repeats": repeats, "batch": worker.BATCH, "due": due, "runs": {}}
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            statement = worker.claim_statement(connection.dialect.name)
            task_id = connection.execute(select(Task.id).limit(1)).scalar()
            if task_id is None:
                return {"skipped": "the data set has no task"}
            armed = 0
            started = time.monotonic()
            for size in sizes:
                for start in range(armed, size, CHUNK):
                    rows = _rows(task_id, start, min(size, start + CHUNK), now, due)
                    connection.execute(insert(Reminder.__table__), rows)
                armed = size
                if connection.dialect.name == "postgresql":
                    connection.execute(text("ANALYZE reminders"))  # undone with the rest
                latencies = []
                for _ in range(repeats):
                    began = time.perf_counter()
                    claimed = connection.execute(statement, parameters).all()
                    latencies.append((time.perf_counter() - began) * 1000)
                latencies.sort()
                figures["runs"][str(size)] = {
                    "claimed": len(claimed),
                    "mean_ms": round(statistics.fmean(latencies), 3),
                    "p50_ms": round(latencies[len(latencies) // 2], 3),
                    "p99_ms": round(latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))], 3),
                    "plan": _plan(connection, statement, parameters),
                }
            figures["arm_s"] = round(time.monotonic() - started, 1)
        finally:
            transaction.rollback()
    small, large = (figures["runs"][str(size)] for size in sizes)
    figures["ratio"] = round(large["mean_ms"] / small["mean_ms"], 2) if small["mean_ms"] else None
    return figures
