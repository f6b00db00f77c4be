"""The e-mail migration on a database the earlier migrations built and filled (people, a room, an
outbox row): everyone is upgraded to English mail and no address, can then set and verify one and
get mail queued; a downgrade drops the new columns and the mail outbox and keeps the people."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade
from sqlalchemy import inspect, text

from tasksync_rooms import create_app
from tasksync_rooms.users.passwords import hash_password
from tools.service_testing import backends, upgraded_from

PREVIOUS = "c3f81a5d92e4"
PASSWORD = "correct horse battery"


def _fill(db) -> None:
    hashed = hash_password(PASSWORD)
    for user_id, name in ((1, "old_owner"), (2, "old_member")):
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
            "INSERT INTO activity_outbox (room_id, kind, actor_id, actor_username, data, created_at)"
            " VALUES (1, 'room.renamed', 1, 'old_owner', '{}', '2026-11-30 10:00:00')"
        )
    )
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT setval('users_id_seq', 2)"))
        db.session.execute(text("SELECT setval('rooms_id_seq', 1)"))
    db.session.commit()


@pytest.fixture(params=backends())
def migrated(request, tmp_path):
    with upgraded_from(create_app, request.param, tmp_path, {}, PREVIOUS, _fill) as (app, db):
        yield app, db


def _log_in(client, username):
    response = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_old_users_get_english_and_no_address_then_can_set_one(migrated):
    app, db = migrated
    client = app.test_client()
    login = _log_in(client, "old_owner")
    assert {key: login["user"][key] for key in ("language", "email", "email_verified")} == {
        "language": "en",
        "email": None,
        "email_verified": False,
    }
    headers = {"Authorization": f"Bearer {login['access_token']}"}
    changed = client.patch("/api/v1/users/me", json={"email": "owner@example.org", "language": "uk"}, headers=headers)
    assert changed.status_code == 200 and changed.get_json()["language"] == "uk"
    queued = db.session.execute(text("SELECT user_id, kind, state FROM mail_outbox")).all()
    db.session.commit()
    assert [tuple(row) for row in queued] == [(1, "verify_email", "pending")]
    new_user = client.post("/api/v1/auth/register", json={"username": "newcomer", "password": PASSWORD})
    assert new_user.status_code == 201 and new_user.get_json()["id"] == 3


def test_downgrade_drops_mail_and_keeps_the_people(migrated):
    app, db = migrated
    client = app.test_client()
    headers = {"Authorization": f"Bearer {_log_in(client, 'old_member')['access_token']}"}
    assert client.patch("/api/v1/users/me", json={"email": "member@example.org"}, headers=headers).status_code == 200
    db.session.rollback()
    downgrade(revision=PREVIOUS)
    inspector = inspect(db.engine)
    assert "mail_outbox" not in inspector.get_table_names()
    assert not {"language", "email", "email_verified"} & {c["name"] for c in inspector.get_columns("users")}
    assert db.session.execute(text("SELECT username FROM users ORDER BY id")).scalars().all() == [
        "old_owner",
        "old_member",
    ]
    assert db.session.execute(text("SELECT count(*) FROM activity_outbox")).scalar() == 1
    db.session.commit()
