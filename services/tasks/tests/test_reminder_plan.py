"""The due-reminder query (the worker's claim) as PostgreSQL plans it, with 1,000 and with
1,000,000 armed reminders: a scan of the partial index of armed rows by fire time that stops
after one batch, whose cost is the same at both sizes. No scan of tasks, nor of every reminder."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from tasksync_tasks import create_app
from tasksync_tasks.reminders import worker
from tasksync_tasks.reminders.models import Reminder
from tools.databases import postgres_base_url
from tools.service_testing import service_app

pytestmark = pytest.mark.skipif(not postgres_base_url(), reason="plans are PostgreSQL's")
INDEX = "ix_reminders_armed_fire_at"


def arm(db, count: int) -> None:
    """``count`` armed reminders, 30 seconds apart from 2026-12-01. Loaded as a bulk load is, to
    keep the test quick: without the indexes the claim cannot use (a task's, a person's) and the
    foreign key's checks, then the partial index built, then the statistics."""
    db.session.execute(text("TRUNCATE reminders"))
    db.session.execute(text(f"DROP INDEX IF EXISTS {INDEX}"))
    db.session.execute(text("SET LOCAL session_replication_role = replica"))
    db.session.execute(
        text(
            "INSERT INTO reminders (task_id, room_id, user_id, kind, offset_minutes, due_at, fire_at, state)"
            " SELECT 1, 1, 1 + n % 1000, 'due_soon', 60, t + interval '1 hour', t, 'armed'"
            " FROM (SELECT n, timestamptz '2026-12-01' + n * interval '30 seconds' AS t"
            " FROM generate_series(1, :rows) AS n) AS s"
        ),
        {"rows": count},
    )
    db.session.commit()
    partial = next(index for index in Reminder.__table__.indexes if index.name == INDEX)
    partial.create(db.session.connection())  # as the model (and the migration) define it
    db.session.commit()
    db.session.execute(text("ANALYZE reminders"))
    db.session.commit()


def plan(db) -> dict:
    """EXPLAIN of the claim, with the parameters the worker binds, when a few hundred are due."""
    statement = worker.claim_statement("postgresql")
    compiled = statement.compile(dialect=db.engine.dialect, compile_kwargs={"render_postcompile": True})
    now = datetime(2026, 12, 1, 4, tzinfo=UTC)
    parameters = compiled.construct_params({"now": now, "limit": worker.BATCH})
    connection = db.session.connection()
    answer = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}", parameters).scalar_one()
    db.session.commit()
    return (json.loads(answer) if isinstance(answer, str) else answer)[0]["Plan"]


def nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from nodes(child)


def test_the_claim_is_an_index_scan_of_armed_rows_whose_cost_is_flat(tmp_path):
    with service_app(create_app, "postgres", tmp_path, "plan") as app, app.app_context():
        db = app.extensions["sqlalchemy"]
        db.session.execute(
            text(
                "INSERT INTO tasks (id, room_id, user_id, created_by, title, status, version, search_text, priority,"
                " position, created_at, updated_at) VALUES (1, 1, 1, 1, 't', 'pending', 1, 't', 'none', 1,"
                " now(), now())"
            )
        )
        db.session.execute(text("ALTER TABLE reminders DROP CONSTRAINT uq_reminders_task_user_kind_offset_due"))
        db.session.execute(text("DROP INDEX ix_reminders_user_id_room_id"))
        db.session.commit()
        costs = {}
        for count in (1_000, 1_000_000):
            arm(db, count)
            top = plan(db)
            scans = [node for node in nodes(top) if "Scan" in node["Node Type"]]
            assert [(node["Node Type"], node.get("Index Name")) for node in scans] == [("Index Scan", INDEX)], top
            costs[count] = top["Total Cost"]
        assert costs[1_000_000] < 2 * costs[1_000], costs
