"""The migration that gives history entries a revision and a request id, on a database that the
previous ones built and that holds a room's tasks, history and revision: the old entries replay
at the room's current revision with no request id, new ones carry theirs; downgraded, the
entries stay, and upgraded again."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from tools.service_testing import backends

from .conftest import People, migrated
from .test_activity import deliver, entry

PREVIOUS = "1c559c51b988"
ROOM = 5


def _fill(db) -> None:
    """A task, the room's revision (7) and two entries of its history, as the previous schema held them."""
    db.session.execute(
        text(
            "INSERT INTO tasks (id, room_id, user_id, created_by, title, description, status, version, search_text,"
            " priority, position, created_at, updated_at) VALUES (1, 5, 1, 1, 'old', NULL, 'pending', 1, 'old',"
            " 'none', 1024, '2026-11-30 10:00:00', '2026-11-30 10:00:00')"
        )
    )
    db.session.execute(text("INSERT INTO room_revisions (room_id, revision, closed) VALUES (5, 7, false)"))
    for entry_id, kind, task_id in ((1, "task.created", 1), (2, "member.joined", None)):
        db.session.execute(
            text(
                "INSERT INTO activity (id, room_id, task_id, actor_id, actor_username, kind, data, created_at)"
                " VALUES (:id, 5, :task, 1, 'user1', :kind, '{}', '2026-11-30 10:00:00')"
            ),
            {"id": entry_id, "task": task_id, "kind": kind},
        )
    if db.engine.dialect.name == "postgresql":  # explicit ids: let the sequences follow
        db.session.execute(text("SELECT setval('tasks_id_seq', 1)"))
        db.session.execute(text("SELECT setval('activity_id_seq', 2)"))
    db.session.commit()


@pytest.fixture(params=backends())
def old_app(request, tmp_path, rooms_url):
    with migrated(request.param, tmp_path, rooms_url, PREVIOUS, _fill) as built:
        yield built


def test_old_entries_replay_at_the_current_revision_and_new_ones_carry_theirs(old_app):
    app, _db = old_app
    client = app.test_client()
    alice = People()(1, {ROOM: "owner"})
    events = "/internal/v1/rooms/5/events"
    old = client.get(f"{events}?after=0", headers=alice).get_json()
    assert old == {
        "head": 2,
        "events": [
            {
                "id": 1,
                "event": "task.created",
                "data": {"room_id": 5, "revision": 7, "actor_id": 1, "task_id": 1, "request_id": None},
            },
            {
                "id": 2,
                "event": "member.joined",
                "data": {"room_id": 5, "revision": 7, "actor_id": 1, "task_id": None, "request_id": None},
            },
        ],
        "reset": False,
    }
    patched = client.patch("/api/v1/rooms/5/tasks/1", json={"title": "new"}, headers={**alice, "X-Request-ID": "up-1"})
    assert patched.status_code == 200, patched.get_json()
    assert deliver(client, [{**entry(1), "request_id": "rooms-up"}], room=ROOM).status_code == 204
    new = client.get(f"{events}?after=2", headers=alice).get_json()["events"]
    assert [(e["event"], e["data"]["revision"], e["data"]["request_id"]) for e in new] == [
        ("task.updated", 8, "up-1"),
        ("member.joined", 8, "rooms-up"),
    ]
    # The old entries now show the room's revision after the update: the current one.
    assert client.get(f"{events}?after=0", headers=alice).get_json()["events"][0]["data"]["revision"] == 8


def test_downgrade_drops_the_columns_and_keeps_the_entries(old_app):
    app, db = old_app
    alice = People()(1, {ROOM: "owner"})
    assert app.test_client().post("/api/v1/rooms/5/tasks", json={"title": "x"}, headers=alice).status_code == 201
    db.session.rollback()  # end the read that answered (this test's app context outlives the request)
    downgrade(revision=PREVIOUS)
    columns = {column["name"] for column in inspect(db.engine).get_columns("activity")}
    assert {"revision", "request_id"}.isdisjoint(columns)
    assert db.session.execute(text("SELECT kind FROM activity ORDER BY id")).scalars().all() == [
        "task.created",
        "member.joined",
        "task.created",
    ]
    db.session.commit()
    upgrade()  # and up again, on the same data
    rows = db.session.execute(text("SELECT revision, request_id FROM activity ORDER BY id")).all()
    db.session.commit()
    assert [tuple(row) for row in rows] == [(None, None)] * 3
