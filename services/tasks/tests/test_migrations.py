"""The planning-fields migration on a database that the previous one built and that holds tasks:
upgraded, then read and written through the app; and downgraded again."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from tasksync_common.board_access import member_key
from tasksync_common.cache import ACTIVE, cache, token_key
from tasksync_tasks.people import username_key
from tasksync_tasks.tasks.positions import GAP
from tools.service_testing import backends, token_for

from .conftest import migrated

PREVIOUS = "81128cb80918"
# (id, room, status): ids as they were handed out; task 9 was the last, then deleted.
OLD_TASKS = [
    (1, 5, "pending"),
    (2, 5, "completed"),
    (3, 6, "pending"),
    (4, 5, "pending"),
    (5, 5, "in progress"),
    (6, 5, "pending"),
    (7, 6, "pending"),
    (8, 5, "completed"),
]


def _fill(db) -> None:
    """Tasks as the previous schema held them, and a deleted last one."""
    insert = text(
        "INSERT INTO tasks (id, room_id, user_id, created_by, title, description, status, version, search_text,"
        " created_at, updated_at) VALUES (:id, :room, 1, 1, :title, NULL, :status, 1, :title,"
        " '2026-11-30 10:00:00', '2026-11-30 10:00:00')"
    )
    for task_id, room, status in [*OLD_TASKS, (9, 5, "pending")]:
        db.session.execute(insert, {"id": task_id, "room": room, "status": status, "title": f"old {task_id}"})
    db.session.execute(text("DELETE FROM tasks WHERE id = 9"))
    db.session.execute(text("INSERT INTO room_revisions (room_id, revision) VALUES (5, 12), (6, 3)"))
    if db.engine.dialect.name == "postgresql":  # explicit ids: let the sequence follow, as the app's inserts did
        db.session.execute(text("SELECT setval('tasks_id_seq', 9)"))
    db.session.commit()


def _person(user_id: int, rooms: list[int]) -> dict:
    """A signed-in member of ``rooms``, as the rooms service publishes them."""
    token, claims = token_for(user_id)
    cache.set(token_key(claims["jti"]), ACTIVE)
    cache.set(username_key(user_id), f"user{user_id}")
    for room in rooms:
        cache.set(member_key(room, user_id), "owner")
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(params=backends())
def old_app(request, tmp_path, rooms_url):
    with migrated(request.param, tmp_path, rooms_url, PREVIOUS, _fill) as built:
        yield built


def test_existing_tasks_get_positions_in_creation_order_per_column(old_app):
    app, _db = old_app
    client = app.test_client()
    alice = _person(1, [5, 6])
    for room in (5, 6):
        items = client.get(f"/api/v1/rooms/{room}/tasks?sort=position&limit=200", headers=alice).get_json()["items"]
        for status in ("pending", "in progress", "completed"):
            column = [t for t in items if t["status"] == status]
            expected = [task_id for task_id, r, s in OLD_TASKS if (r, s) == (room, status)]
            assert [t["id"] for t in column] == expected
            assert [t["position"] for t in column] == [GAP * n for n in range(1, len(expected) + 1)]
        assert all((t["priority"], t["due_at"], t["version"]) == ("none", None, 1) for t in items)


def test_the_upgraded_room_takes_new_tasks_and_moves(old_app):
    app, _db = old_app
    client = app.test_client()
    alice = _person(1, [5])
    etag = client.get("/api/v1/rooms/5/tasks", headers=alice).headers["ETag"]
    assert etag.startswith('"r12-')  # the room's revision carried over
    new = client.post("/api/v1/rooms/5/tasks", json={"title": "new", "priority": "high"}, headers=alice).get_json()
    assert new["id"] > 9  # the deleted task's id is never handed out again
    assert new["position"] == 4 * GAP  # after tasks 1, 4 and 6
    moved = client.post(f"/api/v1/rooms/5/tasks/{new['id']}/move", json={"after_id": None}, headers=alice)
    assert moved.status_code == 200, moved.get_json()
    pending = client.get("/api/v1/rooms/5/tasks?status=pending&sort=position", headers=alice).get_json()["items"]
    assert [t["id"] for t in pending] == [new["id"], 1, 4, 6]
    assert client.get("/api/v1/rooms/5/tasks", headers=alice).headers["ETag"].startswith('"r14-')


def test_downgrade_drops_the_fields_and_keeps_the_tasks(old_app):
    _app, db = old_app
    downgrade(revision=PREVIOUS)
    columns = {column["name"] for column in inspect(db.engine).get_columns("tasks")}
    assert not {"due_at", "priority", "position"} & columns
    ids = db.session.execute(text("SELECT id FROM tasks ORDER BY id")).scalars().all()
    db.session.commit()
    assert ids == [task_id for task_id, _room, _status in OLD_TASKS]
    upgrade()  # and up again, on the same data
    assert db.session.execute(text("SELECT count(*) FROM tasks WHERE position IS NOT NULL")).scalar() == len(OLD_TASKS)
    db.session.commit()
