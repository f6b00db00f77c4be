"""The comments-and-notifications migration on a database that the previous ones built and that
holds tasks, labels and checklists: upgraded, then written through the app (a comment, its
notification, a reassignment), the cascades working; downgraded and upgraded again."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from tasksync_common.board_access import member_key
from tasksync_common.cache import ACTIVE, cache, token_key
from tasksync_tasks.people import username_key
from tools.service_testing import backends, token_for

from .conftest import migrated

PREVIOUS = "9c3e5a1f2b47"
ROOM = 5


def _fill(db) -> None:
    """Tasks (one assigned to someone else), a label and a checklist, as the previous schema held them."""
    insert = text(
        "INSERT INTO tasks (id, room_id, user_id, created_by, title, description, status, version, search_text,"
        " priority, position, created_at, updated_at) VALUES (:id, :room, :user, 1, :title, NULL, 'pending', 1,"
        " :title, 'none', :position, '2026-11-30 10:00:00', '2026-11-30 10:00:00')"
    )
    for task_id, user in ((1, 1), (2, 2), (3, 1)):
        db.session.execute(
            insert, {"id": task_id, "room": ROOM, "user": user, "title": f"old {task_id}", "position": task_id}
        )
    db.session.execute(
        text(
            "INSERT INTO labels (id, room_id, name, name_key, color, created_at)"
            " VALUES (1, 5, 'Bug', 'bug', '#D93F0B', '2026-11-30 10:00:00')"
        )
    )
    db.session.execute(text("INSERT INTO task_labels (task_id, label_id) VALUES (2, 1)"))
    db.session.execute(text("INSERT INTO checklist_items (id, task_id, text, done) VALUES (1, 2, 'step', false)"))
    db.session.execute(text("INSERT INTO room_revisions (room_id, revision) VALUES (5, 7)"))
    if db.engine.dialect.name == "postgresql":  # explicit ids: let the sequences follow
        db.session.execute(text("SELECT setval('tasks_id_seq', 3)"))
        db.session.execute(text("SELECT setval('labels_id_seq', 1)"))
        db.session.execute(text("SELECT setval('checklist_items_id_seq', 1)"))
    db.session.commit()


def _person(user_id: int, username: str) -> dict:
    """A signed-in member of the room, as the rooms service publishes them (and their username)."""
    token, claims = token_for(user_id)
    cache.set(token_key(claims["jti"]), ACTIVE)
    cache.set(member_key(ROOM, user_id), "owner" if user_id == 1 else "member")
    cache.set(username_key(user_id), username)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(params=backends())
def old_app(request, tmp_path, rooms_url):
    with migrated(request.param, tmp_path, rooms_url, PREVIOUS, _fill) as built:
        yield built


def _count(db, table: str) -> int:
    found = db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
    db.session.commit()
    return found


def test_the_upgraded_tasks_take_comments_and_notifications(old_app):
    app, db = old_app
    client = app.test_client()
    alice, _bob = _person(1, "alice"), _person(2, "bob")
    made = client.post(f"/api/v1/rooms/{ROOM}/tasks/2/comments", json={"body": " on bob's task "}, headers=alice)
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["author_username"] == "alice" and made.get_json()["body"] == "on bob's task"
    page = client.get(f"/api/v1/rooms/{ROOM}/tasks/2/comments", headers=alice).get_json()
    assert [c["body"] for c in page["items"]] == ["on bob's task"] and page["next_cursor"] is None
    task = client.get(f"/api/v1/rooms/{ROOM}/tasks/2", headers=alice).get_json()
    assert (task["version"], task["label_ids"], [i["text"] for i in task["checklist"]]) == (1, [1], ["step"])
    assert client.get(f"/api/v1/rooms/{ROOM}/tasks", headers=alice).headers["ETag"].startswith('"r8-')
    moved = client.patch(f"/api/v1/rooms/{ROOM}/tasks/3", json={"user_id": 2}, headers=alice)
    assert moved.status_code == 200, moved.get_json()
    rows = db.session.execute(text("SELECT user_id, kind, task_id, actor_username FROM notifications ORDER BY id"))
    assert [tuple(row) for row in rows] == [(2, "commented", 2, "alice"), (2, "assigned", 3, "alice")]
    db.session.commit()
    assert client.delete(f"/api/v1/rooms/{ROOM}/tasks/2", headers=alice).status_code == 204
    assert (_count(db, "comments"), _count(db, "notifications")) == (0, 1)  # the comment's went with it


def test_downgrade_drops_the_tables_and_keeps_the_tasks(old_app):
    _app, db = old_app
    db.session.execute(
        text(
            "INSERT INTO comments (room_id, task_id, author_id, author_username, body, created_at, updated_at)"
            " VALUES (5, 1, 1, 'alice', 'hello', '2026-12-01 10:00:00', '2026-12-01 10:00:00')"
        )
    )
    db.session.commit()
    downgrade(revision=PREVIOUS)
    assert not {"comments", "notifications"} & set(inspect(db.engine).get_table_names())
    assert _count(db, "tasks") == 3 and _count(db, "checklist_items") == 1
    upgrade()  # and up again, on the same data
    assert (_count(db, "comments"), _count(db, "notifications"), _count(db, "task_labels")) == (0, 0, 1)
