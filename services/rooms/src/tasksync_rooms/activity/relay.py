"""The relay: delivers the outbox to the tasks service, which keeps every room's history.

One thread per serving process (started by gunicorn's worker, see tasksync_common.background),
woken right after a commit that wrote an outbox row and polling every few seconds otherwise (a
row committed by another process or replica, or left by a failed delivery). Each pass reads the
oldest rows and delivers them room by room, each room's in id order, then deletes what was
delivered; while the tasks service cannot take them, passes back off and retry.

Several relays may run at once (workers, replicas): two may deliver the same rows, which the tasks
service writes once (it keeps each row's id, unique). A room's rows are always sent together and
in order, and a row is deleted only once delivered, so a later row of a room never arrives before
an earlier one.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict

from flask import Flask, current_app
from sqlalchemy import bindparam, select
from sqlalchemy import delete as sql_delete

from tasksync_common import background, peers
from tasksync_common.problems import Problem

from ..access_tokens import service as access_tokens
from ..extensions import db
from .models import OutboxEntry

log = logging.getLogger(__name__)
EXTENSION = "tasksync_activity_relay"
POLL_SECONDS = 2.0
BATCH = 200
BACKOFF_FIRST, BACKOFF_MAX = 0.25, 5.0

_OUTBOX = OutboxEntry.__table__
_OLDEST = select(*_OUTBOX.c).order_by(_OUTBOX.c.id).limit(bindparam("limit"))
_DELIVERED = sql_delete(_OUTBOX).where(_OUTBOX.c.id.in_(bindparam("ids", expanding=True)))


class Undelivered(Exception):
    """The tasks service did not take a room's entries (they stay in the outbox)."""


def _relay_pass() -> float:
    """One pass of the relay thread: deliver everything, then wait for the next poll."""
    deliver_all()
    return POLL_SECONDS


def deliver_all() -> int:
    """Deliver every entry in the outbox now (in an app context); how many were delivered.
    Raises when the tasks service does not take some (they stay for the next pass)."""
    delivered = 0
    while True:
        count, more = _deliver_batch()
        delivered += count
        if not more:
            return delivered


def _deliver_batch() -> tuple[int, bool]:
    rows = db.session.execute(_OLDEST, {"limit": BATCH}).all()
    db.session.rollback()  # no transaction while waiting for the tasks service (SQLite's is the whole file)
    by_room: dict[int, list] = defaultdict(list)
    for row in rows:
        by_room[row.room_id].append(row)
    refused = []
    for room_id, entries in by_room.items():
        try:
            _send(room_id, entries)
        except Undelivered as error:  # this room's rows wait; the other rooms' need not
            refused.append(error)
            continue
        db.session.execute(_DELIVERED, {"ids": [entry.id for entry in entries]})
        db.session.commit()
    if refused:
        raise refused[0]
    return len(rows), len(rows) == BATCH


def _send(room_id: int, entries: list) -> None:
    body = {
        "entries": [
            {
                "outbox_id": entry.id,
                "kind": entry.kind,
                "actor_id": entry.actor_id,
                "actor_username": entry.actor_username,
                "data": entry.data,
                "created_at": entry.created_at.isoformat(),
                "request_id": entry.request_id,
            }
            for entry in entries
        ]
    }
    headers = {
        "Authorization": f"Bearer {access_tokens.issue_service_token()}",
        "Content-Type": "application/json",
    }
    try:
        response = peers.tasks_client().request(
            "POST", f"/internal/v1/rooms/{room_id}/activity", headers=headers, body=json.dumps(body).encode()
        )
    except Problem as problem:  # unreachable or too slow
        raise Undelivered(f"room {room_id}: the tasks service answered nothing ({problem.status_code})") from None
    if response.status != 204:
        raise Undelivered(f"room {room_id}: the tasks service answered {response.status}")


def init_app(app: Flask) -> None:
    """Give ``app`` its relay, started when a worker begins serving it."""
    relay = app.extensions[EXTENSION] = background.Loop(
        app, "activity-relay", _relay_pass, backoff=(BACKOFF_FIRST, BACKOFF_MAX)
    )
    background.register(app, relay.start)


def wake() -> None:
    """Wake the current app's relay (after a commit that wrote outbox rows)."""
    current_app.extensions[EXTENSION].wake()
