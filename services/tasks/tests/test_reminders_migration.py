"""The reminders migration on a database that the previous ones built and that holds tasks with
due times and notifications: upgraded, the old tasks arm nothing (no reminder was asked for when
their due times were set) until one is changed; the reminder routes work; downgraded, keeping
every task and notification, and upgraded again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from tools.service_testing import backends

from .conftest import People, migrated

PREVIOUS = "7e2b9c4d1a60"
SOON = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)


def _fill(db) -> None:
    """Tasks with and without due times, and a notification, as the previous schema held them."""
    insert = text(
        "INSERT INTO tasks (id, room_id, user_id, created_by, title, description, status, version, search_text,"
        " priority, position, due_at, created_at, updated_at) VALUES (:id, 5, 1, 1, :title, NULL, :status, 1,"
        " :title, 'none', :position, :due, '2026-11-30 10:00:00', '2026-11-30 10:00:00')"
    )
    for task_id, status, due in ((1, "pending", SOON), (2, "completed", SOON), (3, "pending", None)):
        row = {"id": task_id, "title": f"old {task_id}", "status": status, "position": 1024 * task_id, "due": due}
        db.session.execute(insert, row)
    db.session.execute(text("INSERT INTO room_revisions (room_id, revision) VALUES (5, 4)"))
    db.session.execute(
        text(
            "INSERT INTO notifications (user_id, kind, room_id, task_id, data, read, created_at)"
            " VALUES (1, 'assigned', 5, 1, '{\"title\": \"old 1\"}', false, '2026-11-30 10:00:00')"
        )
    )
    if db.engine.dialect.name == "postgresql":  # explicit ids: let the sequence follow
        db.session.execute(text("SELECT setval('tasks_id_seq', 3)"))
    db.session.commit()


@pytest.fixture(params=backends())
def old_app(request, tmp_path, rooms_url):
    with migrated(request.param, tmp_path, rooms_url, PREVIOUS, _fill) as built:
        yield built


def _armed(db) -> list[tuple]:
    rows = db.session.execute(text("SELECT task_id, kind, offset_minutes FROM reminders WHERE state = 'armed'"))
    armed = sorted(tuple(row) for row in rows)
    db.session.commit()
    return armed


def test_old_tasks_arm_nothing_until_changed(old_app):
    app, db = old_app
    client = app.test_client()
    alice = People()(1, {5: "owner"})
    assert _armed(db) == []
    assert client.get("/api/v1/users/me/reminders", headers=alice).get_json() == {
        "before_due": [1440],
        "overdue": True,
        "email": False,
    }
    later = (SOON + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert client.patch("/api/v1/rooms/5/tasks/1", json={"due_at": later}, headers=alice).status_code == 200
    assert client.patch("/api/v1/rooms/5/tasks/2", json={"title": "still done"}, headers=alice).status_code == 200
    assert _armed(db) == [(1, "due_soon", 1440), (1, "overdue", 0)]
    assert client.delete("/api/v1/rooms/5/tasks/1", headers=alice).status_code == 204
    assert _armed(db) == []  # a task's reminders go with it (ON DELETE CASCADE)


def test_downgrade_drops_the_reminders_and_keeps_the_rest(old_app):
    app, db = old_app
    alice = People()(1, {5: "owner"})
    later = (SOON + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert app.test_client().patch("/api/v1/rooms/5/tasks/3", json={"due_at": later}, headers=alice).status_code == 200
    assert _armed(db) == [(3, "due_soon", 1440), (3, "overdue", 0)]
    downgrade(revision=PREVIOUS)
    tables = set(inspect(db.engine).get_table_names())
    assert not tables & {"reminders", "reminder_settings", "reminder_mails"}
    assert db.session.execute(text("SELECT id FROM tasks ORDER BY id")).scalars().all() == [1, 2, 3]
    assert db.session.execute(text("SELECT count(*) FROM notifications")).scalar() == 1
    db.session.commit()
    upgrade()  # and up again, on the same data
    assert _armed(db) == []
