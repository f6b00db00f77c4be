"""The outbox migration on a database the first migration built and that holds people, rooms and
members: upgraded, then a join and a rename through the app write their outbox rows; downgraded,
keeping the rooms, and upgraded again."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from tasksync_rooms import create_app
from tasksync_rooms.users.passwords import hash_password
from tools.service_testing import backends, service_app

PREVIOUS = "73a7ca87379f"
PASSWORD = "correct horse battery"


def _fill(db) -> None:
    """Two people and a room of the first one's, which the second has joined."""
    hashed = hash_password(PASSWORD)
    for user_id, name in ((1, "first_owner"), (2, "first_member")):
        db.session.execute(
            text(
                "INSERT INTO users (id, username, username_key, password_hash, created_at)"
                " VALUES (:id, :name, :name, :hash, '2026-11-30 10:00:00')"
            ),
            {"id": user_id, "name": name, "hash": hashed},
        )
    db.session.execute(
        text(
            "INSERT INTO rooms (id, code, name, owner_id, created_at, deleting)"
            " VALUES (1, 'OLDROOM01', 'Old room', 1, '2026-11-30 10:00:00', false)"
        )
    )
    db.session.execute(
        text(
            "INSERT INTO user_rooms (user_id, room_id, role, joined_at) VALUES"
            " (1, 1, 'owner', '2026-11-30 10:00:00'), (2, 1, 'member', '2026-11-30 10:00:00')"
        )
    )
    if db.engine.dialect.name == "postgresql":  # explicit ids: let the sequences follow
        db.session.execute(text("SELECT setval('users_id_seq', 2)"))
        db.session.execute(text("SELECT setval('rooms_id_seq', 1)"))
    db.session.commit()


def _log_in(client, username: str) -> dict:
    response = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['access_token']}"}


@pytest.fixture(params=backends())
def old_app(request, tmp_path):
    with service_app(create_app, request.param, tmp_path, "outbox", revision=PREVIOUS) as app:
        db = app.extensions["sqlalchemy"]
        with app.app_context():
            _fill(db)
            upgrade()
            yield app, db


def _outbox(db) -> list[tuple]:
    rows = db.session.execute(text("SELECT room_id, kind, actor_id FROM activity_outbox ORDER BY id")).all()
    db.session.commit()
    return [tuple(row) for row in rows]


def test_old_rooms_write_outbox_rows_after_the_upgrade(old_app):
    app, db = old_app
    client = app.test_client()
    owner = _log_in(client, "first_owner")
    member = _log_in(client, "first_member")
    assert client.post("/api/v1/rooms/join", json={"code": "oldroom01"}, headers=member).status_code == 200
    assert _outbox(db) == []  # a member already
    assert client.patch("/api/v1/rooms/1", json={"name": "Renamed"}, headers=owner).status_code == 200
    assert client.delete("/api/v1/rooms/1/members/2", headers=member).status_code == 204
    assert _outbox(db) == [(1, "room.renamed", 1), (1, "member.left", 2)]


def test_downgrade_drops_the_outbox_and_keeps_the_rooms(old_app):
    app, db = old_app
    client = app.test_client()
    assert (
        client.patch("/api/v1/rooms/1", json={"name": "Renamed"}, headers=_log_in(client, "first_owner")).status_code
        == 200
    )
    db.session.rollback()  # end the read that answered (this test's app context outlives the request)
    downgrade(revision=PREVIOUS)
    assert "activity_outbox" not in inspect(db.engine).get_table_names()
    assert db.session.execute(text("SELECT name FROM rooms")).scalars().all() == ["Renamed"]
    assert db.session.execute(text("SELECT count(*) FROM user_rooms")).scalar() == 2
    db.session.commit()
    upgrade()
    assert _outbox(db) == []
