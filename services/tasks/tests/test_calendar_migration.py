"""The calendar-feeds migration on a database that the previous ones built and that holds tasks
and a room's history (a member who left): upgraded, a feed made and read through the app (the
history's departure honoured by the new index); downgraded and upgraded again."""

from __future__ import annotations

from urllib.parse import urlsplit

import icalendar
import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from tasksync_common.board_access import member_key
from tasksync_common.cache import ACTIVE, cache, token_key
from tasksync_tasks.people import username_key
from tools.service_testing import backends, token_for

from .conftest import migrated

PREVIOUS = "e3a400c80e3f"


def _fill(db) -> None:
    """Bob's tasks with due times in rooms 5 and 6; the history says he left room 6."""
    insert = text(
        "INSERT INTO tasks (id, room_id, user_id, created_by, title, description, status, version, search_text,"
        " priority, position, due_at, created_at, updated_at) VALUES (:id, :room, 2, 1, :title, NULL, 'pending', 1,"
        " :title, 'none', :id, '2099-01-01 10:00:00', '2026-11-30 10:00:00', '2026-11-30 10:00:00')"
    )
    for task_id, room in ((1, 5), (2, 6)):
        db.session.execute(insert, {"id": task_id, "room": room, "title": f"old {task_id}"})
    entry = text(
        "INSERT INTO activity (room_id, task_id, actor_id, actor_username, kind, data, created_at, outbox_id)"
        " VALUES (6, NULL, 2, 'bob', :kind, :data, '2026-11-30 11:00:00', :outbox)"
    )
    for outbox, kind in ((1, "member.joined"), (2, "task.created"), (3, "member.left")):
        db.session.execute(entry, {"kind": kind, "data": '{"user_id": 2, "username": "bob"}', "outbox": outbox})
    db.session.execute(text("INSERT INTO room_revisions (room_id, revision) VALUES (5, 1), (6, 1)"))
    if db.engine.dialect.name == "postgresql":  # explicit ids: let the sequence follow
        db.session.execute(text("SELECT setval('tasks_id_seq', 2)"))
    db.session.commit()


@pytest.fixture(params=backends())
def old_app(request, tmp_path, rooms_url):
    with migrated(request.param, tmp_path, rooms_url, PREVIOUS, _fill) as built:
        yield built


def _bob() -> dict:
    token, claims = token_for(2)
    cache.set(token_key(claims["jti"]), ACTIVE)
    cache.set(username_key(2), "bob")
    cache.set(member_key(5, 2), "member")
    return {"Authorization": f"Bearer {token}"}


def test_the_upgraded_database_serves_feeds(old_app):
    app, db = old_app
    client = app.test_client()
    made = client.post("/api/v1/users/me/calendar", headers=_bob())
    assert made.status_code == 200, made.get_json()
    answer = client.get(urlsplit(made.get_json()["url"]).path)
    assert answer.status_code == 200
    calendar = icalendar.Calendar.from_ical(answer.data)
    assert [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")] == ["old 1"]  # he left room 6
    assert str(calendar["X-WR-CALNAME"]) == "TaskSync: bob"
    indexes = {index["name"] for index in inspect(db.engine).get_indexes("activity")}
    assert "ix_activity_membership" in indexes


def test_downgrade_drops_the_table_and_keeps_the_history(old_app):
    app, db = old_app
    assert app.test_client().post("/api/v1/users/me/calendar", headers=_bob()).status_code == 200
    downgrade(revision=PREVIOUS)
    assert "calendar_feeds" not in inspect(db.engine).get_table_names()
    assert "ix_activity_membership" not in {index["name"] for index in inspect(db.engine).get_indexes("activity")}
    assert db.session.execute(text("SELECT count(*) FROM activity")).scalar_one() == 3
    db.session.commit()
    upgrade()  # and up again, on the same data
    assert db.session.execute(text("SELECT count(*) FROM calendar_feeds")).scalar_one() == 0
    db.session.commit()
