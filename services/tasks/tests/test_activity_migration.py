"""The activity migration on a database that the previous ones built and that holds tasks, labels
and revisions: upgraded, then written and read through the app (history, deliveries, a deleted
room closed); downgraded, keeping the tasks, and upgraded again."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from tasksync_common.signing import INTERNAL_AUDIENCE
from tools.service_testing import backends, signer

from .conftest import People, migrated

PREVIOUS = "5b0c1d2e7f31"


def _fill(db) -> None:
    """Two rooms' tasks (one with a label) and revisions, as the previous schema held them."""
    insert = text(
        "INSERT INTO tasks (id, room_id, user_id, created_by, title, description, status, version, search_text,"
        " priority, position, created_at, updated_at) VALUES (:id, :room, 1, 1, :title, NULL, 'pending', 1,"
        " :title, 'none', :position, '2026-11-30 10:00:00', '2026-11-30 10:00:00')"
    )
    for task_id, room in ((1, 5), (2, 5), (3, 6)):
        db.session.execute(insert, {"id": task_id, "room": room, "title": f"old {task_id}", "position": 1024 * task_id})
    db.session.execute(
        text(
            "INSERT INTO labels (id, room_id, name, name_key, color, created_at)"
            " VALUES (1, 5, 'Old', 'old', '#000000', '2026-11-30 10:00:00')"
        )
    )
    db.session.execute(text("INSERT INTO task_labels (task_id, label_id) VALUES (1, 1)"))
    db.session.execute(text("INSERT INTO room_revisions (room_id, revision) VALUES (5, 12), (6, 3)"))
    if db.engine.dialect.name == "postgresql":  # explicit ids: let the sequences follow
        db.session.execute(text("SELECT setval('tasks_id_seq', 3)"))
        db.session.execute(text("SELECT setval('labels_id_seq', 1)"))
    db.session.commit()


def _service() -> dict:
    token, _ = signer().issue("service:rooms", INTERNAL_AUDIENCE, 60)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(params=backends())
def old_app(request, tmp_path, rooms_url):
    with migrated(request.param, tmp_path, rooms_url, PREVIOUS, _fill) as built:
        yield built


def test_the_upgraded_rooms_keep_their_tasks_and_write_history(old_app):
    app, db = old_app
    client = app.test_client()
    alice = People()(1, {5: "owner", 6: "owner"})
    assert client.get("/api/v1/rooms/5/activity", headers=alice).get_json() == {"items": [], "next_cursor": None}
    assert client.get("/api/v1/rooms/5/tasks", headers=alice).headers["ETag"].startswith('"r12-')
    patched = client.patch("/api/v1/rooms/5/tasks/1", json={"title": "renamed", "label_ids": []}, headers=alice)
    assert patched.status_code == 200, patched.get_json()
    entry = {
        "outbox_id": 1,
        "kind": "member.joined",
        "actor_id": 2,
        "actor_username": "user2",
        "data": {"user_id": 2, "username": "user2"},
        "created_at": "2026-12-01T15:00:00",
    }
    assert (
        client.post("/internal/v1/rooms/5/activity", json={"entries": [entry]}, headers=_service()).status_code == 204
    )
    entries = client.get("/api/v1/rooms/5/activity", headers=alice).get_json()["items"]
    assert [e["kind"] for e in entries] == ["member.joined", "task.updated"]
    assert entries[1]["data"] == {
        "title": "renamed",
        "changes": {"title": ["old 1", "renamed"], "label_ids": [[1], []]},
    }
    assert client.get("/api/v1/rooms/5/tasks", headers=alice).headers["ETag"].startswith('"r13-')
    # An old room deleted: its history goes, and it takes no more.
    assert client.delete("/internal/v1/rooms/6/tasks", headers=_service()).status_code == 204
    late = {**entry, "outbox_id": 2}
    assert client.post("/internal/v1/rooms/6/activity", json={"entries": [late]}, headers=_service()).status_code == 204
    assert db.session.execute(text("SELECT count(*) FROM activity WHERE room_id = 6")).scalar() == 0
    closed = dict(db.session.execute(text("SELECT room_id, closed FROM room_revisions")).all())
    db.session.commit()
    assert {room: bool(value) for room, value in closed.items()} == {5: False, 6: True}


def test_downgrade_drops_the_history_and_keeps_the_tasks(old_app):
    app, db = old_app
    alice = People()(1, {5: "owner"})
    assert app.test_client().post("/api/v1/rooms/5/tasks", json={"title": "new"}, headers=alice).status_code == 201
    db.session.rollback()  # end the read that answered (this test's app context outlives the request)
    downgrade(revision=PREVIOUS)
    inspector = inspect(db.engine)
    assert "activity" not in inspector.get_table_names()
    assert "closed" not in {column["name"] for column in inspector.get_columns("room_revisions")}
    assert db.session.execute(text("SELECT id FROM tasks ORDER BY id")).scalars().all() == [1, 2, 3, 4]
    db.session.commit()
    upgrade()  # and up again, on the same data
    assert db.session.execute(text("SELECT count(*) FROM activity")).scalar() == 0
    db.session.commit()
