"""The migration that gives outbox rows the request id of their change, on a database the
previous ones built and that holds people, a room, a member and an undelivered row: the old row
has none (and is sent without), a new change keeps the X-Request-ID of its request; downgraded,
the rows stay, and upgraded again."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from tasksync_rooms import create_app
from tools.service_testing import backends, service_app

from .test_activity_migration import _fill, _log_in

PREVIOUS = "4d2b8e6c1a90"


def _fill_with_outbox(db) -> None:
    """What the outbox migration's test fills, and a row not delivered yet."""
    _fill(db)
    db.session.execute(
        text(
            "INSERT INTO activity_outbox (id, room_id, kind, actor_id, actor_username, data, created_at) VALUES"
            " (1, 1, 'member.joined', 2, 'first_member', '{}', '2026-11-30 10:00:00')"
        )
    )
    if db.engine.dialect.name == "postgresql":  # an explicit id: let the sequence follow
        db.session.execute(text("SELECT setval('activity_outbox_id_seq', 1)"))
    db.session.commit()


@pytest.fixture(params=backends())
def old_app(request, tmp_path):
    with service_app(create_app, request.param, tmp_path, "outbox_request", revision=PREVIOUS) as app:
        db = app.extensions["sqlalchemy"]
        with app.app_context():
            _fill_with_outbox(db)
            upgrade()
            yield app, db


def _rows(db) -> list[tuple]:
    rows = db.session.execute(text("SELECT id, kind, request_id FROM activity_outbox ORDER BY id")).all()
    db.session.commit()
    return [tuple(row) for row in rows]


def test_new_rows_keep_their_request_id(old_app):
    app, db = old_app
    client = app.test_client()
    owner = {**_log_in(client, "first_owner"), "X-Request-ID": "rename-1"}
    assert client.patch("/api/v1/rooms/1", json={"name": "Renamed"}, headers=owner).status_code == 200
    assert _rows(db) == [(1, "member.joined", None), (2, "room.renamed", "rename-1")]


def test_downgrade_drops_the_column_and_keeps_the_rows(old_app):
    _app, db = old_app
    downgrade(revision=PREVIOUS)
    assert "request_id" not in {column["name"] for column in inspect(db.engine).get_columns("activity_outbox")}
    assert db.session.execute(text("SELECT count(*) FROM activity_outbox")).scalar() == 1
    db.session.commit()
    upgrade()
    assert _rows(db) == [(1, "member.joined", None)]
