"""The walk-stamps migration on a database that the previous ones built and that holds tasks in
two columns: every task reads as unchanged (a walk begun before the upgrade goes on after it),
moves and due changes are stamped, a renumbering counted; downgraded and upgraded again."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from tasksync_common.board_access import member_key
from tasksync_common.cache import ACTIVE, cache, token_key
from tasksync_tasks.people import username_key
from tasksync_tasks.tasks import positions
from tools.service_testing import backends, token_for

from .conftest import migrated

PREVIOUS = "b7d4e2a9c615"
ROOM = 5
TASKS = f"/api/v1/rooms/{ROOM}/tasks"


def _fill(db) -> None:
    """Four tasks, two a column, and the room's revision, as the previous schema held them."""
    insert = text(
        "INSERT INTO tasks (id, room_id, user_id, created_by, title, description, status, version, search_text,"
        " priority, position, due_at, created_at, updated_at) VALUES (:id, 5, 1, 1, :title, NULL, :status, 1,"
        " :title, 'none', :position, :due, '2026-11-30 10:00:00', '2026-11-30 10:00:00')"
    )
    for task_id, status, position, due in (
        (1, "pending", 1, None),  # board order: 1, 2, 3, 4
        (2, "completed", 1, "2026-12-05 09:00:00+00"),
        (3, "pending", 2, "2026-12-04 09:00:00+00"),
        (4, "completed", 2, None),
    ):
        values = {"id": task_id, "title": f"old {task_id}", "status": status, "position": position, "due": due}
        db.session.execute(insert, values)
    db.session.execute(text("INSERT INTO room_revisions (room_id, revision) VALUES (5, 7)"))
    if db.engine.dialect.name == "postgresql":  # explicit ids: let the sequence follow
        db.session.execute(text("SELECT setval('tasks_id_seq', 4)"))
    db.session.commit()


@pytest.fixture(params=backends())
def old_app(request, tmp_path, rooms_url):
    with migrated(request.param, tmp_path, rooms_url, PREVIOUS, _fill) as built:
        token, claims = token_for(1)
        cache.set(token_key(claims["jti"]), ACTIVE)
        cache.set(member_key(ROOM, 1), "owner")
        cache.set(username_key(1), "alice")
        yield (*built, {"Authorization": f"Bearer {token}"})


def _stamps(db) -> list[tuple]:
    rows = db.session.execute(text("SELECT id, moved_revision, due_changed_at IS NULL, renumbered_from FROM tasks"))
    found = sorted(tuple(row) for row in rows)
    db.session.commit()
    return found


def test_the_upgraded_tasks_read_as_unchanged_and_walk(old_app):
    app, db, alice = old_app
    client = app.test_client()
    assert _stamps(db) == [(task_id, 0, True, None) for task_id in (1, 2, 3, 4)]
    first = client.get(f"{TASKS}?sort=position&limit=2", headers=alice).get_json()
    assert [t["id"] for t in first["items"]] == [1, 2]
    # Task 2 (given, and named by the cursor) moves to the end; task 3's due time changes (a
    # move stamps the room's revision, a due change the clock); task 4 moves between 1 and 3,
    # adjacent, and the board is renumbered first.
    moved = client.post(f"{TASKS}/2/move", json={"after_id": 4}, headers=alice)
    assert moved.status_code == 200, moved.get_json()
    assert client.patch(f"{TASKS}/3", json={"due_at": "2026-12-01T09:00:00Z"}, headers=alice).status_code == 200
    assert client.post(f"{TASKS}/4/move", json={"after_id": 1, "status": "pending"}, headers=alice).status_code == 200
    stamps = {row[0]: row[1:] for row in _stamps(db)}
    assert stamps == {1: (0, True, 1), 2: (8, True, 2 + positions.GAP), 3: (0, False, 2), 4: (10, True, 2)}
    renumberings = db.session.execute(text("SELECT renumberings FROM room_revisions WHERE room_id = 5")).scalar()
    db.session.commit()
    assert renumberings == 1
    # The cursor's task moved and the board was renumbered since: the place comes from the
    # positions before the renumbering. Task 3 is left; 2 and 4 moved during the walk.
    rest = client.get(f"{TASKS}?sort=position&limit=10&cursor={first['next_cursor']}", headers=alice).get_json()
    assert [t["id"] for t in rest["items"]] == [3] and rest["next_cursor"] is None
    board = client.get(f"{TASKS}?sort=position", headers=alice).get_json()["items"]
    assert [(t["id"], t["position"]) for t in board] == [
        (1, positions.GAP),
        (4, positions.GAP + positions.GAP // 2),
        (3, 2 * positions.GAP),
        (2, 4 * positions.GAP),
    ]


def test_downgrade_drops_the_stamps_and_keeps_the_tasks(old_app):
    app, db, alice = old_app
    with app.test_client() as client:
        assert client.post(f"{TASKS}/2/move", json={"after_id": 4}, headers=alice).status_code == 200
    assert _stamps(db)[1][1] == 8
    downgrade(revision=PREVIOUS)
    assert not {"moved_revision", "due_changed_at", "renumbered_from"} & {
        column["name"] for column in inspect(db.engine).get_columns("tasks")
    }
    assert "renumberings" not in {column["name"] for column in inspect(db.engine).get_columns("room_revisions")}
    count = db.session.execute(text("SELECT count(*) FROM tasks")).scalar_one()
    db.session.commit()
    assert count == 4
    upgrade()  # and up again, on the same data
    assert _stamps(db) == [(task_id, 0, True, None) for task_id in (1, 2, 3, 4)]
